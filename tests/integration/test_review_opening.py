"""Opening country reviews from the recorded drawing of lots (ToR 13(a), 19)."""

from __future__ import annotations

import pytest

from tests.review_world import drawn_mechanism, open_first_review
from untoc_core.errors import InvalidInput
from untoc_core.reviews.refusals import CycleNotCompleted


def test_a_review_opens_with_the_reviewers_drawn_same_region_reviewer_first() -> None:
    mechanism, _ = drawn_mechanism()
    drawn = mechanism.reviewers(1, 1)[0]
    review = open_first_review(mechanism)
    state = mechanism.country_review(review)
    assert state.opened is not None
    assert state.party_under_review == drawn.under_review
    assert set(state.reviewers) == set(drawn.reviewers)
    if drawn.same_region_reviewer is not None:
        assert state.reviewers[0] == drawn.same_region_reviewer
    assert state.steps["reviewers_drawn"] == state.opened.drawn_on
    assert [r.review for r in mechanism.country_reviews(1)] == [review]
    with pytest.raises(InvalidInput, match="already open"):
        mechanism.open_review(review)


def test_a_review_needs_its_reviewers_drawn_first() -> None:
    mechanism, _ = drawn_mechanism()
    drawn_codes = {d.under_review for d in mechanism.reviewers(1, 1)}
    later = next(code for year in mechanism.review_years(1)[1:] for code in year)
    assert later not in drawn_codes
    before = mechanism.store.last_position()
    with pytest.raises(InvalidInput, match="draw them first"):
        mechanism.open_review(f"cycle-1/{later}")
    assert mechanism.store.last_position() == before


def test_a_new_cycle_waits_for_the_reviews_of_the_last_one_citing_tor_13a() -> None:
    mechanism, _ = drawn_mechanism()
    open_first_review(mechanism)
    with pytest.raises(CycleNotCompleted, match=r"\[ToR-13a\]"):
        mechanism._check_previous_cycle(2)
