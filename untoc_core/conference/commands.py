"""Commands recording the Conference's decisions, and the checks they must pass."""

from __future__ import annotations

import datetime as dt

import attrs

from untoc_core.conference.events import (
    ConferenceDecisionRecorded,
    CycleEstablished,
    Decision,
    ExceptionGranted,
    ExceptionKind,
    PhaseEstablished,
    ThematicClusterDefined,
)
from untoc_core.conference.model import Conference
from untoc_core.dates import Period
from untoc_core.errors import (
    ConferenceDecisionRefused,
    CycleOverlapRefused,
    InvalidInput,
    ThematicScopeRefused,
)
from untoc_core.events import Event
from untoc_core.instruments import ArticleRef, article_catalogue
from untoc_core.rules.rulebook import Rulebook


@attrs.frozen(kw_only=True)
class DefineThematicCluster:
    """Define a cluster of related articles (RES 8(d))."""

    cluster_id: str
    title: str
    articles: tuple[ArticleRef, ...]
    decision: Decision


@attrs.frozen(kw_only=True)
class EstablishPhase:
    """Establish a review phase (ToR 45)."""

    phase: int
    title: str
    decision: Decision


@attrs.frozen(kw_only=True)
class EstablishCycle:
    """Establish a cycle of a phase with its duration and scope (ToR 45)."""

    phase: int
    cycle: int
    starts_on: dt.date
    years: int
    clusters: tuple[str, ...]
    decision: Decision
    parties_per_year: tuple[int, ...] = ()


@attrs.frozen(kw_only=True)
class GrantException:
    """Record an exception the Conference granted (for example ToR 13)."""

    kind: ExceptionKind
    cycle: int
    reason: str
    decision: Decision


@attrs.frozen(kw_only=True)
class RecordDecision:
    """Record another decision of the Conference on the mechanism (ToR 10, 44)."""

    subject: str
    text: str
    decision: Decision


Command = (
    DefineThematicCluster
    | EstablishPhase
    | EstablishCycle
    | GrantException
    | RecordDecision
)


def decide(state: Conference, command: Command) -> tuple[Event, ...]:
    """Return the events recording ``command``, or raise the refusal that applies."""
    match command:
        case DefineThematicCluster():
            return (_define_cluster(state, command),)
        case EstablishPhase():
            return (_establish_phase(state, command),)
        case EstablishCycle():
            return (_establish_cycle(state, command),)
        case GrantException():
            return (_grant_exception(state, command),)
        case RecordDecision():
            if not command.subject.strip() or not command.text.strip():
                msg = "a decision needs a subject and a text"
                raise InvalidInput(msg)
            return (
                ConferenceDecisionRecorded(
                    subject=command.subject.strip(),
                    text=command.text.strip(),
                    decision=command.decision,
                ),
            )


def _establish_phase(state: Conference, command: EstablishPhase) -> Event:
    if command.phase in state.phases:
        msg = f"phase {command.phase} is already established"
        raise ConferenceDecisionRefused(msg)
    expected = max(state.phases, default=0) + 1
    if command.phase != expected:
        msg = f"phases are numbered in order: the next phase is {expected}"
        raise ConferenceDecisionRefused(msg)
    if not command.title.strip():
        msg = "a phase needs a title"
        raise InvalidInput(msg)
    return PhaseEstablished(
        phase=command.phase, title=command.title.strip(), decision=command.decision
    )


def _grant_exception(state: Conference, command: GrantException) -> Event:
    # An early cycle is allowed before it is established, so an exception may
    # concern an established cycle or the next one.
    upcoming = max(state.cycles, default=0) + 1
    if command.cycle not in state.cycles and command.cycle != upcoming:
        msg = (
            f"the Conference has not established cycle {command.cycle}, and the next "
            f"cycle is {upcoming}"
        )
        raise InvalidInput(msg)
    if not command.reason.strip():
        msg = "an exception needs the reason the Conference gave"
        raise InvalidInput(msg)
    return ExceptionGranted(
        kind=command.kind,
        cycle=command.cycle,
        reason=command.reason.strip(),
        decision=command.decision,
    )


def _define_cluster(state: Conference, command: DefineThematicCluster) -> Event:
    if not command.cluster_id.strip() or not command.title.strip():
        msg = "a thematic cluster needs an id and a title"
        raise InvalidInput(msg)
    if command.cluster_id in state.clusters:
        msg = f"thematic cluster {command.cluster_id!r} is already defined"
        raise ThematicScopeRefused(msg)
    if not command.articles:
        msg = f"thematic cluster {command.cluster_id!r} names no article"
        raise ThematicScopeRefused(msg)
    catalogue = article_catalogue()
    unknown = [str(a) for a in command.articles if a not in catalogue]
    if unknown:
        msg = f"no such article: {', '.join(unknown)}"
        raise ThematicScopeRefused(msg)
    if len(set(command.articles)) != len(command.articles):
        msg = f"thematic cluster {command.cluster_id!r} names an article twice"
        raise ThematicScopeRefused(msg)
    return ThematicClusterDefined(
        cluster_id=command.cluster_id,
        title=command.title.strip(),
        articles=tuple(sorted(command.articles)),
        decision=command.decision,
    )


def _establish_cycle(state: Conference, command: EstablishCycle) -> Event:
    if command.phase not in state.phases:
        msg = f"phase {command.phase} has not been established"
        raise ConferenceDecisionRefused(msg)
    if command.cycle in state.cycles:
        msg = f"cycle {command.cycle} is already established"
        raise ConferenceDecisionRefused(msg)
    expected = max(state.cycles, default=0) + 1
    if command.cycle != expected:
        msg = f"cycles are numbered in order: the next cycle is {expected}"
        raise ConferenceDecisionRefused(msg)
    if command.years < 1:
        msg = "a cycle lasts at least one year"
        raise ConferenceDecisionRefused(msg)
    if not command.clusters:
        msg = "a cycle needs a thematic scope: at least one cluster of articles"
        raise ConferenceDecisionRefused(msg)
    unknown = [c for c in command.clusters if c not in state.clusters]
    if unknown:
        msg = f"no such thematic cluster: {', '.join(unknown)}"
        raise ConferenceDecisionRefused(msg)
    if command.parties_per_year and (
        len(command.parties_per_year) != command.years
        or any(n < 0 for n in command.parties_per_year)
    ):
        msg = (
            f"parties per year must give one non-negative number for each of the "
            f"{command.years} years"
        )
        raise ConferenceDecisionRefused(msg)
    previous = state.cycles.get(command.cycle - 1)
    if previous is not None and command.starts_on <= previous.starts_on:
        msg = f"cycle {command.cycle} must start after cycle {previous.number} starts"
        raise ConferenceDecisionRefused(msg)
    if (
        previous is not None
        and command.starts_on <= previous.ends_on
        and not state.has_exception(ExceptionKind.EARLY_CYCLE, command.cycle)
    ):
        msg = (
            f"cycle {command.cycle} would start on {command.starts_on}, before cycle "
            f"{previous.number} ends on {previous.ends_on}; only the Conference's "
            "exception for an early cycle allows that"
        )
        raise CycleOverlapRefused(msg)
    return CycleEstablished(
        phase=command.phase,
        cycle=command.cycle,
        starts_on=command.starts_on,
        years=command.years,
        clusters=command.clusters,
        parties_per_year=command.parties_per_year,
        decision=command.decision,
    )


def default_distribution(
    rulebook: Rulebook, *, decision: Decision, starts_on: dt.date
) -> list[Command]:
    """The commands that record annex II's indicative distribution as phase 1 (AX2).

    The clusters of the rulebook are defined, phase 1 is established, and each cycle
    of the rulebook follows the one before it without a gap.
    """
    commands: list[Command] = [
        DefineThematicCluster(
            cluster_id=c.id, title=c.title, articles=c.articles, decision=decision
        )
        for c in rulebook.clusters
    ]
    commands.append(
        EstablishPhase(phase=1, title="First review phase", decision=decision)
    )
    start = starts_on
    for spec in rulebook.cycles:
        commands.append(
            EstablishCycle(
                phase=1,
                cycle=spec.number,
                starts_on=start,
                years=spec.years,
                clusters=spec.clusters,
                decision=decision,
            )
        )
        start = Period(months=12 * spec.years).after(start)
    return commands
