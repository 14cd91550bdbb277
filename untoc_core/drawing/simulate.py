"""A whole cycle drawn from one seed: review years, then each year's reviewers.

Every pick is uniform over the exact set of allowed candidates given the earlier
picks (see :mod:`untoc_core.drawing.assignment`); for the same-region reviewer the
candidates of a similar legal system are preferred whenever one of them is allowed
("if possible", ToR 19). The transcript records, for each pick, how many
candidates there were, a SHA-256 of their sorted codes, the words of the stream it
used and the choice, so that anyone can replay and check the draw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import attrs

from untoc_core.drawing.assignment import OTHER, SAME_REGION, SECOND, CycleAssignment
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.stream import Lot, LotStream
from untoc_core.drawing.years import YearsDrawn, draw_years
from untoc_core.ports import CompletionSolver


@attrs.frozen(kw_only=True)
class Pick:
    """One line of the transcript: a slot, its candidates and the lot that chose."""

    label: str
    candidates: int
    candidates_sha256: str
    words: tuple[int, ...]
    choice: str


@attrs.frozen(kw_only=True)
class Review:
    """A State under review in a year and its two reviewing States."""

    year: int
    under_review: str
    reviewers: tuple[str, str]
    same_region_reviewer: str | None


@attrs.frozen(kw_only=True)
class CycleDraw:
    """The outcome of drawing a whole cycle, with its transcript."""

    years: YearsDrawn
    """The review years, with the lots of their shuffles."""
    reviews: tuple[Review, ...]
    transcript: tuple[Pick, ...]
    """One line per reviewer pick, in draw order."""


def candidates_digest(codes: Sequence[str]) -> str:
    """SHA-256 of the sorted codes, one per line (as the transcript records it)."""
    return hashlib.sha256("\n".join(sorted(codes)).encode("utf-8")).hexdigest()


def _pick(lot: Lot, candidates: Sequence[str]) -> Pick:
    return Pick(
        label=lot.label,
        candidates=len(candidates),
        candidates_sha256=candidates_digest(candidates),
        words=lot.words,
        choice=candidates[lot.value],
    )


def draw_cycle(  # noqa: PLR0913 - the draw's parameters, all keyword-only
    pool: Sequence[DrawParty],
    *,
    seed: bytes,
    years: int,
    min_reviews: int,
    max_reviews: int,
    solver: CompletionSolver | None = None,
) -> CycleDraw:
    """Draw a whole cycle in memory, with no deferral or redraw.

    Raises:
        DrawImpossible: the pool cannot be drawn without breaking a rule; the
            refusal names the rule.
    """
    stream = LotStream(seed)
    drawn = draw_years(pool, years, stream)
    engine = CycleAssignment(
        pool,
        drawn.review_years,
        min_reviews=min_reviews,
        max_reviews=max_reviews,
        solver=solver,
    )
    picks: list[Pick] = []
    for s, slot in enumerate(engine.slots):
        allowed = engine.allowed(s)
        if slot.kind == SAME_REGION:
            allowed = engine.similar(s, allowed) or allowed
        lot = stream.below(len(allowed), slot.label)
        pick = _pick(lot, allowed)
        engine.pick(s, pick.choice)
        picks.append(pick)
    reviews = []
    for year, codes in enumerate(drawn.review_years, start=1):
        for code in codes:
            got = engine.reviewers_of(code, year)
            same = got.get(SAME_REGION)
            first = same or got[OTHER]
            second = got[OTHER] if same else got[SECOND]
            reviews.append(
                Review(
                    year=year,
                    under_review=code,
                    reviewers=(first, second),
                    same_region_reviewer=same,
                )
            )
    return CycleDraw(years=drawn, reviews=tuple(reviews), transcript=tuple(picks))
