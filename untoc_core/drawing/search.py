"""Completing the reviewers of a cycle: the problem, and a plain search that solves it.

The drawing of lots asks one question many times: given the picks made so far, can
every open slot still be filled without breaking a rule? :class:`CompletionProblem`
states it as plain data, and any :class:`untoc_core.ports.CompletionSolver` answers
it. :class:`SearchSolver` is a depth-first search in pure Python, exact and fine
for small cycles; the ``cpsat`` adapter (OR-Tools) answers quickly at full scale.
Every exact solver gives the same yes or no, so the draw does not depend on which
one ran.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from untoc_core.ports import CompletionSolver


@attrs.frozen(kw_only=True)
class CompletionProblem:
    """Can the open slots be filled? Indexes stand for States and slots.

    Attributes:
        parties: How many States there are (indexes ``0 .. parties-1``).
        reviewers: The States that may review (States parties).
        pur: For each slot, the State under review.
        sibling: For each slot, the other slot of the same State, or -1.
        eligible: For each slot, the States that may fill it, whatever else is
            picked (party to the Protocols, same region, not itself, not deferred).
        fixed: For each slot, the State already picked, or -1 if open.
        min_reviews: The fewest reviews each reviewer performs in the cycle.
        max_reviews: The most reviews each reviewer performs in the cycle.
        mutual: Whether the no-mutual-review rule applies (off only to diagnose).
        hint: A filling to try first, if one is known.
    """

    parties: int
    reviewers: tuple[int, ...]
    pur: tuple[int, ...]
    sibling: tuple[int, ...]
    eligible: tuple[tuple[int, ...], ...]
    fixed: tuple[int, ...]
    min_reviews: int
    max_reviews: int
    mutual: bool = True
    hint: tuple[int, ...] | None = None

    def keeps_rules(self, assign: list[int]) -> bool:
        """True if ``assign`` fills every slot and keeps every rule."""
        load = [0] * self.parties
        pairs: set[tuple[int, int]] = set()
        for s, r in enumerate(assign):
            if r not in self.eligible[s] or (self.fixed[s] >= 0 and r != self.fixed[s]):
                return False
            sib = self.sibling[s]
            if sib >= 0 and assign[sib] == r:
                return False
            load[r] += 1
            pairs.add((r, self.pur[s]))
        if self.mutual and any((p, r) in pairs for r, p in pairs):
            return False
        return all(
            self.min_reviews <= load[r] <= self.max_reviews for r in self.reviewers
        )


class Undecided(Exception):
    """A solver stopped within its budget without a yes or a no."""


class SearchSolver:
    """Depth-first search for a filling, exact when it is given no budget.

    Slots with the fewest candidates come first; the hint's value is tried first,
    then the least-loaded reviewers. A branch is cut when the reviews still owed
    to reach the minimum cannot each get a distinct open slot.

    Args:
        max_nodes: Give up (raise :class:`Undecided`) after trying this many
            assignments; ``None`` searches to the end, however long it takes.
    """

    def __init__(self, max_nodes: int | None = None) -> None:
        self.max_nodes = max_nodes

    def complete(self, problem: CompletionProblem) -> list[int] | None:  # noqa: C901
        """A filling of every open slot that keeps every rule, or ``None``."""
        p = problem
        mn, mx = p.min_reviews, p.max_reviews
        assign = list(p.fixed)
        load = [0] * p.parties
        reviews: list[set[int]] = [set() for _ in range(p.parties)]
        for s, r in enumerate(assign):
            if r >= 0:
                load[r] += 1
                reviews[r].add(p.pur[s])
        if p.mutual and any(
            r >= 0 and r in reviews[p.pur[s]] for s, r in enumerate(assign)
        ):
            return None
        if any(load[r] > mx for r in p.reviewers):
            return None
        for s, r in enumerate(assign):
            sib = p.sibling[s]
            if r >= 0 and (r not in p.eligible[s] or (sib >= 0 and assign[sib] == r)):
                return None
        slots_of = _slots_of(p)
        free = sorted(
            (s for s in range(len(assign)) if assign[s] < 0),
            key=lambda s: (len(p.eligible[s]), s),
        )
        if not _owed_fit(p, slots_of, assign, load, reviews, free):
            return None
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * len(free) + 1000))
        deficit = sum(max(0, mn - load[r]) for r in p.reviewers)
        budget = [self.max_nodes if self.max_nodes is not None else -1]

        def options(s: int) -> list[int]:
            """Who may fill ``s``: the hint's choice, then the least loaded first."""
            sib = p.sibling[s]
            taken = assign[sib] if sib >= 0 else -1
            barred = reviews[p.pur[s]] if p.mutual else ()
            found = [r for r in p.eligible[s] if load[r] < mx and r not in barred]
            if taken in found:
                found.remove(taken)
            # By load, then by State: the eligible States come in order, and the
            # sort is stable.
            found.sort(key=load.__getitem__)
            preferred = p.hint[s] if p.hint is not None else -1
            if preferred in found and found[0] != preferred:
                found.remove(preferred)
                found.insert(0, preferred)
            return found

        def search(i: int, deficit: int) -> bool:
            remaining = len(free) - i
            if deficit > remaining:
                return False
            if remaining == 0:
                return True
            if (
                remaining <= 2 * deficit
                and i % 4 == 0
                and not _owed_fit(p, slots_of, assign, load, reviews, free[i:])
            ):
                return False
            s = free[i]
            pur = p.pur[s]
            for r in options(s):
                if budget[0] == 0:
                    raise Undecided
                budget[0] -= 1
                owed = load[r] < mn
                assign[s] = r
                load[r] += 1
                reviews[r].add(pur)
                if search(i + 1, deficit - owed):
                    return True
                assign[s] = -1
                load[r] -= 1
                reviews[r].discard(pur)
            return False

        return assign if search(0, deficit) else None


_LAST_SLOTS_OF: list[tuple[tuple[tuple[int, ...], ...], list[list[int]]]] = []


def _slots_of(p: CompletionProblem) -> list[list[int]]:
    """For each State, the slots it may fill.

    A draw asks many questions on the very same eligibility tuple, so the last
    answer is kept (it holds the tuple, so the identity check is sound).
    """
    last = _LAST_SLOTS_OF[-1] if _LAST_SLOTS_OF else None  # one read: thread-safe
    if last is not None and last[0] is p.eligible:
        return last[1]
    if (
        last is not None
        and len(last[0]) == len(p.eligible)
        and len(last[1]) == p.parties
    ):
        # A question narrowed to a few slots (``only``) shares the rest of the
        # tuple: patch the lists of the States those slots change.
        differ = [
            s
            for s, (a, b) in enumerate(zip(last[0], p.eligible, strict=True))
            if a is not b
        ]
        if len(differ) <= _FEW_NARROWED:
            return _patched(last[1], last[0], p.eligible, differ)
    slots_of: list[list[int]] = [[] for _ in range(p.parties)]
    for s, found in enumerate(p.eligible):
        for r in found:
            slots_of[r].append(s)
    _LAST_SLOTS_OF[:] = [(p.eligible, slots_of)]
    return slots_of


_FEW_NARROWED = 8
"""Up to how many changed slots :func:`_slots_of` patches the last lists."""


def _patched(
    slots_of: list[list[int]],
    before: tuple[tuple[int, ...], ...],
    after: tuple[tuple[int, ...], ...],
    differ: list[int],
) -> list[list[int]]:
    """``slots_of`` of ``before``, changed to that of ``after`` (same order)."""
    patched = list(slots_of)
    for s in differ:
        was, now = set(before[s]), set(after[s])
        for r in was - now:
            patched[r] = [t for t in patched[r] if t != s]
        for r in now - was:
            mine = list(patched[r])
            bisect.insort(mine, s)
            patched[r] = mine
    return patched


def _owed_fit(  # noqa: PLR0913, PLR0917 - the search's state, passed as is
    p: CompletionProblem,
    slots_of: list[list[int]],
    assign: list[int],
    load: list[int],
    reviews: list[set[int]],
    free: list[int],
) -> bool:
    """Can each reviewer owing reviews get that many distinct open slots?

    A slot counts for a reviewer only if the reviewer may fill it: eligible, not
    already the other reviewer of that State, and not reviewed by that State (no
    mutual reviews). Reviewers with the fewest slots are matched first.
    """
    owed = {r: p.min_reviews - load[r] for r in p.reviewers if load[r] < p.min_reviews}
    if not owed:
        return True
    if sum(owed.values()) > len(free):
        return False
    options = _owed_options(p, slots_of, owed, assign, reviews, free)
    return _match(owed, options) is not None


def _owed_options(  # noqa: PLR0913, PLR0917 - the search's state, passed as is
    p: CompletionProblem,
    slots_of: list[list[int]],
    owed: dict[int, int],
    assign: Sequence[int],
    reviews: list[set[int]],
    free: list[int],
) -> dict[int, list[int]]:
    """For each reviewer owing reviews, the open slots it may fill.

    Eligible, not already the other reviewer of that State, and not reviewed by
    that State (no mutual reviews); with nothing filled yet, every eligible slot.
    """
    if len(free) == len(assign):
        return {r: slots_of[r] for r in owed}
    open_slots = set(free)
    return {
        r: [
            s
            for s in slots_of[r]
            if s in open_slots
            and not (p.sibling[s] >= 0 and assign[p.sibling[s]] == r)
            and not (p.mutual and r in reviews[p.pur[s]])
        ]
        for r in owed
    }


class OwedReviewsBound:
    """A quick "no": some States cannot each get the reviews they still owe.

    Each State party must perform at least the minimum of reviews (ToR 20). The
    States that still owe reviews are matched to distinct open slots they may
    fill; if no matching exists, no filling does. Where the matching has two
    States review each other (ToR 19), any filling lacks one of the two reviews,
    so both cases are tried in turn, up to ``branches`` deep. It never answers
    "yes": where a matching survives, it raises :class:`Undecided`.

    Args:
        branches: How many mutual reviews may be split before giving up.
    """

    def __init__(self, *, branches: int = 8) -> None:
        self.branches = branches

    def complete(self, problem: CompletionProblem) -> list[int] | None:
        """``None`` if the owed reviews cannot be placed; else ``Undecided``."""
        p = problem
        load = [0] * p.parties
        reviews: list[set[int]] = [set() for _ in range(p.parties)]
        for s, r in enumerate(p.fixed):
            if r >= 0:
                load[r] += 1
                reviews[r].add(p.pur[s])
        owed = {
            r: p.min_reviews - load[r] for r in p.reviewers if load[r] < p.min_reviews
        }
        free = [s for s, r in enumerate(p.fixed) if r < 0]
        if sum(owed.values()) > len(free):
            return None
        options = _owed_options(p, _slots_of(p), owed, p.fixed, reviews, free)
        if not self._fits(p, owed, options, frozenset(), self.branches):
            return None
        if not _room_fits(p, load, reviews, free):
            return None
        raise Undecided

    def _fits(
        self,
        p: CompletionProblem,
        owed: dict[int, int],
        options: dict[int, list[int]],
        barred: frozenset[tuple[int, int]],
        branches: int,
    ) -> bool:
        """False only if no filling places the owed reviews without ``barred``."""
        matched = _match_owed(p, owed, options, barred)
        if matched is None:
            return False
        pairs = {(r, p.pur[s]) for s, r in matched.items()}
        if len(pairs) < len(matched) or not p.mutual or branches == 0:
            return True  # a State twice for one State, or out of branches: unsure
        both = next(((a, b) for a, b in sorted(pairs) if (b, a) in pairs), None)
        if both is None:
            return True
        a, b = both
        return self._fits(p, owed, options, barred | {(a, b)}, branches - 1) or (
            self._fits(p, owed, options, barred | {(b, a)}, branches - 1)
        )


def _room_fits(
    p: CompletionProblem,
    load: list[int],
    reviews: list[set[int]],
    free: list[int],
) -> bool:
    """Can each open slot get a reviewer with room for one more review?

    Each reviewer has ``max_reviews`` minus its picks of room; a slot counts a
    reviewer only if the reviewer may fill it (eligible, not already the other
    reviewer of that State, not reviewed by that State). If the open slots
    cannot each get a distinct unit of room, no filling exists (ToR 20).
    Slots with the fewest reviewers are matched first; a slot that finds no
    reviewer with room left moves others along a shortest path.
    """
    mx = p.max_reviews
    usable: dict[int, list[int]] = {}
    if len(free) == len(p.fixed):  # nothing fixed: every eligible State has room
        usable = {s: list(p.eligible[s]) for s in free}
    else:
        for s in free:
            sib = p.sibling[s]
            taken = p.fixed[sib] if sib >= 0 else -1
            barred = reviews[p.pur[s]] if p.mutual else ()
            usable[s] = [
                r
                for r in p.eligible[s]
                if load[r] < mx and r != taken and r not in barred
            ]
    held: dict[int, list[int]] = {}
    match: dict[int, int] = {}
    for s in sorted(free, key=lambda s: (len(usable[s]), s)):
        for r in usable[s]:
            mine = held.setdefault(r, [])
            if len(mine) < mx - load[r]:
                mine.append(s)
                match[s] = r
                break
        else:
            if not _room_path(s, usable, held, match, load, mx):
                return False
    return True


def _room_path(  # noqa: PLR0913, PLR0917 - the matching's state, passed as is
    start: int,
    usable: dict[int, list[int]],
    held: dict[int, list[int]],
    match: dict[int, int],
    load: list[int],
    mx: int,
) -> bool:
    """Give open slot ``start`` a reviewer, moving slots along a shortest path."""
    came_to: dict[int, int] = {}  # reviewer -> the slot that would move to it
    queue = [start]
    for x in queue:
        for r in usable[x]:
            if r in came_to:
                continue
            came_to[r] = x
            mine = held.setdefault(r, [])
            if len(mine) < mx - load[r]:
                _move_along(r, came_to, held, match)
                return True
            queue.extend(mine)
    return False


def _move_along(
    end: int,
    came_to: dict[int, int],
    held: dict[int, list[int]],
    match: dict[int, int],
) -> None:
    """Move each slot of the path found by :func:`_room_path` to its reviewer."""
    r = end
    while True:
        slot = came_to[r]
        before = match.get(slot)
        match[slot] = r
        held[r].append(slot)
        if before is None:
            return
        held[before].remove(slot)
        r = before


def _match_owed(
    p: CompletionProblem,
    owed: dict[int, int],
    options: dict[int, list[int]],
    barred: frozenset[tuple[int, int]],
) -> dict[int, int] | None:
    """Distinct open slots for the reviews each State owes (slot -> State)."""
    allowed = dict(options)
    for r, under in barred:  # only the barred reviewers lose slots
        if r in allowed:
            allowed[r] = [s for s in allowed[r] if p.pur[s] != under]
    return _match(owed, allowed)


def _match(
    owed: dict[int, int], options: dict[int, list[int]]
) -> dict[int, int] | None:
    """Distinct slots for ``owed[r]`` reviews of each ``r`` (slot -> r), or ``None``.

    Augmenting paths, found depth-first without recursion (paths can be long on
    large registries); reviewers with the fewest slots are matched first.
    """
    slot_of: dict[int, int] = {}
    for start in sorted(owed, key=lambda r: (len(options[r]), r)):
        for _ in range(owed[start]):
            if not _augment(start, options, slot_of):
                return None
    return slot_of


def _augment(
    start: int, options: dict[int, list[int]], slot_of: dict[int, int]
) -> bool:
    """Give ``start`` one more slot, moving others along a path; False if none."""
    for s in options[start]:  # a free slot at once, the common case
        if s not in slot_of:
            slot_of[s] = start
            return True
    seen: set[int] = set()
    stack = [(start, iter(options[start]))]
    path: list[tuple[int, int]] = []  # (reviewer, slot it takes), along the stack
    while stack:
        r, untried = stack[-1]
        for s in untried:
            if s in seen:
                continue
            seen.add(s)
            path.append((r, s))
            holder = slot_of.get(s)
            if holder is None:
                slot_of.update({slot: taker for taker, slot in path})
                return True
            stack.append((holder, iter(options[holder])))
            break
        else:
            stack.pop()
            if path:
                path.pop()
    return False


class NearbySearch:
    """Looks for a filling close to a known one (the problem's hint).

    The slots where the hint breaks the problem (in the draw: the one slot being
    asked about) are opened, with every slot held by, or reviewing, a State they
    involve; the rest of the hint stays as it is and :class:`SearchSolver` fills
    the opened slots. The neighbourhood grows ring by ring. A filling found this
    way keeps every rule; when none is found nearby the solver gives up
    (:class:`Undecided`), since one may still exist further away. Without a
    hint, it is a plain search within the same budget.

    Args:
        rings: How many times the neighbourhood grows before giving up.
        max_nodes: The search budget for each neighbourhood.
        few: A broken slot's candidates join the neighbourhood when they are at
            most this many.
    """

    def __init__(self, *, rings: int = 3, max_nodes: int = 2000, few: int = 12) -> None:
        self.rings = rings
        self.max_nodes = max_nodes
        self.few = few

    def complete(self, problem: CompletionProblem) -> list[int] | None:
        """A filling near the hint; raises ``Undecided`` if none is found nearby."""
        p = problem
        hint = p.hint
        if hint is None:  # nothing to start from: a short search from scratch
            # (a budget for every open slot: filling them takes one try each)
            free = sum(1 for r in p.fixed if r < 0)
            return SearchSolver(self.max_nodes + 2 * free).complete(p)
        slots = range(len(p.fixed))
        broken = [
            s
            for s in slots
            if (p.fixed[s] < 0 and hint[s] not in p.eligible[s])
            or (p.fixed[s] >= 0 and hint[s] != p.fixed[s])
        ]
        opened = set(broken)
        for _ in range(self.rings):
            states: set[int] = set()
            for t in opened:
                states.update((hint[t], p.pur[t]))
                if p.fixed[t] >= 0:
                    states.add(p.fixed[t])
                if t in broken and len(p.eligible[t]) <= self.few:
                    states.update(p.eligible[t])
            opened |= {
                t
                for t in slots
                if p.fixed[t] < 0 and (hint[t] in states or p.pur[t] in states)
            }
            nearby = attrs.evolve(
                p,
                fixed=tuple(
                    p.fixed[t] if p.fixed[t] >= 0 or t in opened else hint[t]
                    for t in slots
                ),
            )
            try:
                found = SearchSolver(self.max_nodes).complete(nearby)
            except Undecided:
                continue
            if found is not None:
                return found
        raise Undecided


class FirstDecisive:
    """Asks each solver in turn; the first that does not give up answers."""

    def __init__(self, *solvers: CompletionSolver) -> None:
        if not solvers:
            msg = "at least one solver is needed"
            raise ValueError(msg)
        self.solvers = solvers

    def complete(self, problem: CompletionProblem) -> list[int] | None:
        """The answer of the first solver that decides."""
        for solver in self.solvers[:-1]:
            try:
                return solver.complete(problem)
            except Undecided:
                continue
        return self.solvers[-1].complete(problem)
