"""Exact solvers for completing a cycle's reviewers (port ``CompletionSolver``)."""

from __future__ import annotations

from untoc_adapters.solvers.cpsat import CpSatSolver
from untoc_core.drawing.search import FirstDecisive, SearchSolver
from untoc_core.ports import CompletionSolver

__all__ = ["CpSatSolver", "default_solver"]


def default_solver() -> CompletionSolver:
    """The plain search for the easy questions, CP-SAT when it would take long."""
    return FirstDecisive(SearchSolver(max_nodes=5000), CpSatSolver())
