"""Which candidates of a slot could still leave every State its minimum of reviews.

Each State party performs at least ``min_reviews`` reviews in the cycle (ToR 20).
A State that has fewer picks than that *owes* reviews, and the open slots must be
able to give each owed review a distinct slot the State may fill. Late in a cycle
this is often what decides a slot: when the States that still owe reviews need
every open slot of some kind, a slot of that kind can go only to one of them.

:class:`OwedMatching` keeps one such placement (a matching of owed reviews to open
slots) up to date as picks are made, and answers, for a slot, which candidates
pass this test, all at once, with one search along the matching's alternating
paths. The test is necessary, not sufficient: it looks only at eligibility, the
other reviewer of the same State and the reviews already picked (no mutual
reviews), not at the maximum or at mutual reviews among the open slots. So a
candidate it turns down can never fill the slot; one it lets through still has to
be confirmed by the exact look-ahead. It changes how quickly the allowed set is
found, never which set it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet


class OwedMatching:
    """A placement of the reviews still owed, kept across picks.

    Args:
        reviewers: The States that may review.
        pur: For each slot, the State under review.
        sibling: For each slot, the other slot of the same State, or -1.
        eligible_sets: For each slot, the States that may fill it whatever else
            is picked.
        eligible_bits: For each State, the slots it may fill whatever else is
            picked, as a bit set (bit ``t`` for slot ``t``).
        picks: The picks so far (-1: open), shared with the caller and read
            live.
        pick_reviews: For each State, the States it reviews in the picks (live).
        pick_load: For each State, how many picks it has (live).
        min_reviews: The fewest reviews each reviewer performs in the cycle.
    """

    def __init__(  # noqa: PLR0913 - the engine's state, passed as is
        self,
        *,
        reviewers: Sequence[int],
        pur: Sequence[int],
        sibling: Sequence[int],
        eligible_sets: Sequence[frozenset[int]],
        eligible_bits: Sequence[int],
        picks: list[int],
        pick_reviews: Sequence[set[int]],
        pick_load: list[int],
        min_reviews: int,
    ) -> None:
        self._reviewers = reviewers
        self._pur = pur
        self._sibling = sibling
        self._eligible_sets = eligible_sets
        self._eligible_bits = eligible_bits
        self._picks = picks
        self._pick_reviews = pick_reviews
        self._pick_load = pick_load
        self._min = min_reviews
        self._under: dict[int, list[int]] = {}  # State -> the slots reviewing it
        for t, p in enumerate(pur):
            self._under.setdefault(p, []).append(t)
        self._held: dict[int, int] = {}  # slot -> the State whose owed review it is
        self._holds: dict[int, list[int]] = {}  # State -> the slots it holds
        self._dirty: list[int] = []  # slots picked or opened since the last sync
        self._whole = False  # a full check is due (at the start)
        self._open = 0  # the open slots, as a bit set
        for t, r in enumerate(picks):
            if r < 0:
                self._open |= 1 << t
        self._broken = False  # an owed review found no slot: the test is off
        self.reset()

    # -- keeping the matching ----------------------------------------------------------

    def reset(self) -> None:
        """Forget the placement; it is made again when next asked."""
        self._held.clear()
        self._holds.clear()
        self._dirty.clear()
        self._whole = True

    def start_from(self, placement: Iterable[tuple[int, int]]) -> None:
        """Take ``(slot, State)`` pairs as the placement to start from.

        Used before the first question, with slots the State holds in a known
        filling: the first sync then checks each pair, as it checks every
        placement it keeps, and searches only for the reviews still unplaced.
        """
        for t, r in placement:
            if t not in self._held:
                self._held[t] = r
                self._holds.setdefault(r, []).append(t)
        self._whole = True

    def changed(self, slot: int) -> None:
        """Slot ``slot`` was picked or opened again."""
        self._dirty.append(slot)
        if self._picks[slot] < 0:
            self._open |= 1 << slot
        else:
            self._open &= ~(1 << slot)

    def _owed(self, r: int) -> int:
        return max(0, self._min - self._pick_load[r])

    def _fits(self, r: int, t: int) -> bool:
        """May ``r`` take open slot ``t``, given the picks?"""
        if self._picks[t] >= 0 or r not in self._eligible_sets[t]:
            return False
        sib = self._sibling[t]
        if sib >= 0 and self._picks[sib] == r:
            return False
        return r not in self._pick_reviews[self._pur[t]]

    def _drop(self, t: int) -> None:
        r = self._held.pop(t)
        self._holds[r].remove(t)

    def _sync(self) -> None:
        """Bring the placement in line with the picks; place every owed review."""
        needy: set[int] = set()
        if self._whole:
            self._whole = False
            self._broken = False
            self._dirty.clear()
            for t, r in list(self._held.items()):
                if not self._fits(r, t):
                    self._drop(t)
            needy.update(self._reviewers)
        for s in self._dirty:
            self._sync_slot(s, needy)
        self._dirty.clear()
        if self._whole:  # a release among the changes
            self._sync()
            return
        self._place(sorted(needy))

    def _place(self, needy: list[int]) -> None:
        """Give up what ``needy`` no longer owe, then place what they owe."""
        for r in needy:
            mine = self._holds.setdefault(r, [])
            while len(mine) > self._owed(r):
                self._drop(mine[-1])
        for r in needy:
            mine = self._holds[r]
            while len(mine) < self._owed(r):
                if not self._augment(r):
                    self._broken = True  # cannot happen on a feasible draw
                    return

    def _sync_slot(self, s: int, needy: set[int]) -> None:
        """Undo what a pick (or a release) of slot ``s`` made invalid."""
        if s in self._held:
            needy.add(self._held[s])
            self._drop(s)
        r = self._picks[s]
        if r < 0:
            # Opened again: whoever held it in the picks may owe once more, and
            # what its pick barred is allowed again. Releases are rare: check all.
            self._whole = True
            return
        needy.add(r)
        sib = self._sibling[s]
        if sib >= 0 and self._held.get(sib) == r:
            self._drop(sib)
        # r now reviews the State under review of s: that State may not review r.
        p = self._pur[s]
        for t in self._under.get(r, ()):
            if self._held.get(t) == p:
                needy.add(p)
                self._drop(t)

    # -- searching along alternating paths ------------------------------------------

    def _reach(
        self, start: int, barred: int
    ) -> tuple[int, dict[int, int], dict[int, int]]:
        """Slots reachable from ``start`` along alternating paths, avoiding ``barred``.

        Returns the first free slot found (-1 if none), and the tree: for each
        slot reached, the State that reached it; for each State reached, the
        slot it was reached through.
        """
        picks = self._picks
        # The open slots not yet reached, as a bit set: each State's slots to
        # try are picked out at once, and only those are looked at one by one.
        untaken = self._open & ~(1 << barred) if barred >= 0 else self._open
        took: dict[int, int] = {}  # slot -> the State that would take it
        via: dict[int, int] = {start: -1}  # State -> the slot it gives up
        queue = [start]
        # The hot loop: _fits inlined (the slots of eligible_bits[x] are those
        # x may fill whatever is picked).
        held, sibling, pur, reviews = (
            self._held,
            self._sibling,
            self._pur,
            self._pick_reviews,
        )
        for x in queue:
            mine = self._eligible_bits[x] & untaken
            # Latest first: the placement fills the earliest slots first, so a
            # free slot is most likely among the latest.
            while mine:
                t = mine.bit_length() - 1
                mine ^= 1 << t
                sib = sibling[t]
                if (sib >= 0 and picks[sib] == x) or x in reviews[pur[t]]:
                    continue
                took[t] = x
                untaken ^= 1 << t
                holder = held.get(t)
                if holder is None:
                    return t, took, via
                if holder not in via:
                    via[holder] = t
                    queue.append(holder)
        return -1, took, via

    def _augment(self, r: int) -> bool:
        """Place one more owed review of ``r``, moving others along a path."""
        free, took, via = self._reach(r, -1)
        if free < 0:
            return False
        t = free
        while True:
            x = took[t]
            before = self._held.get(t)
            if before is not None:
                self._holds[before].remove(t)
            self._held[t] = x
            self._holds.setdefault(x, []).append(t)
            t = via[x]
            if t < 0:
                return True

    # -- the test ----------------------------------------------------------------------

    def passing(self, s: int, candidates: AbstractSet[int]) -> AbstractSet[int]:
        """The candidates of open slot ``s`` that leave room for every owed review.

        If the placement can do without ``s`` (nobody owes it, or its holder can
        move along a path to a free slot), every candidate passes. Otherwise
        only a State that owes a review can take ``s``, and only one whose placed
        review the holder can move to: it then no longer needs that one.
        """
        self._sync()
        holder = self._held.get(s)
        if self._broken or holder is None:
            return candidates
        free, took, _ = self._reach(holder, s)
        if free >= 0:
            return candidates
        owing = {self._held[t] for t in took if t in self._held}
        return candidates & (owing | {holder})
