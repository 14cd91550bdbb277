"""The drawing of lots: stream, review years, reviewers with exact look-ahead."""

from __future__ import annotations

from collections import Counter

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.draw_pools import (
    SOM,
    TIP,
    all_fillings,
    mutual_problems,
    party,
    seed,
    small_pool,
)
from untoc_core.drawing.assignment import SAME_REGION, CycleAssignment
from untoc_core.drawing.search import (
    CompletionProblem,
    NearbySearch,
    OwedReviewsBound,
    SearchSolver,
    Undecided,
)
from untoc_core.drawing.stream import WORD, LotStream
from untoc_core.drawing.years import apportion, draw_years
from untoc_core.errors import (
    InvalidInput,
    MutualReviewUnavoidable,
    NoEligibleReviewer,
    ReviewLoadImpossible,
)
from untoc_core.terms import TreatyStatus

# -- the stream --------------------------------------------------------------------


def test_the_stream_repeats_from_the_same_seed_and_differs_by_label() -> None:
    a, b = LotStream(seed(1)), LotStream(seed(1))
    assert [a.word("x") for _ in range(3)] == [b.word("x") for _ in range(3)]
    assert LotStream(seed(1)).word("x") != LotStream(seed(1)).word("y")
    assert LotStream(seed(1)).word("x") != LotStream(seed(2)).word("x")


def test_a_word_in_the_biased_tail_is_rejected_and_recorded() -> None:
    stream = LotStream(seed(1))
    words = iter([WORD - 1, 7])
    stream.word = lambda _label: next(words)  # type: ignore[method-assign]
    lot = stream.below(3, "x")
    assert lot.words == (WORD - 1, 7)
    assert lot.value == 7 % 3


def test_lots_are_uniform() -> None:
    stream = LotStream(seed(3))
    counts = Counter(stream.below(5, "fair").value for _ in range(10_000))
    chi2 = sum((c - 2000) ** 2 / 2000 for c in counts.values())
    assert len(counts) == 5
    assert chi2 < 18.47  # p = 0.001 with 4 degrees of freedom


def test_a_short_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        LotStream(b"short")


# -- review years (ToR 14) -----------------------------------------------------------


@given(
    sizes=st.dictionaries(st.sampled_from("ABCDE"), st.integers(0, 60), min_size=1),
    years=st.integers(1, 6),
)
def test_each_group_counts_the_floor_or_ceiling_each_year(
    sizes: dict[str, int], years: int
) -> None:
    quotas = apportion(sizes, years)
    for g, counts in quotas.items():
        assert sum(counts) == sizes[g]
        assert set(counts) <= {sizes[g] // years, -(-sizes[g] // years)}
    totals = [sum(q[y] for q in quotas.values()) for y in range(years)]
    assert max(totals) - min(totals) <= 1


def test_the_conference_numbers_per_year_are_shared_in_proportion() -> None:
    quotas = apportion({"A": 50, "B": 30, "C": 20}, 2, per_year=(40, 60))
    assert [sum(q[y] for q in quotas.values()) for y in range(2)] == [40, 60]
    assert quotas == {"A": [20, 30], "B": [12, 18], "C": [8, 12]}


def test_numbers_per_year_that_do_not_add_up_are_refused() -> None:
    with pytest.raises(InvalidInput, match="add up"):
        apportion({"A": 5}, 2, per_year=(2, 2))


def test_every_state_is_drawn_for_exactly_one_year() -> None:
    pool = small_pool()
    drawn = draw_years(pool, 3, LotStream(seed(4)))
    codes = [c for year in drawn.review_years for c in year]
    assert sorted(codes) == sorted(p.code for p in pool)
    again = draw_years(pool, 3, LotStream(seed(4)))
    assert again.review_years == drawn.review_years


# -- reviewers (ToR 18-20) -------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    eligible=st.lists(
        st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True),
        min_size=2,
        max_size=6,
    ),
    low=st.integers(0, 1),
)
def test_the_plain_search_finds_a_filling_exactly_when_one_exists(
    eligible: list[list[int]], low: int
) -> None:
    slots = len(eligible) - len(eligible) % 2
    pur = tuple(5 + s // 2 for s in range(slots))
    problem = CompletionProblem(
        parties=5 + slots // 2,
        reviewers=(0, 1, 2, 3, 4),
        pur=pur,
        sibling=tuple(s + 1 if s % 2 == 0 else s - 1 for s in range(slots)),
        eligible=tuple(tuple(e) for e in eligible[:slots]),
        fixed=(-1,) * slots,
        min_reviews=low,
        max_reviews=2,
    )
    solution = SearchSolver().complete(problem)
    assert (solution is not None) == bool(all_fillings(problem))
    if solution is not None:
        assert problem.keeps_rules(solution)


def test_a_two_party_group_cannot_avoid_mutual_review() -> None:
    pool = [
        party("A1", "A"),
        party("A2", "A"),
        *(party(f"B{i}", "B") for i in range(4)),
    ]
    with pytest.raises(MutualReviewUnavoidable, match=r"^\[ToR-19c\]"):
        CycleAssignment(pool, [["A1", "A2"]], min_reviews=0, max_reviews=3)


def test_a_protocol_party_with_no_eligible_reviewer_is_refused() -> None:
    pool = [
        party("XA1", None, (TIP, SOM)),
        *(party(f"A{i}", "A", (TIP,)) for i in range(2, 6)),
    ]
    with pytest.raises(NoEligibleReviewer, match=r"^\[ToR-18bis\] .*XA1"):
        CycleAssignment(pool, [["XA1"]], min_reviews=0, max_reviews=3)


def test_too_few_reviews_for_the_load_limits_are_refused() -> None:
    pool = [party(f"A{i}", "A") for i in range(8)]
    with pytest.raises(ReviewLoadImpossible, match=r"^\[ToR-20b\]"):
        CycleAssignment(pool, [["A0"]], min_reviews=1, max_reviews=3)


def test_a_signatory_is_reviewed_but_never_reviews() -> None:
    pool = [
        *(party(f"A{i}", "A") for i in range(5)),
        party("SIG", "A", status=TreatyStatus.SIGNATORY),
    ]
    engine = CycleAssignment(
        pool, [[p.code for p in pool]], min_reviews=1, max_reviews=3
    )
    for s, slot in enumerate(engine.slots):
        assert "SIG" not in engine.allowed(s) or slot.under_review == "SIG"
        allowed = engine.allowed(s)
        assert "SIG" not in allowed
        engine.pick(s, allowed[0])


def test_a_deferring_reviewer_is_not_drawn_that_year() -> None:
    pool = [party(f"A{i}", "A") for i in range(6)]
    engine = CycleAssignment(
        pool, [["A0", "A1"], ["A2", "A3", "A4", "A5"]], min_reviews=1, max_reviews=3
    )
    engine.exclude(1, "A4")
    for s, slot in enumerate(engine.slots):
        allowed = engine.allowed(s)
        if slot.year == 1:
            assert "A4" not in allowed
        engine.pick(s, allowed[-1])
    assert SAME_REGION in engine.reviewers_of("A0", 1)


def small_engine(years: int, n: int) -> CycleAssignment:
    """The reviewers' engine of the small pool, its years drawn from seed ``n``."""
    drawn = draw_years(small_pool(), years, LotStream(seed(n)))
    return CycleAssignment(
        small_pool(), drawn.review_years, min_reviews=1, max_reviews=3
    )  # fmt: skip


def test_each_states_slots_as_bits_are_the_slots_it_may_fill() -> None:
    engine = small_engine(2, 3)
    deferring = engine.reviewers[0]
    engine.exclude(1, engine.parties[deferring].code)  # no slot of year 1 for it
    slots = range(len(engine.slots))
    for r in range(len(engine.parties)):
        bits = engine._eligible_bits[r]
        may_fill = [s for s in slots if r in engine._static_sets[s]]
        assert [s for s in slots if bits >> s & 1] == may_fill
    mine = engine._eligible_bits[deferring]
    assert {engine.slots[s].year for s in slots if mine >> s & 1} == {2}


def test_the_search_gives_up_within_its_budget_when_asked() -> None:
    from untoc_core.drawing.search import Undecided  # noqa: PLC0415

    engine = small_engine(1, 1)
    problem = engine.problem([-1] * len(engine.slots))
    assert SearchSolver().complete(problem) is not None
    with pytest.raises(Undecided):
        SearchSolver(max_nodes=1).complete(problem)


@settings(max_examples=150, deadline=None)
@given(problem=mutual_problems())
def test_every_pure_solver_agrees_with_trying_every_filling(
    problem: CompletionProblem,
) -> None:
    exists = bool(all_fillings(problem))
    found = SearchSolver().complete(problem)
    assert (found is not None) == exists
    if found is not None:
        assert problem.keeps_rules(found)
    for quick in (OwedReviewsBound(), NearbySearch(rings=2, max_nodes=50)):
        try:
            answer = quick.complete(problem)
        except Undecided:
            continue
        if answer is None:
            assert not exists, f"{type(quick).__name__} said no, but a filling exists"
        else:
            assert problem.keeps_rules(answer)


def test_the_owed_reviews_bound_sees_two_states_owing_one_slot() -> None:
    problem = CompletionProblem(
        parties=4,
        reviewers=(0, 1, 2, 3),
        pur=(3, 3),
        sibling=(1, 0),
        eligible=((0, 1), (2,)),
        fixed=(-1, 2),
        min_reviews=1,
        max_reviews=3,
    )
    assert OwedReviewsBound().complete(problem) is None
    relaxed = attrs.evolve(problem, min_reviews=0)
    with pytest.raises(Undecided):
        OwedReviewsBound().complete(relaxed)


def test_the_nearby_search_moves_the_hint_only_where_it_must() -> None:
    problem = CompletionProblem(
        parties=6,
        reviewers=(0, 1, 2, 3, 4, 5),
        pur=(4, 4, 5, 5),
        sibling=(1, 0, 3, 2),
        eligible=((0, 1), (0, 1, 2, 3), (2, 3), (0, 1, 2, 3)),
        fixed=(-1, -1, -1, -1),
        min_reviews=0,
        max_reviews=1,
        hint=(2, 1, 2, 3),  # slot 0 cannot take 2
    )
    found = NearbySearch().complete(problem)
    assert found is not None
    assert problem.keeps_rules(found)
    assert found[2:] == [2, 3]
    from_scratch = NearbySearch().complete(attrs.evolve(problem, hint=None))
    assert from_scratch is not None
    assert problem.keeps_rules(from_scratch)


def test_a_long_augmenting_path_needs_no_recursion() -> None:
    from untoc_core.drawing.search import _augment  # noqa: PLC0415 - the helper itself

    n = 5000  # far deeper than Python's default recursion limit
    options = {r: [r, r + 1] for r in range(n)} | {n: [0]}
    slot_of = {r: r for r in range(n)}  # each reviewer holds its first slot
    assert _augment(n, options, slot_of)
    assert slot_of[0] == n
    assert all(slot_of[r + 1] == r for r in range(n))
    assert not _augment(n, options, slot_of), "every slot is taken now"
