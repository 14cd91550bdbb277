"""The Conference's decisions as state, and whether a phase is complete (ToR 45)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from untoc_core.conference.events import (
    ConferenceDecisionRecorded,
    CycleEstablished,
    Decision,
    ExceptionGranted,
    PhaseEstablished,
    ThematicClusterDefined,
)
from untoc_core.dates import Period
from untoc_core.errors import InvalidInput
from untoc_core.events import Event
from untoc_core.instruments import ArticleRef
from untoc_core.registry.model import Registry
from untoc_core.terms import Instrument


@attrs.frozen(kw_only=True)
class Cycle:
    """A review cycle: its years, thematic scope and parties per year."""

    phase: int
    number: int
    starts_on: dt.date
    years: int
    clusters: tuple[str, ...]
    parties_per_year: tuple[int, ...]
    decision: Decision

    @property
    def ends_on(self) -> dt.date:
        """The last day of the cycle's last year."""
        return Period(months=12 * self.years).after(self.starts_on) - dt.timedelta(
            days=1
        )

    def year_of(self, day: dt.date) -> int | None:
        """The cycle year (from 1) that ``day`` falls in; ``None`` outside the cycle."""
        if day < self.starts_on or day > self.ends_on:
            return None
        year = 1
        while Period(months=12 * year).after(self.starts_on) <= day:
            year += 1
        return year


@attrs.frozen(kw_only=True)
class Phase:
    """A review phase, divided into cycles (ToR 45)."""

    number: int
    title: str
    decision: Decision
    cycles: tuple[int, ...] = ()


@attrs.frozen(kw_only=True)
class Conference:
    """Every recorded decision of the Conference on the mechanism."""

    version: int = 0
    clusters: Mapping[str, ThematicClusterDefined] = attrs.field(factory=dict)
    phases: Mapping[int, Phase] = attrs.field(factory=dict)
    cycles: Mapping[int, Cycle] = attrs.field(factory=dict)
    exceptions: tuple[ExceptionGranted, ...] = ()
    decisions: tuple[ConferenceDecisionRecorded, ...] = ()

    def cycle(self, number: int) -> Cycle:
        """The cycle with this number; ``InvalidInput`` if none was established."""
        found = self.cycles.get(number)
        if found is None:
            msg = f"the Conference has not established cycle {number}"
            raise InvalidInput(msg)
        return found

    def scope(self, cycle: int) -> tuple[ArticleRef, ...]:
        """The articles under review in a cycle, in instrument and article order."""
        refs = {
            a for cid in self.cycle(cycle).clusters for a in self.clusters[cid].articles
        }
        return tuple(sorted(refs))

    def phase_scope(self, phase: int) -> tuple[ArticleRef, ...]:
        """The articles the cycles of a phase cover together."""
        refs = {a for c in self.phases[phase].cycles for a in self.scope(c)}
        return tuple(sorted(refs))

    def has_exception(self, kind: object, cycle: int) -> bool:
        """True if the Conference granted an exception of ``kind`` for ``cycle``."""
        return any(e.kind == kind and e.cycle == cycle for e in self.exceptions)


def evolve(state: Conference, event: Event, version: int) -> Conference:
    """Return the Conference's state after ``event`` at stream ``version``."""
    match event:
        case ThematicClusterDefined():
            return attrs.evolve(
                state,
                version=version,
                clusters={**state.clusters, event.cluster_id: event},
            )
        case PhaseEstablished():
            phase = Phase(
                number=event.phase, title=event.title, decision=event.decision
            )
            return attrs.evolve(
                state, version=version, phases={**state.phases, event.phase: phase}
            )
        case CycleEstablished():
            cycle = Cycle(
                phase=event.phase,
                number=event.cycle,
                starts_on=event.starts_on,
                years=event.years,
                clusters=event.clusters,
                parties_per_year=event.parties_per_year,
                decision=event.decision,
            )
            phase = state.phases[event.phase]
            phase = attrs.evolve(phase, cycles=(*phase.cycles, event.cycle))
            return attrs.evolve(
                state,
                version=version,
                cycles={**state.cycles, event.cycle: cycle},
                phases={**state.phases, event.phase: phase},
            )
        case ExceptionGranted():
            return attrs.evolve(
                state, version=version, exceptions=(*state.exceptions, event)
            )
        case ConferenceDecisionRecorded():
            return attrs.evolve(
                state, version=version, decisions=(*state.decisions, event)
            )
    return attrs.evolve(state, version=version)


def replay(events: Iterable[tuple[int, Event]]) -> Conference:
    """Build the Conference's state from ``(version, event)`` pairs."""
    state = Conference()
    for version, event in events:
        state = evolve(state, event, version)
    return state


def phase_remaining(
    conference: Conference,
    phase: int,
    registry: Registry,
    completed: Mapping[str, Iterable[int]],
) -> dict[str, tuple[ArticleRef, ...]]:
    """The articles still to be reviewed, per State party, for a phase to end (ToR 45).

    A phase is finalised when every article of its scope has been reviewed in every
    State party: the Convention's articles in all parties, and a Protocol's articles
    in the parties to that Protocol. The parties counted are those at the start of
    the phase's last cycle (ToR 13 reviews the parties "at the start of a review
    cycle"); a State that joins later is reviewed in the next phase.

    Args:
        conference: The recorded decisions.
        phase: The phase number.
        registry: The registry, for who is a party to what.
        completed: For each State code, the cycles in which its review was completed.

    Returns:
        For each party with articles left, those articles in order. An empty mapping
        means the phase is complete.
    """
    if phase not in conference.phases:
        msg = f"the Conference has not established phase {phase}"
        raise InvalidInput(msg)
    scope = conference.phase_scope(phase)
    phase_cycles = set(conference.phases[phase].cycles)
    if not phase_cycles:
        msg = f"phase {phase} has no cycle yet"
        raise InvalidInput(msg)
    last_start = max(conference.cycles[c].starts_on for c in phase_cycles)
    parties = registry.parties(on=last_start)
    if not parties:
        msg = (
            f"the registry has no State party on {last_start}: load it first "
            "(untoc init), or a phase would look complete with nobody reviewed"
        )
        raise InvalidInput(msg)
    remaining: dict[str, tuple[ArticleRef, ...]] = {}
    for entry in parties:
        bound = {Instrument.UNTOC} | {
            p for p in entry.protocols() if entry.standing(p).bound_on(last_start, p)
        }
        done = {
            a
            for c in set(completed.get(entry.code, ())) & phase_cycles
            for a in conference.scope(c)
        }
        left = tuple(a for a in scope if a.instrument in bound and a not in done)
        if left:
            remaining[entry.code] = left
    return remaining
