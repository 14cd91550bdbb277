"""The ``untoc`` command line, end to end on the embedded SQLite default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from untoc_adapters.cli.main import app

runner = CliRunner()

ARCADIA_CSV = (
    "iso3,name_en,untoc_status,un_regional_group,tip\n"
    "ARC,Arcadia,party,African States,party\n"
    "BRD,Borduria,signatory,Eastern European States,\n"
)


def untoc(data_dir: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.stdout, result.stderr


def registry_positions(data_dir: Path) -> int:
    code, out, _ = untoc(data_dir, "parties", "list", "--json")
    assert code == 0
    version = json.loads(out)["registry_version"]
    assert isinstance(version, int)
    return version


def test_demo_prints_the_registry_summary_with_as_of_dates(tmp_path: Path) -> None:
    code, out, _ = untoc(tmp_path, "demo")
    assert code == 0
    assert "States parties by regional group and instrument" in out
    assert "193" in out  # parties to the Convention in the shipped snapshot
    assert "as of 2014-01-27" in out
    assert "STALE" in out
    assert (tmp_path / "events.sqlite3").is_file()


def test_running_the_demo_twice_records_nothing_new(tmp_path: Path) -> None:
    untoc(tmp_path, "demo")
    version = registry_positions(tmp_path)
    code, out, _ = untoc(tmp_path, "demo")
    assert code == 0
    assert "0 changes recorded" in out
    assert registry_positions(tmp_path) == version


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
