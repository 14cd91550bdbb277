"""``untoc review`` and ``untoc cycle`` on a SQLite data dir with real draws."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.cli_run import cli_clock, json_of, run_cli, sqlite_data_dir
from tests.draw_mechanism import hold_ceremony, prepare
from untoc_adapters.cli.main import app
from untoc_adapters.clock import SimulatedClock
from untoc_core import Mechanism
from untoc_core.reviews import events as ev

T0 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 2, 1)
"""The clock's day once the history is recorded: the default as-of day."""
DRAWN = dt.date(2025, 11, 7)
"""The day the year-1 reviewers are drawn (two ceremonies of two days after T0)."""
NOTIFIED = dt.date(2025, 11, 20)
STARTED = dt.date(2025, 12, 1)
FOCAL_POINT = dt.date(2025, 12, 20)
CHECKLIST = dt.date(2026, 1, 10)


class World:
    """The ids of the two reviews the history opens, in draw order."""

    first: str = ""
    second: str = ""
    codes: tuple[str, ...] = ()


def record_history(mechanism: Mechanism, clock: SimulatedClock, world: World) -> None:
    """Draw cycle 1's years and year-1 reviewers; open two reviews; record steps."""
    prepare(mechanism)
    hold_ceremony(mechanism, clock, "cycle-1/years")
    mechanism.draw_review_years(1)
    hold_ceremony(mechanism, clock, "cycle-1/year-1/reviewers")
    mechanism.draw_reviewers(1, 1)
    drawn = mechanism.reviewers(1, 1)
    world.first = f"cycle-1/{drawn[0].under_review}"
    world.second = f"cycle-1/{drawn[1].under_review}"
    world.codes = (drawn[0].under_review, *drawn[0].reviewers)
    mechanism.open_review(world.first)
    mechanism.open_review(world.second)
    clock.advance(dt.datetime.combine(TODAY, T0.timetz()) - clock.now())
    party = drawn[0].under_review
    for actor, step in (
        (
            "secretariat",
            ev.OfficiallyNotified(on=NOTIFIED, start_date=STARTED, schedule=()),
        ),
        (party, ev.FocalPointAppointed(on=FOCAL_POINT, focal_point="Ms A. Focal")),
        (party, ev.ChecklistResponseSubmitted(on=CHECKLIST)),
    ):
        mechanism.record_step(world.first, step, actor=actor)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, World]:
    clock = cli_clock(monkeypatch, T0)
    found = World()
    data_dir = sqlite_data_dir(
        tmp_path / "data", clock, lambda m: record_history(m, clock, found)
    )
    return data_dir, found


def untoc(data_dir: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(app, data_dir, *args)


def json_list(out: str) -> list[Any]:
    document = json.loads(out)
    assert isinstance(document, list)
    return document


def by_provision(deadlines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["provision"]: d for d in deadlines}


def test_review_list_gives_every_opened_review_in_draw_order(
    world: tuple[Path, World],
) -> None:
    data_dir, w = world
    code, out, err = untoc(data_dir, "review", "list", "--json")
    assert code == 0, err
    reviews = json_list(out)
    assert [r["id"] for r in reviews] == [w.first, w.second]
    first = reviews[0]
    assert first == {
        "id": w.first,
        "cycle": "1",
        "year": 1,
        "under_review": w.codes[0],
        "reviewers": list(w.codes[1:]),
        "step": "ChecklistResponseSubmitted",
        "completed": False,
    }
    assert reviews[1]["step"] == "ReviewOpened"
    code, out, _ = untoc(data_dir, "review", "list", "--cycle", "1", "--json")
    assert code == 0
    assert json_list(out) == reviews
    code, _, err = untoc(data_dir, "review", "list", "--cycle", "9")
    assert code == 1
    assert "has not established cycle 9" in err
    code, out, _ = untoc(data_dir, "review", "list")
    assert code == 0
    assert w.first in out
    assert "ChecklistResponseSubmitted" in out


def test_review_timeline_gives_each_due_date_and_status(
    world: tuple[Path, World],
) -> None:
    data_dir, w = world
    code, out, err = untoc(data_dir, "review", "timeline", w.first, "--json")
    assert code == 0, err
    document = json_of(out)
    assert document["as_of"] == TODAY.isoformat()  # today by the clock
    lines = by_provision(document["deadlines"])
    expected = {
        "GL-12": ("2025-12-07", "met", 0),  # notified 2025-11-20
        "GL-13": ("2025-12-11", "met_late", 9),  # focal point 2025-12-20
        "GL-15a": ("2026-01-20", "met", 0),  # checklist 2026-01-10
        "GL-15b": ("2026-02-10", "due", 0),
        "GL-16": ("2025-12-20", "overdue", 43),  # no orientation call yet
        "GL-21": ("2026-02-10", "due", 0),
        "GL-23": (None, "pending", 0),
        "GL-29": (None, "pending", 0),
        "GL-30": ("2026-05-01", "due", 0),  # started 2025-12-01, 5 months
        "ToR-24": ("2026-06-01", "due", 0),
    }
    assert {
        p: (d["due"], d["status"], d["days_late"]) for p, d in lines.items()
    } == expected
    assert lines["GL-12"]["starts"] == DRAWN.isoformat()
    assert lines["GL-30"]["strength"] == "preferably"
    assert lines["GL-13"]["done"] == FOCAL_POINT.isoformat()

    code, out, _ = untoc(
        data_dir, "review", "timeline", w.first, "--as-of", "2025-12-15", "--json"
    )
    assert code == 0
    earlier = by_provision(json_of(out)["deadlines"])
    assert earlier["GL-15a"]["status"] == "due"  # the checklist came later
    assert earlier["GL-13"]["status"] == "overdue"
    assert earlier["GL-13"]["days_late"] == 4

    code, out, _ = untoc(data_dir, "review", "timeline", w.first)
    assert code == 0
    assert "2025-12-11" in out
    assert "met_late" in out
    code, _, err = untoc(data_dir, "review", "timeline", "cycle-1/WDY")
    assert code == 1
    assert "not open" in err
    code, _, _ = untoc(data_dir, "review", "timeline", w.first, "--as-of", "2026-2-1")
    assert code == 2


def test_review_due_merges_the_reviews_by_due_date_within_the_window(
    world: tuple[Path, World],
) -> None:
    data_dir, w = world
    code, out, err = untoc(data_dir, "review", "due", "--within", "10", "--json")
    assert code == 0, err
    document = json_of(out)
    assert document["as_of"] == TODAY.isoformat()
    assert document["within_days"] == 10
    found = [(d["review"], d["provision"], d["due"]) for d in document["deadlines"]]
    assert found == [
        (w.second, "GL-12", "2025-12-07"),  # overdue: never notified
        (w.first, "GL-16", "2025-12-20"),
        (w.first, "GL-15b", "2026-02-10"),
        (w.first, "GL-21", "2026-02-10"),
    ]
    assert document["deadlines"][0]["days_late"] == 56

    code, out, _ = untoc(data_dir, "review", "due", "--within", "0", "--json")
    assert [d["provision"] for d in json_of(out)["deadlines"]] == ["GL-12", "GL-16"]
    code, out, _ = untoc(
        data_dir, "review", "due", "--as-of", "2026-05-01", "--within", "0",
        "--cycle", "1", "--json",
    )  # fmt: skip
    provisions = [d["provision"] for d in json_of(out)["deadlines"]]
    assert provisions[-1] == "GL-30"  # due on the as-of day itself
    assert "ToR-24" not in provisions
    target = data_dir.parent / "due.json"
    code, out, err = untoc(data_dir, "review", "due", "--out", str(target))
    assert code == 0
    assert out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["within_days"] == 30
    code, _, _ = untoc(data_dir, "review", "due", "--within", "-1")
    assert code == 2


def test_cycle_performance_suppresses_every_cell_under_five_reviews(
    world: tuple[Path, World],
) -> None:
    data_dir, w = world
    code, out, err = untoc(data_dir, "cycle", "performance", "1", "--json")
    assert code == 0, err
    document = json_of(out)
    assert document["cycle"] == "1"
    assert document["as_of"] == TODAY.isoformat()
    assert document["minimum_reviews"] == 5
    cells = [
        *document["whole_cycle"],
        *(s for g in document["regional_groups"] for s in g["stages"]),
    ]
    assert cells
    assert {c["figures"] for c in cells} == {"suppressed (fewer than 5 reviews)"}
    assert all(c["suppressed"] for c in cells)
    assert [g["regional_group"] for g in document["regional_groups"]] == sorted(
        g["regional_group"] for g in document["regional_groups"]
    )
    for state in w.codes:  # no State is named
        assert f'"{state}"' not in out
        assert f"/{state}" not in out
    code, out, _ = untoc(data_dir, "cycle", "performance", "1")
    assert code == 0
    assert "suppressed (fewer than 5 reviews)" in out
    code, _, err = untoc(data_dir, "cycle", "performance", "4")
    assert code == 1
    assert "has not established cycle 4" in err


def test_review_calendar_writes_an_icalendar_file_with_the_due_dates(
    world: tuple[Path, World],
) -> None:
    data_dir, w = world
    target = data_dir.parent / "review.ics"
    code, out, err = untoc(
        data_dir, "review", "calendar", w.first, "--ics", str(target)
    )
    assert code == 0, err
    assert "8 due dates" in out
    calendar = Calendar.from_ical(target.read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    due = {
        str(e["summary"]): e.decoded("dtstart")
        for e in events
        if str(e["summary"]).startswith("Due")
    }
    assert due["Due: focal point appointed (GL-13)"] == dt.date(2025, 12, 11)
    assert due["Due: draft report sent (GL-30)"] == dt.date(2026, 5, 1)
    assert sorted(d.isoformat() for d in due.values()) == [
        "2025-12-07", "2025-12-11", "2025-12-20", "2026-01-20",
        "2026-02-10", "2026-02-10", "2026-05-01", "2026-06-01",
    ]  # fmt: skip
    recorded = {
        str(e["summary"]): e.decoded("dtstart")
        for e in events
        if str(e["summary"]).startswith("Recorded")
    }
    assert recorded["Recorded: official notification"] == NOTIFIED
    assert recorded["Recorded: reviewers drawn"] == DRAWN
    gl13 = next(e for e in events if "GL-13" in str(e["summary"]))
    assert "met_late" in str(gl13["description"])
    assert "strength: within" in str(gl13["description"]).lower()
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    untoc(data_dir, "review", "calendar", w.first, "--ics", str(target))
    again = Calendar.from_ical(target.read_bytes())
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == sorted(uids)
    code, _, _ = untoc(
        data_dir, "review", "calendar", w.first, "--ics", str(data_dir / "no" / "x")
    )
    assert code == 2


def test_cycle_chart_writes_a_png_and_an_svg(world: tuple[Path, World]) -> None:
    data_dir, _ = world
    folder = data_dir.parent / "charts"
    folder.mkdir()
    code, _, err = untoc(data_dir, "cycle", "chart", "1", "--out-dir", str(folder))
    assert code == 0, err
    png = (folder / "cycle-1.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = folder / "cycle-1.svg"
    assert svg.stat().st_size > 0
    assert ET.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"  # noqa: S314 - our own file
    code, _, _ = untoc(data_dir, "cycle", "chart", "1", "--out-dir", str(folder / "x"))
    assert code == 2


def test_review_record_records_a_step_as_the_participant_and_refuses_out_of_order(
    world: tuple[Path, World], tmp_path: Path
) -> None:
    data_dir, w = world
    party, reviewer = w.codes[0], w.codes[1]
    code, out, err = untoc(
        data_dir, "review", "record", w.first, "checklist-circulated",
        "--on", "2026-01-20",
    )  # fmt: skip
    assert code == 0, err
    assert "Recorded ChecklistResponseCirculated" in out
    draft = tmp_path / "draft.txt"
    draft.write_text("draft report", encoding="utf-8")
    code, _, err = untoc(
        data_dir, "review", "record", w.first, "agreed", "--on", "2026-01-25",
        "--document", str(draft), "--as", party,
    )  # fmt: skip
    assert code == 1
    assert err.startswith("error: [GL-30]")  # no draft has been sent yet
    code, _, err = untoc(
        data_dir, "review", "record", w.first, "desk-review", "--on", "2026-01-25",
        "--as", reviewer,
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = untoc(data_dir, "review", "list", "--json")
    assert json_list(out)[0]["step"] == "DeskReviewOutcomeSubmitted"
    code, _, err = untoc(
        data_dir, "review", "record", w.first, "visit", "--on", "2026-01-26",
        "--as", party,
    )  # fmt: skip
    assert code == 1
    assert err.startswith("error: [ToR-28]")


def test_review_open_opens_a_review_drawn(world: tuple[Path, World]) -> None:
    data_dir, w = world
    code, _, err = untoc(data_dir, "review", "open", w.first)
    assert code == 1
    assert "already open" in err
