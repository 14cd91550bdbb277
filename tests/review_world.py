"""A country review on a mechanism with recorded draws, for the lifecycle's tests.

The reviewers of cycle 1, year 1 are drawn on the fictional registry of
``tests.draw_mechanism``; :func:`open_first_review` opens the first review drawn.
"""

from __future__ import annotations

import datetime as dt

from tests.draw_mechanism import hold_ceremony, prepare
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.storage.memory import open_memory_store
from untoc_core import Mechanism

NOW = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
SHA_A = "a" * 64
SHA_B = "b" * 64


def drawn_mechanism() -> tuple[Mechanism, SimulatedClock]:
    """A mechanism whose years and year-1 reviewers of cycle 1 are drawn."""
    clock = SimulatedClock(NOW)
    mechanism = prepare(Mechanism(open_memory_store(), clock))
    hold_ceremony(mechanism, clock, "cycle-1/years")
    mechanism.draw_review_years(1)
    hold_ceremony(mechanism, clock, "cycle-1/year-1/reviewers")
    mechanism.draw_reviewers(1, 1)
    return mechanism, clock


def open_first_review(mechanism: Mechanism) -> str:
    """Open the review of the first State drawn for year 1; return its id."""
    first = mechanism.reviewers(1, 1)[0]
    review = f"cycle-1/{first.under_review}"
    mechanism.open_review(review)
    return review
