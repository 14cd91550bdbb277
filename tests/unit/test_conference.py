"""Decisions of the Conference: given events, when a command, then events or refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given as for_all
from hypothesis import strategies as st

from untoc_core.conference import (
    Conference,
    ConferenceDecisionRecorded,
    Cycle,
    CycleEstablished,
    Decision,
    DefineThematicCluster,
    EstablishCycle,
    EstablishPhase,
    ExceptionGranted,
    ExceptionKind,
    GrantException,
    PhaseEstablished,
    RecordDecision,
    ThematicClusterDefined,
    decide,
    default_distribution,
    phase_remaining,
    replay,
)
from untoc_core.conference.commands import Command
from untoc_core.conference.model import evolve
from untoc_core.dates import ApproxDate
from untoc_core.errors import (
    ConferenceDecisionRefused,
    CycleOverlapRefused,
    InvalidInput,
    ThematicScopeRefused,
)
from untoc_core.events import Event
from untoc_core.instruments import ArticleRef
from untoc_core.registry import Registry
from untoc_core.registry import replay as replay_registry
from untoc_core.registry.events import (
    InstrumentDeposited,
    InstrumentSigned,
    Provenance,
    StateEntered,
)
from untoc_core.rules import default_rulebook
from untoc_core.terms import EntityType, Instrument, Language

DECISION = Decision(symbol="resolution 5/5", adopted_on=dt.date(2010, 10, 22))


def refs(*texts: str) -> tuple[ArticleRef, ...]:
    return tuple(ArticleRef.parse(t) for t in texts)


def cluster_defined(cluster_id: str, *articles: str) -> Event:
    return ThematicClusterDefined(
        cluster_id=cluster_id,
        title=cluster_id.title(),
        articles=tuple(sorted(refs(*articles))),
        decision=DECISION,
    )


def phase_established(phase: int) -> Event:
    return PhaseEstablished(phase=phase, title=f"Phase {phase}", decision=DECISION)


def cycle_established(
    phase: int, cycle: int, starts_on: dt.date, clusters: tuple[str, ...] = ("c1",)
) -> Event:
    return CycleEstablished(
        phase=phase,
        cycle=cycle,
        starts_on=starts_on,
        years=5,
        clusters=clusters,
        parties_per_year=(),
        decision=DECISION,
    )


def given(*events: Event) -> Conference:
    return replay(enumerate(events, start=1))


def when(events: tuple[Event, ...], command: Command) -> tuple[Event, ...]:
    return decide(given(*events), command)


def applied(commands: list[Command], state: Conference | None = None) -> Conference:
    state = state or Conference()
    for command in commands:
        for event in decide(state, command):
            state = evolve(state, event, state.version + 1)
    return state


ONE_CLUSTER = (cluster_defined("c1", "UNTOC 5", "TIP 5"),)
ONE_PHASE = (*ONE_CLUSTER, phase_established(1))
ONE_CYCLE = (*ONE_PHASE, cycle_established(1, 1, dt.date(2026, 1, 1)))


FIRST_CYCLE = EstablishCycle(
    phase=1,
    cycle=1,
    starts_on=dt.date(2026, 1, 1),
    years=5,
    clusters=("c1",),
    decision=DECISION,
)


def establish_cycle(**changes: Any) -> EstablishCycle:
    return attrs.evolve(FIRST_CYCLE, **changes)


# -- thematic clusters (RES 8(d)) -----------------------------------------------------


def test_a_cluster_is_defined_with_its_articles_in_order() -> None:
    command = DefineThematicCluster(
        cluster_id="c1",
        title=" Crime ",
        articles=refs("UNTOC 6", "UNTOC 5"),
        decision=DECISION,
    )
    assert when((), command) == (
        ThematicClusterDefined(
            cluster_id="c1",
            title="Crime",
            articles=refs("UNTOC 5", "UNTOC 6"),
            decision=DECISION,
        ),
    )


def test_a_cluster_naming_an_unknown_article_is_refused_citing_res_8d() -> None:
    command = DefineThematicCluster(
        cluster_id="c1",
        title="Crime",
        articles=refs("UNTOC 5", "TIP 99"),
        decision=DECISION,
    )
    with pytest.raises(
        ThematicScopeRefused, match=r"^\[RES-8d\] no such article: TIP 99$"
    ):
        when((), command)


def test_a_cluster_naming_an_article_twice_is_refused() -> None:
    command = DefineThematicCluster(
        cluster_id="c1",
        title="Crime",
        articles=refs("UNTOC 5", "UNTOC 5"),
        decision=DECISION,
    )
    with pytest.raises(ThematicScopeRefused, match="names an article twice"):
        when((), command)


def test_a_cluster_without_articles_is_refused() -> None:
    command = DefineThematicCluster(
        cluster_id="c1", title="Crime", articles=(), decision=DECISION
    )
    with pytest.raises(ThematicScopeRefused, match="names no article"):
        when((), command)


def test_a_cluster_id_cannot_be_defined_twice() -> None:
    command = DefineThematicCluster(
        cluster_id="c1", title="Again", articles=refs("UNTOC 6"), decision=DECISION
    )
    with pytest.raises(ThematicScopeRefused, match="'c1' is already defined"):
        when(ONE_CLUSTER, command)


@pytest.mark.parametrize(("cluster_id", "title"), [(" ", "Crime"), ("c1", " ")])
def test_a_cluster_needs_an_id_and_a_title(cluster_id: str, title: str) -> None:
    command = DefineThematicCluster(
        cluster_id=cluster_id, title=title, articles=refs("UNTOC 5"), decision=DECISION
    )
    with pytest.raises(InvalidInput, match="needs an id and a title"):
        when((), command)


# -- phases and cycles (ToR 45) -------------------------------------------------------


def test_the_first_phase_is_phase_1() -> None:
    assert when((), EstablishPhase(phase=1, title=" First ", decision=DECISION)) == (
        PhaseEstablished(phase=1, title="First", decision=DECISION),
    )


@pytest.mark.parametrize(("events", "phase"), [((), 2), ((phase_established(1),), 3)])
def test_phases_are_numbered_in_order(events: tuple[Event, ...], phase: int) -> None:
    with pytest.raises(
        ConferenceDecisionRefused, match=r"^\[ToR-45\] phases are numbered"
    ):
        when(events, EstablishPhase(phase=phase, title="Later", decision=DECISION))


def test_a_phase_cannot_be_established_twice() -> None:
    with pytest.raises(
        ConferenceDecisionRefused, match="phase 1 is already established"
    ):
        when(ONE_PHASE, EstablishPhase(phase=1, title="Again", decision=DECISION))


def test_a_phase_needs_a_title() -> None:
    with pytest.raises(InvalidInput, match="a phase needs a title"):
        when((), EstablishPhase(phase=1, title="  ", decision=DECISION))


def test_a_cycle_is_established_with_its_years_scope_and_parties_per_year() -> None:
    command = establish_cycle(parties_per_year=(40, 40, 40, 40, 33))
    assert when(ONE_PHASE, command) == (
        CycleEstablished(
            phase=1,
            cycle=1,
            starts_on=dt.date(2026, 1, 1),
            years=5,
            clusters=("c1",),
            parties_per_year=(40, 40, 40, 40, 33),
            decision=DECISION,
        ),
    )


def test_an_established_cycle_belongs_to_its_phase() -> None:
    conference = given(*ONE_CYCLE)
    assert conference.phases[1].cycles == (1,)
    assert conference.cycle(1).starts_on == dt.date(2026, 1, 1)
    assert conference.scope(1) == refs("UNTOC 5", "TIP 5")


def test_a_cycle_in_a_phase_not_established_is_refused() -> None:
    with pytest.raises(
        ConferenceDecisionRefused, match=r"^\[ToR-45\] phase 2 has not been"
    ):
        when(ONE_PHASE, establish_cycle(phase=2))


@pytest.mark.parametrize(
    ("events", "cycle", "problem"),
    [
        (ONE_PHASE, 2, "the next cycle is 1"),
        (ONE_CYCLE, 3, "the next cycle is 2"),
        (ONE_CYCLE, 1, "cycle 1 is already established"),
    ],
)
def test_cycles_are_numbered_in_order(
    events: tuple[Event, ...], cycle: int, problem: str
) -> None:
    command = establish_cycle(cycle=cycle, starts_on=dt.date(2031, 1, 1))
    with pytest.raises(ConferenceDecisionRefused, match=problem):
        when(events, command)


def test_cycle_numbers_run_on_across_phases() -> None:
    events = (*ONE_CYCLE, phase_established(2))
    (event,) = when(
        events, establish_cycle(phase=2, cycle=2, starts_on=dt.date(2031, 1, 1))
    )
    assert isinstance(event, CycleEstablished)
    assert given(*events, event).phases[2].cycles == (2,)


def test_a_cycle_lasts_at_least_a_year() -> None:
    with pytest.raises(ConferenceDecisionRefused, match="at least one year"):
        when(ONE_PHASE, establish_cycle(years=0))


def test_a_cycle_needs_a_thematic_scope() -> None:
    with pytest.raises(ConferenceDecisionRefused, match="needs a thematic scope"):
        when(ONE_PHASE, establish_cycle(clusters=()))


def test_a_cycle_naming_an_unknown_cluster_is_refused() -> None:
    with pytest.raises(
        ConferenceDecisionRefused, match="no such thematic cluster: piracy"
    ):
        when(ONE_PHASE, establish_cycle(clusters=("c1", "piracy")))


@pytest.mark.parametrize(
    "per_year", [(40, 40, 40, 40), (40, 40, 40, 40, 40, 40), (40, -1, 1, 1, 1)]
)
def test_parties_per_year_give_one_non_negative_number_for_each_year(
    per_year: tuple[int, ...],
) -> None:
    with pytest.raises(ConferenceDecisionRefused, match="for each of the 5 years"):
        when(ONE_PHASE, establish_cycle(parties_per_year=per_year))


@pytest.mark.parametrize("starts_on", [dt.date(2026, 1, 1), dt.date(2025, 12, 31)])
def test_a_cycle_must_start_after_the_previous_one_starts(starts_on: dt.date) -> None:
    with pytest.raises(
        ConferenceDecisionRefused, match="cycle 2 must start after cycle 1"
    ):
        when(ONE_CYCLE, establish_cycle(cycle=2, starts_on=starts_on))


# -- exceptions and other decisions ---------------------------------------------------


def test_an_exception_is_granted_for_an_established_cycle() -> None:
    command = GrantException(
        kind=ExceptionKind.EARLY_CYCLE, cycle=1, reason=" pandemic ", decision=DECISION
    )
    (event,) = when(ONE_CYCLE, command)
    assert event == ExceptionGranted(
        kind=ExceptionKind.EARLY_CYCLE, cycle=1, reason="pandemic", decision=DECISION
    )
    conference = given(*ONE_CYCLE, event)
    assert conference.has_exception(ExceptionKind.EARLY_CYCLE, 1) is True
    assert conference.has_exception(ExceptionKind.EARLY_CYCLE, 2) is False


def test_an_early_cycle_exception_may_be_granted_for_the_next_cycle() -> None:
    command = GrantException(
        kind=ExceptionKind.EARLY_CYCLE, cycle=2, reason="urgent", decision=DECISION
    )
    (event,) = when(ONE_CYCLE, command)
    assert isinstance(event, ExceptionGranted)
    assert event.cycle == 2


def test_an_exception_for_a_cycle_neither_established_nor_next_is_refused() -> None:
    command = GrantException(
        kind=ExceptionKind.EARLY_CYCLE, cycle=3, reason="x", decision=DECISION
    )
    with pytest.raises(InvalidInput, match="has not established cycle 3"):
        when(ONE_CYCLE, command)


def test_a_cycle_starting_before_the_last_one_ends_is_refused_citing_tor_13a() -> None:
    command = establish_cycle(cycle=2, starts_on=dt.date(2030, 12, 31))
    with pytest.raises(CycleOverlapRefused, match=r"^\[ToR-13a\] cycle 2 would start"):
        when(ONE_CYCLE, command)


def test_a_cycle_may_start_the_day_after_the_previous_one_ends() -> None:
    (event,) = when(ONE_CYCLE, establish_cycle(cycle=2, starts_on=dt.date(2031, 1, 1)))
    assert isinstance(event, CycleEstablished)


def test_an_early_cycle_exception_lets_a_cycle_start_before_the_last_one_ends() -> None:
    exception = ExceptionGranted(
        kind=ExceptionKind.EARLY_CYCLE, cycle=2, reason="urgent", decision=DECISION
    )
    command = establish_cycle(cycle=2, starts_on=dt.date(2029, 1, 1))
    (event,) = when((*ONE_CYCLE, exception), command)
    assert isinstance(event, CycleEstablished)
    assert event.starts_on == dt.date(2029, 1, 1)


def test_an_exception_needs_a_reason() -> None:
    command = GrantException(
        kind=ExceptionKind.EARLY_CYCLE, cycle=1, reason=" ", decision=DECISION
    )
    with pytest.raises(InvalidInput, match="needs the reason"):
        when(ONE_CYCLE, command)


def test_another_decision_is_recorded_with_its_subject_and_text() -> None:
    command = RecordDecision(subject=" budget ", text=" Funded. ", decision=DECISION)
    assert when((), command) == (
        ConferenceDecisionRecorded(subject="budget", text="Funded.", decision=DECISION),
    )
    with pytest.raises(InvalidInput, match="needs a subject and a text"):
        when((), RecordDecision(subject="budget", text=" ", decision=DECISION))


# -- annex II's indicative distribution -----------------------------------------------


def test_the_default_distribution_defines_clusters_then_phase_1_then_cycles() -> None:
    commands = default_distribution(
        default_rulebook(), decision=DECISION, starts_on=dt.date(2026, 1, 1)
    )
    assert [type(c).__name__ for c in commands] == [
        *["DefineThematicCluster"] * 5,
        "EstablishPhase",
        "EstablishCycle",
        "EstablishCycle",
    ]


def test_the_default_distribution_gives_phase_1_with_two_five_year_cycles() -> None:
    conference = applied(
        default_distribution(
            default_rulebook(), decision=DECISION, starts_on=dt.date(2026, 1, 1)
        )
    )
    assert list(conference.phases) == [1]
    assert conference.phases[1].cycles == (1, 2)
    first, second = conference.cycle(1), conference.cycle(2)
    assert (first.starts_on, first.ends_on, first.years) == (
        dt.date(2026, 1, 1),
        dt.date(2030, 12, 31),
        5,
    )
    assert (second.starts_on, second.ends_on, second.years) == (
        dt.date(2031, 1, 1),
        dt.date(2035, 12, 31),
        5,
    )
    assert first.clusters == (
        "criminalization",
        "prevention",
        "international-cooperation",
    )
    assert second.clusters == (
        "victims-and-witnesses",
        "cooperation-and-technical-assistance",
    )


def test_the_default_distribution_covers_every_cluster_article_in_phase_1() -> None:
    conference = applied(
        default_distribution(
            default_rulebook(), decision=DECISION, starts_on=dt.date(2026, 1, 1)
        )
    )
    everything = {a for c in default_rulebook().clusters for a in c.articles}
    assert set(conference.phase_scope(1)) == everything
    assert len(conference.phase_scope(1)) == len(everything)


def test_the_default_distribution_cannot_be_recorded_twice() -> None:
    once = applied(
        default_distribution(
            default_rulebook(), decision=DECISION, starts_on=dt.date(2026, 1, 1)
        )
    )
    again = default_distribution(
        default_rulebook(), decision=DECISION, starts_on=dt.date(2036, 1, 1)
    )
    with pytest.raises(ThematicScopeRefused, match="already defined"):
        applied(again, once)


# -- Cycle dates ----------------------------------------------------------------------


def a_cycle(starts_on: dt.date, years: int = 5) -> Cycle:
    return Cycle(
        phase=1,
        number=1,
        starts_on=starts_on,
        years=years,
        clusters=("c1",),
        parties_per_year=(),
        decision=DECISION,
    )


def test_a_cycle_ends_the_day_before_its_anniversary() -> None:
    cycle = a_cycle(dt.date(2026, 7, 1))
    assert cycle.ends_on == dt.date(2031, 6, 30)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2025, 12, 31), None),
        (dt.date(2026, 1, 1), 1),
        (dt.date(2026, 12, 31), 1),
        (dt.date(2027, 1, 1), 2),
        (dt.date(2030, 12, 31), 5),
        (dt.date(2031, 1, 1), None),
    ],
)
def test_the_year_of_a_cycle_a_day_falls_in(day: dt.date, year: int | None) -> None:
    assert a_cycle(dt.date(2026, 1, 1)).year_of(day) == year


def test_a_cycle_starting_on_29_february_has_anniversaries_on_28_february() -> None:
    cycle = a_cycle(dt.date(2024, 2, 29))
    assert cycle.ends_on == dt.date(2029, 2, 27)
    assert cycle.year_of(dt.date(2024, 2, 29)) == 1
    assert cycle.year_of(dt.date(2025, 2, 27)) == 1
    assert cycle.year_of(dt.date(2025, 2, 28)) == 2
    assert cycle.year_of(dt.date(2028, 2, 28)) == 4
    assert cycle.year_of(dt.date(2028, 2, 29)) == 5
    assert cycle.year_of(dt.date(2029, 2, 27)) == 5
    assert cycle.year_of(dt.date(2029, 2, 28)) is None


def test_the_cycle_after_one_starting_on_29_february_starts_after_it_ends() -> None:
    conference = applied(
        default_distribution(
            default_rulebook(), decision=DECISION, starts_on=dt.date(2024, 2, 29)
        )
    )
    first, second = conference.cycle(1), conference.cycle(2)
    assert (
        second.starts_on == first.ends_on + dt.timedelta(days=1) == dt.date(2029, 2, 28)
    )


@for_all(
    start=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2500, 12, 31)),
    years=st.integers(min_value=1, max_value=10),
    offset=st.integers(min_value=0, max_value=3700),
)
def test_every_day_of_a_cycle_falls_in_one_of_its_years_in_order(
    start: dt.date, years: int, offset: int
) -> None:
    cycle = a_cycle(start, years)
    day = start + dt.timedelta(days=offset)
    year = cycle.year_of(day)
    if day > cycle.ends_on:
        assert year is None
        return
    assert year is not None
    assert 1 <= year <= years
    assert cycle.year_of(cycle.starts_on) == 1
    assert cycle.year_of(cycle.ends_on) == years
    following = cycle.year_of(day + dt.timedelta(days=1))
    assert following is None or following in {year, year + 1}


# -- when is a phase complete (ToR 45) ------------------------------------------------


def entered(code: str) -> Event:
    return StateEntered(
        code=code,
        m49=None,
        entity_type=EntityType.MEMBER_STATE,
        names={Language.EN: code},
    )


def deposited(code: str, instrument: Instrument, on: str | None = None) -> Event:
    return InstrumentDeposited(
        code=code,
        instrument=instrument,
        signed=None,
        deposited=ApproxDate.parse(on) if on else None,
        action="accession" if on else "",
        provenance=Provenance(),
    )


def registry_of(*events: Event) -> Registry:
    return replay_registry(enumerate(events, start=1))


PARTIES = registry_of(
    entered("ARC"),  # party to the Convention and the TIP Protocol
    deposited("ARC", Instrument.UNTOC),
    deposited("ARC", Instrument.TIP),
    entered("BRD"),  # party to the Convention only
    deposited("BRD", Instrument.UNTOC),
    entered("SIG"),  # a signatory: not counted for the phase
    InstrumentSigned(
        code="SIG", instrument=Instrument.UNTOC, signed=None, provenance=Provenance()
    ),
)

TWO_CYCLES = (
    cluster_defined("c1", "UNTOC 5", "TIP 5"),
    cluster_defined("c2", "UNTOC 24", "TIP 6", "SOM 9"),
    phase_established(1),
    cycle_established(1, 1, dt.date(2026, 1, 1), ("c1",)),
    cycle_established(1, 2, dt.date(2031, 1, 1), ("c2",)),
    phase_established(2),
    cycle_established(2, 3, dt.date(2036, 1, 1), ("c1", "c2")),
)


def test_nothing_reviewed_leaves_every_article_of_the_phase_for_every_party() -> None:
    remaining = phase_remaining(given(*TWO_CYCLES), 1, PARTIES, {})
    assert remaining == {
        "ARC": refs("UNTOC 5", "UNTOC 24", "TIP 5", "TIP 6"),
        "BRD": refs("UNTOC 5", "UNTOC 24"),
    }


def test_protocol_articles_count_only_for_parties_to_that_protocol() -> None:
    remaining = phase_remaining(given(*TWO_CYCLES), 1, PARTIES, {})
    assert all(a.instrument is Instrument.UNTOC for a in remaining["BRD"])
    assert not any(
        a.instrument is Instrument.SOM for left in remaining.values() for a in left
    )


def test_a_phase_is_not_complete_while_one_party_has_a_cycle_to_finish() -> None:
    remaining = phase_remaining(
        given(*TWO_CYCLES), 1, PARTIES, {"ARC": [1, 2], "BRD": [1]}
    )
    assert remaining == {"BRD": refs("UNTOC 24")}


def test_a_phase_is_complete_when_every_party_completed_every_cycle_of_it() -> None:
    completed = {"ARC": [1, 2], "BRD": (2, 1)}
    assert phase_remaining(given(*TWO_CYCLES), 1, PARTIES, completed) == {}


def test_reviews_completed_in_a_cycle_of_another_phase_do_not_count() -> None:
    completed = {"ARC": [3], "BRD": [3]}
    remaining = phase_remaining(given(*TWO_CYCLES), 1, PARTIES, completed)
    assert set(remaining) == {"ARC", "BRD"}
    assert phase_remaining(given(*TWO_CYCLES), 2, PARTIES, completed) == {}


def test_the_completion_of_an_unknown_phase_cannot_be_asked() -> None:
    with pytest.raises(InvalidInput, match="has not established phase 9"):
        phase_remaining(given(*TWO_CYCLES), 9, PARTIES, {})


def test_a_phase_without_cycles_is_not_reported_complete() -> None:
    conference = given(*ONE_PHASE)
    with pytest.raises(InvalidInput, match="phase 1 has no cycle yet"):
        phase_remaining(conference, 1, PARTIES, {})


def test_a_state_joining_after_the_last_cycle_starts_waits_for_next_phase() -> None:
    bound = deposited("ARC", Instrument.UNTOC, on="2010-01-01")
    late = deposited("LTE", Instrument.UNTOC, on="2031-01-02")
    registry = registry_of(entered("ARC"), bound, entered("LTE"), late)
    assert set(phase_remaining(given(*TWO_CYCLES), 1, registry, {})) == {"ARC"}
    # Thirty days before the last cycle starts (1 January 2031), it is in force.
    on_time = deposited("LTE", Instrument.UNTOC, on="2030-12-02")
    registry = registry_of(entered("ARC"), bound, entered("LTE"), on_time)
    assert set(phase_remaining(given(*TWO_CYCLES), 1, registry, {})) == {"ARC", "LTE"}


def test_a_protocol_joined_after_the_last_cycle_starts_waits_for_the_next_one() -> None:
    tip_later = deposited("BRD", Instrument.TIP, on="2032-06-01")
    registry = registry_of(
        entered("BRD"), deposited("BRD", Instrument.UNTOC), tip_later
    )
    remaining = phase_remaining(given(*TWO_CYCLES), 1, registry, {})
    assert remaining == {"BRD": refs("UNTOC 5", "UNTOC 24")}
