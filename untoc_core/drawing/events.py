"""Events of the recorded drawing of lots of a cycle (ToR 3(a), 5, 12-14, 18-21, 57).

Every draw of a cycle is recorded on the cycle's stream, ``draw/cycle-<n>``: the
signatories that volunteered, the review years, each deferral, each year's
reviewers, each repeated draw and its authorisation. An event that draws records
its seed, every input it used besides the earlier events of the stream, and every
lot it drew, so that anyone can replay it (see :mod:`untoc_core.drawing.verify`).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import ClassVar

import attrs

from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.stream import Lot
from untoc_core.events import Event

STREAM_PREFIX = "draw/"
"""Every cycle's draws are on the stream ``draw/cycle-<n>``."""


def stream_of(cycle: int) -> str:
    """The stream that records the draws of ``cycle``."""
    return f"{STREAM_PREFIX}cycle-{cycle}"


# -- values ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SlotPick:
    """One line of the transcript: a reviewer slot, its candidates, the lot, the choice.

    Attributes:
        year: The year of the review.
        under_review: The State under review.
        kind: ``same-region``, ``other``, or ``second`` (a State outside the regional
            groups, ADR 0004).
        label: The label of the stream of lots the pick used; never used twice.
        candidates: How many States could fill the slot (the exact set, narrowed to
            a similar legal system when possible for the same-region slot).
        candidates_sha256: SHA-256 of the candidates' sorted codes, one per line.
        words: The words of the stream read, rejected ones first.
        choice: The State drawn.
    """

    year: int
    under_review: str
    kind: str
    label: str
    candidates: int
    candidates_sha256: str
    words: tuple[int, ...]
    choice: str


@attrs.frozen(kw_only=True)
class Reviewers:
    """The reviewing States of one State under review, in slot order."""

    year: int
    under_review: str
    reviewers: tuple[str, ...]
    same_region_reviewer: str | None
    """``None`` for a State outside the regional groups (ADR 0004)."""


class ExclusionReason(enum.StrEnum):
    """Why a State party does not serve as a reviewer in a year."""

    DEFERRED_SERVING = "deferred_serving"
    """It deferred serving that year (ToR 20)."""
    NO_GOVERNMENTAL_EXPERT = "no_governmental_expert"
    """No governmental expert of it was on the list circulated before the draw
    (ToR 21)."""


@attrs.frozen(kw_only=True)
class ServingExclusion:
    """A State party that does not serve as a reviewer in the year drawn, and why."""

    code: str
    reason: ExclusionReason


class ServingRole(enum.StrEnum):
    """Why a State may defer serving as a reviewer in a year (ToR 20)."""

    UNDER_REVIEW = "under_review"
    """It is under review that year."""
    REVIEWER = "reviewer"
    """It was drawn to review a State that year."""


# -- events ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SignatoryVolunteered(Event):
    """A signatory volunteered to be reviewed in a cycle, on the Convention (ToR 57)."""

    TYPE: ClassVar[str] = "draw.SignatoryVolunteered"

    cycle: int
    code: str


@attrs.frozen(kw_only=True)
class ReviewYearsDrawn(Event):
    """The year of review of each State of a cycle was drawn by lot (ToR 12-14)."""

    TYPE: ClassVar[str] = "draw.ReviewYearsDrawn"

    cycle: int
    draw_id: str
    seed: str
    """The seed its ceremony fixed, hex."""
    inputs_sha256: str
    """SHA-256 of the draw's inputs, as announced (see ``inputs.years_inputs``)."""
    registry_version: int
    """The registry's version the pool was read at: as it stood when announced."""
    starts_on: dt.date
    years: int
    parties_per_year: tuple[int, ...]
    """The Conference's numbers per year; empty: spread evenly (ToR 45)."""
    pool: tuple[DrawParty, ...]
    """The States parties at the start of the cycle and the volunteering signatories,
    in code order, as the draw saw them."""
    quotas: dict[str, tuple[int, ...]]
    """For each regional group (``""``: none), its count in years 1..N (ToR 14)."""
    review_years: tuple[tuple[str, ...], ...]
    """For years 1..N, the States reviewed that year, in draw order."""
    lots: tuple[Lot, ...]
    """The lots of the shuffles, in draw order."""
    stale_blocks: tuple[str, ...]
    """The blocks of reference data known to be stale that the registry rested on."""
    stale_registry_accepted: bool


@attrs.frozen(kw_only=True)
class ReviewYearDeferred(Event):
    """A State deferred its review to the following year of the cycle (ToR 14)."""

    TYPE: ClassVar[str] = "draw.ReviewYearDeferred"

    cycle: int
    code: str
    from_year: int
    to_year: int
    justification: str


@attrs.frozen(kw_only=True)
class ReviewersDrawn(Event):
    """The reviewing States of a year's States under review were drawn (ToR 18-21)."""

    TYPE: ClassVar[str] = "draw.ReviewersDrawn"

    cycle: int
    year: int
    draw_id: str
    seed: str
    inputs_sha256: str
    registry_version: int
    """The registry's version the list of experts was read at (when announced)."""
    circulated_on: dt.date
    """The date of the list of governmental experts the draw relied on (ToR 21)."""
    circulation_version: int
    """The registry's version that recorded that circulation."""
    excluded: tuple[ServingExclusion, ...]
    """The States parties that did not serve this year, and why, in code order."""
    picks: tuple[SlotPick, ...]
    reviews: tuple[Reviewers, ...]
    """The resulting reviewers of each State under review this year."""
    stale_registry_accepted: bool


@attrs.frozen(kw_only=True)
class ExceptionalRedrawAuthorised(Event):
    """A repeated draw beyond the second was authorised as exceptional (ToR 19)."""

    TYPE: ClassVar[str] = "draw.ExceptionalRedrawAuthorised"

    cycle: int
    year: int
    under_review: str
    redraw: int
    """The number of the repeated draw it authorises (3 or more)."""
    reason: str
    decided_by: str
    """Who decided that the circumstances are exceptional, and by what decision."""


@attrs.frozen(kw_only=True)
class ReviewersRedrawn(Event):
    """A State under review had its reviewers drawn again at its request (ToR 19)."""

    TYPE: ClassVar[str] = "draw.ReviewersRedrawn"

    cycle: int
    year: int
    under_review: str
    redraw: int
    """1 for the first repeated draw of this State in this year, then 2, 3 ..."""
    authorised_by: str
    """For a repeated draw beyond the second, who authorised it; else empty."""
    released: tuple[str, ...]
    """The reviewers it had, in slot order."""
    excluded: tuple[str, ...]
    """Every reviewer released by its repeated draws this year, not drawn again for
    it (ADR 0005), in code order."""
    picks: tuple[SlotPick, ...]
    reviews: Reviewers


@attrs.frozen(kw_only=True)
class ServingDeferred(Event):
    """A State deferred serving as a reviewer in a year (ToR 20).

    A slot it filled that year is drawn again: ``picks`` holds those lots and
    ``reviews`` the resulting reviewers of each State concerned.
    """

    TYPE: ClassVar[str] = "draw.ServingDeferred"

    cycle: int
    year: int
    code: str
    role: ServingRole
    justification: str
    picks: tuple[SlotPick, ...]
    reviews: tuple[Reviewers, ...]
    redraw_exclusions_lifted: bool
    """True if a State under review had to take again a reviewer it had released by a
    repeated draw, because no other could replace this one (ADR 0005)."""


DRAW_EVENTS: tuple[type[Event], ...] = (
    SignatoryVolunteered,
    ReviewYearsDrawn,
    ReviewYearDeferred,
    ReviewersDrawn,
    ExceptionalRedrawAuthorised,
    ReviewersRedrawn,
    ServingDeferred,
)
