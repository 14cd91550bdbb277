"""Whole cycles on the shipped registry: every rule holds, for many seeds.

Every run of the suite draws ``UNTOC_DRAW_SEEDS`` seeds (default 200: under 1 s
each in the median on an idle core, up to about 3 s for a seed that needs CP-SAT,
spread over the cores by pytest-xdist); a release draws 1,000 (see
docs/how-to/release-checks.md):

    UNTOC_DRAW_SEEDS=1000 .venv/bin/pytest tests/integration/test_draw_shipped.py
"""

from __future__ import annotations

import hashlib
import os
from functools import cache

import pytest

from tests.draw_pools import check_rules
from untoc_adapters.cli.draw import shipped_pool as shipped_states_parties
from untoc_adapters.solvers import default_solver
from untoc_core.drawing.simulate import draw_cycle

SEEDS = int(os.environ.get("UNTOC_DRAW_SEEDS", "200"))


shipped_pool = cache(shipped_states_parties)
"""The States parties of the shipped snapshot, loaded once for all the seeds."""


def test_the_shipped_pool_is_every_state_party() -> None:
    pool = shipped_pool()
    assert len(pool) == 193  # the 2014 snapshot's States parties
    assert all(p.can_review for p in pool)
    assert sum(1 for p in pool if not p.protocols) == 23


@pytest.mark.parametrize("n", range(SEEDS))
def test_a_whole_cycle_on_the_shipped_registry_keeps_every_rule(n: int) -> None:
    pool = shipped_pool()
    draw = draw_cycle(
        pool,
        seed=hashlib.sha256(f"property {n}".encode()).digest(),
        years=5,
        min_reviews=1,
        max_reviews=3,
        solver=default_solver(),
    )
    reviewed = [r.under_review for r in draw.reviews]
    assert sorted(reviewed) == sorted(p.code for p in pool), "each reviewed once"
    years = [len(codes) for codes in draw.years.review_years]
    assert max(years) - min(years) <= 1
    check_rules(
        list(pool),
        [(r.under_review, r.reviewers, r.same_region_reviewer) for r in draw.reviews],
    )
