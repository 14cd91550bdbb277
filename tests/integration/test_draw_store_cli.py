"""The recorded drawing of lots through ``untoc draw``, on real SQLite data dirs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_run import cli_clock, flat, json_of, run_cli, sqlite_data_dir
from tests.draw_mechanism import GROUPS, prepare
from untoc_adapters.cli.main import app
from untoc_adapters.clock import SimulatedClock

T0 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SimulatedClock:
    return cli_clock(monkeypatch, T0)


@pytest.fixture
def data_dir(tmp_path: Path, clock: SimulatedClock) -> Path:
    """A data folder with the States, a cycle of two years and a circulated list."""
    return sqlite_data_dir(tmp_path / "data", clock, prepare)


def untoc(data_dir: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(app, data_dir, *args)


def ceremony(data_dir: Path, clock: SimulatedClock, draw_id: str) -> str:
    """Announce a recorded draw (its hash from the store) and fix its seed."""
    name = f"drand round for {draw_id}"
    due = (clock.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%MZ")
    code, out, err = untoc(
        data_dir, "draw", "announce", draw_id, "--source", name, "--due", due,
        "--json",
    )  # fmt: skip
    assert code == 0, err
    announced = json_of(out)["announcement"]["inputs_sha256"]
    clock.advance(dt.timedelta(days=2))
    code, _, err = untoc(
        data_dir, "draw", "seed", draw_id, "--source", name, "--value", "ab" * 32
    )
    assert code == 0, err
    return str(announced)


def recorded(out: str) -> list[dict[str, Any]]:
    found = json_of(out)["recorded"]
    assert isinstance(found, list)
    return found


def test_a_cycle_is_drawn_redrawn_deferred_shown_and_checked(  # noqa: PLR0915 - one story
    data_dir: Path, clock: SimulatedClock
) -> None:
    code, out, _ = untoc(data_dir, "draw", "inputs", "cycle-1/years", "--json")
    assert code == 0
    inputs = json_of(out)
    assert len(inputs["inputs"]["parties"]) == 15
    assert ceremony(data_dir, clock, "cycle-1/years") == inputs["sha256"]

    code, out, err = untoc(data_dir, "draw", "years", "--cycle", "1")
    assert code == 0, err
    assert "Cycle 1: review years" in out
    code, _, err = untoc(data_dir, "draw", "years", "--cycle", "1")
    assert code == 1
    assert "[ToR-13b]" in flat(err)

    code, out, _ = untoc(data_dir, "draw", "show", "--cycle", "1", "--json")
    shown = json_of(out)
    year_1 = shown["review_years"]["1"]
    assert sorted(year_1 + shown["review_years"]["2"]) == sorted(
        c for codes in GROUPS.values() for c in codes
    )

    ceremony(data_dir, clock, "cycle-1/year-1/reviewers")
    code, out, err = untoc(
        data_dir, "draw", "reviewers", "--cycle", "1", "--year", "1", "--json"
    )
    assert code == 0, err
    (event,) = recorded(out)
    assert event["type"] == "draw.ReviewersDrawn"
    assert event["stream"] == "draw/cycle-1"
    assert len(event["event"]["picks"]) == 2 * len(year_1)
    # Lots drawn are a milestone: the log holds a signed checkpoint covering them.
    code, out, err = untoc(data_dir, "audit", "verify", "--json")
    assert code == 0, err
    logged = json.loads(out)
    assert logged["signed"] is True
    assert logged["unlogged"] == 0

    state = year_1[0]
    for _ in range(2):
        code, out, err = untoc(
            data_dir, "draw", "redraw", "--cycle", "1", "--year", "1",
            "--state", state.lower(),
        )  # fmt: skip
        assert code == 0, err
        assert f"Reviewers of {state} drawn again" in out
    code, _, err = untoc(
        data_dir, "draw", "redraw", "--cycle", "1", "--year", "1", "--state", state
    )
    assert code == 1
    assert "[ToR-19d]" in flat(err)
    code, out, err = untoc(
        data_dir, "draw", "authorise-redraw", "--cycle", "1", "--year", "1",
        "--state", state, "--reason", "the reviewers withdrew",
        "--decided-by", "decision 12/1 of the Conference",
    )  # fmt: skip
    assert code == 0, err
    assert "Repeated draw 3" in out
    code, out, err = untoc(
        data_dir, "draw", "redraw", "--cycle", "1", "--year", "1", "--state", state,
        "--json",
    )  # fmt: skip
    assert code == 0, err
    assert recorded(out)[0]["event"]["authorised_by"] == (
        "decision 12/1 of the Conference"
    )

    code, out, err = untoc(
        data_dir, "draw", "defer", "--cycle", "1", "--state", year_1[1],
        "--year", "1", "--serving", "--justification", "a national emergency",
    )  # fmt: skip
    assert code == 0, err
    assert f"{year_1[1]} does not serve as a reviewer in year 1" in out

    year_2 = shown["review_years"]["2"][0]
    code, _, err = untoc(
        data_dir, "draw", "defer", "--cycle", "1", "--state", year_2,
        "--justification", "elections",
    )  # fmt: skip
    assert code == 1
    assert "[ToR-14c]" in flat(err)

    code, out, _ = untoc(data_dir, "draw", "show", "--cycle", "1", "--year", "1")
    assert code == 0
    assert "Cycle 1, year 1: reviewers drawn" in flat(out)
    assert f"Does not serve in year 1: {year_1[1]} (deferred serving)" in flat(out)
    code, out, _ = untoc(
        data_dir, "draw", "show", "--cycle", "1", "--year", "1", "--json"
    )
    reviews = json_of(out)["years"]["1"]["reviews"]
    transcript = json_of(out)["transcript"]
    lots = [line["lot"] for line in transcript]
    assert lots.index("pick") == lots.count("shuffle")  # the years' shuffles first
    assert lots.count("pick") >= 2 * len(year_1) + 3 * 2  # the draw, three repeats
    assert {line["kind"] for line in transcript if line["lot"] == "pick"} == {
        "same-region",
        "other",
    }
    assert reviews[0]["under_review"] == state
    assert reviews[0]["redraws"] == 3
    assert reviews[0]["instruments"] == ["UNTOC"]
    assert all(year_1[1] not in r["reviewers"] for r in reviews)

    code, out, err = untoc(data_dir, "draw", "check", "--cycle", "1")
    assert code == 0, err
    assert "verify" in out
    code, out, _ = untoc(data_dir, "draw", "check", "--cycle", "1", "--json")
    assert json_of(out)["verified"] is True


def test_a_deferral_and_a_volunteer_are_recorded_before_the_draws(
    data_dir: Path, clock: SimulatedClock
) -> None:
    code, out, err = untoc(
        data_dir, "draw", "volunteer", "--cycle", "1", "--state", "wdy"
    )
    assert code == 0, err
    assert "WDY volunteers to be reviewed in cycle 1" in out
    code, _, err = untoc(
        data_dir, "draw", "volunteer", "--cycle", "1", "--state", "ARC"
    )
    assert code == 1
    assert "[ToR-57]" in flat(err)
    ceremony(data_dir, clock, "cycle-1/years")
    code, out, err = untoc(data_dir, "draw", "years", "--cycle", "1", "--json")
    assert code == 0, err
    pool = recorded(out)[0]["event"]["pool"]
    assert {"code": "WDY", "status": "signatory"}.items() <= next(
        p for p in pool if p["code"] == "WDY"
    ).items()
    code, out, _ = untoc(data_dir, "draw", "show", "--cycle", "1", "--json")
    first = json_of(out)["review_years"]["1"][0]
    code, out, err = untoc(
        data_dir, "draw", "defer", "--cycle", "1", "--state", first,
        "--justification", "general elections", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert recorded(out)[0]["event"] == {
        "cycle": 1,
        "code": first,
        "from_year": 1,
        "to_year": 2,
        "justification": "general elections",
    }


def test_a_hash_given_for_a_recorded_draw_must_be_its_inputs(
    data_dir: Path, clock: SimulatedClock
) -> None:
    due = (clock.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%MZ")
    code, _, err = untoc(
        data_dir, "draw", "announce", "cycle-1/years", "--inputs-sha256", "cd" * 32,
        "--source", "drand round 1", "--due", due,
    )  # fmt: skip
    assert code == 1
    assert "[ToR-5] the inputs of draw 'cycle-1/years' hash to" in flat(err)
    code, out, _ = untoc(data_dir, "draw", "ceremony", "cycle-1/years", "--json")
    assert json_of(out)["status"] == "not_announced"
    code, out, _ = untoc(data_dir, "draw", "inputs", "cycle-1/years", "--json")
    digest = json_of(out)["sha256"]
    code, _, err = untoc(
        data_dir, "draw", "announce", "cycle-1/years", "--inputs-sha256", digest,
        "--source", "drand round 1", "--due", due,
    )  # fmt: skip
    assert code == 0, err


def test_the_draws_refuse_without_a_seed_or_out_of_order(data_dir: Path) -> None:
    code, _, err = untoc(data_dir, "draw", "years", "--cycle", "1")
    assert code == 1
    assert "[ToR-5]" in flat(err)
    assert "untoc draw announce cycle-1/years" in flat(err)
    code, _, err = untoc(data_dir, "draw", "reviewers", "--cycle", "1", "--year", "1")
    assert code == 1
    assert "[ToR-14b]" in flat(err)
    code, _, err = untoc(data_dir, "draw", "inputs", "audit/sample")
    assert code == 1
    assert "not a draw the mechanism records" in flat(err)
    code, out, _ = untoc(data_dir, "draw", "show", "--cycle", "1")
    assert code == 0
    assert "The review years of cycle 1 are not drawn yet." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["defer", "--cycle", "1", "--state", "ARC", "--serving"], "--serving needs"),
        (
            ["defer", "--cycle", "1", "--state", "ARC", "--year", "1"],
            "--year goes with",
        ),
        (
            ["redraw", "--cycle", "1", "--year", "1", "--state", "ARC",
             "--exceptional-reason", "war"],
            "--decided-by",
        ),
        (["years", "--cycle", "0"], "--cycle"),
        (
            ["announce", "audit/x", "--source", "x", "--due", "2030-01-01T00:00Z"],
            "--inputs",
        ),
    ],
)  # fmt: skip
def test_usage_errors_exit_2(data_dir: Path, args: list[str], message: str) -> None:
    code, _, err = untoc(data_dir, "draw", *args)
    assert code == 2
    assert message in flat(err)


def test_a_draw_on_the_shipped_snapshot_needs_the_stale_data_accepted(
    tmp_path: Path, clock: SimulatedClock
) -> None:
    assert untoc(tmp_path, "init")[0] == 0
    code, _, err = untoc(
        tmp_path, "conference", "adopt-default", "--decision", "resolution 5/5",
        "--adopted-on", "2010-10-22", "--starts-on", "2027-01-01",
    )  # fmt: skip
    assert code == 0, err
    due = (clock.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%MZ")
    code, _, err = untoc(
        tmp_path, "draw", "announce", "cycle-1/years", "--source", "drand round 9",
        "--due", due,
    )  # fmt: skip
    assert code == 0, err
    assert "--accept-stale-registry" in flat(err)
    clock.advance(dt.timedelta(days=2))
    untoc(
        tmp_path, "draw", "seed", "cycle-1/years", "--source", "drand round 9",
        "--value", "ab" * 32,
    )  # fmt: skip
    code, _, err = untoc(tmp_path, "draw", "years", "--cycle", "1")
    assert code == 1
    assert "Protocol membership" in flat(err)
    assert "--accept-stale-registry" in flat(err)
    code, out, err = untoc(
        tmp_path, "draw", "years", "--cycle", "1", "--accept-stale-registry"
    )
    assert code == 0, err
    assert "Drawn on stale reference data, accepted" in flat(out)
    code, out, _ = untoc(tmp_path, "draw", "show", "--cycle", "1", "--json")
    drawn = json_of(out)["review_years_drawn"]
    assert drawn["stale_registry_accepted"] is True
    assert len(drawn["pool"]) == 193
    assert sum(len(v) for v in json_of(out)["review_years"].values()) == 193
