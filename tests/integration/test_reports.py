"""Reports rendered end to end: names never leak, PDFs in every script, the CLI.

Built on ``tests.report_world`` (four reviews taken to their final report). The
compilations are searched for every State's name, in each language the registry
and the shipped snapshot hold, and for every ISO code; the search is shown able to
fail by compiling once without the redaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import importlib.resources
import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.checklist_world import NOW
from tests.cli_run import cli_clock, flat, run_cli
from tests.report_world import open_copy, open_report_world
from tests.vault_world import World
from untoc_adapters import reports
from untoc_adapters.cli.main import app
from untoc_adapters.render.messages import catalog, word
from untoc_core.confidentiality import AccessDenied
from untoc_core.reports import compiled
from untoc_core.reports.names import code_pattern, mentions
from untoc_core.reports.publication import LANGUAGES

TODAY = dt.date(2026, 7, 1)
SCRIPTS = {
    "ar": r"[\u0600-\u06ff]",
    "zh": r"[\u4e00-\u9fff]",
    "ru": r"[\u0400-\u04ff]",
    "en": r"[A-Za-z]",
    "fr": r"[A-Za-zéèàç]",
    "es": r"[A-Za-záéíóñ]",
}


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("reports")
    open_report_world(base).close()
    return base


@pytest.fixture
def world(world_dir: Path, tmp_path: Path) -> Iterator[World]:
    opened = open_copy(world_dir, tmp_path / "data")
    yield opened
    opened.close()


def every_name(world: World) -> tuple[set[str], set[str]]:
    """Every State name (the world's registry and the shipped snapshot), every code."""
    names = {
        n
        for e in world.vault.mechanism.registry().entries.values()
        for n in e.names.values()
    }
    codes = set(world.vault.mechanism.registry().entries)
    shipped = (
        importlib.resources.files("untoc_core.registry")
        .joinpath("data/states.csv")
        .read_text(encoding="utf-8")
    )
    for row in csv.DictReader(io.StringIO(shipped)):
        codes.add(row["iso3"])
        names.update(row[f"name_{x}"] for x in LANGUAGES if row.get(f"name_{x}"))
    return {n for n in names if n.strip()}, codes


def leaks(text: str, names: set[str], codes: set[str]) -> list[str]:
    """The names and codes that ``text`` holds."""
    found = [n for n in names if mentions(text, n)]
    found += [c for c in codes if code_pattern(c).search(text)]
    return sorted(found)


def compilations(world: World, language: str) -> list[str]:
    """The thematic report, both addenda and the expert group report, as text."""
    vault = world.vault
    documents = [
        reports.thematic_document(
            vault, "secretariat", 1, language=language, today=TODAY
        ),
        *(
            reports.thematic_document(
                vault, "secretariat", 1, language=language, today=TODAY, group=group
            )
            for group in ("African States", "Eastern European States")
        ),
        reports.expert_group_document(
            vault, "secretariat", 1, year=1, language=language, today=TODAY
        ),
    ]
    texts = []
    for document in documents:
        texts.append(word(document).text())
        texts.append(
            html.unescape(reports.render(document, reports.Format.HTML).decode())
        )
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_compilation_names_a_state(world: World, language: str) -> None:
    names, codes = every_name(world)
    texts = compilations(world, language)
    assert any("Recorded in 4 reviews" in t or "4" in t for t in texts)
    for text in texts:
        assert leaks(text, names, codes) == []


def test_the_search_finds_names_when_nothing_is_removed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def keep(text: str, *_: object) -> str:
        return text

    monkeypatch.setattr(compiled, "redact", keep)
    names, codes = every_name(world)
    found = {
        leak for text in compilations(world, "en") for leak in leaks(text, names, codes)
    }
    assert {"Freedonia", "FRD"} <= found


def test_a_finding_text_naming_states_is_redacted_in_every_form() -> None:
    text = (
        "Arcadia and ARCADIA-fr and Аркадия differ from ARC, not from ARCH; "
        "中国的法律 and l'Inde, not indépendant."
    )
    redacted = compiled.redact(
        text, ["Arcadia", "Arcadia-fr", "Аркадия", "中国", "Inde"], ["ARC"]
    )
    assert redacted == (
        "… and … and … differ from …, not from ARCH; …的法律 and l'…, not indépendant."
    )


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    result = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        ["/usr/bin/pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
    )
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_country_report_pdf_shows_its_script_in_order(
    world: World, tmp_path: Path, language: str
) -> None:
    document = reports.country_document(
        world.vault, "secretariat", "cycle-1/ARC", language=language, today=TODAY
    )
    text = _pdftotext(reports.render(document, reports.Format.PDF), tmp_path)
    assert len(re.findall(SCRIPTS[language], text)) > 200
    words = catalog(language)
    position = 0
    for section in ("I", "II", "III", "IV"):
        # The longest word of each heading, found after the one before it:
        # pdftotext may reorder the parts of an Arabic line around a dash.
        word_ = max(_letters(words.text(f"bp.{section}")).split(), key=len)
        found = _letters(text).find(word_, position)
        assert found >= 0, (section, word_)
        position = found + len(word_)


def _letters(text: str) -> str:
    """Letters and spaces only, without combining marks (Arabic vowel signs)."""
    kept = (c if c.isalnum() else " " for c in text if unicodedata.category(c) != "Mn")
    return " ".join("".join(kept).split())


def test_the_report_commands_write_documents_only_their_owner_reads(
    world_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(world_dir, data)
    cli_clock(monkeypatch, NOW)
    commands = [
        ("country", "cycle-1/ARC", "--format", "pdf"),
        ("summary", "cycle-1/ARC", "--format", "docx"),
        ("thematic", "1", "--format", "html", "--group", "African States"),
        ("expert-group", "1", "--year", "1", "--format", "docx"),
        ("performance", "1", "--format", "html"),
    ]
    for command in commands:
        out = (
            tmp_path
            / f"{command[0]}.{command[-1] if command[0] != 'thematic' else 'html'}"
        )
        code, _, err = run_cli(
            app,
            data,
            "report",
            *command,
            "--lang",
            "es",
            "--out",
            str(out),
            "--on",
            "2026-07-01",
        )
        assert code == 0, (command, err)
        assert out.stat().st_size > 1000
        assert out.stat().st_mode & 0o777 == 0o600
    code, _, err = run_cli(app, data, "report", "publish", "summary/cycle-1/ARC")
    assert code == 1
    assert "[ToR-35]" in flat(err)
    assert "ar (none)" in flat(err)
    code, _, err = run_cli(
        app, data, "report", "country", "cycle-1/ARC", "--lang", "de",
        "--format", "pdf", "--out", str(tmp_path / "de.pdf"),
    )  # fmt: skip
    assert code == 2
    assert "ToR 48" in flat(err)
    assert not (tmp_path / "de.pdf").exists()


def test_an_outsider_cannot_render_a_country_report(world: World) -> None:
    with pytest.raises(AccessDenied):
        reports.country_document(
            world.vault, "DYS", "cycle-1/ARC", language="en", today=TODAY
        )


def test_acronyms_flags_each_abbreviation_used_before_its_definition(
    tmp_path: Path,
) -> None:
    text = tmp_path / "desk-review.txt"
    text.write_text(
        "The MLA requests rose.\nMutual legal assistance (MLA) works; UNODC helps.\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(app, tmp_path / "data", "report", "acronyms", str(text))
    assert code == 1
    assert "line 1, column 5: MLA is used before it is defined" in flat(out)
    assert "line 2, column 38: UNODC" in flat(out)
    text.write_text(
        "Mutual legal assistance (MLA) works. MLA again.\n", encoding="utf-8"
    )
    code, out, _ = run_cli(app, tmp_path / "data", "report", "acronyms", str(text))
    assert code == 0
    assert "Every abbreviation is defined" in out
