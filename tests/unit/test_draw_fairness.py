"""Fairness: a lot picks each candidate equally often (chi-square, 10,000 picks).

The setting has no look-ahead forcing: the slot is the same-region reviewer of a
State in a group of ten, with loose load limits, so the engine allows all nine
other members of the group. Each of 10,000 seeds then draws one lot for that slot
and maps it to a candidate as ``draw_cycle`` does (the engine's candidates are
computed once; they do not depend on the seed). The same test rejects a
deliberately biased picker, so it can fail; the seeds are fixed, so it never
fails by chance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from tests.draw_pools import party, seed
from untoc_core.drawing.assignment import CycleAssignment
from untoc_core.drawing.stream import LotStream

PICKS = 10_000
# chi-square critical value, 8 degrees of freedom, p = 0.001
CRITICAL_8_DF = 26.124


def chi_square(counts: Counter[str], categories: Sequence[str]) -> float:
    expected = sum(counts.values()) / len(categories)
    return sum((counts[c] - expected) ** 2 / expected for c in categories)


def first_picks(choose: Callable[[LotStream, list[str], str], str]) -> Counter[str]:
    pool = [party(f"N{i}", "North") for i in range(10)]
    pool += [party(f"S{i}", "South") for i in range(10)]
    engine = CycleAssignment(
        pool, [[p.code for p in pool]], min_reviews=0, max_reviews=3
    )
    slot = engine.slot_of(1, "N0", "same-region")
    candidates = engine.allowed(slot)
    assert candidates == [f"N{i}" for i in range(1, 10)]
    label = engine.slots[slot].label
    return Counter(choose(LotStream(seed(n)), candidates, label) for n in range(PICKS))


def by_lot(stream: LotStream, candidates: list[str], label: str) -> str:
    return candidates[stream.below(len(candidates), label).value]


def biased(stream: LotStream, candidates: list[str], label: str) -> str:
    """Reads 4 bits and folds them onto 9 candidates: the first seven win twice."""
    return candidates[(stream.word(label) % 16) % len(candidates)]


def test_the_same_region_reviewer_is_drawn_uniformly() -> None:
    counts = first_picks(by_lot)
    assert sum(counts.values()) == PICKS
    assert chi_square(counts, [f"N{i}" for i in range(1, 10)]) < CRITICAL_8_DF


def test_the_chi_square_test_rejects_a_biased_picker() -> None:
    counts = first_picks(biased)
    assert chi_square(counts, [f"N{i}" for i in range(1, 10)]) > CRITICAL_8_DF
