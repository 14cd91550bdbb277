"""Performance figures of the mechanism (ToR-46), never naming a State (ToR-3b)."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from untoc_core.errors import InvalidInput
from untoc_core.reviews import (
    MINIMUM_REVIEWS,
    Figures,
    Performance,
    ReviewFacts,
    Spread,
    StageFigures,
    mechanism_performance,
)
from untoc_core.rules import default_rulebook
from untoc_core.terms import RegionalGroup

D = dt.date
RULEBOOK = default_rulebook()
AS_OF = D(2027, 12, 31)
START = D(2027, 1, 1)  # GL-15a due 1 March 2027 (59 days), ToR-24 1 July (181 days)
AFRICA = str(RegionalGroup.AFRICAN)
ASIA = str(RegionalGroup.ASIA_PACIFIC)
WEOG = str(RegionalGroup.WEOG)


def _review(
    review: str, group: str, checklist: int | None, completed: int | None
) -> ReviewFacts:
    """Notified and started on 1 January 2027; the others after so many days."""
    recorded = {"official_notification": START}
    if checklist is not None:
        recorded["checklist_response_submitted"] = START + dt.timedelta(checklist)
    if completed is not None:
        recorded["review_started"] = START
        if completed >= 0:
            recorded["review_completed"] = START + dt.timedelta(completed)
    return ReviewFacts(review=review, regional_group=group, recorded=recorded)


NOT_DONE = -1  # started, never completed
# Days to the checklist response (GL-15a, 59 days allowed) and to completion
# (ToR-24, 181 days allowed). The ids look like State codes on purpose.
FACTS = (
    _review("DZA-2027", AFRICA, 30, 150),
    _review("EGY-2027", AFRICA, 45, 170),
    _review("KEN-2027", AFRICA, 59, 181),
    _review("MAR-2027", AFRICA, 60, 200),
    _review("NGA-2027", AFRICA, 90, 250),
    _review("SEN-2027", AFRICA, None, 300),
    _review("ZAF-2027", AFRICA, None, NOT_DONE),
    _review("AUT-2027", WEOG, 20, 100),
    _review("BEL-2027", WEOG, 40, 120),
    _review("CAN-2027", WEOG, 50, 181),
    _review("DNK-2027", WEOG, 70, 182),
    _review("FRA-2027", WEOG, 100, 190),
    _review("JPN-2027", ASIA, 10, None),
    _review("NPL-2027", ASIA, 80, None),
)


def _stage(figures: Figures, provision: str) -> StageFigures:
    (stage,) = [s for s in figures.stages if s.provision == provision]
    return stage


def _group(perf: Performance, group: str) -> Figures:
    (figures,) = [f for f in perf.regional_groups if f.regional_group == group]
    return figures


@pytest.fixture(scope="module")
def perf() -> Performance:
    return mechanism_performance(FACTS, RULEBOOK, as_of=AS_OF)


def test_the_result_describes_the_rulebook_and_day(perf: Performance) -> None:
    assert (perf.rulebook, perf.as_of, perf.minimum_reviews) == (
        "resolution-5-5",
        AS_OF,
        MINIMUM_REVIEWS,
    )
    assert MINIMUM_REVIEWS == 5
    assert perf.whole_cycle.regional_group is None
    assert [s.provision for s in perf.whole_cycle.stages] == [
        r.provision for r in RULEBOOK.deadlines
    ]


def test_groups_are_listed_by_name_never_by_their_figures(perf: Performance) -> None:
    assert [f.regional_group for f in perf.regional_groups] == [AFRICA, ASIA, WEOG]


def test_whole_cycle_checklist_figures(perf: Performance) -> None:
    # Days to the checklist response, all 12 reviews that submitted one:
    # 10 20 30 40 45 50 | 59 60 70 80 90 100 -> median (50 + 59) / 2 = 54.5.
    # Inclusive quartiles: position 11 * 0.25 = 2.75 -> 30 + 0.75 * 10 = 37.5,
    # position 11 * 0.75 = 8.25 -> 70 + 0.25 * 10 = 72.5.
    # On time (<= 59 days): 30 45 59 | 20 40 50 | 10 = 7 of 14 judged (12 submitted,
    # 2 overdue) = 0.5.
    stage = _stage(perf.whole_cycle, "GL-15a")
    assert (stage.after, stage.step) == (
        "official_notification",
        "checklist_response_submitted",
    )
    assert stage.suppressed is False
    assert stage.reason is None
    assert (stage.reviews, stage.judged) == (12, 14)
    assert stage.median_days == 54.5
    assert stage.spread == Spread(
        minimum=10, lower_quartile=37.5, upper_quartile=72.5, maximum=100
    )
    assert stage.on_time_share == 0.5


def test_whole_cycle_completion_figures(perf: Performance) -> None:
    # Days to completion, 11 reviews: 100 120 150 170 181 [181] 182 190 200 250 300.
    # Median 181; quartiles at positions 2.5 -> 160 and 7.5 -> 195.
    # On time (<= 181): 150 170 181 | 100 120 181 = 6 of 12 judged (ZAF overdue).
    stage = _stage(perf.whole_cycle, "ToR-24")
    assert (stage.reviews, stage.judged) == (11, 12)
    assert stage.median_days == 181
    assert stage.spread == Spread(
        minimum=100, lower_quartile=160, upper_quartile=195, maximum=300
    )
    assert stage.on_time_share == 0.5


def test_group_completion_figures(perf: Performance) -> None:
    # African States: 150 170 181 200 250 300 -> median 190.5; quartiles at
    # positions 1.25 -> 172.75 and 3.75 -> 237.5; on time 3 of 7 (one overdue).
    africa = _stage(_group(perf, AFRICA), "ToR-24")
    assert (africa.reviews, africa.judged, africa.median_days) == (6, 7, 190.5)
    assert africa.spread == Spread(
        minimum=150, lower_quartile=172.75, upper_quartile=237.5, maximum=300
    )
    assert africa.on_time_share == pytest.approx(3 / 7)
    # Western European and other States, exactly five: 100 120 181 182 190.
    weog = _stage(_group(perf, WEOG), "ToR-24")
    assert (weog.reviews, weog.judged, weog.median_days) == (5, 5, 181)
    assert weog.spread == Spread(
        minimum=100, lower_quartile=120, upper_quartile=182, maximum=190
    )
    assert weog.on_time_share == 0.6
    assert weog.suppressed is False


def test_a_group_with_fewer_than_five_reviews_is_suppressed(perf: Performance) -> None:
    # Asia-Pacific: two checklist responses (10 and 80 days), no review started.
    for provision in ("GL-15a", "ToR-24"):
        stage = _stage(_group(perf, ASIA), provision)
        assert stage.suppressed is True
        assert stage.reason is not None
        assert "fewer than 5 reviews" in stage.reason
        assert (
            stage.reviews,
            stage.judged,
            stage.median_days,
            stage.spread,
            stage.on_time_share,
        ) == (None, None, None, None, None)


def test_a_second_group_is_suppressed_so_the_first_cannot_be_subtracted(
    perf: Performance,
) -> None:
    # GL-15a: with Asia-Pacific hidden alone, its 2 reviews and 1 on-time step would
    # be the whole cycle's (12, 7) minus Africa's (5, 3) and WEOG's (5, 3). The
    # smaller shown group (WEOG: 5 reviews, 5 judged) is hidden too.
    weog = _stage(_group(perf, WEOG), "GL-15a")
    assert weog.suppressed is True
    assert weog.reason is not None
    assert "suppressed as well" in weog.reason
    assert weog.median_days is None
    # Africa stays: 30 45 59 60 90 -> median 59, quartiles 45 and 60, 3 of 7 on time.
    africa = _stage(_group(perf, AFRICA), "GL-15a")
    assert (africa.reviews, africa.judged, africa.median_days) == (5, 7, 59)
    assert africa.spread == Spread(
        minimum=30, lower_quartile=45, upper_quartile=60, maximum=90
    )
    assert africa.on_time_share == pytest.approx(3 / 7)
    # ToR-24: Asia-Pacific has nothing to hide (no review started), so WEOG shows.
    assert _stage(_group(perf, WEOG), "ToR-24").suppressed is False


def test_stages_nobody_reached_are_suppressed(perf: Performance) -> None:
    stage = _stage(perf.whole_cycle, "GL-29")
    assert stage.suppressed is True
    assert stage.reviews is None


def test_fewer_than_five_reviews_in_all_suppress_every_figure() -> None:
    perf = mechanism_performance(FACTS[:4], RULEBOOK, as_of=AS_OF)
    cells = [*perf.whole_cycle.stages] + [
        s for f in perf.regional_groups for s in f.stages
    ]
    assert all(s.suppressed for s in cells)
    assert {s.median_days for s in cells} == {None}
    five = mechanism_performance(FACTS[:5], RULEBOOK, as_of=AS_OF)
    assert _stage(five.whole_cycle, "GL-15a").median_days == 59


def test_no_state_code_or_review_id_appears_anywhere(perf: Performance) -> None:
    text = repr(perf)
    codes = {f.review for f in FACTS} | {f.review[:3] for f in FACTS}
    assert [c for c in codes if c in text] == []

    def strings(value: Any) -> list[str]:
        if attrs.has(type(value)):
            return [
                s
                for a in attrs.fields(type(value))
                for s in strings(getattr(value, a.name))
            ]
        if isinstance(value, tuple):
            return [s for v in value for s in strings(v)]
        return [value] if isinstance(value, str) else []

    assert not any(c in s for s in strings(perf) for c in codes)
    field_names = {
        a.name
        for cls in (Performance, Figures, StageFigures, Spread)
        for a in attrs.fields(cls)
    }
    assert not field_names & {"review", "reviews_ids", "party", "state", "code"}


def test_records_after_the_as_of_date_are_left_out() -> None:
    early = mechanism_performance(FACTS, RULEBOOK, as_of=D(2027, 2, 15))
    # By 15 February (day 45) only the 10, 20, 30, 40 and 45 day checklists were in.
    stage = _stage(early.whole_cycle, "GL-15a")
    assert (stage.reviews, stage.judged, stage.median_days) == (5, 5, 30)
    assert stage.on_time_share == 1


def test_a_review_given_twice_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="given twice"):
        mechanism_performance((*FACTS, FACTS[0]), RULEBOOK, as_of=AS_OF)


def test_review_facts_keep_a_read_only_copy_of_the_dates() -> None:
    recorded = {"official_notification": START}
    facts = ReviewFacts(review="r", regional_group=AFRICA, recorded=recorded)
    recorded["review_started"] = START
    assert dict(facts.recorded) == {"official_notification": START}
    with pytest.raises(TypeError):
        facts.recorded["x"] = START  # type: ignore[index]


# -- properties -----------------------------------------------------------------------

GROUPS = [str(g) for g in RegionalGroup]
OFFSET = st.one_of(st.none(), st.integers(0, 300))


@st.composite
def review_sets(draw: st.DrawFn) -> list[ReviewFacts]:
    rows = draw(
        st.lists(st.tuples(st.sampled_from(GROUPS), OFFSET, OFFSET), max_size=40)
    )
    return [
        _review(f"r{i}", group, checklist, completed)
        for i, (group, checklist, completed) in enumerate(rows)
    ]


@settings(max_examples=80, deadline=None)
@given(facts=review_sets())
def test_published_cells_rest_on_five_reviews_and_cannot_be_subtracted(
    facts: list[ReviewFacts],
) -> None:
    perf = mechanism_performance(facts, RULEBOOK, as_of=AS_OF)
    cells = [*perf.whole_cycle.stages] + [
        s for f in perf.regional_groups for s in f.stages
    ]
    for s in cells:
        if s.suppressed:
            assert s.reason
            assert (s.reviews, s.judged, s.median_days, s.spread) == (
                None,
                None,
                None,
                None,
            )
            assert s.on_time_share is None
            continue
        assert s.reason is None
        assert s.reviews is not None
        assert s.judged is not None
        assert s.spread is not None
        assert s.median_days is not None
        assert s.on_time_share is not None
        assert s.reviews >= MINIMUM_REVIEWS
        assert s.judged >= s.reviews
        assert 0 <= s.on_time_share <= 1
        spread = s.spread
        assert spread.minimum <= spread.lower_quartile <= s.median_days
        assert s.median_days <= spread.upper_quartile <= spread.maximum
    for i, whole in enumerate(perf.whole_cycle.stages):
        if whole.suppressed:
            assert all(f.stages[i].suppressed for f in perf.regional_groups)
            continue
        shown = [
            f.stages[i] for f in perf.regional_groups if not f.stages[i].suppressed
        ]
        assert whole.reviews is not None
        assert whole.judged is not None
        hidden_reviews = whole.reviews - sum(s.reviews or 0 for s in shown)
        hidden_judged = whole.judged - sum(s.judged or 0 for s in shown)
        assert (hidden_reviews, hidden_judged) == (0, 0) or (
            hidden_reviews >= MINIMUM_REVIEWS
        )


@settings(max_examples=40, deadline=None)
@given(facts=review_sets())
def test_whole_cycle_median_is_the_median_of_every_duration(
    facts: list[ReviewFacts],
) -> None:
    perf = mechanism_performance(facts, RULEBOOK, as_of=AS_OF)
    days = [
        (f.recorded["review_completed"] - f.recorded["review_started"]).days
        for f in facts
        if "review_completed" in f.recorded
    ]
    stage = _stage(perf.whole_cycle, "ToR-24")
    if len(days) < MINIMUM_REVIEWS:
        assert stage.suppressed
    else:
        assert stage.median_days == statistics.median(days)
        assert stage.spread is not None
        assert (stage.spread.minimum, stage.spread.maximum) == (min(days), max(days))
