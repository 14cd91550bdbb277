"""The expert group's work and the oversight of the cycle (ToR 37 bis-septies, 40, 44).

Recorded on ``oversight/cycle-<n>``:

* ``ExpertInformationRecorded``: other non-confidential information the group of
  experts takes into account. It must name no State (ToR 37 quinquies: the group
  never assesses a specific country);
* ``ExpertGroupReportSubmitted``: the technical expert group report of a year,
  named by its SHA-256, submitted to the Implementation Oversight Group
  (ToR 37 septies), once per year;
* ``OversightRecommendationsSent``: the recommendations and conclusions the
  Implementation Oversight Group sends to the Conference, made from the thematic
  implementation and technical expert group reports only (ToR 40);
* ``RecommendationsConsidered``: the Conference's decision on them (ToR 44).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar, Final

import attrs

from untoc_core.conference.events import Decision
from untoc_core.errors import DomainError, InvalidInput
from untoc_core.events import Event
from untoc_core.registry.model import Registry
from untoc_core.reports.names import code_pattern, mentions
from untoc_core.reports.publication import check_language
from untoc_core.terms import Language

STREAM_PREFIX: Final = "oversight/"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_BASIS = re.compile(
    r"(thematic/cycle-[1-9][0-9]*/[a-z0-9-]+(/[A-Za-z -]+)?"
    r"|expert-group/cycle-[1-9][0-9]*/year-[1-9][0-9]*)"
)
MAX_TEXT: Final = 4000


class CountryAssessed(DomainError):
    """Information for the group of experts names a State (ToR 37 quinquies)."""

    provision = "ToR-37quinquies"


def stream_of(cycle: int) -> str:
    """The oversight stream of a cycle: ``oversight/cycle-<n>``."""
    return f"{STREAM_PREFIX}cycle-{cycle}"


@attrs.frozen(kw_only=True)
class ExpertInformationRecorded(Event):
    """Non-confidential information the group of experts considers (ToR 37 bis)."""

    TYPE: ClassVar[str] = "oversight.ExpertInformationRecorded"

    cycle: int
    year: int
    text: str
    language: str
    source: str


@attrs.frozen(kw_only=True)
class ExpertGroupReportSubmitted(Event):
    """The technical expert group report of a year went to the oversight group."""

    TYPE: ClassVar[str] = "oversight.ExpertGroupReportSubmitted"

    cycle: int
    year: int
    report_sha256: str


@attrs.frozen(kw_only=True)
class OversightRecommendationsSent(Event):
    """The Implementation Oversight Group's recommendations to the Conference."""

    TYPE: ClassVar[str] = "oversight.OversightRecommendationsSent"

    cycle: int
    based_on: tuple[str, ...]
    """The thematic and technical expert group reports it worked from."""
    recommendations: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RecommendationsConsidered(Event):
    """The Conference considered the recommendations and decided (ToR 44)."""

    TYPE: ClassVar[str] = "oversight.RecommendationsConsidered"

    cycle: int
    decision: Decision
    outcome: str


OVERSIGHT_EVENTS: Final = (
    ExpertInformationRecorded,
    ExpertGroupReportSubmitted,
    OversightRecommendationsSent,
    RecommendationsConsidered,
)


@attrs.frozen(kw_only=True)
class Oversight:
    """What the group of experts and the oversight group recorded in a cycle."""

    cycle: int
    version: int = 0
    information: tuple[ExpertInformationRecorded, ...] = ()
    submitted: tuple[ExpertGroupReportSubmitted, ...] = ()
    recommendations: tuple[OversightRecommendationsSent, ...] = ()
    considered: tuple[RecommendationsConsidered, ...] = ()


def evolve(state: Oversight, event: Event, version: int) -> Oversight:
    """The oversight after ``event`` at stream ``version``."""
    state = attrs.evolve(state, version=version)
    match event:
        case ExpertInformationRecorded():
            return attrs.evolve(state, information=(*state.information, event))
        case ExpertGroupReportSubmitted():
            return attrs.evolve(state, submitted=(*state.submitted, event))
        case OversightRecommendationsSent():
            return attrs.evolve(state, recommendations=(*state.recommendations, event))
        case RecommendationsConsidered():
            return attrs.evolve(state, considered=(*state.considered, event))
    return state


def replay(cycle: int, events: Iterable[tuple[int, Event]]) -> Oversight:
    """The oversight of a cycle from its stream's ``(version, event)`` pairs."""
    state = Oversight(cycle=cycle)
    for version, event in events:
        state = evolve(state, event, version)
    return state


def names_of_states(registry: Registry) -> tuple[list[str], list[str]]:
    """Every State's name in the six languages, and every ISO code, of the registry."""
    names = [
        name
        for entry in registry.entries.values()
        for language in Language
        if (name := entry.names.get(language))
    ]
    return names, sorted(registry.entries)


def named_states(text: str, registry: Registry) -> list[str]:
    """The States ``text`` names, by name in any of the six languages or by code."""
    return [
        code
        for code, entry in sorted(registry.entries.items())
        if any(mentions(text, n) for n in entry.names.values())
        or code_pattern(code).search(text)
    ]


def decide(  # noqa: C901 - one check per kind of event
    state: Oversight, event: Event, *, registry: Registry
) -> tuple[Event, ...]:
    """Check one oversight event; return the events recording it.

    Raises:
        CountryAssessed: information for the group of experts names a State
            (ToR-37quinquies).
        InvalidInput: a blank or overlong text, a report submitted twice or not
            named by its SHA-256, recommendations based on anything but thematic
            and expert group reports, or considered before they were sent.
    """
    match event:
        case ExpertInformationRecorded():
            check_language(event.language)
            _check_text(event.text, "the information")
            _check_text(event.source, "its source")
            named = named_states(f"{event.text}\n{event.source}", registry)
            if named:
                msg = (
                    "the group of experts never assesses a specific country; this "
                    f"information names {', '.join(named)}"
                )
                raise CountryAssessed(msg)
        case ExpertGroupReportSubmitted():
            if not _SHA256.fullmatch(event.report_sha256):
                msg = "name the report by the SHA-256 of its text (64 hex digits)"
                raise InvalidInput(msg)
            if any(s.year == event.year for s in state.submitted):
                msg = f"the report of year {event.year} was submitted already"
                raise InvalidInput(msg)
        case OversightRecommendationsSent():
            wrong = [b for b in event.based_on if not _BASIS.fullmatch(b)]
            if not event.based_on or wrong:
                msg = (
                    "the Implementation Oversight Group works from the thematic "
                    "implementation and technical expert group reports (ToR 40)"
                    + (f"; not: {', '.join(wrong)}" if wrong else "")
                )
                raise InvalidInput(msg)
            for text in event.recommendations:
                _check_text(text, "a recommendation")
            if not event.recommendations:
                msg = "recommendations are sent with at least one"
                raise InvalidInput(msg)
        case RecommendationsConsidered():
            if not state.recommendations:
                msg = "the Conference considers recommendations once they are sent"
                raise InvalidInput(msg)
            _check_text(event.outcome, "the outcome")
        case _:
            msg = f"{type(event).__name__} is not an oversight event"
            raise InvalidInput(msg)
    return (event,)


def _check_text(text: str, what: str) -> None:
    if not text.strip():
        msg = f"{what} is blank"
        raise InvalidInput(msg)
    if len(text) > MAX_TEXT:
        msg = f"{what} has more than {MAX_TEXT} characters"
        raise InvalidInput(msg)
