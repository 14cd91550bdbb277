"""Steps of the self-assessment checklist: languages, scope, completeness, follow-up.

Provisions: RES 6, ToR 3(h), 11(d), 13(c), 15, 27, 41 and 57 (see
``features/checklist.feature``). The world is a real vault on SQLite with the
fictional States of ``tests.checklist_world``; workbooks are real ``.xlsx`` files
read and edited with openpyxl, as a ministry would with a spreadsheet program.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.conftest import Outcome
from tests.checklist_world import open_checklist_world, open_review
from tests.vault_world import World
from untoc_adapters import checklists as desk
from untoc_adapters.render.workbook import WorkbookRefused
from untoc_core import Mechanism
from untoc_core.checklists import AnswerKind, default_bank
from untoc_core.checklists.events import stream_of as checklist_stream
from untoc_core.confidentiality import Scope
from untoc_core.reviews import events as ev

scenarios("checklist.feature")

LANGUAGES = {
    "Arabic": "ar",
    "Chinese": "zh",
    "English": "en",
    "French": "fr",
    "Russian": "ru",
    "Spanish": "es",
}
FILLER = {
    "ar": "نص الإجابة",
    "zh": "答复文本",
    "en": "Answer text",
    "fr": "Texte de la réponse",
    "ru": "Текст ответа",
    "es": "Texto de la respuesta",
}
CODES = {"Arcadia": "ARC", "Wadiya": "WDY"}


@attrs.define
class Scene:
    """What the scenario made: the review, a workbook, what was listed."""

    review: str = "cycle-1/ARC"
    workbook: bytes = b""
    language: str = "en"
    edited: tuple[str, str] = ("", "")
    draft_position: int = 0


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    opened = open_checklist_world(tmp_path)
    open_review(opened, "cycle-1/ARC")
    open_review(opened, "cycle-1/WDY")
    yield opened
    opened.close()


@pytest.fixture
def mechanism(world: World) -> Mechanism:
    """The shared steps' mechanism is the world's."""
    return world.vault.mechanism


@pytest.fixture
def scene() -> Scene:
    return Scene()


def _issue(world: World, review: str) -> None:
    if world.vault.mechanism.checklist(review).issued is None:
        world.vault.mechanism.issue_checklist(review)


def _answers(
    world: World,
    review: str,
    language: str,
    *,
    leave_out: AbstractSet[str] = frozenset(),
) -> dict[str, str]:
    """A value for every required question of ``review``, but those left out."""
    bank = default_bank()
    state = world.vault.mechanism.checklist(review)
    answers = {}
    for q in state.questions:
        if not q.required or q.id in leave_out or q.sheet in leave_out:
            continue
        if q.answer is AnswerKind.CHOICE:
            answers[q.id] = bank.choices[q.choices].values[-1]
        elif q.answer is AnswerKind.DATE:
            answers[q.id] = "2004-05-06"
        else:
            answers[q.id] = f"{FILLER[language]} {q.id}"
    return answers


def _save(
    world: World, review: str, language: str, leave_out: AbstractSet[str]
) -> None:
    _issue(world, review)
    party = review.split("/")[1]
    desk.save_answers(
        world.vault,
        party,
        review,
        language=language,
        answers=_answers(world, review, language, leave_out=leave_out),
    )


def _record_finding(world: World, kind: ev.FindingKind, article: str, n: int) -> None:
    """Record finding ``F-<n>`` of Arcadia's cycle-1 review, its text filed sealed."""
    review = "cycle-1/ARC"
    mechanism = world.vault.mechanism
    if "checklist_response_submitted" not in mechanism.country_review(review).steps:
        mechanism.record_step(
            review, ev.ChecklistResponseSubmitted(on=dt.date(2026, 2, 20)), actor="ARC"
        )
    section = f"finding-{n}"
    world.vault.file("BRD", review, Scope.DOSSIER, section, f"On {article}".encode())
    mechanism.record_step(
        review,
        ev.FindingRecorded(
            on=dt.date(2026, 4, 1),
            finding_id=f"F-{n}",
            kind=kind,
            article=article,
            aspect=ev.Aspect.LAW,
            stage=ev.Stage.DESK_REVIEW,
            section=section,
        ),
        actor="BRD",
    )


def _cell_of(data: bytes, question_id: str) -> tuple[str, str, str]:
    """The sheet title, question cell and answer cell of a question in a workbook."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows(min_col=1, max_col=1):
            if row[0].value == question_id:
                return ws.title, f"B{row[0].row}", f"C{row[0].row}"
    msg = f"{question_id} is in no sheet"
    raise AssertionError(msg)


# -- givens ----------------------------------------------------------------------------


@given(parsers.parse("{name:w}'s checklist of cycle 1 is issued"))
def issued(world: World, scene: Scene, name: str) -> None:
    scene.review = f"cycle-1/{CODES[name]}"
    _issue(world, scene.review)


@given(parsers.parse("the thematic scope of cycle 1 holds {articles}"))
def scope_holds(mechanism: Mechanism, articles: str) -> None:
    held = {str(ref) for ref in mechanism.conference().scope(1)}
    assert held == set(re.split(r", | and ", articles))


@given(
    parsers.parse(
        "Arcadia answered its checklist in {language}, "
        "all but the legislation of {article}"
    )
)
def answered_but(world: World, scene: Scene, language: str, article: str) -> None:
    scene.language = LANGUAGES[language]
    left = {f"{article.replace(' ', '-')}/legislation"}
    _save(world, scene.review, scene.language, left)


@given(parsers.parse("Arcadia answered its checklist in {language}"))
def answered(world: World, scene: Scene, language: str) -> None:
    scene.language = LANGUAGES[language]
    _save(world, scene.review, scene.language, set())


@given(parsers.parse("Arcadia's focal point exported the checklist in {language}"))
def exported(world: World, scene: Scene, language: str) -> None:
    scene.language = LANGUAGES[language]
    _issue(world, scene.review)
    scene.workbook = desk.export_workbook(
        world.vault, "ARC", scene.review, language=scene.language
    )
    scene.draft_position = world.vault.mechanism.checklist(scene.review).version


@given(
    parsers.parse(
        "someone edited the legislation question of {article} in the workbook"
    )
)
def edited(scene: Scene, article: str) -> None:
    qid = f"{article.replace(' ', '-')}/legislation"
    sheet, question_cell, _ = _cell_of(scene.workbook, qid)
    book = openpyxl.load_workbook(io.BytesIO(scene.workbook))
    book[sheet][question_cell].value = "A shorter question"
    out = io.BytesIO()
    book.save(out)
    scene.workbook = out.getvalue()
    scene.edited = (sheet, question_cell)


@given(
    parsers.parse("the workbook lists the {stakeholder} as consulted on {relevance}")
)
def lists_stakeholder(
    world: World, scene: Scene, stakeholder: str, relevance: str
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(scene.workbook))
    for qid, value in _answers(world, scene.review, scene.language).items():
        sheet, _, answer_cell = _cell_of(scene.workbook, qid)
        question = next(
            q
            for q in world.vault.mechanism.checklist(scene.review).questions
            if q.id == qid
        )
        if question.answer is AnswerKind.CHOICE:
            labels = default_bank().choices[question.choices].labels
            book[sheet][answer_cell].value = labels[value][scene.language]
            continue
        if question.answer is AnswerKind.DATE:
            book[sheet][answer_cell].value = dt.date.fromisoformat(value)
            continue
        book[sheet][answer_cell].value = value
    stakeholders = _stakeholder_sheet(book)
    stakeholders.cell(row=2, column=1).value = f"the {stakeholder}"
    stakeholders.cell(row=2, column=2).value = relevance
    out = io.BytesIO()
    book.save(out)
    scene.workbook = out.getvalue()


def _stakeholder_sheet(book: Any) -> Any:
    """The English workbook's sheet of stakeholders consulted."""
    title = default_bank().labels["sheet.stakeholders"]["en"]
    return next(ws for ws in book.worksheets if ws.title.startswith(title[:20]))


@given(
    parsers.parse(
        "Arcadia's review in cycle 1 recorded an observation on {first}, a technical "
        "assistance need under {second} and a good practice on {third}"
    )
)
def three_findings(world: World, first: str, second: str, third: str) -> None:
    _record_finding(world, ev.FindingKind.OBSERVATION, first, 1)
    _record_finding(world, ev.FindingKind.TECHNICAL_ASSISTANCE_NEED, second, 2)
    _record_finding(world, ev.FindingKind.GOOD_PRACTICE, third, 3)


@given(
    parsers.parse("Arcadia's review in cycle 1 recorded an observation on {article}")
)
def one_finding(world: World, article: str) -> None:
    _record_finding(world, ev.FindingKind.OBSERVATION, article, 1)


@given(
    parsers.parse(
        "Arcadia answered its checklist of cycle 2 in {language}, all but the follow-up"
    )
)
def answered_cycle_2(world: World, scene: Scene, language: str) -> None:
    scene.review = "cycle-2/ARC"
    scene.language = LANGUAGES[language]
    open_review(world, scene.review)
    _save(world, scene.review, scene.language, {"follow-up"})


# -- whens -----------------------------------------------------------------------------


@when(parsers.parse("Arcadia's focal point exports the checklist in {language}"))
def exports(world: World, scene: Scene, language: str) -> None:
    scene.language = LANGUAGES[language]
    scene.workbook = desk.export_workbook(
        world.vault, "ARC", scene.review, language=scene.language
    )


@when(parsers.parse("the secretariat issues {name:w}'s checklist of cycle {cycle:d}"))
def issues(world: World, scene: Scene, name: str, cycle: int) -> None:
    scene.review = f"cycle-{cycle}/{CODES[name]}"
    if cycle > 1:
        open_review(world, scene.review)
    world.vault.mechanism.issue_checklist(scene.review)


@when(parsers.parse("Arcadia submits its response on {day}"))
@when(parsers.parse("Arcadia submits its response of cycle 2 on {day}"))
def submits(world: World, scene: Scene, outcome: Outcome, day: str) -> None:
    outcome.run(
        world.vault.mechanism,
        lambda: desk.submit(
            world.vault, "ARC", scene.review, on=dt.date.fromisoformat(day)
        ),
    )


@when("Arcadia's focal point imports the workbook")
def imports(world: World, scene: Scene, outcome: Outcome) -> None:
    outcome.run(
        world.vault.mechanism,
        lambda: desk.import_workbook(world.vault, "ARC", scene.review, scene.workbook),
    )


@when(parsers.parse("Arcadia imports the workbook and submits its response on {day}"))
def imports_and_submits(world: World, scene: Scene, day: str) -> None:
    desk.import_workbook(world.vault, "ARC", scene.review, scene.workbook)
    desk.submit(world.vault, "ARC", scene.review, on=dt.date.fromisoformat(day))


# -- thens -----------------------------------------------------------------------------

_SCRIPTS = {
    "ar": "ARABIC",
    "zh": "CJK",
    "ru": "CYRILLIC",
    "en": "LATIN",
    "fr": "LATIN",
    "es": "LATIN",
}


@then(parsers.parse("every question of the workbook is worded in {language}"))
def worded_in(world: World, scene: Scene, language: str) -> None:
    code = LANGUAGES[language]
    bank = default_bank()
    state = world.vault.mechanism.checklist(scene.review)
    book = openpyxl.load_workbook(io.BytesIO(scene.workbook))
    seen = 0
    for q in state.questions:
        sheet, question_cell, _ = _cell_of(scene.workbook, q.id)
        text = book[sheet][question_cell].value
        pool = {"general": bank.general, "follow-up": bank.follow_up}.get(
            q.sheet, bank.article
        )
        expected = next(b for b in pool if b.kind == q.kind).wording(q.article_type)[
            code
        ]
        assert text == expected, (q.id, text)
        letters = [c for c in text if c.isalpha()]
        assert letters, text
        script = sum(1 for c in letters if _SCRIPTS[code] in unicodedata.name(c, ""))
        assert script / len(letters) > 0.8, (q.id, text)
        seen += 1
    assert seen == len(state.questions) > 0
    rtl = [
        ws.sheet_view.rightToLeft
        for ws in book.worksheets
        if ws.sheet_state == "visible"
    ]
    assert all(rtl) if code == "ar" else not any(rtl)


@then(parsers.parse("the checklist asks about {articles}"))
def asks_about(world: World, scene: Scene, articles: str) -> None:
    state = world.vault.mechanism.checklist(scene.review)
    asked = {q.article for q in state.questions if q.article}
    assert asked == set(re.split(r", | and ", articles))


@then("for every article the checklist asks for its challenges")
def asks_challenges(world: World, scene: Scene) -> None:
    state = world.vault.mechanism.checklist(scene.review)
    articles = {q.article for q in state.questions if q.article}
    challenged = {
        q.article for q in state.questions if q.kind == "challenges" and q.required
    }
    assert articles
    assert challenged == articles


@then("for every article it asks for the technical assistance needed and its priority")
def asks_assistance(world: World, scene: Scene) -> None:
    state = world.vault.mechanism.checklist(scene.review)
    articles = {q.article for q in state.questions if q.article}
    needs = {q.article for q in state.questions if q.kind == "assistance-needs"}
    priority = {
        q.article
        for q in state.questions
        if q.kind == "assistance-priority" and q.choices == "priority"
    }
    assert articles
    assert needs == articles
    assert priority == articles


@then(
    parsers.parse(
        "the refusal lists the legislation question of {article}, worded in {language}"
    )
)
def refusal_lists(
    world: World, outcome: Outcome, scene: Scene, article: str, language: str
) -> None:
    error = outcome.error
    assert error is not None
    qid = f"{article.replace(' ', '-')}/legislation"
    assert getattr(error, "missing", ()) == (qid,)
    bank = default_bank()
    text = next(q for q in bank.article if q.kind == "legislation").wording(
        "criminalization"
    )[LANGUAGES[language]]
    assert text in str(error)


@then(
    parsers.parse("Arcadia's review records its checklist response submitted on {day}")
)
def response_recorded(world: World, scene: Scene, day: str) -> None:
    review = world.vault.mechanism.country_review(scene.review)
    assert review.steps["checklist_response_submitted"] == dt.date.fromisoformat(day)
    state = world.vault.mechanism.checklist(scene.review)
    assert state.submitted is not None
    assert state.submitted.draft == 1


@then("the import is refused, naming the sheet and cell of that question")
def import_refused(outcome: Outcome, scene: Scene) -> None:
    error = outcome.refusal()
    assert isinstance(error, WorkbookRefused), repr(error)
    assert (error.sheet, error.cell) == scene.edited, str(error)
    assert scene.edited[1] in str(error)


@then(parsers.parse("no draft of Arcadia's answers is recorded"))
def no_draft(world: World, scene: Scene) -> None:
    state = world.vault.mechanism.checklist(scene.review)
    assert state.drafts == ()
    assert (
        world.vault.mechanism.store.stream_version(checklist_stream(scene.review))
        == scene.draft_position
    )


@then(
    parsers.parse(
        "Arcadia's review records the {stakeholder} as consulted on {relevance}"
    )
)
def stakeholder_recorded(
    world: World, scene: Scene, stakeholder: str, relevance: str
) -> None:
    review = world.vault.mechanism.country_review(scene.review)
    submitted = [
        r for r in review.records if isinstance(r, ev.ChecklistResponseSubmitted)
    ]
    assert [s.stakeholders_consulted for s in submitted] == [
        (f"the {stakeholder}: {relevance}",)
    ]


@then(
    parsers.parse(
        "its follow-up asks about the observation on {first} "
        "and the need under {second}"
    )
)
def follow_up_asks(world: World, scene: Scene, first: str, second: str) -> None:
    state = world.vault.mechanism.checklist(scene.review)
    followed = {
        (q.finding_kind, q.article) for q in state.questions if q.sheet == "follow-up"
    }
    assert followed == {("observation", first), ("technical_assistance_need", second)}
    assert state.issued is not None
    assert state.issued.previous_review == "cycle-1/ARC"
