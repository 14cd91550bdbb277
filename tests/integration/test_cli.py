"""The ``untoc`` command line, end to end on the embedded SQLite default."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from tests.cli_run import flat, run_cli
from untoc_adapters.cli.main import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]

ARCADIA_CSV = (
    "iso3,name_en,untoc_status,un_regional_group,tip\n"
    "ARC,Arcadia,party,African States,party\n"
    "BRD,Borduria,signatory,Eastern European States,\n"
)


def untoc(data_dir: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(app, data_dir, *args)


def registry_positions(data_dir: Path) -> int:
    code, out, _ = untoc(data_dir, "parties", "list", "--json")
    assert code == 0
    version = json.loads(out)["registry_version"]
    assert isinstance(version, int)
    return version


def test_parties_list_json_is_one_document_with_every_entry(tmp_path: Path) -> None:
    untoc(tmp_path, "init")
    code, out, _ = untoc(tmp_path, "parties", "list", "--json")
    assert code == 0
    document = json.loads(out)
    assert len(document["entries"]) == 198
    alb = next(e for e in document["entries"] if e["code"] == "ALB")
    assert alb["instruments"]["UNTOC"]["status"] == "party"
    assert alb["names"]["fr"] == "Albanie"


def test_parties_list_filters_by_group_and_status(tmp_path: Path) -> None:
    untoc(tmp_path, "init")
    code, out, _ = untoc(tmp_path, "parties", "list", "--json", "--status", "signatory")
    assert code == 0
    assert {e["code"] for e in json.loads(out)["entries"]} == {"COG", "IRN"}
    code, out, _ = untoc(tmp_path, "parties", "list", "--json", "--group", "weog")
    assert {e["regional_group"] for e in json.loads(out)["entries"]} == {
        "Western European and other States"
    }


def test_a_malformed_registry_file_is_refused_naming_row_and_column(
    tmp_path: Path,
) -> None:
    untoc(tmp_path, "init")
    before = registry_positions(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "iso3,name_en,untoc_status,untoc_date\n"
        "ARC,Arcadia,party,2001-02-03\n"
        "BRD,Borduria,party,2001-13-40\n"
        "C1,Carpathia,maybe,\n",
        encoding="utf-8",
    )
    code, _, err = untoc(tmp_path, "parties", "import", str(bad))
    assert code == 1
    assert "row 3, column 'untoc_date'" in err
    assert "row 4, column 'iso3'" in err
    assert "row 4, column 'untoc_status'" in err
    assert "nothing was recorded" in err
    assert registry_positions(tmp_path) == before
    code, _, err = untoc(tmp_path, "parties", "show", "ARC", "--json")
    assert code == 1
    assert "no State with code 'ARC'" in err


def test_a_good_registry_file_is_imported(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(ARCADIA_CSV, encoding="utf-8")
    code, out, _ = untoc(tmp_path, "parties", "import", str(good), "--json")
    assert code == 0
    assert json.loads(out)["rows"] == 2
    code, out, _ = untoc(tmp_path, "parties", "show", "arc", "--json")
    assert json.loads(out)["instruments"]["TIP"]["status"] == "party"


def test_experts_are_nominated_searched_and_circulated(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(ARCADIA_CSV, encoding="utf-8")
    untoc(tmp_path, "parties", "import", str(good))
    code, out, _ = untoc(
        tmp_path, "experts", "nominate", "ARC", "--name", "Ada Arcadian",
        "--expertise", "Mutual legal assistance", "--instrument", "TIP",
    )  # fmt: skip
    assert code == 0
    expert_id = out.strip()
    code, out, _ = untoc(tmp_path, "experts", "list", "--instrument", "tip", "--json")
    assert [x["expert_id"] for x in json.loads(out)["experts"]] == [expert_id]
    code, out, _ = untoc(tmp_path, "experts", "list", "--expertise", "legal", "--json")
    assert len(json.loads(out)["experts"]) == 1
    code, out, _ = untoc(tmp_path, "experts", "circulate", "--on", "2026-02-01")
    assert code == 0
    code, out, _ = untoc(tmp_path, "experts", "list", "--json")
    assert json.loads(out)["last_circulated_on"] == "2026-02-01"


def test_a_signatory_cannot_nominate_experts(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(ARCADIA_CSV, encoding="utf-8")
    untoc(tmp_path, "parties", "import", str(good))
    code, _, err = untoc(tmp_path, "experts", "nominate", "BRD", "--name", "Boris")
    assert code == 1
    assert "[ToR-57]" in err


def test_the_conference_default_distribution_is_recorded_and_shown(
    tmp_path: Path,
) -> None:
    untoc(tmp_path, "init")
    code, _, _ = untoc(
        tmp_path, "conference", "adopt-default", "--decision", "resolution 5/5",
        "--adopted-on", "2010-10-22", "--starts-on", "2027-01-01",
    )  # fmt: skip
    assert code == 0
    code, out, _ = untoc(tmp_path, "conference", "show", "--json")
    cycles = json.loads(out)["cycles"]
    assert [(c["cycle"], c["years"], c["starts_on"]) for c in cycles] == [
        (1, 5, "2027-01-01"),
        (2, 5, "2032-01-01"),
    ]
    code, out, _ = untoc(tmp_path, "conference", "phase-status", "1", "--json")
    status = json.loads(out)
    assert status["complete"] is False
    assert "UNTOC 5" in status["remaining"]["ALB"]


def test_provisions_coverage_lists_covered_and_uncovered(tmp_path: Path) -> None:
    features = tmp_path / "features"
    features.mkdir()
    (features / "x.feature").write_text(
        "@ToR-21\nFeature: roster\n  Scenario: limit\n    Given a\n\n"
        "  @ToR-99z\n  Scenario: unknown\n    Given b\n",
        encoding="utf-8",
    )
    code, out, _ = untoc(
        tmp_path, "provisions", "coverage", "--features", str(features), "--json"
    )
    assert code == 0
    document = json.loads(out)
    assert list(document["covered"]) == ["ToR-21"]
    assert "ToR-19c" in document["uncovered"]
    assert "ToR-99z" in document["unknown_tags"]
    code, _, _ = untoc(
        tmp_path, "provisions", "coverage", "--features", str(features), "--strict"
    )
    assert code == 1


def test_an_unknown_store_adapter_is_an_error_listing_the_known_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNTOC_STORE", "oracle")
    code, _, err = untoc(tmp_path, "init")
    assert code == 1
    assert "unknown untoc.event_store adapter 'oracle'" in err
    assert "memory, postgres, sqlite" in err


def test_usage_errors_exit_with_code_2(tmp_path: Path) -> None:
    assert untoc(tmp_path, "experts", "circulate", "--on", "1 March")[0] == 2
    assert untoc(tmp_path, "parties", "list", "--group", "atlantis")[0] == 2
    assert untoc(tmp_path, "no-such-command")[0] == 2


def test_version_is_printed(tmp_path: Path) -> None:
    code, out, _ = untoc(tmp_path, "--version")
    assert code == 0
    assert out.startswith("untoc ")


def test_conference_decisions_are_recorded_one_by_one(tmp_path: Path) -> None:
    untoc(tmp_path, "init")
    decided = ("--decision", "decision 11/1", "--adopted-on", "2022-10-21")
    steps = [
        ("define-cluster", "mla", "--title", "Mutual legal assistance",
         "--article", "UNTOC 18", "--article", "UNTOC 19"),
        ("establish-phase", "1", "--title", "First phase"),
        ("establish-cycle", "1", "--phase", "1", "--starts-on", "2023-01-01",
         "--years", "2", "--cluster", "mla",
         "--parties-per-year", "90", "--parties-per-year", "103"),
        ("grant-exception", "--kind", "early_cycle", "--cycle", "1",
         "--reason", "pandemic delays"),
        ("record-decision", "--subject", "funding", "--text", "Extra meetings funded"),
    ]  # fmt: skip
    for step in steps:
        code, _, err = untoc(tmp_path, "conference", *step, *decided)
        assert code == 0, err
    code, out, _ = untoc(tmp_path, "conference", "show", "--json")
    shown = json.loads(out)
    assert shown["cycles"][0]["articles"] == ["UNTOC 18", "UNTOC 19"]
    assert shown["cycles"][0]["parties_per_year"] == [90, 103]
    assert shown["exceptions"] == [
        {"kind": "early_cycle", "cycle": 1, "reason": "pandemic delays"}
    ]


def test_a_cluster_naming_a_missing_article_is_refused_citing_res_8d(
    tmp_path: Path,
) -> None:
    code, _, err = untoc(
        tmp_path, "conference", "define-cluster", "x", "--title", "X",
        "--article", "TIP 99", "--decision", "d", "--adopted-on", "2022-10-21",
    )  # fmt: skip
    assert code == 1
    assert "[RES-8d] no such article: TIP 99" in err
    code, out, _ = untoc(tmp_path, "conference", "show", "--json")
    assert json.loads(out)["clusters"] == {}


# -- bad store settings are errors, not tracebacks -----------------------------


def test_a_data_dir_that_is_a_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    file = tmp_path / "somefile"
    file.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["--data-dir", str(file), "init"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: ")
    assert str(file) in result.stderr


def test_a_store_url_that_is_not_sqlite_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("not a database\n" * 100, encoding="utf-8")
    monkeypatch.setenv("UNTOC_STORE_URL", str(file))
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "init"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "error: cannot open the SQLite store" in result.stderr
    assert str(file) in result.stderr


def test_an_unreachable_postgres_store_is_an_error_without_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("UNTOC_STORE", "postgres")
    monkeypatch.setenv(
        "UNTOC_STORE_URL", f"postgresql://postgres:hunter2@127.0.0.1:{port}/test"
    )
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "init"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: cannot connect to the postgres store")
    assert f"postgresql://postgres:***@127.0.0.1:{port}/test" in result.stderr
    assert "hunter2" not in result.stderr


# -- data is shown as it is, never read as Rich markup -------------------------

MARKUP_CSV = "iso3,name_en,untoc_status\nARC,Arcadia [/x],party\n"


def test_data_with_square_brackets_is_shown_as_it_is(tmp_path: Path) -> None:
    csv = tmp_path / "arc.csv"
    csv.write_text(MARKUP_CSV, encoding="utf-8")
    code, out, err = untoc(tmp_path, "parties", "import", str(csv))
    assert code == 0, err
    code, out, err = untoc(tmp_path, "parties", "list")
    assert code == 0, err
    assert "Arcadia [/x]" in out
    code, out, err = untoc(tmp_path, "parties", "show", "ARC")
    assert code == 0, err
    assert "Arcadia [/x] (ARC)" in out
    assert "name [en]: Arcadia [/x]" in out
    code, out, err = untoc(
        tmp_path, "experts", "nominate", "ARC", "--name", "[/b]",
        "--position", "[red]", "--expertise", "[/x]",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = untoc(tmp_path, "experts", "list")
    assert code == 0, err
    assert "│ [/b]" in out
    assert "│ [red]" in out
    assert "│ [/x]" in out
    code, _, err = untoc(tmp_path, "parties", "show", "[/x]")
    assert code == 1
    assert "no State with code '[/x]'" in err


def test_a_cluster_title_with_square_brackets_is_shown_as_it_is(
    tmp_path: Path,
) -> None:
    untoc(tmp_path, "init")
    decided = ("--decision", "decision [/d]", "--adopted-on", "2022-10-21")
    steps = [
        ("define-cluster", "mla", "--title", "Assistance [/x]",
         "--article", "UNTOC 18"),
        ("establish-phase", "1", "--title", "First phase"),
        ("establish-cycle", "1", "--phase", "1", "--starts-on", "2023-01-01",
         "--years", "2", "--cluster", "mla"),
    ]  # fmt: skip
    for step in steps:
        code, _, err = untoc(tmp_path, "conference", *step, *decided)
        assert code == 0, err
    code, out, err = untoc(tmp_path, "conference", "show")
    assert code == 0, err
    assert "Assistance [/x]" in out


def test_a_scenario_name_with_square_brackets_is_shown_as_it_is(
    tmp_path: Path,
) -> None:
    features = tmp_path / "features"
    features.mkdir()
    (features / "x.feature").write_text(
        "@ToR-21\nFeature: roster\n  Scenario: limit [/x]\n    Given a\n",
        encoding="utf-8",
    )
    code, out, err = untoc(
        tmp_path, "provisions", "coverage", "--features", str(features)
    )
    assert code == 0, err
    assert "limit [/x]" in out


# -- --out FILE ------------------------------------------------------------------


def _commands_with(option: str) -> list[str]:
    """The full names of the commands that take ``option``, e.g. 'parties list'."""
    found: list[str] = []

    def walk(command: Any, path: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])
        if any(option in getattr(p, "opts", ()) for p in command.params):
            found.append(" ".join(path))

    walk(typer.main.get_command(app), [])
    return sorted(found)


CONTENT_OUT = {
    "checklist export",
    "report country",
    "report summary",
    "report thematic",
    "report expert-group",
    "report performance",
    "material read",
    "material published",
    "audit report",
    "audit cosign",
    "audit witness-key",
}
"""Commands whose ``--out`` receives something else than a JSON document: the
material read, a checklist workbook, a report, the folder of the auditor's report,
a cosigned note, a key file."""


def test_every_command_with_json_also_writes_it_to_a_file_and_says_so() -> None:
    with_json = _commands_with("--json")
    assert "parties list" in with_json
    assert with_json == [c for c in _commands_with("--out") if c not in CONTENT_OUT]
    docs = (REPO / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    sections = {
        block.partition("\n")[0].strip(): block for block in docs.split("### untoc ")
    }
    for command in with_json:
        assert "--out FILE" in sections[command], command


@pytest.mark.parametrize(
    "args",
    [
        ("parties", "list"),
        ("parties", "show", "ALB"),
        ("experts", "list"),
        ("conference", "show"),
        ("conference", "phase-status", "1"),
    ],
)
def test_out_writes_the_json_document_to_the_file(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    untoc(tmp_path, "init")
    untoc(
        tmp_path, "conference", "adopt-default", "--decision", "resolution 5/5",
        "--adopted-on", "2010-10-22", "--starts-on", "2027-01-01",
    )  # fmt: skip
    code, expected, _ = untoc(tmp_path, *args, "--json")
    assert code == 0
    target = tmp_path / "out.json"
    code, out, err = untoc(tmp_path, *args, "--out", str(target))
    assert code == 0, err
    assert out == ""
    assert err.strip() == f"JSON written to {target}"
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(expected)


def test_out_works_for_import_and_coverage(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(ARCADIA_CSV, encoding="utf-8")
    target = tmp_path / "import.json"
    code, out, err = untoc(
        tmp_path, "parties", "import", str(good), "--out", str(target)
    )
    assert code == 0, err
    assert out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["rows"] == 2
    features = tmp_path / "features"
    features.mkdir()
    (features / "x.feature").write_text(
        "@ToR-21\nFeature: é\n  Scenario: ü\n    Given a\n", encoding="utf-8"
    )
    target = tmp_path / "coverage.json"
    code, out, err = untoc(
        tmp_path, "provisions", "coverage", "--features", str(features),
        "--out", str(target), "--strict",
    )  # fmt: skip
    assert code == 1  # --strict still fails, after the document is written
    assert out == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert list(document["covered"]) == ["ToR-21"]


def test_out_into_a_missing_folder_is_a_usage_error_before_any_work(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    code, _, err = untoc(
        data, "parties", "list", "--out", str(tmp_path / "nowhere" / "x.json")
    )
    assert code == 2
    assert "does not exist" in flat(err)
    assert not data.exists()
    code, _, err = untoc(data, "parties", "list", "--out", str(tmp_path))
    assert code == 2
    assert "is a folder" in flat(err)


# -- output layout ---------------------------------------------------------------


def test_the_experts_table_shows_each_id_whole(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(ARCADIA_CSV, encoding="utf-8")
    untoc(tmp_path, "parties", "import", str(good))
    code, expert_id, _ = untoc(
        tmp_path, "experts", "nominate", "ARC",
        "--name", "Ada Arcadian-Borduria of the Northern Provinces",
        "--position", "Chief prosecutor of the Arcadian national office",
        "--expertise", "Mutual legal assistance and extradition",
        "--instrument", "TIP", "--instrument", "SOM",
    )  # fmt: skip
    assert code == 0
    code, out, _ = untoc(tmp_path, "experts", "list")
    assert code == 0
    assert expert_id.strip() in out


def test_long_lines_are_not_hard_wrapped_when_piped(tmp_path: Path) -> None:
    data = tmp_path / ("a-rather-long-folder-name-" * 4) / "untoc-data"
    code, out, _ = untoc(data, "init")
    assert code == 0
    assert len(str(data)) > 80
    assert str(data) in out
    assert len(out.strip().splitlines()) == 1


# -- inputs are checked before the store is opened -----------------------------


def test_a_missing_file_is_named_and_no_store_is_created(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, _, err = untoc(data, "parties", "import", str(tmp_path / "nosuch.csv"))
    assert code == 1
    assert "nosuch.csv: no such file" in err
    assert not data.exists()


def test_a_bad_file_is_refused_before_the_store_is_opened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "bad.csv"
    bad.write_text("iso3,name_en,untoc_status\nC1,Carpathia,maybe\n", encoding="utf-8")
    code, _, err = untoc(data, "parties", "import", str(bad))
    assert code == 1
    assert "row 2, column 'iso3'" in err
    assert not data.exists()
    latin = tmp_path / "latin.csv"
    latin.write_bytes("iso3,name_en,untoc_status\nCIV,Côte,party\n".encode("latin-1"))
    code, _, err = untoc(data, "parties", "import", str(latin))
    assert code == 1
    assert "not UTF-8 text" in err
    assert not data.exists()


# -- error messages ----------------------------------------------------------------


def test_a_date_that_does_not_exist_is_called_so(tmp_path: Path) -> None:
    code, _, err = untoc(tmp_path, "experts", "circulate", "--on", "2026-02-30")
    assert code == 2
    assert "the date '2026-02-30' does not exist" in flat(err)
    assert "of the form" not in err
    code, _, err = untoc(tmp_path, "experts", "circulate", "--on", "1 March")
    assert code == 2
    assert "'1 March' is not a date of the form YYYY-MM-DD" in flat(err)


def test_status_non_party_is_an_alias_of_none(tmp_path: Path) -> None:
    untoc(tmp_path, "init")
    code, out, _ = untoc(tmp_path, "parties", "list", "--json", "--status", "none")
    assert code == 0
    neither = {e["code"] for e in json.loads(out)["entries"]}
    assert "PNG" in neither
    code, out, _ = untoc(tmp_path, "parties", "list", "--json", "--status", "non-party")
    assert code == 0
    assert {e["code"] for e in json.loads(out)["entries"]} == neither
    code, _, err = untoc(tmp_path, "parties", "list", "--status", "observer")
    assert code == 2
    assert "use one of party, signatory, none, non-party" in flat(err)
