"""The draws of one cycle as state, built from the events of its stream.

``evolve`` folds one event into the state; the queries answer what the commands and
the participants need: the review years after deferrals, the reviewers of a year,
the exclusions of a year, the number of repeated draws and the transcript.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from untoc_core.drawing.events import (
    ExceptionalRedrawAuthorised,
    ExclusionReason,
    Reviewers,
    ReviewersDrawn,
    ReviewersRedrawn,
    ReviewYearDeferred,
    ReviewYearsDrawn,
    ServingDeferred,
    ServingExclusion,
    SignatoryVolunteered,
    SlotPick,
)
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.stream import Lot
from untoc_core.errors import InvalidInput
from untoc_core.events import Event
from untoc_core.terms import Instrument

SAME_REGION = "same-region"
OTHER = "other"
SECOND = "second"
"""The kinds of reviewer slot, as :mod:`untoc_core.drawing.assignment` names them."""

SlotKey = tuple[int, str, str]
"""A slot: (year, State under review, kind)."""


def slot_kinds(party: DrawParty) -> tuple[str, str]:
    """The two reviewer slots of a State under review (ADR 0004 for no group)."""
    if party.regional_group is None:
        return (OTHER, SECOND)
    return (SAME_REGION, OTHER)


def slot_label(year: int, under_review: str, kind: str) -> str:
    """The stream label of a slot's first draw (as the engine names it)."""
    return f"reviewers/{year}/{under_review}/{kind}"


@attrs.frozen(kw_only=True)
class CycleDraws:
    """Everything drawn in one cycle, as its stream records it."""

    cycle: int = 0
    version: int = 0
    volunteers: tuple[str, ...] = ()
    """Signatories that volunteered to be reviewed in this cycle (ToR 57)."""
    years: ReviewYearsDrawn | None = None
    review_years: tuple[tuple[str, ...], ...] = ()
    """For years 1..N, the States reviewed that year, after deferrals."""
    year_deferrals: Mapping[str, ReviewYearDeferred] = attrs.field(factory=dict)
    drawn: Mapping[int, ReviewersDrawn] = attrs.field(factory=dict)
    """Each year whose reviewers were drawn, with that draw."""
    filled: Mapping[SlotKey, str] = attrs.field(factory=dict)
    """The reviewer in each slot drawn so far."""
    replacements: Mapping[SlotKey, int] = attrs.field(factory=dict)
    """How often each slot was drawn again after a deferral of its reviewer."""
    redraws: Mapping[tuple[int, str], tuple[ReviewersRedrawn, ...]] = attrs.field(
        factory=dict
    )
    authorisations: Mapping[
        tuple[int, str], tuple[ExceptionalRedrawAuthorised, ...]
    ] = attrs.field(factory=dict)
    serving: Mapping[int, Mapping[str, ServingDeferred]] = attrs.field(factory=dict)
    """For each year, the States that deferred serving that year (ToR 20)."""
    transcript: tuple[Lot | SlotPick, ...] = ()
    """Every lot drawn in the cycle, in draw order."""

    # -- the pool and the years -----------------------------------------------------

    @property
    def pool(self) -> Mapping[str, DrawParty]:
        """The States of the cycle by code; empty before the review years are drawn."""
        if self.years is None:
            return {}
        return {p.code: p for p in self.years.pool}

    @property
    def number_of_years(self) -> int:
        """The years of the cycle; 0 before the review years are drawn."""
        return self.years.years if self.years is not None else 0

    def year_of(self, code: str) -> int | None:
        """The year (from 1) in which ``code`` is reviewed; ``None`` if it is not."""
        for year, codes in enumerate(self.review_years, start=1):
            if code in codes:
                return year
        return None

    def next_year_to_draw(self) -> int | None:
        """The first year whose reviewers are not drawn; ``None`` when all are."""
        for year in range(1, self.number_of_years + 1):
            if year not in self.drawn:
                return year
        return None

    # -- reviewers ------------------------------------------------------------------

    def slots_of(self, year: int, under_review: str) -> list[SlotKey]:
        """The two slots of a State under review in ``year``, in slot order."""
        return [
            (year, under_review, kind) for kind in slot_kinds(self.pool[under_review])
        ]

    def reviewers_of(self, year: int, under_review: str) -> Reviewers:
        """The reviewers of a State under review in ``year`` (empty until drawn)."""
        slots = self.slots_of(year, under_review)
        got = [self.filled[s] for s in slots if s in self.filled]
        same = self.filled.get((year, under_review, SAME_REGION))
        return Reviewers(
            year=year,
            under_review=under_review,
            reviewers=tuple(got),
            same_region_reviewer=same,
        )

    def reviews(self, year: int) -> tuple[Reviewers, ...]:
        """The reviewers of each State under review in ``year``, in draw order."""
        if not 1 <= year <= len(self.review_years):
            return ()
        return tuple(self.reviewers_of(year, c) for c in self.review_years[year - 1])

    def reviewed_by(self, code: str) -> list[tuple[int, str]]:
        """The (year, State) pairs that ``code`` reviews in the cycle so far."""
        return sorted(
            (year, pur) for (year, pur, _), r in self.filled.items() if r == code
        )

    def instruments_of(self, code: str) -> tuple[Instrument, ...]:
        """The instruments the review of ``code`` covers (ToR 13, ToR 57)."""
        party = self.pool[code]
        return (
            Instrument.UNTOC,
            *(p for p in Instrument.protocols() if p in party.protocols),
        )

    # -- exclusions, redraws --------------------------------------------------------

    def exclusions(self, year: int) -> tuple[ServingExclusion, ...]:
        """The States that do not serve in ``year``, and why, in code order."""
        found = {
            code: ServingExclusion(code=code, reason=ExclusionReason.DEFERRED_SERVING)
            for code in self.serving.get(year, {})
        }
        drawn = self.drawn.get(year)
        if drawn is not None:
            for e in drawn.excluded:
                found.setdefault(e.code, e)
        return tuple(found[c] for c in sorted(found))

    def redraw_count(self, year: int, under_review: str) -> int:
        """How often the reviewers of a State were drawn again in ``year``."""
        return len(self.redraws.get((year, under_review), ()))

    def redraw_counts(self, year: int) -> dict[str, int]:
        """For each State under review in ``year``, its repeated draws so far."""
        if not 1 <= year <= len(self.review_years):
            return {}
        return {c: self.redraw_count(year, c) for c in self.review_years[year - 1]}

    def released(self, year: int, under_review: str) -> frozenset[str]:
        """The reviewers released by the State's repeated draws in ``year``."""
        done = self.redraws.get((year, under_review), ())
        return frozenset(done[-1].excluded) if done else frozenset()

    def authorisation(
        self, year: int, under_review: str, redraw: int
    ) -> ExceptionalRedrawAuthorised | None:
        """The recorded authorisation of repeated draw number ``redraw``, if any."""
        for found in self.authorisations.get((year, under_review), ()):
            if found.redraw == redraw:
                return found
        return None

    def require_years(self) -> ReviewYearsDrawn:
        """The draw of the review years; ``InvalidInput`` if there is none yet."""
        if self.years is None:
            msg = f"the review years of cycle {self.cycle} have not been drawn"
            raise InvalidInput(msg)
        return self.years


def _fill(state: CycleDraws, picks: Iterable[SlotPick]) -> dict[SlotKey, str]:
    filled = dict(state.filled)
    for p in picks:
        filled[(p.year, p.under_review, p.kind)] = p.choice
    return filled


def evolve(state: CycleDraws, event: Event, version: int) -> CycleDraws:  # noqa: PLR0911
    """Return the draws of the cycle after ``event`` at stream ``version``."""
    match event:
        case SignatoryVolunteered():
            return attrs.evolve(
                state,
                cycle=event.cycle,
                version=version,
                volunteers=(*state.volunteers, event.code),
            )
        case ReviewYearsDrawn():
            return attrs.evolve(
                state,
                cycle=event.cycle,
                version=version,
                years=event,
                review_years=event.review_years,
                transcript=(*state.transcript, *event.lots),
            )
        case ReviewYearDeferred():
            years = [list(codes) for codes in state.review_years]
            years[event.from_year - 1].remove(event.code)
            years[event.to_year - 1].append(event.code)
            return attrs.evolve(
                state,
                version=version,
                review_years=tuple(tuple(codes) for codes in years),
                year_deferrals={**state.year_deferrals, event.code: event},
            )
        case ReviewersDrawn():
            return attrs.evolve(
                state,
                version=version,
                drawn={**state.drawn, event.year: event},
                filled=_fill(state, event.picks),
                transcript=(*state.transcript, *event.picks),
            )
        case ExceptionalRedrawAuthorised():
            key = (event.year, event.under_review)
            return attrs.evolve(
                state,
                version=version,
                authorisations={
                    **state.authorisations,
                    key: (*state.authorisations.get(key, ()), event),
                },
            )
        case ReviewersRedrawn():
            key = (event.year, event.under_review)
            return attrs.evolve(
                state,
                version=version,
                redraws={**state.redraws, key: (*state.redraws.get(key, ()), event)},
                filled=_fill(state, event.picks),
                transcript=(*state.transcript, *event.picks),
            )
        case ServingDeferred():
            replacements = dict(state.replacements)
            for p in event.picks:
                key3 = (p.year, p.under_review, p.kind)
                replacements[key3] = replacements.get(key3, 0) + 1
            year_serving = {**state.serving.get(event.year, {}), event.code: event}
            return attrs.evolve(
                state,
                version=version,
                serving={**state.serving, event.year: year_serving},
                filled=_fill(state, event.picks),
                replacements=replacements,
                transcript=(*state.transcript, *event.picks),
            )
    return attrs.evolve(state, version=version)


def replay(events: Iterable[tuple[int, Event]], cycle: int = 0) -> CycleDraws:
    """Build the draws of a cycle from its stream's ``(version, event)`` pairs."""
    state = CycleDraws(cycle=cycle)
    for version, event in events:
        state = evolve(state, event, version)
    return state
