"""Replaying the recorded draws of a cycle, to check them (ToR 3(a)).

Each event of a cycle's stream records a command together with every fact from
outside the stream that its decision used (seed, pool, registry version, list of
experts). Replaying the stream decides each command again on the state the earlier
events leave and compares the result with what was recorded, field by field. Any
difference, or a refusal, means the record is not what the rules and the seeds
give.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from untoc_core.drawing.commands import (
    AuthoriseExceptionalRedraw,
    Command,
    DeferReviewYear,
    DeferServing,
    DrawReviewers,
    DrawReviewYears,
    RedrawReviewers,
    VolunteerForReview,
    decide,
)
from untoc_core.drawing.events import (
    ExceptionalRedrawAuthorised,
    ExclusionReason,
    ReviewersDrawn,
    ReviewersRedrawn,
    ReviewYearDeferred,
    ReviewYearsDrawn,
    ServingDeferred,
    SignatoryVolunteered,
)
from untoc_core.drawing.model import CycleDraws, evolve
from untoc_core.errors import UntocError
from untoc_core.events import Event
from untoc_core.ports import CompletionSolver
from untoc_core.rules.rulebook import Rulebook
from untoc_core.terms import TreatyStatus

_SHOWN = 120


@attrs.frozen(kw_only=True)
class Discrepancy:
    """Where a recorded draw differs from its replay.

    Attributes:
        version: The event's version in the cycle's stream.
        event_type: Its stable type name.
        field: The first field that differs (``""`` if the replay was refused).
        expected: What the replay gives there, or the refusal.
        found: What the record holds there.
    """

    version: int
    event_type: str
    field: str
    expected: str
    found: str

    def __str__(self) -> str:
        where = f"{self.event_type} (version {self.version})"
        if not self.field:
            return f"{where}: the replay was refused: {self.expected}"
        return (
            f"{where}, field {self.field}: expected {self.expected}, found {self.found}"
        )


def command_of(event: Event) -> Command | None:  # noqa: PLR0911 - one per event type
    """The command an event of a cycle's stream records; ``None`` for any other."""
    match event:
        case SignatoryVolunteered():
            return VolunteerForReview(
                cycle=event.cycle, code=event.code, status=TreatyStatus.SIGNATORY
            )
        case ReviewYearsDrawn():
            return DrawReviewYears(
                cycle=event.cycle,
                starts_on=event.starts_on,
                years=event.years,
                parties_per_year=event.parties_per_year,
                pool=event.pool,
                registry_version=event.registry_version,
                seed=event.seed,
                stale_blocks=event.stale_blocks,
                accept_stale_registry=event.stale_registry_accepted,
            )
        case ReviewYearDeferred():
            return DeferReviewYear(
                cycle=event.cycle, code=event.code, justification=event.justification
            )
        case ReviewersDrawn():
            return DrawReviewers(
                cycle=event.cycle,
                year=event.year,
                seed=event.seed,
                registry_version=event.registry_version,
                circulated_on=event.circulated_on,
                circulation_version=event.circulation_version,
                without_experts=tuple(
                    e.code
                    for e in event.excluded
                    if e.reason is ExclusionReason.NO_GOVERNMENTAL_EXPERT
                ),
                accept_stale_registry=event.stale_registry_accepted,
            )
        case ExceptionalRedrawAuthorised():
            return AuthoriseExceptionalRedraw(
                cycle=event.cycle,
                year=event.year,
                under_review=event.under_review,
                reason=event.reason,
                decided_by=event.decided_by,
            )
        case ReviewersRedrawn():
            return RedrawReviewers(
                cycle=event.cycle, year=event.year, under_review=event.under_review
            )
        case ServingDeferred():
            return DeferServing(
                cycle=event.cycle,
                year=event.year,
                code=event.code,
                justification=event.justification,
            )
    return None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _first_difference(
    version: int, expected: Event, found: Event
) -> Discrepancy | None:
    if type(expected) is not type(found):
        return Discrepancy(
            version=version,
            event_type=found.TYPE,
            field="(type)",
            expected=expected.TYPE,
            found=found.TYPE,
        )
    for field in attrs.fields(type(found)):
        mine, theirs = getattr(expected, field.name), getattr(found, field.name)
        if mine != theirs:
            return Discrepancy(
                version=version,
                event_type=found.TYPE,
                field=field.name,
                expected=_shown(mine),
                found=_shown(theirs),
            )
    return None


def verify_history(
    events: Iterable[tuple[int, Event]],
    *,
    rulebook: Rulebook,
    solver: CompletionSolver | None = None,
    cycle: int = 0,
) -> list[Discrepancy]:
    """Decide every recorded command of a cycle again; return where the record differs.

    Args:
        events: The cycle stream's ``(version, event)`` pairs, in order.
        rulebook: The rules the draws kept.
        solver: Any exact solver (all give the same draws).
        cycle: The cycle's number.

    Returns:
        The discrepancies, in stream order; empty if every event is what its command
        gives. Replay stops at a refusal, since later events rest on that one.
    """
    state = CycleDraws(cycle=cycle)
    found: list[Discrepancy] = []
    for version, event in events:
        command = command_of(event)
        if command is not None:
            try:
                (expected,) = decide(state, command, rulebook=rulebook, solver=solver)
            except UntocError as exc:
                found.append(
                    Discrepancy(
                        version=version,
                        event_type=event.TYPE,
                        field="",
                        expected=str(exc),
                        found="",
                    )
                )
                return found
            difference = _first_difference(version, expected, event)
            if difference is not None:
                found.append(difference)
        state = evolve(state, event, version)
    return found
