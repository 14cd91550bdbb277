"""The indicative deadlines of a country review (GL-9, GL 12-30, ToR 24)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from untoc_core.dates import Period
from untoc_core.errors import InvalidInput
from untoc_core.reviews import Deadline, DeadlineStatus, due_soon, timeline
from untoc_core.rules import Rulebook, default_rulebook
from untoc_core.rules.rulebook import DeadlineStrength

D = dt.date
RULEBOOK = default_rulebook()
FAR_FUTURE = D(2099, 12, 31)


def _by_provision(lines: tuple[Deadline, ...]) -> dict[str, Deadline]:
    return {d.provision: d for d in lines}


def _one(provision: str, recorded: dict[str, dt.date], as_of: dt.date) -> Deadline:
    return _by_provision(timeline(RULEBOOK, recorded, as_of=as_of))[provision]


# -- the rules and their strength -----------------------------------------------------


def test_each_rule_has_the_strength_of_its_wording() -> None:
    strengths = {d.provision: d.strength for d in RULEBOOK.deadlines}
    assert strengths == {
        "GL-12": DeadlineStrength.WITHIN,
        "GL-13": DeadlineStrength.WITHIN,
        "GL-15a": DeadlineStrength.WITHIN,
        "GL-15b": DeadlineStrength.WITHIN,
        "GL-16": DeadlineStrength.WITHIN,
        "GL-21": DeadlineStrength.WITHIN,
        "GL-23": DeadlineStrength.IDEALLY,  # "shall ideally last up to two months"
        "GL-29": DeadlineStrength.WITHIN,
        "GL-30": DeadlineStrength.PREFERABLY,  # "preferably within five months"
        "ToR-24": DeadlineStrength.IDEALLY,  # "should ideally ... six months"
    }
    assert [str(s) for s in DeadlineStrength] == ["within", "preferably", "ideally"]


def test_the_timeline_carries_each_rule_in_rulebook_order() -> None:
    lines = timeline(RULEBOOK, {}, as_of=D(2027, 1, 1))
    assert [(d.provision, d.step, d.after, d.strength, d.period) for d in lines] == [
        (r.provision, r.step, r.after, r.strength, r.period) for r in RULEBOOK.deadlines
    ]


def test_a_rulebook_without_strength_defaults_to_within_and_a_bad_one_is_refused() -> (
    None
):
    text = """
id = "x"
title = "x"
languages = ["en"]
[draw]
reviewers_per_party = 2
same_region_reviewers = 1
min_reviews_per_cycle = 1
max_reviews_per_cycle = 3
max_redraws = 2
max_experts_per_party = 20
mutual_reviews = false
[[deadline]]
provision = "GL-12"
step = "official_notification"
after = "reviewers_drawn"
period = { months = 1 }
"""
    assert Rulebook.from_toml(text).deadline("GL-12").strength is (
        DeadlineStrength.WITHIN
    )
    soft = Rulebook.from_toml(text + 'strength = "preferably"\n')
    assert soft.deadline("GL-12").strength is DeadlineStrength.PREFERABLY
    with pytest.raises(InvalidInput, match="'firmly' is not a valid DeadlineStrength"):
        Rulebook.from_toml(text + 'strength = "firmly"\n')


# -- due dates ------------------------------------------------------------------------

STARTS = {
    "reviewers_drawn": D(2027, 1, 15),
    "official_notification": D(2027, 1, 31),
    "checklist_response_submitted": D(2027, 3, 31),
    "checklist_information_received": D(2027, 3, 31),
    "dialogue_opened": D(2027, 5, 31),
    "visit_ended": D(2027, 9, 20),
    "review_started": D(2027, 3, 31),
}


def test_every_rule_gives_its_exact_due_date() -> None:
    lines = _by_provision(timeline(RULEBOOK, STARTS, as_of=FAR_FUTURE))
    due = {p: (d.starts, d.due) for p, d in lines.items()}
    assert due == {
        "GL-12": (D(2027, 1, 15), D(2027, 2, 15)),  # one month
        "GL-13": (D(2027, 1, 31), D(2027, 2, 21)),  # three weeks
        "GL-15a": (D(2027, 1, 31), D(2027, 3, 31)),  # two months from 31 January
        "GL-15b": (D(2027, 3, 31), D(2027, 4, 30)),  # clamped: April has 30 days
        "GL-16": (D(2027, 1, 31), D(2027, 2, 28)),  # clamped: February 2027
        "GL-21": (D(2027, 3, 31), D(2027, 4, 30)),
        "GL-23": (D(2027, 5, 31), D(2027, 7, 31)),
        "GL-29": (D(2027, 9, 20), D(2027, 10, 4)),  # two weeks
        "GL-30": (D(2027, 3, 31), D(2027, 8, 31)),  # five months
        "ToR-24": (D(2027, 3, 31), D(2027, 9, 30)),  # six months, clamped
    }


def test_in_a_leap_year_a_month_after_31_january_is_29_february() -> None:
    recorded = {
        "official_notification": D(2028, 1, 31),
        "reviewers_drawn": D(2028, 2, 29),
        "dialogue_opened": D(2027, 12, 31),
        "review_started": D(2027, 8, 31),
    }
    lines = _by_provision(timeline(RULEBOOK, recorded, as_of=FAR_FUTURE))
    assert lines["GL-16"].due == D(2028, 2, 29)
    assert lines["GL-15a"].due == D(2028, 3, 31)
    assert lines["GL-13"].due == D(2028, 2, 21)
    assert lines["GL-12"].due == D(2028, 3, 29)
    assert lines["GL-23"].due == D(2028, 2, 29)  # across the year end
    assert lines["GL-30"].due == D(2028, 1, 31)
    assert lines["ToR-24"].due == D(2028, 2, 29)


# -- statuses -------------------------------------------------------------------------

NOTIFIED = {"official_notification": D(2027, 1, 31)}  # GL-15a due 31 March 2027


def test_a_deadline_is_pending_until_its_start_is_recorded() -> None:
    line = _one("GL-15a", {}, D(2030, 1, 1))
    assert line.status is DeadlineStatus.PENDING
    assert (line.starts, line.due, line.done, line.days_late) == (None, None, None, 0)


def test_a_step_recorded_without_its_start_is_still_pending() -> None:
    line = _one("GL-15a", {"checklist_response_submitted": D(2027, 3, 1)}, FAR_FUTURE)
    assert line.status is DeadlineStatus.PENDING
    assert (line.due, line.done) == (None, D(2027, 3, 1))


@pytest.mark.parametrize(
    ("as_of", "status", "days_late"),
    [
        (D(2027, 1, 31), DeadlineStatus.DUE, 0),
        (D(2027, 3, 31), DeadlineStatus.DUE, 0),  # on the due date: not yet late
        (D(2027, 4, 1), DeadlineStatus.OVERDUE, 1),
        (D(2027, 5, 5), DeadlineStatus.OVERDUE, 35),
    ],
)
def test_an_unrecorded_step_is_due_then_overdue(
    as_of: dt.date, status: DeadlineStatus, days_late: int
) -> None:
    line = _one("GL-15a", NOTIFIED, as_of)
    assert (line.due, line.done, line.status, line.days_late) == (
        D(2027, 3, 31),
        None,
        status,
        days_late,
    )


@pytest.mark.parametrize(
    ("done", "status", "days_late"),
    [
        (D(2027, 2, 10), DeadlineStatus.MET, 0),
        (D(2027, 3, 31), DeadlineStatus.MET, 0),  # on the due date is on time
        (D(2027, 4, 1), DeadlineStatus.MET_LATE, 1),
        (D(2027, 4, 5), DeadlineStatus.MET_LATE, 5),
    ],
)
def test_a_recorded_step_is_met_or_met_late(
    done: dt.date, status: DeadlineStatus, days_late: int
) -> None:
    recorded = NOTIFIED | {"checklist_response_submitted": done}
    line = _one("GL-15a", recorded, FAR_FUTURE)
    assert (line.done, line.status, line.days_late) == (done, status, days_late)


def test_a_late_step_is_reported_and_the_timeline_goes_on() -> None:
    # GL-9: the timelines are indicative; a late checklist starts GL-15b and GL-21.
    recorded = NOTIFIED | {
        "checklist_response_submitted": D(2027, 6, 30),
        "checklist_information_received": D(2027, 6, 30),
    }
    lines = _by_provision(timeline(RULEBOOK, recorded, as_of=D(2027, 7, 10)))
    assert lines["GL-15a"].status is DeadlineStatus.MET_LATE
    assert lines["GL-15a"].days_late == 91
    assert lines["GL-15b"].due == D(2027, 7, 30)
    assert lines["GL-15b"].status is DeadlineStatus.DUE
    assert lines["GL-21"].status is DeadlineStatus.DUE


def test_records_after_the_as_of_date_are_not_yet_seen() -> None:
    recorded = NOTIFIED | {"checklist_response_submitted": D(2027, 3, 20)}
    before = _one("GL-15a", recorded, D(2027, 3, 19))
    after = _one("GL-15a", recorded, D(2027, 3, 20))
    assert (before.status, before.done) == (DeadlineStatus.DUE, None)
    assert (after.status, after.done) == (DeadlineStatus.MET, D(2027, 3, 20))
    not_started = _one("GL-15a", recorded, D(2027, 1, 30))
    assert not_started.status is DeadlineStatus.PENDING


def test_steps_no_rule_names_are_ignored() -> None:
    lines = timeline(
        RULEBOOK,
        NOTIFIED | {"executive_summary_agreed": D(2027, 2, 1)},
        as_of=D(2027, 2, 1),
    )
    assert lines == timeline(RULEBOOK, NOTIFIED, as_of=D(2027, 2, 1))


def test_a_datetime_or_other_value_is_not_a_recorded_date() -> None:
    with pytest.raises(InvalidInput, match="'orientation_call' was recorded on"):
        timeline(
            RULEBOOK,
            {"orientation_call": dt.datetime(2027, 2, 1, tzinfo=dt.UTC)},
            as_of=D(2027, 3, 1),
        )
    with pytest.raises(InvalidInput, match="not a date"):
        timeline(RULEBOOK, {"orientation_call": "2027-02-01"}, as_of=D(2027, 3, 1))  # type: ignore[dict-item]


# -- describe -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recorded", "as_of", "line"),
    [
        (
            {},
            D(2027, 1, 1),
            (
                "GL-15a: checklist response submitted within 2 months of official "
                "notification: pending until official notification is recorded"
            ),
        ),
        (
            NOTIFIED,
            D(2027, 3, 1),
            (
                "GL-15a: checklist response submitted within 2 months of official "
                "notification (2027-01-31): due 2027-03-31, not recorded yet"
            ),
        ),
        (
            NOTIFIED | {"checklist_response_submitted": D(2027, 3, 2)},
            D(2027, 4, 1),
            (
                "GL-15a: checklist response submitted within 2 months of official "
                "notification (2027-01-31): due 2027-03-31, met on 2027-03-02"
            ),
        ),
        (
            NOTIFIED | {"checklist_response_submitted": D(2027, 4, 1)},
            D(2027, 4, 1),
            (
                "GL-15a: checklist response submitted within 2 months of official "
                "notification (2027-01-31): due 2027-03-31, recorded 2027-04-01, "
                "1 day late"
            ),
        ),
        (
            NOTIFIED,
            D(2027, 4, 5),
            (
                "GL-15a: checklist response submitted within 2 months of official "
                "notification (2027-01-31): due 2027-03-31, not recorded, "
                "5 days overdue"
            ),
        ),
    ],
    ids=["pending", "due", "met", "met-late", "overdue"],
)
def test_describe_gives_one_line_for_each_status(
    recorded: dict[str, dt.date], as_of: dt.date, line: str
) -> None:
    assert _one("GL-15a", recorded, as_of).describe() == line


def test_describe_uses_the_provisions_own_strength() -> None:
    started = {"review_started": D(2027, 3, 31)}
    assert (
        _one("GL-30", started, D(2027, 4, 1))
        .describe()
        .startswith(
            "GL-30: draft report sent preferably within 5 months of review started"
        )
    )
    assert (
        _one("ToR-24", started, D(2027, 4, 1))
        .describe()
        .startswith(
            "ToR-24: review completed ideally within 6 months of review started"
        )
    )
    pending = _one(
        "GL-15a", {"checklist_response_submitted": D(2027, 3, 1)}, FAR_FUTURE
    )
    assert pending.describe().endswith(
        "pending until official notification is recorded "
        "(the step itself was recorded 2027-03-01)"
    )


# -- due soon -------------------------------------------------------------------------


def _soon_case() -> tuple[Deadline, ...]:
    recorded = {
        "reviewers_drawn": D(2027, 1, 2),
        "official_notification": D(2027, 1, 31),  # GL-12 met
        "orientation_call": D(2027, 2, 20),  # GL-16 met
        "review_started": D(2027, 1, 31),
    }
    # On 1 March: GL-13 (21 Feb) overdue; GL-15a due 31 Mar; GL-30 due 30 Jun;
    # ToR-24 due 31 Jul; the rest pending.
    return timeline(RULEBOOK, recorded, as_of=D(2027, 3, 1))


def test_due_soon_lists_overdue_first_then_by_due_date_within_the_window() -> None:
    lines = _soon_case()
    soon = due_soon(lines, as_of=D(2027, 3, 1), within_days=30)
    assert [(d.provision, d.status) for d in soon] == [
        ("GL-13", DeadlineStatus.OVERDUE),
        ("GL-15a", DeadlineStatus.DUE),
    ]
    wide = due_soon(lines, as_of=D(2027, 3, 1), within_days=152)
    assert [d.provision for d in wide] == ["GL-13", "GL-15a", "GL-30", "ToR-24"]
    assert [d.due for d in wide] == sorted(d.due for d in wide if d.due)


def test_the_window_ends_on_its_last_day_inclusive() -> None:
    lines = _soon_case()
    assert [
        d.provision for d in due_soon(lines, as_of=D(2027, 3, 1), within_days=29)
    ] == ["GL-13"]
    assert [
        d.provision for d in due_soon(lines, as_of=D(2027, 3, 1), within_days=30)
    ] == [
        "GL-13",
        "GL-15a",
    ]
    assert [
        d.provision for d in due_soon(lines, as_of=D(2027, 3, 1), within_days=0)
    ] == ["GL-13"]


def test_met_and_pending_deadlines_are_never_due_soon() -> None:
    soon = due_soon(_soon_case(), as_of=D(2027, 3, 1), within_days=10_000)
    assert {d.status for d in soon} <= {DeadlineStatus.DUE, DeadlineStatus.OVERDUE}
    assert "GL-12" not in {d.provision for d in soon}


def test_a_negative_window_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="0 days or more"):
        due_soon(_soon_case(), as_of=D(2027, 3, 1), within_days=-1)


# -- properties -----------------------------------------------------------------------

STEPS = sorted(
    {r.step for r in RULEBOOK.deadlines} | {r.after for r in RULEBOOK.deadlines}
)
DAYS = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


@given(recorded=st.dictionaries(st.sampled_from(STEPS), DAYS), as_of=DAYS)
def test_status_agrees_with_the_dates(
    recorded: dict[str, dt.date], as_of: dt.date
) -> None:
    lines = timeline(RULEBOOK, recorded, as_of=as_of)
    assert len(lines) == len(RULEBOOK.deadlines)
    for line in lines:
        assert line.days_late >= 0
        for day in (line.starts, line.done):
            assert day is None or day <= as_of
        if line.starts is None:
            assert line.status is DeadlineStatus.PENDING
            assert (line.due, line.days_late) == (None, 0)
            continue
        assert line.due is not None
        assert line.due >= line.starts  # a due date never comes before its start
        assert line.due == line.period.after(line.starts)
        if line.done is not None:
            late = (line.done - line.due).days
            assert line.status is (
                DeadlineStatus.MET_LATE if late > 0 else DeadlineStatus.MET
            )
            assert line.days_late == max(late, 0)
        elif as_of > line.due:
            assert line.status is DeadlineStatus.OVERDUE
            assert line.days_late == (as_of - line.due).days
        else:
            assert line.status is DeadlineStatus.DUE
            assert line.days_late == 0


@given(
    start=DAYS,
    months=st.integers(0, 24),
    weeks=st.integers(0, 10),
    days=st.integers(0, 40),
)
def test_a_due_date_never_comes_before_its_start(
    start: dt.date, months: int, weeks: int, days: int
) -> None:
    due = Period(months=months, weeks=weeks, days=days).after(start)
    assert due >= start


@given(
    recorded=st.dictionaries(st.sampled_from(STEPS), DAYS),
    as_of=DAYS,
    within=st.integers(0, 400),
)
def test_due_soon_is_exactly_the_open_deadlines_due_by_the_horizon(
    recorded: dict[str, dt.date], as_of: dt.date, within: int
) -> None:
    lines = timeline(RULEBOOK, recorded, as_of=as_of)
    soon = due_soon(lines, as_of=as_of, within_days=within)
    horizon = as_of + dt.timedelta(days=within)
    assert set(soon) == {
        d
        for d in lines
        if d.status in {DeadlineStatus.DUE, DeadlineStatus.OVERDUE}
        and d.due is not None
        and d.due <= horizon
    }
    dues = [d.due for d in soon]
    assert dues == sorted(dues)  # type: ignore[type-var]
    overdue_first = [d.status is not DeadlineStatus.OVERDUE for d in soon]
    assert overdue_first == sorted(overdue_first)
