"""Exact solvers for completing a cycle's reviewers (port ``CompletionSolver``)."""

from __future__ import annotations

from untoc_adapters.solvers.cpsat import CpSatSolver, LinearRelaxation
from untoc_core.drawing.search import (
    FirstDecisive,
    NearbySearch,
    OwedReviewsBound,
    SearchSolver,
)
from untoc_core.ports import CompletionSolver

__all__ = ["CpSatSolver", "LinearRelaxation", "default_solver"]


def default_solver() -> CompletionSolver:
    """The solvers a draw asks in turn, cheapest first.

    A matching of the reviews States still owe proves most "no" answers in a few
    milliseconds, and the linear relaxation most of the others; a search near
    the witness, then a plain search, find most "yes" answers quickly; CP-SAT
    settles the rest.
    """
    return FirstDecisive(
        OwedReviewsBound(),
        LinearRelaxation(),
        NearbySearch(),
        SearchSolver(max_nodes=1000),
        CpSatSolver(relaxation_first=False),
    )
