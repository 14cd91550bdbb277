"""``untoc demo`` end to end: what it writes, what it keeps secret, what it repeats.

The demo runs twice from the default seed in two folders (once through the
command line); the runs are compared, and every byte the store wrote is searched
for the confidential texts the demo sealed.
"""

from __future__ import annotations

import csv
import html
import importlib.resources
import io
import json
import re
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from tests.cli_run import flat, run_cli
from untoc_adapters.bootstrap import open_mechanism
from untoc_adapters.cli.main import app
from untoc_adapters.demo import DEFAULT_SEED, Demo, Outcome, language_of
from untoc_adapters.render.messages import catalog
from untoc_adapters.settings import Settings
from untoc_core.reports.names import code_pattern, mentions
from untoc_core.reports.publication import LANGUAGES


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, Path, str]:
    """One demo run in code (its outcome), one through the CLI (its output)."""
    first = tmp_path_factory.mktemp("demo-a")
    outcome = Demo(first, seed=DEFAULT_SEED).run()
    second = tmp_path_factory.mktemp("demo-b")
    code, out, err = run_cli(app, second, "demo")
    assert code == 0, err
    return outcome, second, out


def test_the_demo_reviews_every_party_and_the_audit_holds(
    runs: tuple[Outcome, Path, str],
) -> None:
    outcome, _, printed = runs
    assert outcome.figures["country reviews"] == outcome.figures["States parties"]
    assert outcome.figures["country reviews"] > 150
    assert outcome.audit_ok
    assert outcome.controls_passed == outcome.controls > 0
    assert "States parties by regional group and instrument" in printed
    assert "as of 2014-01-27" in printed  # the stale blocks are shown with their dates
    assert "STALE" in printed
    assert "Audit: integrity of" in flat(printed)
    assert "holds" in flat(printed)
    assert "Written under" in flat(printed)


def test_it_writes_every_document_promised(runs: tuple[Outcome, Path, str]) -> None:
    outcome, _, _ = runs
    out = outcome.data_dir / "out"
    country = sorted((out / "country").glob("*.docx"))
    assert len(country) == outcome.figures["country reviews"]
    assert len(list((out / "country").glob("*.html"))) == len(country)
    pdfs = sorted((out / "country").glob("*.pdf"))
    assert len(pdfs) >= 3
    assert len({language_of(p.stem) for p in pdfs}) >= 3
    for document in country[:3]:
        headings = [
            p.text
            for p in docx.Document(str(document)).paragraphs
            if p.style is not None and p.style.name == "Heading 1"
        ]
        assert len(headings) == 4
    summaries = list((out / "summaries").glob("*.html"))
    assert len(summaries) == len(country) * len(LANGUAGES)
    for language in LANGUAGES:
        assert (out / "thematic" / f"cycle-1.{language}.html").stat().st_size > 0
        assert len(list((out / "checklist").glob(f"*.{language}.xlsx"))) == 1
    assert len(list((out / "expert-group").glob("*.docx"))) == 5
    assert (out / "performance" / "cycle-1.en.pdf").stat().st_size > 0
    assert (out / "cycle-1.png").stat().st_size > 0
    assert (out / "cycle-1.svg").stat().st_size > 0
    ics = (out / "cycle-1.ics").read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") > len(country) * 5
    for workbook in (out / "checklist").glob("*.xlsx"):
        assert load_workbook(workbook).sheetnames
    report = json.loads((out / "audit" / "report.json").read_text(encoding="utf-8"))
    assert report["integrity"]["ok"] is True
    label = catalog("fr").text("doc.synthetic")
    french = next((out / "summaries").glob("*.fr.html")).read_text(encoding="utf-8")
    assert label in html.unescape(french)


def _shipped_names() -> tuple[set[str], set[str]]:
    """Every State's name in the six languages, and every code, of the snapshot."""
    shipped = (
        importlib.resources.files("untoc_core.registry")
        .joinpath("data/states.csv")
        .read_text(encoding="utf-8")
    )
    names: set[str] = set()
    codes: set[str] = set()
    for row in csv.DictReader(io.StringIO(shipped)):
        codes.add(row["iso3"])
        names.update(row[f"name_{x}"] for x in LANGUAGES if row.get(f"name_{x}"))
    return {n for n in names if n.strip()}, codes


def test_the_compilations_of_the_cycle_name_no_state(
    runs: tuple[Outcome, Path, str],
) -> None:
    outcome, _, _ = runs
    out = outcome.data_dir / "out"
    names, codes = _shipped_names()
    files = [*(out / "thematic").glob("*.html"), *(out / "expert-group").glob("*.html")]
    assert len(files) == len(LANGUAGES) + 5 + 5  # six languages, five addenda, years
    # Language names are not State names, though Chinese words some alike
    # (西班牙文, Spanish; 西班牙, Spain): they are left out of the search.
    languages = sorted(
        {catalog(x).text(f"language.{y}") for x in LANGUAGES for y in LANGUAGES},
        key=len,
        reverse=True,
    )
    for path in files:
        text = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
        for language in languages:
            text = text.replace(language, " ")
        found = [n for n in names if mentions(text, n)]
        found += [c for c in codes if code_pattern(c).search(text)]
        assert found == [], path.name
    # the search finds a State where one is named: a country review report
    country = next((out / "country").glob("*.html")).read_text(encoding="utf-8")
    assert [n for n in names if mentions(html.unescape(country), n)]


def _store_bytes(data_dir: Path) -> bytes:
    """Every file the store wrote: all but ``out/`` and the key folders."""
    kept = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if not path.is_file() or relative.parts[0] in {"out", "keys", "principals"}:
            continue
        kept.append(path.read_bytes())
    return b"\n".join(kept)


def test_no_confidential_text_is_in_the_store_in_clear(
    runs: tuple[Outcome, Path, str],
) -> None:
    outcome, _, _ = runs
    stored = _store_bytes(outcome.data_dir)
    assert len(stored) > 1_000_000
    assert len(outcome.confidential) > 300
    leaked = [t for t in outcome.confidential if t.encode("utf-8") in stored]
    assert leaked == []
    # the search can find what is there: a stakeholder is recorded in clear
    assert b"legislation" in stored


def test_two_runs_from_one_seed_draw_and_write_the_same(
    runs: tuple[Outcome, Path, str],
) -> None:
    outcome, second, _ = runs
    first_out, second_out = outcome.data_dir / "out", second / "out"
    for relative in ("thematic/cycle-1.en.html", "expert-group/cycle-1.year-1.en.html"):
        a = (first_out / relative).read_text(encoding="utf-8")
        b = (second_out / relative).read_text(encoding="utf-8")
        assert a == b, relative
    for path in sorted((first_out / "country").glob("*.html"))[:20]:
        other = second_out / "country" / path.name
        assert path.read_text(encoding="utf-8") == other.read_text(encoding="utf-8")
    transcripts = []
    for data_dir in (outcome.data_dir, second):
        mechanism = open_mechanism(Settings(data_dir=data_dir, store="sqlite"))
        try:
            transcripts.append(
                (
                    mechanism.transcript(1),
                    mechanism.review_years(1),
                    mechanism.reviewers(1, 5),
                )
            )
        finally:
            mechanism.store.close()
    assert transcripts[0] == transcripts[1]
    assert len(transcripts[0][0]) > 190


def test_a_folder_that_is_not_empty_is_refused_without_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run_cli(app, tmp_path, "demo")
    assert code == 1
    assert "is not empty" in flat(err)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_seed_that_is_not_hex_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run_cli(app, tmp_path / "d", "demo", "--seed", "not-a-seed")
    assert code == 2
    assert "hexadecimal" in flat(err)
