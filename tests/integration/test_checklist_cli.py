"""The checklist from the command line: issue, export, import, status, submit.

The done-means of the checklist: a workbook exported in each of the six languages,
every answer cell filled with text in that language's script, comes back
byte-identical; a tampered workbook is refused naming its cell, and the history is
left exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.checklist_world import NOW, open_checklist_world, open_review
from tests.cli_run import cli_clock, flat, run_cli
from untoc_adapters import checklists as desk
from untoc_adapters.bootstrap import open_vault
from untoc_adapters.cli.main import app
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.render.workbook import cell_text
from untoc_adapters.settings import Settings
from untoc_adapters.vault import Vault
from untoc_core.checklists import AnswerKind, IssuedQuestion, default_bank
from untoc_core.checklists.events import DRAFT_SECTION
from untoc_core.confidentiality import Scope

REVIEW = "cycle-1/ARC"
SCRIPT = {
    "ar": "إجابة الدولة",
    "zh": "缔约国的答复",
    "en": "The State's answer",
    "fr": "Réponse de l'État",
    "ru": "Ответ государства",
    "es": "Respuesta del Estado",
}


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with Arcadia's and Wadiya's reviews open, and the CLI's clock."""
    world = open_checklist_world(tmp_path / "data")
    open_review(world, REVIEW)
    open_review(world, "cycle-1/WDY")
    world.close()
    cli_clock(monkeypatch, NOW)
    return tmp_path / "data"


@pytest.fixture
def vault(data: Path) -> Iterator[Vault]:
    """The same data folder, opened in the test (after the CLI commands ran)."""
    opened = open_vault(Settings(data_dir=data, store="sqlite"), SimulatedClock(NOW))
    yield opened
    opened.mechanism.store.close()


def cli(data: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(app, data, *args)


def fill(
    workbook: Path, language: str, questions: dict[str, IssuedQuestion]
) -> dict[str, str]:
    """Fill every answer cell as a person would; return the answers, by question id.

    Text goes in as a spreadsheet program saves it (``cell_text``), with leading
    and trailing spaces, an ``=``, a Windows line break and a tab; a choice as its
    label in the workbook's language; a date as a date.
    """
    book = openpyxl.load_workbook(workbook)
    bank = default_bank()
    filled: dict[str, str] = {}
    for row in book["_untoc"].iter_rows():
        qid, sheet, place = (cell.value for cell in row[:3])
        if qid not in questions:
            continue
        cell = book[sheet][f"C{place}"]
        question = questions[qid]
        if question.answer is AnswerKind.CHOICE:
            choices = bank.choices[question.choices]
            value = choices.values[-1]
            cell.value = choices.labels[value][language]
        elif question.answer is AnswerKind.DATE:
            value = "2003-09-29"
            cell.value = dt.date(2003, 9, 29)
        else:
            value = f" {SCRIPT[language]} = {qid}\r\n\t«{len(filled)}»  "
            cell.value = cell_text(value)
        filled[qid] = value
    book.save(workbook)
    assert set(filled) == set(questions)
    return filled


def test_six_languages_round_trip_byte_identical(data: Path, tmp_path: Path) -> None:
    assert cli(data, "checklist", "issue", REVIEW)[0] == 0
    previous: dict[str, str] = {}
    for lang in ("ar", "zh", "en", "fr", "ru", "es"):
        workbook = tmp_path / f"checklist-{lang}.xlsx"
        code, _, err = cli(
            data, "checklist", "export", REVIEW, "--lang", lang,
            "--out", str(workbook), "--as", "ARC",
        )  # fmt: skip
        assert code == 0, err
        assert workbook.stat().st_mode & 0o777 == 0o600
        with _Opened(data) as vault:
            questions = {q.id: q for q in vault.mechanism.checklist(REVIEW).questions}
        filled = fill(workbook, lang, questions)
        code, out, err = cli(
            data, "checklist", "import", REVIEW, str(workbook), "--as", "ARC"
        )
        assert code == 0, err
        changed = sum(1 for k, v in filled.items() if previous.get(k) != v)
        assert f"{changed} answers changed" in flat(out)
        previous = filled
        with _Opened(data) as vault:
            draft = desk.current_draft(vault, "ARC", REVIEW)
        assert draft is not None
        assert draft.language == lang
        assert dict(draft.answers) == filled


def test_every_draft_is_kept_and_status_needs_no_key(
    data: Path, tmp_path: Path
) -> None:
    assert cli(data, "checklist", "issue", REVIEW)[0] == 0
    with _Opened(data) as vault:
        desk.save_answers(
            vault,
            "ARC",
            REVIEW,
            language="fr",
            answers={"UNTOC-5/legislation": "Loi 1"},
        )
        desk.save_answers(
            vault,
            "ARC",
            REVIEW,
            language="fr",
            answers={"UNTOC-5/legislation": "Loi 2"},
        )
        versions = [
            f.version
            for f in vault.mechanism.review_material(REVIEW).filed
            if f.event.section == DRAFT_SECTION
        ]
        drafts = vault.mechanism.checklist(REVIEW).drafts
    assert len(versions) == 2
    assert [d.material_version for d in drafts] == versions
    out_file = tmp_path / "status.json"
    code, _, err = cli(data, "checklist", "status", REVIEW, "--out", str(out_file))
    assert code == 0, err
    status = json.loads(out_file.read_text(encoding="utf-8"))
    assert status["draft"] == 2
    assert status["language"] == "fr"
    assert status["complete"] is False
    untoc = next(s for s in status["sheets"] if s["sheet"] == "UNTOC")
    assert untoc["answered"] == 1
    missing = {m["id"] for m in untoc["required_missing"]}
    assert "UNTOC-5/legislation" not in missing
    assert "UNTOC-5/practice" in missing


def _tampered(
    data: Path, tmp_path: Path, edit: Any, review: str = REVIEW
) -> tuple[int, str, int, int]:
    """Export Arcadia's workbook, apply ``edit``, import it into ``review``."""
    assert cli(data, "checklist", "issue", REVIEW)[0] == 0
    workbook = tmp_path / "checklist.xlsx"
    cli(
        data,
        "checklist",
        "export",
        REVIEW,
        "--lang",
        "es",
        "--out",
        str(workbook),
        "--as",
        "ARC",
    )
    book = openpyxl.load_workbook(workbook)
    edit(book)
    book.save(workbook)
    with _Opened(data) as vault:
        before = vault.mechanism.store.last_position()
    code, _, err = cli(
        data, "checklist", "import", review, str(workbook), "--as", review.split("/")[1]
    )
    with _Opened(data) as vault:
        after = vault.mechanism.store.last_position()
    return code, flat(err), before, after


def _untouched(book: Any) -> None:
    """Leave the workbook as exported."""
    assert book.worksheets


def _row_of(book: Any, qid: str) -> tuple[Any, int]:
    for ws in book.worksheets:
        for row in ws.iter_rows(min_col=1, max_col=1):
            if row[0].value == qid and ws.sheet_state == "visible":
                return ws, row[0].row
    raise AssertionError(qid)


def test_an_edited_question_is_refused_naming_its_cell(
    data: Path, tmp_path: Path
) -> None:
    def edit(book: Any) -> None:
        ws, row = _row_of(book, "UNTOC-6/practice")
        ws[f"B{row}"].value = "¿Otra pregunta?"

    code, err, before, after = _tampered(data, tmp_path, edit)
    assert code == 1
    assert "cell B" in err
    assert after == before


def test_a_workbook_of_another_review_is_refused(data: Path, tmp_path: Path) -> None:
    assert cli(data, "checklist", "issue", "cycle-1/WDY")[0] == 0
    code, err, before, after = _tampered(data, tmp_path, _untouched, "cycle-1/WDY")
    assert code == 1
    assert "cycle-1/ARC" in err
    assert "cell B2" in err
    assert after == before


def test_a_value_outside_its_list_is_refused_naming_its_cell(
    data: Path, tmp_path: Path
) -> None:
    def edit(book: Any) -> None:
        ws, row = _row_of(book, "UNTOC-5/assistance-priority")
        ws[f"C{row}"].value = "Urgentísima"

    code, err, before, after = _tampered(data, tmp_path, edit)
    assert code == 1
    assert "Urgentísima" in err
    assert "cell C" in err
    assert after == before


def test_submission_is_refused_listing_the_missing_and_then_accepted(
    data: Path,
) -> None:
    assert cli(data, "checklist", "issue", REVIEW)[0] == 0
    with _Opened(data) as vault:
        state = vault.mechanism.checklist(REVIEW)
        answers = {}
        for q in state.questions:
            if q.choices:
                answers[q.id] = default_bank().choices[q.choices].values[0]
            elif q.answer is AnswerKind.DATE:
                answers[q.id] = "2003-09-29"
            else:
                answers[q.id] = "Texte"
        del answers["TIP-5/challenges"]
        desk.save_answers(vault, "ARC", REVIEW, language="fr", answers=answers)
    code, _, err = cli(
        data, "checklist", "submit", REVIEW, "--on", "2026-03-20", "--as", "ARC"
    )
    assert code == 1
    assert "[ToR-15]" in flat(err)
    challenges = next(q for q in default_bank().article if q.kind == "challenges")
    assert flat(challenges.wording("criminalization")["fr"]) in flat(err)
    with _Opened(data) as vault:
        answers["TIP-5/challenges"] = "Aucune"
        desk.save_answers(vault, "ARC", REVIEW, language="fr", answers=answers)
    code, out, err = cli(
        data, "checklist", "submit", REVIEW, "--on", "2026-03-20", "--as", "ARC"
    )
    assert code == 0, err
    assert "Submitted the checklist response of cycle-1/ARC on 2026-03-20" in out
    with _Opened(data) as vault:
        review = vault.mechanism.country_review(REVIEW)
    assert review.steps["checklist_response_submitted"] == dt.date(2026, 3, 20)


def test_only_the_focal_point_of_the_party_saves_answers(data: Path) -> None:
    assert cli(data, "checklist", "issue", REVIEW)[0] == 0
    with (
        _Opened(data) as vault,
        pytest.raises(Exception, match="only the focal point of ARC"),
    ):
        desk.save_answers(vault, "BRD", REVIEW, language="en", answers={})


def test_a_reviewer_reads_the_answers_but_an_outsider_is_denied(data: Path) -> None:
    assert cli(data, "checklist", "issue", REVIEW)[0] == 0
    with _Opened(data) as vault:
        desk.save_answers(
            vault,
            "ARC",
            REVIEW,
            language="en",
            answers={"UNTOC-5/cases": "Case 12/2025"},
        )
        assert vault.read("BRD", REVIEW, Scope.DOSSIER, DRAFT_SECTION)
        draft = desk.current_draft(vault, "CRP", REVIEW)
        assert draft is not None
        assert draft.answers == {"UNTOC-5/cases": "Case 12/2025"}


class _Opened:
    """Open the data folder's vault for a moment, as the test's own process."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.vault: Vault | None = None

    def __enter__(self) -> Vault:
        self.vault = open_vault(
            Settings(data_dir=self.data, store="sqlite"), SimulatedClock(NOW)
        )
        return self.vault

    def __exit__(self, *exc: object) -> None:
        assert self.vault is not None
        self.vault.mechanism.store.close()
