"""The ``cpsat`` completion solver: the reviewer problem as a CP-SAT model (OR-Tools).

One boolean per open slot and eligible reviewer; each open slot takes exactly one
reviewer; the two reviewers of a State differ; each reviewer's reviews, picks
included, stay within the limits; and for every two States, reviews in both
directions add up to at most one (no mutual reviews). The model is solved for
feasibility only, single-threaded and with a fixed seed, so a run repeats exactly.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from untoc_core.drawing.search import CompletionProblem
from untoc_core.ports import CompletionSolver


class CpSatSolver:
    """Answers a :class:`CompletionProblem` with OR-Tools' CP-SAT solver."""

    def __init__(self, *, max_seconds: float = 600.0) -> None:
        self.max_seconds = max_seconds

    def complete(  # noqa: C901, PLR0912 - one model, built in one place
        self, problem: CompletionProblem
    ) -> list[int] | None:
        """A filling of every slot keeping every rule, or ``None`` if none exists."""
        p = problem
        model = cp_model.CpModel()
        fixed_load = [0] * p.parties
        fixed_pairs: set[tuple[int, int]] = set()
        for s, r in enumerate(p.fixed):
            if r >= 0:
                fixed_load[r] += 1
                fixed_pairs.add((r, p.pur[s]))
        if p.mutual and any((q, r) in fixed_pairs for r, q in fixed_pairs):
            return None
        for s, r in enumerate(p.fixed):
            sib = p.sibling[s]
            if r >= 0 and (r not in p.eligible[s] or (sib >= 0 and p.fixed[sib] == r)):
                return None
        x: dict[tuple[int, int], cp_model.IntVar] = {}
        by_reviewer: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        by_pair: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        for s, choices in enumerate(p.eligible):
            if p.fixed[s] >= 0:
                continue
            sib = p.sibling[s]
            taken = p.fixed[sib] if sib >= 0 else -1
            options = [
                r
                for r in choices
                if r != taken and not (p.mutual and (p.pur[s], r) in fixed_pairs)
            ]
            if not options:
                return None
            for r in options:
                var = model.new_bool_var(f"x{s}_{r}")
                x[s, r] = var
                by_reviewer[r].append(var)
                by_pair[r, p.pur[s]].append(var)
            model.add_exactly_one(x[s, r] for r in options)
            if p.hint is not None and p.hint[s] in options:
                model.add_hint(x[s, p.hint[s]], 1)
        for s, sib in enumerate(p.sibling):
            if sib > s and p.fixed[s] < 0 and p.fixed[sib] < 0:
                for r in p.eligible[s]:
                    if (s, r) in x and (sib, r) in x:
                        model.add_at_most_one([x[s, r], x[sib, r]])
        for r in p.reviewers:
            total = sum(by_reviewer[r]) + fixed_load[r]
            model.add(total >= p.min_reviews)
            model.add(total <= p.max_reviews)
        if p.mutual:
            for r, q in {(min(a, b), max(a, b)) for a, b in by_pair}:
                both_ways = [*by_pair.get((r, q), []), *by_pair.get((q, r), [])]
                already = ((r, q) in fixed_pairs) + ((q, r) in fixed_pairs)
                model.add(sum(both_ways) + already <= 1)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_time_in_seconds = self.max_seconds
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            return None
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            msg = f"CP-SAT could not decide within {self.max_seconds} s"
            raise TimeoutError(msg)
        assign = list(p.fixed)
        for (s, r), var in x.items():
            if solver.boolean_value(var):
                assign[s] = r
        return assign


def open_cpsat_solver() -> CompletionSolver:
    """The ``cpsat`` entry point."""
    return CpSatSolver()
