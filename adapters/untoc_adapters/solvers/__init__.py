"""Exact solvers for completing a cycle's reviewers (port ``CompletionSolver``)."""

from __future__ import annotations

from untoc_adapters.solvers.cpsat import CpSatSolver, LinearRelaxation
from untoc_core.drawing.search import FirstDecisive, NearbySearch, OwedReviewsBound
from untoc_core.ports import CompletionSolver

__all__ = ["CpSatSolver", "LinearRelaxation", "default_solver"]


def default_solver() -> CompletionSolver:
    """The solvers a draw asks in turn, cheapest first.

    A matching of the reviews States still owe proves most "no" answers in a few
    milliseconds; a search near the witness finds most "yes" answers in a few
    more; the linear relaxation proves most of the remaining "no" answers, and
    CP-SAT settles the rest. (A plain search before CP-SAT was measured to cost
    more than it saves on the shipped registry.)
    """
    return FirstDecisive(
        OwedReviewsBound(),
        NearbySearch(),
        LinearRelaxation(),
        CpSatSolver(relaxation_first=False),
    )
