"""Events recording decisions of the Conference (ToR 9-10, 13, 44-45; RES 8(d); AX2)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import ClassVar

import attrs

from untoc_core.events import Event
from untoc_core.instruments import ArticleRef


@attrs.frozen(kw_only=True)
class Decision:
    """The Conference decision a record rests on."""

    symbol: str
    """The decision's symbol, for example ``resolution 5/5``."""
    adopted_on: dt.date


class ExceptionKind(enum.StrEnum):
    """Departures from the terms of reference that only the Conference may decide."""

    EARLY_CYCLE = "early_cycle"
    """Launch a cycle before every review of the previous one is complete (ToR 13)."""


@attrs.frozen(kw_only=True)
class ThematicClusterDefined(Event):
    """A cluster of related articles was defined for thematic cycles (RES 8(d))."""

    TYPE: ClassVar[str] = "conference.ThematicClusterDefined"

    cluster_id: str
    title: str
    articles: tuple[ArticleRef, ...]
    decision: Decision


@attrs.frozen(kw_only=True)
class PhaseEstablished(Event):
    """The Conference established a review phase (ToR 9, 45)."""

    TYPE: ClassVar[str] = "conference.PhaseEstablished"

    phase: int
    title: str
    decision: Decision


@attrs.frozen(kw_only=True)
class CycleEstablished(Event):
    """The Conference established a cycle, its duration and its scope (ToR 45)."""

    TYPE: ClassVar[str] = "conference.CycleEstablished"

    phase: int
    cycle: int
    starts_on: dt.date
    years: int
    clusters: tuple[str, ...]
    parties_per_year: tuple[int, ...]
    """Parties to review in each year; empty leaves it to the proportional draw."""
    decision: Decision


@attrs.frozen(kw_only=True)
class ExceptionGranted(Event):
    """The Conference granted an exception to the terms of reference."""

    TYPE: ClassVar[str] = "conference.ExceptionGranted"

    kind: ExceptionKind
    cycle: int
    reason: str
    decision: Decision


@attrs.frozen(kw_only=True)
class ConferenceDecisionRecorded(Event):
    """Any other decision of the Conference on the mechanism (ToR 10, 44)."""

    TYPE: ClassVar[str] = "conference.ConferenceDecisionRecorded"

    subject: str
    text: str
    decision: Decision


CONFERENCE_EVENTS: tuple[type[Event], ...] = (
    ThematicClusterDefined,
    PhaseEstablished,
    CycleEstablished,
    ExceptionGranted,
    ConferenceDecisionRecorded,
)
