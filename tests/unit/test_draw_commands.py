"""The recorded drawing of lots: given events, when a command, then an event or refusal.

The first part decides commands on states built from events (no store); the second
runs the Mechanism's methods on a memory store, with the seed ceremony, to check the
inputs' hash, the registry as it stood at the announcement, the frozen inputs, the
refusals that record nothing, and the replay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

import attrs
import pytest

from tests.draw_mechanism import (
    CIRCULATED,
    GROUPS,
    START,
    announce,
    establish_cycle,
    expert_id,
    fix,
    hold_ceremony,
    prepare,
    registry_csv,
)
from tests.draw_pools import TIP, party, seed
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.storage.memory import open_memory_store
from untoc_core import Mechanism
from untoc_core.drawing.ceremony import InputsChanged
from untoc_core.drawing.commands import (
    AuthoriseExceptionalRedraw,
    Command,
    DeferReviewYear,
    DeferServing,
    DrawReviewers,
    DrawReviewYears,
    ExceptionalRedraw,
    RedrawReviewers,
    VolunteerForReview,
    check_pool,
    decide,
)
from untoc_core.drawing.events import (
    ExclusionReason,
    ReviewersDrawn,
    ReviewersRedrawn,
    ReviewYearsDrawn,
    ServingDeferred,
    ServingExclusion,
    ServingRole,
    SlotPick,
    stream_of,
)
from untoc_core.drawing.inputs import (
    experts_listed,
    parse_draw_id,
    reviewers_draw_id,
    stale_blocks_of,
    years_draw_id,
    years_inputs,
)
from untoc_core.drawing.model import CycleDraws, evolve
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.refusals import (
    ExpertListNotCirculated,
    InputsFrozen,
    NotEnoughReviewers,
    RedrawRefused,
    ReviewersDrawRefused,
    ReviewYearDeferralRefused,
    ReviewYearsAlreadyDrawn,
    ReviewYearsNotDrawn,
    SeedNotFixed,
    ServingDeferralRefused,
    StaleRegistry,
    VolunteerRefused,
)
from untoc_core.drawing.stream import Lot
from untoc_core.drawing.verify import verify_history
from untoc_core.errors import (
    ConferenceDecisionRefused,
    DomainError,
    DrawImpossible,
    InvalidInput,
    MutualReviewUnavoidable,
    NoEligibleReviewer,
    NoSameRegionReviewer,
    ReviewLoadImpossible,
    SignatoryCannotReview,
    UntocError,
)
from untoc_core.events import Event
from untoc_core.ports import NewEvents
from untoc_core.registry import WithdrawGovernmentalExpert, reference_snapshot
from untoc_core.rules import default_rulebook
from untoc_core.terms import Instrument, TreatyStatus

RULES = default_rulebook()


def pool_of(groups: dict[str, int], **extra: DrawParty) -> tuple[DrawParty, ...]:
    """``n`` States per group, coded by the group's first letter and a number."""
    found = [
        party(f"{group[0]}{i:02d}", group)
        for group, n in groups.items()
        for i in range(n)
    ]
    return tuple(sorted([*found, *extra.values()], key=lambda p: p.code))


POOL = pool_of({"North": 6, "South": 6})


def apply(state: CycleDraws, command: Command) -> tuple[CycleDraws, Event]:
    """The state after deciding ``command``, and its one event."""
    (event,) = decide(state, command, rulebook=RULES)
    return evolve(state, event, state.version + 1), event


def years_command(
    pool: Sequence[DrawParty] = POOL, years: int = 2, n: int = 1
) -> DrawReviewYears:
    """The draw of the review years of cycle 1, from seed ``n``."""
    return DrawReviewYears(
        cycle=1,
        starts_on=START,
        years=years,
        parties_per_year=(),
        pool=tuple(pool),
        registry_version=7,
        seed=seed(n).hex(),
    )


def years_drawn(
    pool: Sequence[DrawParty] = POOL, years: int = 2, n: int = 1
) -> CycleDraws:
    state, _ = apply(CycleDraws(cycle=1), years_command(pool, years, n))
    return state


def draw_year(
    state: CycleDraws, year: int, n: int = 2, without: tuple[str, ...] = ()
) -> CycleDraws:
    state, _ = apply(state, reviewers_command(year, n, without))
    return state


def reviewers_command(
    year: int, n: int = 2, without: tuple[str, ...] = ()
) -> DrawReviewers:
    return DrawReviewers(
        cycle=1,
        year=year,
        seed=seed(n + year).hex(),
        registry_version=9,
        circulated_on=CIRCULATED,
        circulation_version=8,
        without_experts=without,
    )


def refused(state: CycleDraws, command: Command) -> DomainError:
    with pytest.raises(DomainError) as caught:
        decide(state, command, rulebook=RULES)
    return caught.value


def assert_labels_unique(state: CycleDraws) -> None:
    """No label of a reviewer pick is used twice, so no word is read twice.

    The shuffles of the review years read one label per group, word after word.
    """
    labels = [p.label for p in state.transcript if isinstance(p, SlotPick)]
    assert labels
    assert len(labels) == len(set(labels))


def check_rules(state: CycleDraws) -> None:
    """Every rule of ToR 18-20 on the slots filled so far."""
    pairs = set()
    for (year, pur, kind), r in state.filled.items():
        assert r != pur
        assert state.pool[r].can_review
        assert state.pool[pur].protocols <= state.pool[r].protocols
        if kind == "same-region":
            assert state.pool[r].regional_group == state.pool[pur].regional_group
        assert r not in {e.code for e in state.exclusions(year)}
        pairs.add((r, pur))
    assert not any((p, r) in pairs for r, p in pairs), "mutual review"
    load = Counter(state.filled.values())
    assert all(n <= RULES.draw.max_reviews_per_cycle for n in load.values())
    if state.next_year_to_draw() is None:
        assert all(load[p.code] >= 1 for p in state.pool.values() if p.can_review)


# -- review years (ToR 12-14, 45, 57) -------------------------------------------------


def test_the_review_years_schedule_every_state_once_with_quotas_per_group() -> None:
    state = years_drawn()
    drawn = state.years
    assert drawn is not None
    scheduled = [c for codes in drawn.review_years for c in codes]
    assert sorted(scheduled) == [p.code for p in POOL]
    assert drawn.quotas == {"North": (3, 3), "South": (3, 3)}
    assert drawn.draw_id == "cycle-1/years"
    assert drawn.seed == seed(1).hex()
    assert drawn.lots
    assert all(lot.label.startswith("years/") for lot in drawn.lots)
    assert state.transcript == drawn.lots


def test_the_inputs_hash_covers_every_input_of_the_years_draw() -> None:
    drawn = years_drawn().years
    assert drawn is not None
    same = years_inputs(
        cycle=1,
        starts_on=START,
        years=2,
        parties_per_year=(),
        registry_version=7,
        pool=POOL,
        rulebook=RULES,
    )
    assert same.sha256 == drawn.inputs_sha256
    assert same.document["parties"][0] == {
        "code": "N00",
        "regional_group": "North",
        "legal_traditions": ["civil_law"],
        "protocols": [],
        "status": "party",
    }
    changes = [
        {"registry_version": 8},
        {"years": 3},
        {"starts_on": START + dt.timedelta(days=1)},
        {"pool": POOL[1:]},
        {"parties_per_year": (5, 7)},
    ]
    base = {
        "cycle": 1,
        "starts_on": START,
        "years": 2,
        "parties_per_year": (),
        "registry_version": 7,
        "pool": POOL,
        "rulebook": RULES,
    }
    for change in changes:
        assert years_inputs(**(base | change)).sha256 != drawn.inputs_sha256, change


def test_the_review_years_are_drawn_once() -> None:
    state = years_drawn()
    error = refused(state, years_command())
    assert isinstance(error, ReviewYearsAlreadyDrawn)
    assert error.provision == "ToR-13b"


def test_the_conference_numbers_per_year_are_kept_or_the_draw_is_refused() -> None:
    command = attrs.evolve(years_command(), parties_per_year=(4, 8))
    state, event = apply(CycleDraws(cycle=1), command)
    assert isinstance(event, ReviewYearsDrawn)
    assert [len(codes) for codes in state.review_years] == [4, 8]
    error = refused(CycleDraws(cycle=1), attrs.evolve(command, parties_per_year=(4, 7)))
    assert isinstance(error, ConferenceDecisionRefused)
    assert "4, 7" in str(error)
    assert "12 are to be reviewed" in str(error)


@pytest.mark.parametrize(
    ("pool", "refusal", "words"),
    [
        ((party("A01", "North"), party("A02", "North")), NotEnoughReviewers, "two"),
        (
            pool_of({"North": 3, "South": 3}, X=party("N09", "North", (TIP,))),
            NoEligibleReviewer,
            "N09 is a party to TIP",
        ),
        (pool_of({"North": 3, "South": 1}), NoSameRegionReviewer, "only State party"),
        (
            pool_of(
                {"North": 3, "South": 3},
                A=party("S07", "South", (TIP,)),
                B=party("N07", "North", (TIP,)),
                C=party("N08", "North", (TIP,)),
            ),
            NoEligibleReviewer,
            "no other State party of the group of South",
        ),
        (pool_of({"North": 3, "South": 2}), MutualReviewUnavoidable, "each other"),
        (
            (
                *(party(f"T{i}", "North", (TIP,)) for i in range(4)),
                party("U0", "North"),
            ),
            ReviewLoadImpossible,
            "between 1 and 3",
        ),
    ],
)
def test_a_pool_that_breaks_a_rule_is_refused_naming_it(
    pool: tuple[DrawParty, ...], refusal: type[DomainError], words: str
) -> None:
    error = refused(CycleDraws(cycle=1), years_command(pool, years=1))
    assert type(error) is refusal, error
    assert words in str(error)


def test_check_pool_accepts_a_state_outside_the_groups_with_two_reviewers() -> None:
    check_pool((*POOL, party("XEU", None)))


def test_a_stale_registry_is_refused_unless_accepted_and_then_recorded() -> None:
    command = attrs.evolve(
        years_command(), stale_blocks=("Protocol membership (as of 2014-07-10)",)
    )
    with pytest.raises(StaleRegistry) as caught:
        decide(CycleDraws(cycle=1), command, rulebook=RULES)
    assert caught.value.blocks == command.stale_blocks
    assert "Protocol membership (as of 2014-07-10)" in str(caught.value)
    state, event = apply(
        CycleDraws(cycle=1), attrs.evolve(command, accept_stale_registry=True)
    )
    assert isinstance(event, ReviewYearsDrawn)
    assert event.stale_registry_accepted
    with pytest.raises(StaleRegistry):
        decide(state, reviewers_command(1), rulebook=RULES)
    _, accepted = apply(
        state, attrs.evolve(reviewers_command(1), accept_stale_registry=True)
    )
    assert isinstance(accepted, ReviewersDrawn)
    assert accepted.stale_registry_accepted


def test_volunteers_are_signatories_before_the_review_years() -> None:
    state, _ = apply(
        CycleDraws(cycle=1),
        VolunteerForReview(cycle=1, code=" wdy ", status=TreatyStatus.SIGNATORY),
    )
    assert state.volunteers == ("WDY",)
    for status, words in [
        (TreatyStatus.PARTY, "reviewed in every cycle"),
        (TreatyStatus.NONE, "not a signatory"),
    ]:
        error = refused(
            CycleDraws(cycle=1), VolunteerForReview(cycle=1, code="X", status=status)
        )
        assert isinstance(error, VolunteerRefused)
        assert words in str(error)
    error = refused(
        state, VolunteerForReview(cycle=1, code="WDY", status=TreatyStatus.SIGNATORY)
    )
    assert "already volunteered" in str(error)
    error = refused(
        years_drawn(),
        VolunteerForReview(cycle=1, code="WDY", status=TreatyStatus.SIGNATORY),
    )
    assert "volunteers before that draw" in str(error)


def test_a_volunteering_signatory_is_reviewed_but_never_reviews() -> None:
    signatory = party("WDY", "North", status=TreatyStatus.SIGNATORY)
    state = years_drawn((*POOL, signatory))
    state = draw_year(draw_year(state, 1), 2)
    year = state.year_of("WDY")
    assert year is not None
    assert len(state.reviewers_of(year, "WDY").reviewers) == 2
    assert state.reviewed_by("WDY") == []
    assert state.instruments_of("WDY") == (Instrument.UNTOC,)
    error = refused(state, DeferServing(cycle=1, year=year, code="WDY"))
    assert isinstance(error, SignatoryCannotReview)


# -- deferring a review (ToR 14(c)) ---------------------------------------------------


def test_a_review_is_deferred_once_to_the_following_year_with_a_justification() -> None:
    state = years_drawn()
    code = state.review_years[0][0]
    after, event = apply(
        state, DeferReviewYear(cycle=1, code=code.lower(), justification=" elections ")
    )
    assert (event.from_year, event.to_year, event.justification) == (1, 2, "elections")
    assert after.review_years[1][-1] == code
    assert code not in after.review_years[0]
    error = refused(after, DeferReviewYear(cycle=1, code=code, justification="again"))
    assert isinstance(error, ReviewYearDeferralRefused)
    assert "once" in str(error)


@pytest.mark.parametrize(
    ("year", "justification", "drawn", "words"),
    [
        (2, "elections", False, "cannot defer beyond the cycle"),
        (1, "  ", False, "reasonable justification"),
        (1, "elections", True, "only before that draw"),
    ],
)
def test_a_deferral_of_the_review_is_refused_citing_tor_14c(
    year: int, justification: str, drawn: bool, words: str
) -> None:
    state = years_drawn()
    if drawn:
        state = draw_year(state, 1)
    code = state.review_years[year - 1][0]
    error = refused(
        state, DeferReviewYear(cycle=1, code=code, justification=justification)
    )
    assert error.provision == "ToR-14c"
    assert words in str(error)


def test_a_deferral_before_the_review_years_and_of_a_stranger_are_refused() -> None:
    command = DeferReviewYear(cycle=1, code="N01", justification="x")
    assert refused(CycleDraws(cycle=1), command).provision == "ToR-14c"
    with pytest.raises(InvalidInput, match="not reviewed in cycle 1"):
        decide(years_drawn(), attrs.evolve(command, code="ZZZ"), rulebook=RULES)


# -- reviewers (ToR 18-21) -------------------------------------------------------------


def test_each_year_draws_its_slots_by_lot_in_order_keeping_every_rule() -> None:
    state = years_drawn()
    state = draw_year(state, 1)
    drawn = state.drawn[1]
    assert drawn.draw_id == "cycle-1/year-1/reviewers"
    assert [(p.year, p.under_review) for p in drawn.picks] == [
        (1, code) for code in state.review_years[0] for _ in range(2)
    ]
    assert all(p.label == f"reviewers/1/{p.under_review}/{p.kind}" for p in drawn.picks)
    assert [r.under_review for r in drawn.reviews] == list(state.review_years[0])
    assert state.reviews(2)
    assert all(not r.reviewers for r in state.reviews(2))
    state = draw_year(state, 2)
    check_rules(state)
    assert_labels_unique(state)


def test_reviewers_are_drawn_after_the_review_years_once_and_in_order() -> None:
    assert isinstance(
        refused(CycleDraws(cycle=1), reviewers_command(1)), ReviewYearsNotDrawn
    )
    state = years_drawn()
    error = refused(state, reviewers_command(2))
    assert isinstance(error, ReviewersDrawRefused)
    assert "year 1 of cycle 1 are not drawn yet" in str(error)
    state = draw_year(state, 1)
    error = refused(state, reviewers_command(1))
    assert "drawn already" in str(error)
    with pytest.raises(InvalidInput, match="years 1 to 2, not 3"):
        decide(state, reviewers_command(3), rulebook=RULES)


def test_states_without_an_expert_on_the_list_do_not_serve_that_year() -> None:
    state = years_drawn()
    absent = ("N01", "S02")
    state = draw_year(state, 1, without=absent)
    drawn = state.drawn[1]
    assert drawn.excluded == tuple(
        ServingExclusion(code=c, reason=ExclusionReason.NO_GOVERNMENTAL_EXPERT)
        for c in absent
    )
    assert not {p.choice for p in drawn.picks} & set(absent)
    state = draw_year(state, 2)
    check_rules(state)
    assert all(state.reviewed_by(c) for c in absent)  # they serve in year 2


def test_the_same_region_slot_prefers_a_similar_legal_system() -> None:
    common = party("N09", "North", traditions=("common_law",))
    lonely = party("N10", "North", traditions=("common_law", "customary_law"))
    state = years_drawn((*POOL, common, lonely), years=1)
    state = draw_year(state, 1)
    same = {r.under_review: r.same_region_reviewer for r in state.reviews(1)}
    assert same["N09"] == "N10" or same["N10"] == "N09"
    pick = next(
        p
        for p in state.transcript
        if isinstance(p, SlotPick)
        and p.kind == "same-region"
        and p.choice in {"N09", "N10"}
        and p.under_review in {"N09", "N10"}
    )
    assert pick.candidates == 1


# -- repeated draws (ToR 19(d)) --------------------------------------------------------


def test_a_state_may_have_its_reviewers_drawn_again_twice_never_the_same() -> None:
    state = draw_year(years_drawn(pool_of({"North": 8, "South": 8})), 1)
    code = state.review_years[0][0]
    seen = set(state.reviewers_of(1, code).reviewers)
    for number in (1, 2):
        state, event = apply(state, RedrawReviewers(cycle=1, year=1, under_review=code))
        assert isinstance(event, ReviewersRedrawn)
        assert event.redraw == number
        assert not set(event.reviews.reviewers) & seen
        assert set(event.excluded) == seen
        assert all(p.label.endswith(f"/redraw{number}") for p in event.picks)
        seen |= set(event.reviews.reviewers)
        check_rules(state)
    assert state.redraw_counts(1)[code] == 2
    error = refused(state, RedrawReviewers(cycle=1, year=1, under_review=code))
    assert isinstance(error, RedrawRefused)
    assert "authorisation for exceptional circumstances" in str(error)
    state, authorised = apply(
        state,
        AuthoriseExceptionalRedraw(
            cycle=1, year=1, under_review=code, reason=" war ", decided_by="COP 12/1"
        ),
    )
    assert (authorised.redraw, authorised.reason) == (3, "war")
    state, event = apply(state, RedrawReviewers(cycle=1, year=1, under_review=code))
    assert isinstance(event, ReviewersRedrawn)
    assert (event.redraw, event.authorised_by) == (3, "COP 12/1")
    assert_labels_unique(state)


def test_a_redraw_that_cannot_avoid_the_released_reviewers_is_refused() -> None:
    # In a group of three, the same-region reviewers form a cycle: the one a State
    # does not have is one it reviews, so no other can be drawn for it.
    state = draw_year(years_drawn(pool_of({"North": 3, "South": 3}), years=1), 1)
    code = state.review_years[0][0]
    error = refused(state, RedrawReviewers(cycle=1, year=1, under_review=code))
    assert isinstance(error, RedrawRefused)
    assert "stay as drawn" in str(error)


def test_an_authorisation_is_only_for_a_repeat_beyond_the_second() -> None:
    state = draw_year(years_drawn(), 1)
    code = state.review_years[0][0]
    command = AuthoriseExceptionalRedraw(
        cycle=1, year=1, under_review=code, reason="war", decided_by="COP"
    )
    with pytest.raises(InvalidInput, match="only beyond them"):
        decide(state, command, rulebook=RULES)
    with pytest.raises(InvalidInput, match="is required"):
        decide(state, attrs.evolve(command, reason=" "), rulebook=RULES)
    with pytest.raises(InvalidInput, match="not under review in year 1"):
        decide(
            state,
            attrs.evolve(command, under_review=state.review_years[1][0]),
            rulebook=RULES,
        )
    assert isinstance(refused(years_drawn(), command), RedrawRefused)


# -- deferring service (ToR 20) --------------------------------------------------------


def test_a_state_under_review_defers_serving_before_its_year_is_drawn() -> None:
    state = years_drawn()
    code = state.review_years[0][0]
    state, event = apply(state, DeferServing(cycle=1, year=1, code=code))
    assert isinstance(event, ServingDeferred)
    assert (event.role, event.picks) == (ServingRole.UNDER_REVIEW, ())
    state = draw_year(state, 1)
    assert ServingExclusion(code=code, reason=ExclusionReason.DEFERRED_SERVING) in (
        state.drawn[1].excluded
    )
    assert not [p for y, p in state.reviewed_by(code) if y == 1]
    error = refused(state, DeferServing(cycle=1, year=1, code=code))
    assert "already deferred" in str(error)


def test_a_drawn_reviewer_defers_and_its_slots_are_drawn_again() -> None:
    state = draw_year(years_drawn(), 1)
    reviewer = state.reviews(1)[0].reviewers[0]
    reviewed = [p for y, p in state.reviewed_by(reviewer) if y == 1]
    role = (
        ServingRole.UNDER_REVIEW
        if state.year_of(reviewer) == 1
        else (ServingRole.REVIEWER)
    )
    state, event = apply(
        state, DeferServing(cycle=1, year=1, code=reviewer, justification=" ill ")
    )
    assert isinstance(event, ServingDeferred)
    assert event.role is role
    assert event.justification == "ill"
    assert sorted(p.under_review for p in event.picks) == reviewed
    assert all(p.label.endswith("/deferral1") for p in event.picks)
    assert [r.under_review for r in event.reviews] == reviewed
    assert_labels_unique(state)
    assert not event.redraw_exclusions_lifted
    assert not [p for y, p in state.reviewed_by(reviewer) if y == 1]
    check_rules(draw_year(state, 2))


def test_serving_is_deferred_only_by_a_state_under_review_or_drawn_that_year() -> None:
    state = draw_year(years_drawn(), 1)
    code = state.review_years[0][0]
    error = refused(state, DeferServing(cycle=1, year=2, code=code))
    assert isinstance(error, ServingDeferralRefused)
    assert "neither under review in year 2" in str(error)
    assert refused(
        CycleDraws(cycle=1), DeferServing(cycle=1, year=1, code=code)
    ).provision == ("ToR-20a")
    with pytest.raises(InvalidInput, match="not a State of cycle 1"):
        decide(state, DeferServing(cycle=1, year=1, code="ZZZ"), rulebook=RULES)


def test_a_deferral_that_leaves_the_cycle_impossible_is_refused() -> None:
    state = years_drawn(pool_of({"North": 3, "South": 3}), years=1)
    error = refused(state, DeferServing(cycle=1, year=1, code="N00"))
    assert isinstance(error, ReviewLoadImpossible)
    assert error.provision == "ToR-20b"


# -- replay (ToR 3(a)) ----------------------------------------------------------------


def _history() -> list[tuple[int, Event]]:
    state = years_drawn()
    events: list[Event] = [state.years] if state.years else []
    state, event = apply(
        state,
        DeferReviewYear(cycle=1, code=state.review_years[0][0], justification="x"),
    )
    events.append(event)
    state, event = apply(state, reviewers_command(1, without=("S03",)))
    events.append(event)
    code = state.review_years[0][0]
    state, event = apply(state, RedrawReviewers(cycle=1, year=1, under_review=code))
    events.append(event)
    state, event = apply(
        state, DeferServing(cycle=1, year=1, code=state.reviews(1)[1].reviewers[1])
    )
    events.append(event)
    return list(enumerate(events, start=1))


def test_a_recorded_history_replays_without_a_discrepancy() -> None:
    assert verify_history(_history(), rulebook=RULES, cycle=1) == []


def test_a_tampered_pick_is_found_by_the_replay() -> None:
    history = _history()
    version, event = history[2]
    assert isinstance(event, ReviewersDrawn)
    first = event.picks[0]
    other = next(
        p.code for p in POOL if p.code not in {first.choice, first.under_review}
    )
    tampered = attrs.evolve(
        event, picks=(attrs.evolve(first, choice=other), *event.picks[1:])
    )
    history[2] = (version, tampered)
    found = verify_history(history, rulebook=RULES, cycle=1)
    assert found
    assert found[0].version == version
    assert found[0].field == "picks"
    assert "field picks" in str(found[0])


def test_a_replay_that_is_refused_stops_and_says_so() -> None:
    history = _history()
    history.insert(1, history[0])  # the review years recorded twice
    found = verify_history(history, rulebook=RULES, cycle=1)
    assert len(found) == 1
    assert found[0].field == ""
    assert "[ToR-13b]" in str(found[0])


# -- draw ids and registry facts -------------------------------------------------------


def test_draw_ids_of_the_recorded_draws() -> None:
    assert years_draw_id(3) == "cycle-3/years"
    assert reviewers_draw_id(3, 2) == "cycle-3/year-2/reviewers"
    assert parse_draw_id("cycle-3/years") == (3, None)
    assert parse_draw_id("cycle-3/year-2/reviewers") == (3, 2)
    for other in (
        "cycle-0/years",
        "cycle-1/year-1",
        "audit/x",
        "cycle-1/year-01/reviewers",
    ):
        assert parse_draw_id(other) is None
    assert stream_of(3) == "draw/cycle-3"


# -- the Mechanism, on a memory store, with the seed ceremony ------------------------

NOW = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


@pytest.fixture
def mech(clock: SimulatedClock) -> Iterator[Mechanism]:
    store = open_memory_store()
    yield prepare(Mechanism(store, clock))
    store.close()


def records_nothing(mech: Mechanism, call: Callable[[], object]) -> UntocError:
    position = mech.store.last_position()
    with pytest.raises(UntocError) as caught:
        call()
    assert mech.store.last_position() == position
    return caught.value


def test_the_announced_hash_is_the_one_the_draw_computes(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    hold_ceremony(mech, clock, "cycle-1/years")
    (recorded,) = mech.draw_review_years(1)
    event = recorded.event
    assert isinstance(event, ReviewYearsDrawn)
    assert recorded.stream == "draw/cycle-1"
    assert recorded.actor == "secretariat"
    fixed = mech.ceremony("cycle-1/years").fixed
    assert fixed is not None
    assert event.inputs_sha256 == fixed.inputs_sha256
    assert event.seed == mech.ceremony("cycle-1/years").seed().hex()
    assert event.registry_version == mech.registry().version
    assert {p.code for p in event.pool} == {
        c for codes in GROUPS.values() for c in codes
    }
    assert event.stale_blocks == ()


def test_the_draw_reads_the_registry_as_it_stood_when_announced(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    name = announce(mech, clock, "cycle-1/years")
    announced_at = mech.registry().version
    mech.import_registry(
        registry_csv("QMR,Qumar,party,African States,2003-09-29\n"), source="later.csv"
    )
    fix(mech, clock, "cycle-1/years", name)
    (recorded,) = mech.draw_review_years(1)
    event = recorded.event
    assert isinstance(event, ReviewYearsDrawn)
    assert event.registry_version == announced_at < mech.registry().version
    assert "QMR" not in {p.code for p in event.pool}


def test_a_draw_needs_a_fixed_seed_for_the_inputs_announced(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    error = records_nothing(mech, lambda: mech.draw_review_years(1))
    assert isinstance(error, SeedNotFixed)
    assert "untoc draw announce cycle-1/years" in str(error)
    name = announce(mech, clock, "cycle-1/years")
    error = records_nothing(mech, lambda: mech.draw_review_years(1))
    assert isinstance(error, SeedNotFixed)
    assert "not fixed yet" in str(error)
    fix(mech, clock, "cycle-1/years", name)
    mech.draw_review_years(1)
    error = records_nothing(mech, lambda: mech.draw_reviewers(1, 1))
    assert isinstance(error, SeedNotFixed)


def test_a_recorded_draw_is_announced_only_with_the_hash_of_its_own_inputs(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    # A seed fixed for other inputs could never be used, and a fixed ceremony is
    # never announced again: the draw would be lost for good.
    error = records_nothing(
        mech, lambda: announce(mech, clock, "cycle-1/years", digest="CD" * 32)
    )
    assert isinstance(error, InputsChanged)
    assert error.provision == "ToR-5"
    assert mech.draw_inputs("cycle-1/years").sha256 in str(error)
    error = records_nothing(
        mech, lambda: announce(mech, clock, "cycle-1/year-1/reviewers", "cd" * 32)
    )
    assert isinstance(error, ReviewYearsNotDrawn)
    announce(mech, clock, "audit/sample-1", digest="cd" * 32)  # not a recorded draw
    digest = mech.draw_inputs("cycle-1/years").sha256
    announce(mech, clock, "cycle-1/years", digest=digest.upper())
    assert mech.ceremony("cycle-1/years").announcement is not None


def test_a_signatory_volunteers_only_for_an_established_cycle(
    mech: Mechanism,
) -> None:
    error = records_nothing(mech, lambda: mech.volunteer_for_review(2, "WDY"))
    assert isinstance(error, InvalidInput)
    assert "has not established cycle 2" in str(error)


def test_announcing_and_drawing_reviewers_needs_a_circulated_list(
    clock: SimulatedClock,
) -> None:
    mechanism = Mechanism(open_memory_store(), clock)
    mechanism.import_registry(registry_csv(), source="states.csv")
    establish_cycle(mechanism)
    hold_ceremony(mechanism, clock, "cycle-1/years")
    mechanism.draw_review_years(1)
    error = records_nothing(
        mechanism, lambda: mechanism.draw_inputs("cycle-1/year-1/reviewers")
    )
    assert isinstance(error, ExpertListNotCirculated)


def test_a_state_whose_expert_was_withdrawn_does_not_serve_that_year(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    hold_ceremony(mech, clock, "cycle-1/years")
    mech.draw_review_years(1)
    mech.withdraw_expert(
        WithdrawGovernmentalExpert(code="CRP", expert_id=expert_id("CRP"))
    )
    hold_ceremony(mech, clock, "cycle-1/year-1/reviewers")
    (recorded,) = mech.draw_reviewers(1, 1)
    event = recorded.event
    assert isinstance(event, ReviewersDrawn)
    assert event.excluded == (
        ServingExclusion(code="CRP", reason=ExclusionReason.NO_GOVERNMENTAL_EXPERT),
    )
    assert event.circulated_on == CIRCULATED
    assert "CRP" not in {p.choice for p in event.picks}


def test_draw_inputs_refuses_what_cannot_come_next(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    with pytest.raises(InvalidInput, match="not a draw the mechanism records"):
        mech.draw_inputs("audit/sample")
    with pytest.raises(InvalidInput, match="not a draw id"):
        mech.draw_inputs("Cycle 1")
    with pytest.raises(InvalidInput, match="has not established cycle 2"):
        mech.draw_inputs("cycle-2/years")
    with pytest.raises(ReviewYearsNotDrawn):
        mech.draw_inputs("cycle-1/year-1/reviewers")
    hold_ceremony(mech, clock, "cycle-1/years")
    mech.draw_review_years(1)
    with pytest.raises(ReviewYearsAlreadyDrawn):
        mech.draw_inputs("cycle-1/years")
    with pytest.raises(ReviewersDrawRefused):
        mech.draw_inputs("cycle-1/year-2/reviewers")
    document = mech.draw_inputs("cycle-1/year-1/reviewers").document
    assert document["expert_list"] == {
        "circulated_on": CIRCULATED.isoformat(),
        "registry_version": mech.registry().circulations[-1].version,
    }
    assert document["excluded"] == []


def test_the_inputs_of_an_announced_draw_are_frozen_until_it_is_drawn(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    announce(mech, clock, "cycle-1/years")
    error = records_nothing(mech, lambda: mech.volunteer_for_review(1, "WDY"))
    assert isinstance(error, InputsFrozen)
    assert "cycle-1/years" in str(error)


def test_a_deferral_that_changes_the_next_announced_draw_waits_for_it(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    hold_ceremony(mech, clock, "cycle-1/years")
    mech.draw_review_years(1)
    first = mech.review_years(1)[0][0]
    name = announce(mech, clock, "cycle-1/year-1/reviewers")
    error = records_nothing(mech, lambda: mech.defer_review_year(1, first, "elections"))
    assert isinstance(error, InputsFrozen)
    error = records_nothing(mech, lambda: mech.defer_serving(1, 1, first))
    assert isinstance(error, InputsFrozen)
    fix(mech, clock, "cycle-1/year-1/reviewers", name)
    mech.draw_reviewers(1, 1)
    (recorded,) = mech.defer_serving(1, 1, first, "a summit")
    assert recorded.actor == first
    assert isinstance(recorded.event, ServingDeferred)


def test_a_redraw_with_its_authorisation_records_both_at_once(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    hold_ceremony(mech, clock, "cycle-1/years")
    mech.draw_review_years(1)
    hold_ceremony(mech, clock, "cycle-1/year-1/reviewers")
    mech.draw_reviewers(1, 1)
    code = mech.review_years(1)[0][0]
    assert mech.redraw(1, 1, code)[0].actor == code
    mech.redraw(1, 1, code)
    with pytest.raises(InvalidInput, match="is required"):
        mech.redraw(1, 1, code, ExceptionalRedraw(reason="", decided_by="COP"))
    recorded = mech.redraw(
        1, 1, code.lower(), ExceptionalRedraw(reason="war", decided_by="COP 12/1")
    )
    assert [r.event.TYPE for r in recorded] == [
        "draw.ExceptionalRedrawAuthorised",
        "draw.ReviewersRedrawn",
    ]
    assert mech.redraw_counts(1, 1)[code] == 3
    assert len(mech.reviewers(1, 1)) == len(mech.review_years(1)[0])
    hold_ceremony(mech, clock, "cycle-1/year-2/reviewers")
    mech.draw_reviewers(1, 2)
    assert mech.verify_draws(1) == []
    transcript = mech.transcript(1)
    assert isinstance(transcript[0], Lot)
    assert isinstance(transcript[-1], SlotPick)


def test_verify_draws_compares_the_seed_with_the_ceremony(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    hold_ceremony(mech, clock, "cycle-1/years")
    (recorded,) = mech.draw_review_years(1)
    event = recorded.event
    assert isinstance(event, ReviewYearsDrawn)
    forged = attrs.evolve(event, seed=hashlib.sha256(b"x").hexdigest())
    other = Mechanism(open_memory_store(), clock)
    for r in mech.store.read_all(limit=10_000):
        if r.stream == "draw/cycle-1":
            continue
        other.store.append(
            _batch(r.stream, r.version - 1, r.event), recorded_at=NOW, actor=r.actor
        )
    other.store.append(_batch("draw/cycle-1", 0, forged), recorded_at=NOW, actor="x")
    found = other.verify_draws(1)
    assert [d.field for d in found][:1] == ["seed"]


def _batch(stream: str, expected: int, event: Event) -> NewEvents:
    return NewEvents(stream=stream, expected_version=expected, events=(event,))


def test_the_shipped_snapshot_is_stale_until_a_file_is_imported_after_it(
    clock: SimulatedClock,
) -> None:
    mechanism = Mechanism(open_memory_store(), clock)
    assert stale_blocks_of(mechanism.registry()) == ()
    mechanism.load_reference_snapshot()
    stale = stale_blocks_of(mechanism.registry())
    assert [b.split(" (as of ")[0] for b in stale] == [
        b.name for b in reference_snapshot().stale_blocks
    ]
    mechanism.import_registry(
        "iso3,name_en,untoc_status,tip\nALB,Albania,party,party\nAND,Andorra,party,party\n",
        source="refresh.csv",
    )
    assert stale_blocks_of(mechanism.registry()) == ()


def test_an_expert_counts_while_on_the_list_and_on_the_roster(mech: Mechanism) -> None:
    registry = mech.registry()
    circulation = registry.last_circulation()
    assert circulation is not None
    assert "ARC" in experts_listed(registry, circulation)
    mech.withdraw_expert(
        WithdrawGovernmentalExpert(code="ARC", expert_id=expert_id("ARC"))
    )
    assert "ARC" not in experts_listed(mech.registry(), circulation)


def test_the_stream_and_the_events_belong_to_the_cycle(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    mech.volunteer_for_review(1, "wdy")
    hold_ceremony(mech, clock, "cycle-1/years")
    mech.draw_review_years(1)
    records = mech.store.read_stream(stream_of(1))
    assert [r.event.TYPE for r in records] == [
        "draw.SignatoryVolunteered",
        "draw.ReviewYearsDrawn",
    ]
    assert records[0].actor == "WDY"
    state = mech.cycle_draws(1)
    assert state.pool["WDY"].status is TreatyStatus.SIGNATORY
    assert mech.cycle_draws(2) == CycleDraws(cycle=2)


def test_a_reviewers_draw_that_no_lot_could_complete_is_refused_when_announced(
    mech: Mechanism, clock: SimulatedClock
) -> None:
    hold_ceremony(mech, clock, "cycle-1/years")
    mech.draw_review_years(1)
    for code in GROUPS["African States"][1:]:
        mech.withdraw_expert(
            WithdrawGovernmentalExpert(code=code, expert_id=expert_id(code))
        )
    mech.circulate_expert_list(on=dt.date(2025, 12, 15))
    # Four African States are under review in year 1, and only ARC may serve then.
    error = records_nothing(mech, lambda: mech.draw_inputs("cycle-1/year-1/reviewers"))
    assert isinstance(error, DrawImpossible)
