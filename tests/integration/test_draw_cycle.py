"""Whole cycles drawn with the default solvers (plain search, then CP-SAT)."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.draw_pools import (
    all_fillings,
    check_rules,
    mutual_problems,
    party,
    seed,
    small_pool,
)
from untoc_adapters.solvers import CpSatSolver, LinearRelaxation, default_solver
from untoc_core.drawing.assignment import CycleAssignment
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.search import CompletionProblem, Undecided
from untoc_core.drawing.simulate import CycleDraw, draw_cycle
from untoc_core.drawing.stream import LotStream
from untoc_core.drawing.years import draw_years
from untoc_core.terms import Instrument, TreatyStatus

TIP, SOM = Instrument.TIP, Instrument.SOM


def cycle_of(pool: list[DrawParty], n: int, years: int = 3) -> CycleDraw:
    """A whole cycle of ``pool`` drawn from seed ``n`` with the default solvers."""
    return draw_cycle(
        pool,
        seed=seed(n),
        years=years,
        min_reviews=1,
        max_reviews=3,
        solver=default_solver(),
    )


@pytest.mark.parametrize("n", range(25))
def test_every_rule_holds_in_a_whole_cycle(n: int) -> None:
    pool = small_pool()
    draw = cycle_of(pool, n)
    check_rules(
        pool,
        [(r.under_review, r.reviewers, r.same_region_reviewer) for r in draw.reviews],
    )
    assert len(draw.reviews) == len(pool)


def test_a_cycle_is_drawn_again_identically_from_its_seed() -> None:
    pool = small_pool()
    first = cycle_of(pool, 7)
    second = cycle_of(pool, 7)
    assert first == second
    other = cycle_of(pool, 8)
    assert other.reviews != first.reviews


def test_a_similar_legal_system_is_preferred_for_the_same_region_reviewer() -> None:
    north = [party(f"N{i}", "North", traditions=("civil_law",)) for i in range(4)]
    north.append(party("NC", "North", traditions=("common_law",)))
    north.append(party("ND", "North", traditions=("common_law",)))
    for n in range(10):
        draw = cycle_of(north, n, years=1)
        for review in draw.reviews:
            if review.under_review in ("NC", "ND"):
                # the other common-law State is allowed unless rules forbid it
                assert review.same_region_reviewer is not None


def convention_only_corner() -> list[DrawParty]:
    """Four Convention-only States can review only each other and the signatory;
    the five Protocol parties must review each other in a perfect round."""
    return [
        *(party(f"C{i}", "East") for i in range(4)),
        *(party(f"P{i}", "East", (TIP, SOM)) for i in range(5)),
        party("SIG", "East", status=TreatyStatus.SIGNATORY),
    ]


def every_load_at_the_maximum() -> list[DrawParty]:
    """Eight States parties and four signatories: 24 reviews for 8 reviewers, so
    every State party performs exactly three (ToR 20 at its limit)."""
    return [
        *(party(f"A{i}", "West" if i % 2 else "North") for i in range(8)),
        *(
            party(f"Z{i}", "West" if i % 2 else "North", status=TreatyStatus.SIGNATORY)
            for i in range(4)
        ),
    ]


def a_small_world() -> list[DrawParty]:
    """Three groups shaped like the shipped registry: a few Convention-only States
    in each, a Protocol ladder (none, TIP, TIP and SOM), one entity outside."""
    pool = []
    for g, group in enumerate(("Asia", "Africa", "Europe")):
        pool += [party(f"{group[:2]}C{i}", group) for i in range(2 + g % 2)]
        pool += [party(f"{group[:2]}T{i}", group, (TIP,)) for i in range(2)]
        pool += [party(f"{group[:2]}P{i}", group, (TIP, SOM)) for i in range(4)]
    return [*pool, party("XEU", None, (TIP, SOM))]


@pytest.mark.parametrize(
    "pool",
    [convention_only_corner(), every_load_at_the_maximum(), a_small_world()],
    ids=["convention-only corner", "every load at the maximum", "a small world"],
)
def test_a_tight_registry_never_runs_into_a_dead_end(pool: list[DrawParty]) -> None:
    for n in range(20):
        draw = cycle_of(pool, n)
        check_rules(
            pool,
            [
                (r.under_review, r.reviewers, r.same_region_reviewer)
                for r in draw.reviews
            ],
        )
        assert len(draw.reviews) == len(pool)


def exact_allowed(engine: CycleAssignment, slot: int) -> list[str]:
    """Every code for which CP-SAT completes the cycle with it in ``slot``."""
    found = []
    for r in engine._static[slot]:
        fixed = list(engine.picks)
        fixed[slot] = r
        problem = engine.problem(fixed)
        if CpSatSolver().complete(problem) is not None:
            found.append(engine.parties[r].code)
    return found


def engine_of(pool: list[DrawParty], years: int, n: int) -> CycleAssignment:
    """The reviewers' engine of ``pool``, its years drawn from seed ``n``."""
    drawn = draw_years(pool, years, LotStream(seed(n)))
    return CycleAssignment(
        pool,
        drawn.review_years,
        min_reviews=1,
        max_reviews=3,
        solver=default_solver(),
    )


@settings(max_examples=10, deadline=None)
@given(n=st.integers(0, 10_000))
def test_the_allowed_candidates_are_exactly_those_of_some_complete_filling(
    n: int,
) -> None:
    engine = engine_of(small_pool(), 2, n)
    stream = LotStream(seed(n))
    for s in range(len(engine.slots)):
        allowed = engine.allowed(s)
        assert allowed == exact_allowed(engine, s)
        engine.pick(s, allowed[stream.below(len(allowed), "x").value])


def test_the_transcript_has_one_line_per_reviewer_pick() -> None:
    draw = cycle_of(small_pool(), 3)
    assert len(draw.transcript) == 2 * len(draw.reviews)
    chosen = [p.choice for p in draw.transcript]
    assert chosen == [r for review in draw.reviews for r in review.reviewers]
    assert all(
        p.candidates >= 1 and len(p.candidates_sha256) == 64 for p in draw.transcript
    )
    assert draw.years.lots, "the shuffles of the review years keep their lots"


@settings(max_examples=80, deadline=None)
@given(problem=mutual_problems())
def test_the_ortools_solvers_agree_with_trying_every_filling(
    problem: CompletionProblem,
) -> None:
    exists = bool(all_fillings(problem))
    found = CpSatSolver().complete(problem)
    assert (found is not None) == exists
    if found is not None:
        assert problem.keeps_rules(found)
    try:
        relaxed = LinearRelaxation().complete(problem)
    except Undecided:
        relaxed = []
    assert relaxed == [] or (relaxed is None and not exists)


def test_the_relaxation_proves_two_states_cannot_review_each_other() -> None:
    problem = CompletionProblem(
        parties=3,
        reviewers=(0, 1, 2),
        pur=(0, 0, 1, 1),
        sibling=(1, 0, 3, 2),
        eligible=((1,), (1, 2), (0,), (0, 2)),
        fixed=(-1, -1, -1, -1),
        min_reviews=0,
        max_reviews=3,
    )
    assert LinearRelaxation().complete(problem) is None
    assert CpSatSolver().complete(problem) is None
    with pytest.raises(Undecided):
        LinearRelaxation().complete(attrs.evolve(problem, mutual=False))


@pytest.mark.parametrize("n", range(4))
def test_the_owed_reviews_test_rules_out_only_what_cannot_be_completed(n: int) -> None:
    # A registry where, late in the cycle, the States that still owe a review
    # need every open slot they may fill: the test then rules candidates out.
    engine = engine_of(convention_only_corner(), 3, n)
    stream = LotStream(seed(n))
    ruled_out = 0
    for s in range(len(engine.slots)):
        local = {engine.index[c] for c in engine.allowed(s)}
        test = engine._owed_test()
        candidates = {r for r in engine._static[s] if engine._locally_allowed(s, r)}
        passing = test.passing(s, candidates)
        exact = {engine.index[c] for c in exact_allowed(engine, s)}
        assert exact == local
        assert exact <= passing  # never rules out a candidate that could fill it
        ruled_out += len(candidates - passing)
        allowed = sorted(local)
        engine.pick(
            s, engine.parties[allowed[stream.below(len(allowed), "x").value]].code
        )
    assert ruled_out > 0


def test_the_first_witness_keeps_every_rule_filled_greedily_or_by_the_solver() -> None:
    # The greedy fill succeeds on most draws of this tight registry and fails on
    # some; the engine then asks the solver. Either way its witness keeps every
    # rule.
    outcomes = set()
    for n in range(40):
        engine = engine_of(convention_only_corner(), 3, n)
        greedy = engine._greedy_witness()
        outcomes.add(greedy is not None)
        problem = engine.problem(list(engine.picks))
        assert problem.keeps_rules(engine._witness)
        if greedy is not None:
            assert problem.keeps_rules(greedy)
    assert outcomes == {True, False}


@pytest.mark.parametrize("n", range(3))
def test_the_owed_placement_started_from_the_witness_answers_as_one_searched(
    n: int,
) -> None:
    engine = engine_of(convention_only_corner(), 3, n)
    started = engine._owed_test()  # started from the witness
    searched = engine._owed_matching()  # placed by its own searches
    # A pair that does not fit (a State in its own slot) is checked and dropped.
    searched.start_from([(0, engine._pur[0])])
    stream = LotStream(seed(n))
    for s in range(len(engine.slots)):
        everyone = set(engine.reviewers)
        assert started.passing(s, everyone) == searched.passing(s, everyone)
        allowed = engine.allowed(s)
        engine.pick(s, allowed[stream.below(len(allowed), "x").value])
        searched.changed(s)
