"""The ``cpsat`` completion solver: the reviewer problem for OR-Tools.

The model has one boolean per State under review and possible reviewer ("``r``
reviews ``e``"), not one per slot: the two slots of a State are interchangeable
when both reviewers are of its region, and a model per slot would make the solver
prove every "no" twice over. For a State with two open slots, whose reviewers may
come from sets ``A`` and ``B``, two reviewers fill them exactly when they number
two, at least one is in ``A``, at least one is in ``B``, and at most one is only in
``A`` (or only in ``B``). Each reviewer's reviews, picks included, stay within the
limits, and for every two States reviews in both directions add up to at most one
(no mutual reviews).

A "no" can first be sought in the linear relaxation of that model (GLOP,
:class:`LinearRelaxation`): if even fractional reviews cannot satisfy it, no draw
can, and that proof takes milliseconds where a search could take minutes. CP-SAT
then runs with the known witness as a hint, first lightly (no probing or symmetry
detection in presolve: fillings come two to four times as fast), then, if that try
does not decide within a second, with its full presolve. Both run on one thread
with a fixed seed, so a run repeats exactly; either way, the answer (yes or no) is
the same for every exact solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import attrs
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from untoc_core.drawing.search import CompletionProblem, Undecided
from untoc_core.ports import CompletionSolver

LIGHT_SECONDS = 1.0
"""How long the light first try of CP-SAT may take before the thorough one."""


@attrs.frozen
class _Reviewed:
    """The open slots of one State under review, as the model sees them."""

    state: int
    slots: tuple[int, ...]
    """One or two open slots."""
    options: tuple[int, ...]
    """Reviewers that may fill at least one of them."""
    first: frozenset[int]
    second: frozenset[int]
    """Who may fill each slot (``second`` equals ``first`` for a single slot)."""


@attrs.frozen
class _Model:
    """The problem regrouped by State under review."""

    reviewed: tuple[_Reviewed, ...]
    fixed_load: tuple[int, ...]


def _fixed_facts(
    p: CompletionProblem,
) -> tuple[list[int], set[tuple[int, int]]] | None:
    """Loads and (reviewer, reviewed) pairs of the picks; ``None`` if they fail."""
    fixed_load = [0] * p.parties
    fixed_pairs: set[tuple[int, int]] = set()
    for s, r in enumerate(p.fixed):
        if r < 0:
            continue
        sib = p.sibling[s]
        if r not in p.eligible[s] or (sib >= 0 and p.fixed[sib] == r):
            return None
        fixed_load[r] += 1
        fixed_pairs.add((r, p.pur[s]))
    if p.mutual and any((q, r) in fixed_pairs for r, q in fixed_pairs):
        return None
    if any(fixed_load[r] > p.max_reviews for r in p.reviewers):
        return None
    return fixed_load, fixed_pairs


def _regroup(p: CompletionProblem) -> _Model | None:
    """The open slots by State under review; ``None`` if the picks already fail."""
    facts = _fixed_facts(p)
    if facts is None:
        return None
    fixed_load, fixed_pairs = facts
    slots_of: dict[int, list[int]] = defaultdict(list)
    for s, e in enumerate(p.pur):
        slots_of[e].append(s)
    reviewed = []
    for e, slots in slots_of.items():
        open_slots = tuple(s for s in slots if p.fixed[s] < 0)
        if not open_slots:
            continue
        taken = {p.fixed[s] for s in slots if p.fixed[s] >= 0}
        usable = [
            frozenset(
                r
                for r in p.eligible[s]
                if r not in taken and not (p.mutual and (e, r) in fixed_pairs)
            )
            for s in open_slots
        ]
        first, second = usable[0], usable[-1]
        options = tuple(sorted(first | second))
        if not first or not second or len(options) < len(open_slots):
            return None
        reviewed.append(_Reviewed(e, open_slots, options, first, second))
    return _Model(reviewed=tuple(reviewed), fixed_load=tuple(fixed_load))


def _relaxation_infeasible(p: CompletionProblem, m: _Model) -> bool:
    """True if even fractional reviews cannot keep the rules (so no draw can)."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    x: dict[tuple[int, int], pywraplp.Variable] = {}
    by_reviewer: dict[int, list[pywraplp.Variable]] = defaultdict(list)
    for rev in m.reviewed:
        for r, var in _lp_rows(lp, rev):
            x[r, rev.state] = var
            by_reviewer[r].append(var)
    for r in p.reviewers:
        row = lp.Constraint(
            p.min_reviews - m.fixed_load[r], p.max_reviews - m.fixed_load[r]
        )
        for var in by_reviewer[r]:
            row.SetCoefficient(var, 1)
    if p.mutual:
        for (r, e), var in x.items():
            back = x.get((e, r))
            if r < e and back is not None:
                row = lp.Constraint(-lp.infinity(), 1)
                row.SetCoefficient(var, 1)
                row.SetCoefficient(back, 1)
    return bool(lp.Solve() == pywraplp.Solver.INFEASIBLE)


def _lp_rows(
    lp: pywraplp.Solver, rev: _Reviewed
) -> list[tuple[int, pywraplp.Variable]]:
    """The variables of one State under review, and the rows that fill its slots."""
    inf = lp.infinity()
    count = len(rev.slots)
    rows: list[tuple[pywraplp.Constraint, frozenset[int] | None, bool]] = [
        (lp.Constraint(count, count), None, True),
        (lp.Constraint(1, inf), rev.first, True),
    ]
    if count > 1:
        rows += [
            (lp.Constraint(1, inf), rev.second, True),
            (lp.Constraint(-inf, 1), rev.second, False),  # at most one only in first
            (lp.Constraint(-inf, 1), rev.first, False),  # at most one only in second
        ]
    found = []
    for r in rev.options:
        var = lp.NumVar(0, 1, "")
        found.append((r, var))
        for row, members, inside in rows:
            if members is None or (r in members) == inside:
                row.SetCoefficient(var, 1)
    return found


class LinearRelaxation:
    """A quick "no": the model's linear relaxation (GLOP) has no solution.

    It never answers "yes": where the relaxation can be solved, it gives up
    (:class:`Undecided`) and leaves the question to an exact solver.
    """

    def complete(self, problem: CompletionProblem) -> list[int] | None:
        """``None`` if no filling can exist; otherwise raises ``Undecided``."""
        m = _regroup(problem)
        if m is None or _relaxation_infeasible(problem, m):
            return None
        raise Undecided


class CpSatSolver:
    """Answers a :class:`CompletionProblem` with OR-Tools (GLOP, then CP-SAT).

    Args:
        max_seconds: Give up after this long (``TimeoutError``); the draw never
            continues on a guess.
        relaxation_first: Try the linear relaxation before CP-SAT (leave it off
            where :class:`LinearRelaxation` was asked already).
    """

    def __init__(
        self, *, max_seconds: float = 600.0, relaxation_first: bool = True
    ) -> None:
        self.max_seconds = max_seconds
        self.relaxation_first = relaxation_first

    def complete(self, problem: CompletionProblem) -> list[int] | None:
        """A filling of every slot keeping every rule, or ``None`` if none exists."""
        p = problem
        m = _regroup(p)
        if m is None or (self.relaxation_first and _relaxation_infeasible(p, m)):
            return None
        model, x = _cp_model(p, m)
        # A light first try (no probing or symmetry detection in presolve) finds
        # most fillings two to four times as fast; the full one is for the rest.
        solver = _cp_solver(light=True, seconds=min(LIGHT_SECONDS, self.max_seconds))
        status = solver.solve(model)
        if status == cp_model.UNKNOWN:
            solver = _cp_solver(light=False, seconds=self.max_seconds)
            status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            return None
        if status == cp_model.UNKNOWN:
            msg = f"CP-SAT could not decide within {self.max_seconds} s"
            raise TimeoutError(msg)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # pragma: no cover
            msg = f"CP-SAT refused the model: {solver.status_name(status)}"
            raise AssertionError(msg)
        assign = list(p.fixed)
        for rev in m.reviewed:
            chosen = [r for r in rev.options if solver.boolean_value(x[r, rev.state])]
            _place(assign, rev, chosen)
        return assign


def _cp_solver(*, light: bool, seconds: float) -> cp_model.CpSolver:
    """A single-threaded CP-SAT solver with a fixed seed, so runs repeat exactly."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.linearization_level = 2
    if light:
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
    return solver


def _cp_model(
    p: CompletionProblem, m: _Model
) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar]]:
    """The CP-SAT model: one boolean per State under review and reviewer."""
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_reviewer: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for rev in m.reviewed:
        mine = [model.new_bool_var(f"x{r}_{rev.state}") for r in rev.options]
        for r, var in zip(rev.options, mine, strict=True):
            x[r, rev.state] = var
            by_reviewer[r].append(var)
        _fill(model, rev, mine)
        if p.hint is not None:
            for r in {p.hint[s] for s in rev.slots}:  # a variable is hinted once
                hinted = x.get((r, rev.state))
                if hinted is not None:
                    model.add_hint(hinted, 1)
    for r in p.reviewers:
        model.add_linear_constraint(
            sum(by_reviewer[r]),
            p.min_reviews - m.fixed_load[r],
            p.max_reviews - m.fixed_load[r],
        )
    if p.mutual:
        for (r, e), var in x.items():
            back = x.get((e, r))
            if r < e and back is not None:
                model.add_at_most_one([var, back])
    return model, x


def _fill(
    model: cp_model.CpModel, rev: _Reviewed, mine: Sequence[cp_model.IntVar]
) -> None:
    """Constraints under which the chosen reviewers can fill the open slots."""
    pairs = list(zip(rev.options, mine, strict=True))
    if len(rev.slots) == 1:
        model.add_exactly_one(mine)
        return
    model.add(sum(mine) == 2)  # noqa: PLR2004 - two reviewers
    model.add_bool_or([v for r, v in pairs if r in rev.first])
    model.add_bool_or([v for r, v in pairs if r in rev.second])
    model.add_at_most_one([v for r, v in pairs if r not in rev.second])
    model.add_at_most_one([v for r, v in pairs if r not in rev.first])


def _place(assign: list[int], rev: _Reviewed, chosen: list[int]) -> None:
    """Put the chosen reviewers into the open slots they may fill."""
    if len(rev.slots) == 1:
        assign[rev.slots[0]] = chosen[0]
        return
    u, v = chosen
    if not (u in rev.first and v in rev.second):
        u, v = v, u
    assign[rev.slots[0]], assign[rev.slots[1]] = u, v


def open_cpsat_solver() -> CompletionSolver:
    """The ``cpsat`` entry point."""
    return CpSatSolver()
