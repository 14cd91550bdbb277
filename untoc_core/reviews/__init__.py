"""The country review lifecycle (guidelines paras 12-34; ToR 13-35, 46).

:mod:`.events` records each step of a review; :mod:`.model` folds them into a
:class:`CountryReview` and decides which step may be recorded, refusing a step out
of order with the provision that orders it (:mod:`.refusals`); :mod:`.deadlines`
computes each indicative deadline and its status; :mod:`.performance` gives the
mechanism's performance figures without naming any State.
"""

from __future__ import annotations

from untoc_core.reviews.deadlines import (
    Deadline,
    DeadlineStatus,
    due_soon,
    timeline,
)
from untoc_core.reviews.model import CountryReview, decide, evolve, replay
from untoc_core.reviews.performance import (
    MINIMUM_REVIEWS,
    Figures,
    Performance,
    ReviewFacts,
    Spread,
    StageFigures,
    mechanism_performance,
)

__all__ = [
    "MINIMUM_REVIEWS",
    "CountryReview",
    "Deadline",
    "DeadlineStatus",
    "Figures",
    "Performance",
    "ReviewFacts",
    "Spread",
    "StageFigures",
    "decide",
    "due_soon",
    "evolve",
    "mechanism_performance",
    "replay",
    "timeline",
]
