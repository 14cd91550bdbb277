"""Reviewing States for every State under review of a cycle, with exact look-ahead.

The slots of a cycle are known once the review years are drawn: each State under
review needs a same-region reviewer (if it has a regional group) and another
reviewer. A pick is allowed only if the rest of the cycle can still be completed
without breaking a rule:

* a reviewer is a State party, never the State under review itself, and a party to
  every Protocol the State under review is party to (ToR 18, 18 bis, 57);
* the same-region reviewer shares its regional group (ToR 19);
* the two reviewers of a State differ, and no two States review each other within
  the cycle (ToR 19);
* each State party performs at least one and at most three reviews in the cycle
  (ToR 20), and serves in no year it deferred (ToR 20).

The engine keeps a *witness*: one complete assignment of every open slot that keeps
all the rules. Most candidates are confirmed by a small change of the witness (a
repair: the slot changes hands, and chains of reviewers pass slots on to mend the
load limits and the no-mutual rule); the others are asked about together through a
:class:`~untoc_core.ports.CompletionSolver`, so the set of allowed candidates is
always the exact one, whatever method confirmed each member. That matters for
verification: any correct implementation computes the same sets and so the same
draw (ADR 0009).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

import attrs

from untoc_core.drawing.owed import OwedMatching
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.search import CompletionProblem, SearchSolver
from untoc_core.errors import DrawImpossible, InvalidInput
from untoc_core.ports import CompletionSolver

if TYPE_CHECKING:
    from untoc_core.terms import Instrument

_ChainStep = tuple[int, int | None, bool]
"""A chain to find: from which reviewer, to which (``None``: any), outward or not."""

_Accept = Callable[[dict[int, int]], bool]
"""Whether a chain found will do."""

_REJECTS = 16
"""How many chains a search may turn down before it gives up."""

_LENIENT_ENDS = 4
"""How many ends of a search that may make mutual reviews a slot's candidates try."""

_SETTLE_STEPS = 3
"""How many mutual reviews a repair may move on before it gives up."""

SAME_REGION = "same-region"
OTHER = "other"
SECOND = "second"
"""The second reviewer of a State outside the regional groups (see ADR 0004)."""


_DeadEnd = tuple[int, frozenset[int], bool]
"""A search towards a reviewer: the reviewer, the slots changed, and whether it
kept clear of mutual reviews."""

_Kept = dict[int, tuple[int, int]] | tuple[dict[int, int]]
"""What a search towards a reviewer left: its tree if it found nothing, else
the chain it found (in a 1-tuple)."""

_Confirmed = tuple[
    int,
    int,
    AbstractSet[int],
    list[int],
    dict[int, list[int]],
    dict[int, dict[int, int]],
]
"""What ``allowed`` last found: the slot, at which change, the candidates
allowed, the witness that confirmed them, those confirmed on another witness
(after a solver's answer) with it, and the repairs found (candidate -> the
changes of the witness)."""

_NOBODY = -2
"""A stand-in for whoever takes a slot, in searches shared by its candidates."""


@attrs.define
class _UnderTrees:
    """The chains towards the holder of a slot, for every candidate of the slot."""

    slot: int
    version: int
    found: list[int]
    went: dict[int, tuple[int, int]]
    lenient: tuple[list[int], dict[int, tuple[int, int]]] | None = None
    partial: bool = False
    """The search stopped once it reached every candidate (see ``_lift``)."""


@attrs.frozen(kw_only=True)
class Slot:
    """One reviewer to draw: the year, the State under review, and which reviewer."""

    year: int
    under_review: str
    kind: str

    @property
    def label(self) -> str:
        """The stream label of the slot's pick."""
        return f"reviewers/{self.year}/{self.under_review}/{self.kind}"


class CycleAssignment:
    """The reviewers of a cycle: slots, the picks made so far, and what is allowed.

    Args:
        pool: Every State of the cycle: those under review and those that may review.
        review_years: For years 1..N, the States reviewed that year, in draw order.
        min_reviews: The fewest reviews a State party performs in the cycle.
        max_reviews: The most reviews a State party performs in the cycle.

    Raises:
        DrawImpossible: no complete assignment exists; the message names the rule
            that cannot be kept.
    """

    def __init__(
        self,
        pool: Sequence[DrawParty],
        review_years: Sequence[Sequence[str]],
        *,
        min_reviews: int,
        max_reviews: int,
        solver: CompletionSolver | None = None,
    ) -> None:
        self.parties = tuple(sorted(pool, key=lambda p: p.code))
        self.index = {p.code: i for i, p in enumerate(self.parties)}
        self._codes = tuple(p.code for p in self.parties)
        if len(self.index) != len(self.parties):
            msg = "a State appears twice in the pool"
            raise InvalidInput(msg)
        self.min_reviews = min_reviews
        self.max_reviews = max_reviews
        self._solver: CompletionSolver = solver or SearchSolver()
        self.reviewers = [i for i, p in enumerate(self.parties) if p.can_review]
        slots: list[Slot] = []
        for year, codes in enumerate(review_years, start=1):
            for code in codes:
                if code not in self.index:
                    msg = f"{code} is under review but not in the pool"
                    raise InvalidInput(msg)
                grouped = self.parties[self.index[code]].regional_group is not None
                kinds = (SAME_REGION, OTHER) if grouped else (OTHER, SECOND)
                slots.extend(Slot(year=year, under_review=code, kind=k) for k in kinds)
        self.slots = tuple(slots)
        self._slots_at: dict[tuple[int, str], list[int]] = {}  # (year, code) -> slots
        for i, slot in enumerate(slots):
            self._slots_at.setdefault((slot.year, slot.under_review), []).append(i)
        self._pur = [self.index[s.under_review] for s in slots]
        self._sibling = [-1] * len(slots)
        for a, b in zip(range(len(slots)), range(1, len(slots)), strict=False):
            if self._pur[a] == self._pur[b]:
                self._sibling[a], self._sibling[b] = b, a
        self._excluded: set[tuple[int, int]] = set()
        self._version = 0  # bumped whenever eligibility, picks or witness change
        self._under_trees: _UnderTrees | None = None
        # Searches towards a reviewer, kept while nothing changes (see _chain_to).
        self._dead_ends: tuple[int, dict[_DeadEnd, _Kept]]
        self._dead_ends = (-1, {})
        # Chains found so far, by the reviewer they start or end at (to try first).
        self._chains_from: dict[int, dict[int, int]] = {}
        self._chains_to: dict[int, dict[int, int]] = {}
        self._changes = 0  # picks, releases and deferrals so far
        self._confirmed: _Confirmed = (-1, -1, frozenset(), [], {}, {})
        self._static: list[list[int]] = []
        # For each set of legal traditions, the codes of the States sharing one.
        self._alike_codes: dict[frozenset[str], frozenset[str]] = {}
        self._static_sets: list[frozenset[int]] = []
        self._owed: OwedMatching | None = None  # see _owed_test
        self._set_eligibility()
        self.picks = [-1] * len(slots)
        self._pick_load = [0] * len(self.parties)
        self._pick_full: set[int] = set()  # reviewers picked the maximum of times
        self._open_bits = (1 << len(slots)) - 1  # the open slots, as a bit set
        self._w_full: set[int] = set()  # reviewers the witness loads to the maximum
        self._hand_offs: dict[int, tuple[int, int]] = {}  # see _hand_off
        self._pick_reviews: list[set[int]] = [set() for _ in self.parties]
        self._witness: list[int] = []
        self._w_load: list[int] = []
        self._w_reviews: list[set[int]] = []
        self._refresh_witness()

    # -- public --------------------------------------------------------------------

    def slot_of(self, year: int, under_review: str, kind: str) -> int:
        """The index of a slot."""
        for i in self._slots_at.get((year, under_review), ()):
            if self.slots[i].kind == kind:
                return i
        msg = f"no {kind} slot for {under_review} in year {year}"
        raise InvalidInput(msg)

    def allowed(self, slot: int) -> list[str]:
        """The codes that may fill an open slot, in code order (the exact set).

        Candidates that the reviews still owed rule out (:mod:`.owed`) are
        dropped first. Those that a small change of the witness confirms are
        allowed at once. For the rest, one question goes to the solver: "can the
        slot be filled by any of them?" A "no" rules them all out together; a
        "yes" confirms one, becomes the new witness, and the others are tried
        against it again.
        """
        if self.picks[slot] >= 0:
            msg = f"slot {self.slots[slot].label} is already filled"
            raise InvalidInput(msg)
        pur = self._pur[slot]
        sib = self._sibling[slot]
        local = _without(
            self._static_sets[slot], self._pick_full, self._pick_reviews[pur]
        )
        if sib >= 0:
            local.discard(self.picks[sib])
        passing = self._owed_test().passing(slot, local)
        self._lift(slot, passing)
        w = self._witness
        # Confirmed on the witness as it is: its holder, and, if the holder has a
        # review to spare, all with room that keep clear of this State's other
        # reviewer and of mutual reviews (the slot simply changes hands). The
        # rest, mostly few, are picked out with set operations on the few.
        if self._w_load[w[slot]] > self.min_reviews:
            rest = (self._w_full & passing) | (self._w_reviews[pur] & passing)
            if sib >= 0 and w[sib] in passing:
                rest.add(w[sib])
        else:
            rest = set(passing)
        rest.discard(w[slot])
        repairs = self._known_hand_offs(slot, rest)
        unsure: list[int] = []
        for r in sorted(rest - repairs.keys()):
            found = self._hand_off(slot, r) or self._repair(slot, r)
            if found is not None:
                repairs[r] = found
            else:
                unsure.append(r)
        elsewhere, ruled_out = self._ask_solver(slot, unsure)
        allowed = passing - ruled_out if ruled_out else passing
        self._confirmed = (slot, self._changes, allowed, w, elsewhere, repairs)
        codes = self._codes
        return [codes[r] for r in sorted(allowed)]

    def _ask_solver(
        self, slot: int, unsure: list[int]
    ) -> tuple[dict[int, list[int]], set[int]]:
        """Settle the candidates no repair confirmed, asking the solver together.

        Returns those confirmed, each with the witness that shows it, and those
        ruled out.
        """
        confirmed: dict[int, list[int]] = {}
        while unsure:
            solution = self._solve(list(self.picks), self._witness, only={slot: unsure})
            if solution is None:
                break  # none of them can fill the slot
            self._set_witness(solution)
            self._rebalance()
            retry, unsure = unsure, []
            for r in retry:
                if self._witness[slot] == r or self._repair(slot, r) is not None:
                    confirmed[r] = self._witness
                else:
                    unsure.append(r)
        return confirmed, set(unsure)

    def _known_hand_offs(
        self, s: int, candidates: AbstractSet[int]
    ) -> dict[int, dict[int, int]]:
        """The candidates whose last hand-off (see :meth:`_hand_off`) still does.

        The hand-off's conditions, checked for the many candidates with the
        maximum of reviews at once; the others are left to :meth:`_hand_off`.
        """
        w, load, mx = self._witness, self._w_load, self.max_reviews
        o = w[s]
        if load[o] <= self.min_reviews:
            return {}
        pur = self._pur[s]
        sib = self._sibling[s]
        handing = (candidates & self._w_full) - self._w_reviews[pur]
        if sib >= 0:
            handing -= {w[sib]}
        picks, sibling, pur_of = self.picks, self._sibling, self._pur
        reviews, static_sets = self._w_reviews, self._static_sets
        known = self._hand_offs
        found: dict[int, dict[int, int]] = {}
        for r in handing:
            k = known.get(r)
            if k is None:
                continue
            t, y = k
            other = sibling[t]
            if (
                w[t] == r
                and picks[t] < 0
                and t not in (s, sib)
                and load[y] < mx
                and y not in (o, r)
                and (other < 0 or w[other] != y)
                and y not in reviews[pur_of[t]]
                and y in static_sets[t]
            ):
                found[r] = {s: r, t: y}
        return found

    def _hand_off(self, s: int, r: int) -> dict[int, int] | None:
        """Give ``s`` to ``r``, which passes one of its open slots to one with room.

        The common repair for a candidate with the maximum of reviews in the
        witness. The conditions are those of :meth:`_changes_keep_rules` for
        the two changes, made stricter where the changes could interact (the
        other slot of the same State, the holder of ``s``), so a hand-off found
        here always keeps every rule. The last one found for ``r`` is tried
        first. ``None``: none found this way.
        """
        w, load, mx = self._witness, self._w_load, self.max_reviews
        o = w[s]
        if load[r] != mx or load[o] <= self.min_reviews:
            return None
        pur = self._pur[s]
        sib = self._sibling[s]
        if r in self._w_reviews[pur] or (sib >= 0 and w[sib] == r):
            return None
        known = self._hand_offs.get(r)
        slots = self._w_slots[r]
        if known is not None and known[0] in slots:
            slots = [known[0], *slots]  # the last hand-off first: it often still does
        for t in slots:
            if self.picks[t] >= 0 or t in (s, sib):
                continue
            other = self._sibling[t]
            beside = w[other] if other >= 0 else -1
            barred = self._w_reviews[self._pur[t]]
            takers: Iterable[int] = self._static[t]
            if known is not None and known[0] == t and known[1] in self._static_sets[t]:
                takers = itertools.chain((known[1],), takers)
            for y in takers:
                if load[y] < mx and y not in (o, r, beside) and y not in barred:
                    self._hand_offs[r] = (t, y)
                    return {s: r, t: y}
        return None

    def _lift(self, s: int, candidates: AbstractSet[int]) -> None:
        """Give the holder of open slot ``s`` a review to spare, if a chain can.

        When the holder of ``s`` in the witness has only the minimum of reviews,
        every candidate would need a chain mending it. One chain, found once and
        made part of the witness, lets most candidates take ``s`` as it is. This
        changes nothing that is drawn, only how quickly feasibility is shown.

        The search stops once it has reached every candidate: late in a cycle
        there is often no such chain, and the search then serves only to give
        each candidate its own chain towards the holder (:meth:`_mend_under`).
        """
        o = self._witness[s]
        if self._w_load[o] > self.min_reviews:
            return
        found, went, partial = self._search_tree(
            o, {s: _NOBODY}, mutual=True, ends=1, wanted=candidates
        )
        if not found:  # every candidate needs a chain: keep the search for them
            self._under_trees = _UnderTrees(
                slot=s, version=self._version, found=found, went=went, partial=partial
            )
            if not partial:
                self._keep_dead_end(o, s, went, mutual=True)
            return
        chain = self._path_to(went, found[0], o)
        if self._changes_keep_rules(chain):
            touched = set(chain.values())
            for t, x in chain.items():
                touched.add(self._witness[t])
                self._move_witness(t, x)
            # A chain may pass one State's two slots through the same reviewer:
            # rebuild the reviews of those it touched from the slots they hold.
            for x in touched:
                self._w_reviews[x] = {self._pur[t] for t in self._w_slots[x]}

    def similar(self, slot: int, codes: Iterable[str]) -> list[str]:
        """Of ``codes``, those whose legal traditions meet those under review."""
        mine = self.parties[self._pur[slot]].legal_traditions
        alike = self._alike_codes.get(mine)
        if alike is None:
            alike = self._alike_codes[mine] = frozenset(
                p.code for p in self.parties if p.legal_traditions & mine
            )
        return [c for c in codes if c in alike]

    def pick(self, slot: int, code: str) -> None:
        """Fill a slot; only an allowed code is accepted."""
        r = self.index.get(code, -1)
        known_slot, at, allowed, base, elsewhere, repairs = self._confirmed
        shown_on = None
        if (known_slot, at) == (slot, self._changes) and r in allowed:
            shown_on = elsewhere.get(r, base)
        known: dict[int, int] | None = None
        if shown_on is not None:
            if shown_on is not self._witness:
                self._set_witness(list(shown_on))
            known = repairs.get(r)
        elif r < 0 or not self._feasible(slot, r):
            msg = f"{code} may not fill {self.slots[slot].label}"
            raise InvalidInput(msg)
        changes = known if known is not None else self._witness_changes(slot, r)
        self._set_pick(slot, r)
        self._adopt_witness(changes)

    def release(self, slot: int) -> None:
        """Open a filled slot again (a redraw or a deferral)."""
        self._set_pick(slot, -1)

    def exclude(self, year: int, code: str) -> None:
        """A State defers serving as a reviewer in ``year`` (ToR 20).

        Open slots of that year no longer accept it; a slot of that year it already
        fills is opened again, to be drawn anew. Raises ``DrawImpossible`` if the
        cycle can then no longer be completed.
        """
        r = self.index[code]
        self._excluded.add((year, r))
        self._changes += 1
        for s, slot in enumerate(self.slots):
            if slot.year == year and self.picks[s] == r:
                self._set_pick(s, -1)
        self._set_eligibility()
        self._refresh_witness()

    def reviewers_of(self, code: str, year: int) -> dict[str, str]:
        """The filled slots of a State under review: kind -> reviewer code."""
        return {
            self.slots[i].kind: self.parties[self.picks[i]].code
            for i in self._slots_at.get((year, code), ())
            if self.picks[i] >= 0
        }

    def assignment(self) -> list[str | None]:
        """The code in each slot, ``None`` where still open."""
        return [self.parties[r].code if r >= 0 else None for r in self.picks]

    # -- eligibility, picks and witness ----------------------------------------------

    def _owed_test(self) -> OwedMatching:
        """The test of the reviews still owed (ToR 20), built on first use."""
        if self._owed is None:
            self._owed = self._owed_matching()
            # The witness gives each State its minimum: a placement to start from.
            self._owed.start_from(
                (t, r)
                for r in self.reviewers
                for t in self._open_slots_of(r)[
                    : max(0, self.min_reviews - self._pick_load[r])
                ]
            )
        return self._owed

    def _owed_matching(self) -> OwedMatching:
        """A new placement of the reviews still owed, on the engine's live state."""
        return OwedMatching(
            reviewers=self.reviewers,
            pur=self._pur,
            sibling=self._sibling,
            eligible_sets=self._static_sets,
            eligible_bits=self._eligible_bits,
            picks=self.picks,
            pick_reviews=self._pick_reviews,
            pick_load=self._pick_load,
            min_reviews=self.min_reviews,
        )

    def _set_eligibility(self) -> None:
        self._version += 1
        self._owed = None
        alike: dict[tuple[frozenset[Instrument], str | None], list[int]] = {}
        self._static = [self._eligible(s, alike) for s in range(len(self.slots))]
        self._static_tuple: tuple[tuple[int, ...], ...] | None = None  # see problem
        self._kinds = [self._kind_of(s) for s in range(len(self.slots))]
        self._alike = alike  # for each kind of slot, its States (see _eligible)
        kind_sets = {key: frozenset(base) for key, base in alike.items()}
        self._static_sets = [
            kind_sets[self._kinds[s]].intersection(found)
            if self._excluded
            else kind_sets[self._kinds[s]].difference((self._pur[s],))
            for s, found in enumerate(self._static)
        ]
        self._eligible_bits = self._bits_by_reviewer(alike)

    def _bits_by_reviewer(
        self, alike: dict[tuple[frozenset[Instrument], str | None], list[int]]
    ) -> list[int]:
        """For each State, the slots it may fill, as a bit set (bit ``t``: slot ``t``).

        Slots alike (same Protocols, and region for a same-region slot) share
        their States (``alike``, from :meth:`_eligible`), so each State gets the
        slots of every kind it may fill, less its own slots and the years it
        deferred.
        """
        kind_bits: dict[tuple[frozenset[Instrument], str | None], int] = {}
        year_bits: dict[int, int] = {}
        for s, key in enumerate(self._kinds):
            kind_bits[key] = kind_bits.get(key, 0) | 1 << s
            year = self.slots[s].year
            year_bits[year] = year_bits.get(year, 0) | 1 << s
        found = [0] * len(self.parties)
        for key, members in alike.items():
            for r in members:
                found[r] |= kind_bits[key]
        for s, p in enumerate(self._pur):
            found[p] &= ~(1 << s)
        for year, r in self._excluded:
            found[r] &= ~year_bits.get(year, 0)
        return found

    def _kind_of(self, s: int) -> tuple[frozenset[Instrument], str | None]:
        """What the States that may fill slot ``s`` depend on (see _eligible)."""
        pur = self.parties[self._pur[s]]
        region = pur.regional_group if self.slots[s].kind == SAME_REGION else None
        return (pur.protocols, region)

    def _set_pick(self, s: int, r: int) -> None:
        self._changes += 1
        self._version += 1
        old = self.picks[s]
        if old >= 0:
            self._pick_load[old] -= 1
            self._pick_reviews[old].discard(self._pur[s])
            self._pick_full.discard(old)
        self.picks[s] = r
        if r < 0:
            self._open_bits |= 1 << s
        else:
            self._open_bits &= ~(1 << s)
            self._pick_load[r] += 1
            self._pick_reviews[r].add(self._pur[s])
            if self._pick_load[r] >= self.max_reviews:
                self._pick_full.add(r)
        if self._owed is not None:
            self._owed.changed(s)

    def _set_witness(self, w: list[int]) -> None:
        self._version += 1
        self._witness = w
        self._w_load = [0] * len(self.parties)
        self._w_reviews = [set() for _ in self.parties]
        self._w_slots: list[list[int]] = [[] for _ in self.parties]
        self._w_bits = [0] * len(self.parties)  # the slots each one holds, as bits
        for s, r in enumerate(w):
            self._w_load[r] += 1
            self._w_reviews[r].add(self._pur[s])
            self._w_slots[r].append(s)
            self._w_bits[r] |= 1 << s
        mx = self.max_reviews
        # The reviewers by witness load (0 .. the maximum), and each one's load.
        self._w_level = [min(load, mx) for load in self._w_load]
        self._w_at: list[set[int]] = [set() for _ in range(mx + 1)]
        for r in self.reviewers:
            self._w_at[self._w_level[r]].add(r)
        self._w_full = self._w_at[mx]

    def _eligible(
        self,
        s: int,
        alike: dict[tuple[frozenset[Instrument], str | None], list[int]],
    ) -> list[int]:
        """The States that may fill slot ``s`` whatever else is picked.

        ``alike`` keeps, for each set of Protocols (and region, for a same-region
        slot), the States parties to them, so each such list is made once.
        """
        slot = self.slots[s]
        pur = self.parties[self._pur[s]]
        region = pur.regional_group if slot.kind == SAME_REGION else None
        key = (pur.protocols, region)
        base = alike.get(key)
        if base is None:
            base = alike[key] = [
                r
                for r in self.reviewers
                if pur.protocols <= self.parties[r].protocols
                and (
                    slot.kind != SAME_REGION
                    or self.parties[r].regional_group == pur.regional_group
                )
            ]
        own = self._pur[s]
        if not self._excluded:
            i = bisect.bisect_left(base, own)  # the States come in order
            if i < len(base) and base[i] == own:
                return base[:i] + base[i + 1 :]
            return list(base)
        return [r for r in base if r != own and (slot.year, r) not in self._excluded]

    def _refresh_witness(self) -> None:
        solution = None if self._witness else self._greedy_witness()
        if solution is None:
            solution = self._solve(list(self.picks), self._witness or None)
        if solution is None:
            raise self._diagnose()
        self._set_witness(solution)
        self._rebalance()

    def _greedy_witness(self) -> list[int] | None:
        """A first witness filled greedily, or ``None`` if the greedy fill fails.

        Made before any pick. Slots with the fewest candidates come first. Each
        slot of a kind (see :meth:`_kind_of`) takes the next of that kind's
        States, in turn, among those with the fewest reviews so far that may
        fill it; one that may not (the State under review, its other reviewer,
        one it reviews) is passed over. On a loose registry this gives a
        witness that keeps every rule at a small part of the cost of a search;
        where it does not (a slot left with nobody, a State left without its
        minimum), the solver is asked instead. Either way only the witness
        differs, never what is drawn.
        """
        w = [-1] * len(self.slots)
        load = [0] * len(self.parties)
        reviews: list[set[int]] = [set() for _ in self.parties]
        turn: dict[tuple[frozenset[Instrument], str | None], tuple[int, int]] = {}
        for s in sorted(range(len(w)), key=lambda s: (len(self._static[s]), s)):
            kind = self._kinds[s]
            sib = self._sibling[s]
            level, at, r = self._next_in_turn(
                s,
                *turn.get(kind, (0, 0)),
                load=load,
                passed_over=reviews[self._pur[s]] | {w[sib] if sib >= 0 else -1},
            )
            if r < 0:
                return None
            turn[kind] = (level, at)
            w[s] = r
            load[r] += 1
            reviews[r].add(self._pur[s])
        if any(
            not self.min_reviews <= load[r] <= self.max_reviews for r in self.reviewers
        ):
            return None
        return w

    def _next_in_turn(
        self, s: int, level: int, at: int, *, load: list[int], passed_over: set[int]
    ) -> tuple[int, int, int]:
        """The next State of slot ``s``'s kind, from ``at``, to take ``s``.

        One with at most ``level`` reviews, else the next level up. Returns the
        level reached, where the next turn starts, and the State (-1: none).
        """
        base = self._alike[self._kinds[s]]
        mine = self._static_sets[s]
        while level < self.max_reviews:
            for step in range(len(base)):
                r = base[(at + step) % len(base)]
                if load[r] <= level and r in mine and r not in passed_over:
                    return level, (at + step + 1) % len(base), r
            level += 1
        return level, at, -1

    def _witness_changes(self, s: int, r: int) -> dict[int, int] | None:
        """Changes giving slot ``s`` of the witness to ``r``; ``None``: search anew."""
        if self._witness[s] == r:
            return {}
        return self._repair(s, r)

    def _adopt_witness(self, changes: dict[int, int] | None) -> None:
        """Bring the witness in line with the picks after a pick."""
        if changes is not None:
            self._version += 1
            # Changed in place: what allowed() confirmed on it is out of date now.
            w = self._witness
            touched: set[int] = set()
            for t, x in changes.items():
                old = w[t]
                w[t] = x
                self._w_load[old] -= 1
                self._w_slots[old].remove(t)
                self._w_bits[old] &= ~(1 << t)
                self._w_load[x] += 1
                self._w_slots[x].append(t)
                self._w_bits[x] |= 1 << t
                touched.update((old, x))
            for x in touched:
                self._note_load(x)
            # Reviews rebuilt from the slots held: a change set may pass through
            # states where one reviewer holds both slots of a State.
            for x in touched:
                self._w_reviews[x] = {self._pur[t] for t in self._w_slots[x]}
            # Only the reviewers that gained a review can now hold too many.
            self._rebalance(among=set(changes.values()))
            return
        solution = self._solve(list(self.picks), self._witness)
        if solution is None:  # pragma: no cover - pick() checked feasibility
            msg = "internal error: an allowed pick left no complete assignment"
            raise AssertionError(msg)
        self._set_witness(solution)
        self._rebalance()

    # -- feasibility -------------------------------------------------------------------

    def _feasible(self, s: int, r: int) -> bool:
        if not self._locally_allowed(s, r):
            return False
        if self._witness[s] == r or self._repair(s, r) is not None:
            return True
        trial = list(self.picks)
        trial[s] = r
        return self._solve(trial, self._witness) is not None

    def _locally_allowed(self, s: int, r: int) -> bool:
        """The rules that the picks already made decide on their own."""
        if r not in self._static_sets[s]:
            return False
        sib = self._sibling[s]
        if sib >= 0 and self.picks[sib] == r:
            return False
        if r in self._pick_reviews[self._pur[s]]:
            return False  # the State under review already reviews r: no mutual review
        return self._pick_load[r] < self.max_reviews

    def _repair(  # noqa: PLR0911 - each shape of repair is one branch
        self, s: int, r: int
    ) -> dict[int, int] | None:
        """Witness changes that give slot ``s`` to ``r`` and keep every rule.

        ``None`` if this search finds none: the exact search then decides.

        If the State under review reviews ``r`` in the witness, that slot goes to
        someone else first (no mutual reviews). A load limit broken by the moves is
        mended by passing open slots along a chain of reviewers, from one with a
        review too many (or to spare) to one with a review too few (or room).
        """
        pur = self._pur[s]
        sib = self._sibling[s]
        if sib >= 0 and self._witness[sib] == r:
            # r already reviews this State in the other slot: hand that one over.
            if self.picks[sib] >= 0:
                return None
            o = self._witness[s]
            for y in (o, *self._static[sib]):
                if y == r or not self._can_take(sib, y, {s: r}):
                    continue
                mended = self._mend_loads({s: r, sib: y})
                if mended is not None:
                    return mended
            return None
        if r not in self._w_reviews[pur]:
            if (
                self._w_load[r] < self.max_reviews
                and self._w_load[self._witness[s]] > self.min_reviews
            ):
                return {s: r}  # the slot simply changes hands
            return self._mend_loads({s: r})
        q = next(
            t for t in self._w_slots[pur] if self._pur[t] == r
        )  # the slot in which the State under review reviews r
        if self.picks[q] >= 0:
            return None
        return self._repair_mutual(s, r, q)

    def _repair_mutual(self, s: int, r: int, q: int) -> dict[int, int] | None:
        """:meth:`_repair` where the State under review reviews ``r`` in ``q``."""
        pur = self._pur[s]
        if self._w_load[pur] <= self.min_reviews:
            swapped = self._swap(s, r, q)
            if swapped is not None:
                return swapped
            self._search_once(pur, q)  # every y below needs a chain towards pur
        for y in self._static[q]:
            if y in (pur, r) or not self._can_take(q, y, {s: r}):
                continue
            mended = self._mend_loads({s: r, q: y})
            if mended is not None:
                return mended
        return None

    def _swap(self, s: int, r: int, q: int) -> dict[int, int] | None:
        """Give ``s`` to ``r``, and ``q`` to a State that gives one back in exchange.

        ``q`` is the slot in which the State under review reviews ``r``, so it
        must change hands (no mutual reviews). When the State under review has
        only the minimum of reviews, the State ``y`` that takes ``q`` hands it
        one of ``y``'s own open slots: the State under review keeps its number
        of reviews and needs no chain (other loads are mended as usual). A few
        exchanges are tried; ``None``: none will do, and the chains decide.
        """
        pur = self._pur[s]
        tries = 0
        for y in self._static[q]:
            if y in (pur, r) or not self._can_take(q, y, {s: r}):
                continue
            for t in self._open_slots_of(y):
                if t in (s, q) or pur not in self._static_sets[t]:
                    continue
                mended = self._mend_loads({s: r, q: y, t: pur})
                if mended is not None:
                    return mended
                tries += 1
                if tries > _REJECTS:
                    return None
        return None

    def _mend_loads(self, changes: dict[int, int]) -> dict[int, int] | None:
        delta = self._delta(changes)
        over = [x for x, d in delta.items() if self._w_load[x] + d > self.max_reviews]
        under = [x for x, d in delta.items() if self._w_load[x] + d < self.min_reviews]
        if not over and not under:
            return self._settled(changes)
        if len(changes) == 1 and len(under) == 1:
            return self._mend_under(changes, over)
        return self._mend_by_chains(changes, over, under)

    def _mend_by_chains(
        self, changes: dict[int, int], over: list[int], under: list[int]
    ) -> dict[int, int] | None:
        # One chain per reviewer out of bounds; or, for one of each, a single
        # chain from the one with a review too many to the one with one too few.
        each: list[_ChainStep] = [(x, None, True) for x in over]
        each += [(x, None, False) for x in under]
        reused = self._reused_chains(changes, each)
        if reused is not None:
            return reused
        attempts: list[list[_ChainStep]] = [each]
        if len(over) == 1 and len(under) == 1:
            attempts.append([(over[0], under[0], True)])
        for mutual in (True, False):
            for plan in attempts:
                settled = self._run_plan(changes, plan, mutual=mutual)
                if settled is not None:
                    return settled
        return None

    def _run_plan(
        self, changes: dict[int, int], plan: list[_ChainStep], *, mutual: bool
    ) -> dict[int, int] | None:
        """``changes`` mended by the chains of ``plan``, settled; ``None`` if stuck."""
        merged = dict(changes)

        def settles(chain: dict[int, int]) -> bool:
            return self._settled({**merged, **chain}) is not None

        for step, (node, target, outward) in enumerate(plan):
            # The last chain mends the last load: take the first that settles.
            accept = settles if not mutual and step == len(plan) - 1 else None
            chain = (
                self._chain_from(node, target, merged, mutual=mutual, accept=accept)
                if outward
                else self._chain_to(node, merged, mutual=mutual, accept=accept)
            )
            if chain is None:
                return None
            if mutual and target is None:
                (self._chains_from if outward else self._chains_to)[node] = chain
            merged.update(chain)
        return self._settled(merged)

    def _reused_chains(
        self, changes: dict[int, int], plan: list[_ChainStep]
    ) -> dict[int, int] | None:
        """``changes`` mended by chains found earlier for the same reviewers.

        A chain found for a reviewer usually still serves after a few picks and
        witness changes elsewhere; :meth:`_settled` checks that it still keeps
        every rule. ``None``: there is none, or it no longer serves.
        """
        merged = dict(changes)
        for node, _, outward in plan:
            chain = (self._chains_from if outward else self._chains_to).get(node)
            if chain is None or any(t in merged for t in chain):
                return None
            merged.update(chain)
        return self._settled(merged)

    def _mend_under(
        self, changes: dict[int, int], over: list[int]
    ) -> dict[int, int] | None:
        """Mend a slot that changed hands, leaving its holder a review too few.

        The chains towards the holder hardly depend on who takes the slot, and
        every candidate of the slot asks for them: they are searched once for a
        stand-in taker (``_NOBODY``), kept until the witness or the picks change,
        and then checked for each candidate. A candidate the search reached can
        pass one of its own slots down a chain to the holder (its load is then
        unchanged); otherwise a chain from a reviewer with one to spare serves,
        with, if the candidate had no room, a chain from the candidate. Any
        repair found keeps every rule (:meth:`_settled` checks): only how quickly
        a candidate is confirmed depends on which one is found.
        """
        ((s, r),) = changes.items()
        o = self._witness[s]
        trees = self._under_trees
        if trees is None or trees.slot != s or trees.version != self._version:
            found, went = self._tree_to(o, {s: _NOBODY}, mutual=True, ends=1)
            trees = _UnderTrees(slot=s, version=self._version, found=found, went=went)
            self._under_trees = trees
        if r in trees.went:
            settled = self._settled({s: r, **self._path_to(trees.went, r, o)})
            if settled is not None:
                return settled
        if trees.partial:  # the rest of the search may still find an end
            found, went = self._tree_to(o, {s: _NOBODY}, mutual=True, ends=1)
            trees = _UnderTrees(slot=s, version=self._version, found=found, went=went)
            self._under_trees = trees
        if trees.found:
            settled = self._with_room(
                changes, over, self._path_to(trees.went, trees.found[0], o)
            )
            if settled is not None:
                return settled
            return self._mend_by_chains(changes, over, [o])  # the stand-in misled
        return self._mend_under_leniently(changes, over, trees)

    def _mend_under_leniently(
        self, changes: dict[int, int], over: list[int], trees: _UnderTrees
    ) -> dict[int, int] | None:
        """As :meth:`_mend_under`, with chains that may make mutual reviews."""
        ((s, r),) = changes.items()
        o = self._witness[s]
        if trees.lenient is None:
            trees.lenient = self._tree_to(
                o, {s: _NOBODY}, mutual=False, ends=_LENIENT_ENDS
            )
            if not trees.lenient[0]:
                self._keep_dead_end(o, s, trees.lenient[1], mutual=False)
        ends, went = trees.lenient
        if r in went:
            settled = self._settled({s: r, **self._path_to(went, r, o)})
            if settled is not None:
                return settled
        for x in ends:
            settled = self._with_room(changes, over, self._path_to(went, x, o))
            if settled is not None:
                return settled
        if r in went:  # the tree's way from the candidate did not settle: search
            plan: list[_ChainStep] = [(r, o, True)] if over else [(o, None, False)]
            return self._run_plan(changes, plan, mutual=False)
        return None

    def _with_room(
        self, changes: dict[int, int], over: list[int], chain: dict[int, int]
    ) -> dict[int, int] | None:
        """``changes`` and ``chain``, and a chain from each of ``over``; settled."""
        merged = {**changes, **chain}
        for x in over:
            known = self._chains_from.get(x)
            if known is not None and not any(t in merged for t in known):
                settled = self._settled({**merged, **known})
                if settled is not None:
                    return settled
            passed = self._chain_from(x, None, merged)
            if passed is None:
                return None
            self._chains_from[x] = passed
            merged.update(passed)
        return self._settled(merged)

    def _tree_to(
        self, end: int, changes: dict[int, int], *, mutual: bool, ends: int
    ) -> tuple[list[int], dict[int, tuple[int, int]]]:
        """The search of :meth:`_chain_to`, to the first ``ends`` with one to spare.

        Returns those reviewers, and how each reviewer reached was reached.
        """
        found, went, _ = self._search_tree(end, changes, mutual=mutual, ends=ends)
        return found, went

    def _search_tree(  # noqa: C901 - the hot loop, kept in one piece
        self,
        end: int,
        changes: dict[int, int],
        *,
        mutual: bool,
        ends: int,
        wanted: AbstractSet[int] | None = None,
    ) -> tuple[list[int], dict[int, tuple[int, int]], bool]:
        """:meth:`_tree_to`, stopped early once every one of ``wanted`` is reached.

        The third value says whether it stopped so (the tree is then partial).
        """
        left = None if wanted is None else set(wanted) - {end}
        if left is not None and not left:
            return [], {end: (-1, -1)}, True
        delta = self._delta(changes)
        found: list[int] = []
        went: dict[int, tuple[int, int]] = {end: (-1, -1)}
        frontier = [end]
        # The hot loop: _can_take inlined (the slots of eligible_bits[y] are
        # those y may fill, so only the other slot and mutual reviews are left).
        # The open, unchanged slots of reviewers not yet reached, as a bit set:
        # each reviewer's slots to try are picked out at once.
        w, sibling, pur = self._witness, self._sibling, self._pur
        w_reviews, w_bits = self._w_reviews, self._w_bits
        untried = self._open_bits & ~self._bits_of(changes) & ~w_bits[end]
        while frontier:
            following: list[int] = []
            for y in frontier:
                mine = self._eligible_bits[y] & untried
                giving = went[y][1]
                while mine:  # in slot order
                    lowest = mine & -mine
                    mine ^= lowest
                    t = lowest.bit_length() - 1
                    x = w[t]
                    if x in went or (mutual and y in w_reviews[pur[t]]):
                        continue
                    sib = sibling[t]
                    if sib >= 0 and sib != giving and changes.get(sib, w[sib]) == y:
                        continue
                    went[x] = (y, t)
                    untried &= ~w_bits[x]
                    if self._w_load[x] + delta.get(x, 0) > self.min_reviews:
                        found.append(x)
                        if len(found) >= ends:
                            return found, went, False
                    if left is not None:
                        left.discard(x)
                        if not left:
                            return found, went, True
                    following.append(x)
            frontier = following
        return found, went, False

    @staticmethod
    def _path_to(
        went: dict[int, tuple[int, int]], start: int, end: int
    ) -> dict[int, int]:
        """The slots passed on from ``start`` to ``end`` along a search's tree."""
        moved: dict[int, int] = {}
        node = start
        while node != end:
            receiver, slot = went[node]
            moved[slot] = receiver
            node = receiver
        return moved

    def _settled(self, changes: dict[int, int]) -> dict[int, int] | None:
        """``changes``, with mutual reviews they create moved on; ``None`` if stuck.

        A change can give ``x`` a review of ``p`` while ``p`` reviews ``x`` in an
        open slot of the witness: that slot then goes to a reviewer with room.
        """
        merged = dict(changes)
        for _ in range(_SETTLE_STEPS):
            if self._changes_keep_rules(merged):
                return merged
            u = self._mutual_conflict(merged)
            if u < 0:
                return None
            p = self._witness[u]
            delta = self._delta(merged)
            if self._w_load[p] + delta.get(p, 0) <= self.min_reviews:
                return None
            for z in self._static[u]:
                if (
                    z != p
                    and self._w_load[z] + delta.get(z, 0) < self.max_reviews
                    and (self._can_take(u, z, merged))
                ):
                    merged[u] = z
                    break
            else:
                return None
        return merged if self._changes_keep_rules(merged) else None

    def _mutual_conflict(self, changes: dict[int, int]) -> int:
        """An open, unchanged slot of the witness that a change makes mutual; or -1."""
        for t, x in changes.items():
            p = self._pur[t]
            for u in self._w_slots[p]:
                if self._pur[u] == x and u not in changes:
                    return u if self.picks[u] < 0 else -1
        return -1

    def _delta(self, changes: dict[int, int]) -> dict[int, int]:
        delta: dict[int, int] = {}
        for t, x in changes.items():
            old = self._witness[t]
            delta[old] = delta.get(old, 0) - 1
            delta[x] = delta.get(x, 0) + 1
        return delta

    def _can_take(
        self,
        t: int,
        y: int,
        changes: dict[int, int],
        giving: int = -1,
        *,
        mutual: bool = True,
    ) -> bool:
        """Could ``y`` take open slot ``t`` of the witness with ``changes`` made?

        ``giving`` is a slot that ``y`` hands on in the same chain: holding it does
        not stop ``y`` from taking the other slot of the same State.
        """
        if self.picks[t] >= 0 or t in changes or y not in self._static_sets[t]:
            return False
        sib = self._sibling[t]
        holder = changes.get(sib, self._witness[sib]) if sib >= 0 else -1
        if holder == y and sib != giving:
            return False
        return not mutual or y not in self._w_reviews[self._pur[t]]

    def _chain_from(
        self,
        start: int,
        target: int | None,
        changes: dict[int, int],
        *,
        mutual: bool = True,
        accept: _Accept | None = None,
    ) -> dict[int, int] | None:
        """Slots passed on from ``start`` until one reaches ``target``.

        If no target is named, any reviewer with room for one more review will do.
        ``mutual=False`` lets the chain make mutual reviews, for :meth:`_settled`
        to mend; ``accept`` then turns down chains (a few) that cannot be mended.
        """
        rejects = 0
        delta = self._delta(changes)
        came: dict[int, tuple[int, int]] = {start: (-1, -1)}
        frontier = [start]
        while frontier:
            following: list[int] = []
            for x in frontier:
                for t in self._w_slots[x]:
                    if self.picks[t] >= 0 or t in changes:
                        continue
                    for y in self._not_reached(t, came, named=target is not None):
                        if y in came or not self._can_take(
                            t, y, changes, mutual=mutual
                        ):
                            continue
                        came[y] = (x, t)
                        room = self._w_load[y] + delta.get(y, 0) < self.max_reviews
                        if y == target or (target is None and room):
                            chain = self._unwind(came, y)
                            if accept is None or accept(chain):
                                return chain
                            rejects += 1
                            if rejects > _REJECTS:
                                return None
                        following.append(y)
            frontier = following
        return None

    def _not_reached(
        self, t: int, came: dict[int, tuple[int, int]], *, named: bool
    ) -> Iterable[int]:
        """The States that may fill slot ``t``, in order; not those in ``came``.

        A search for a ``named`` reviewer usually goes through most of them:
        those not yet reached are picked out at once. An open search mostly
        takes the first, so it goes through the slot's States one by one.
        """
        if not named:
            return self._static[t]
        return sorted(self._static_sets[t].difference(came))

    def _chain_to(
        self,
        end: int,
        changes: dict[int, int],
        *,
        mutual: bool = True,
        accept: _Accept | None = None,
    ) -> dict[int, int] | None:
        """Slots passed on towards ``end`` from a reviewer with one to spare.

        ``mutual`` and ``accept`` as for :meth:`_chain_from`.

        Each search is kept (until the witness or the picks change) with the
        slots it was made under. Asked again with changes to the same slots, it
        answers at once: with the chain it found, or, if it found none, with a
        chain from a reviewer that the changes give a review (the only new end a
        search could reach), if it reached one. The caller checks the result
        against every rule, as always. A search that found nothing with one of
        the changed slots alone serves the same way (changing more slots only
        takes ways away), with chains that keep clear of the changed slots.
        """
        key = (end, frozenset(changes), mutual)
        if self._dead_ends[0] != self._version:
            self._dead_ends = (self._version, {})
        kept = self._dead_ends[1].get(key)
        if isinstance(kept, tuple):  # a chain found under changes to these slots
            return kept[0]
        if kept is not None:
            return self._from_gainer(end, changes, kept, accept)
        for t in changes if len(changes) > 1 else ():
            alone = self._dead_ends[1].get((end, frozenset((t,)), mutual))
            if isinstance(alone, dict):
                return self._from_gainer(end, changes, alone, accept)
        if mutual and accept is None:
            found, went = self._tree_to(end, changes, mutual=True, ends=1)
            if found:
                chain = self._path_to(went, found[0], end)
                self._dead_ends[1][key] = (chain,)
                return chain
            self._dead_ends[1][key] = went
            return self._from_gainer(end, changes, went, accept)
        searched, went, _ = self._searched_chain_to(
            end, changes, mutual=mutual, accept=accept
        )
        if searched is None:
            self._dead_ends[1][key] = went
        return searched

    def _search_once(self, end: int, t: int) -> None:
        """Search once for chains towards ``end`` giving up slot ``t``; keep failures.

        Several repairs in a row may need a chain towards the same reviewer
        after it gives up ``t``, each with other changes besides: a search
        that finds nothing with ``t`` alone then answers all of them at once
        (:meth:`_chain_to`), where each would otherwise search in vain.
        """
        if self._dead_ends[0] == self._version and any(
            (end, frozenset((t,)), mutual) in self._dead_ends[1]
            for mutual in (True, False)
        ):
            return
        for mutual in (True, False):
            found, went = self._tree_to(end, {t: _NOBODY}, mutual=mutual, ends=1)
            if found:
                return
            self._keep_dead_end(end, t, went, mutual=mutual)

    def _keep_dead_end(
        self, end: int, s: int, went: dict[int, tuple[int, int]], *, mutual: bool
    ) -> None:
        """Keep a search towards ``end`` with slot ``s`` changing hands that failed.

        :meth:`_chain_to` then answers a search towards ``end`` with changes to
        ``s`` from it, as it does from its own searches.
        """
        if self._dead_ends[0] != self._version:
            self._dead_ends = (self._version, {})
        self._dead_ends[1][end, frozenset((s,)), mutual] = went

    def _from_gainer(
        self,
        end: int,
        changes: dict[int, int],
        went: dict[int, tuple[int, int]],
        accept: _Accept | None,
    ) -> dict[int, int] | None:
        """A chain from one that ``changes`` give a review to, if one was reached."""
        for x in changes.values():
            if x != end and x in went:
                chain = self._path_to(went, x, end)
                if any(t in changes for t in chain):
                    continue  # the search was made with fewer slots changed
                if accept is None or accept(chain):
                    return chain
        return None

    def _searched_chain_to(
        self,
        end: int,
        changes: dict[int, int],
        *,
        mutual: bool,
        accept: _Accept | None,
    ) -> tuple[dict[int, int] | None, dict[int, tuple[int, int]], int]:
        """The search of :meth:`_chain_to`: the chain, the tree, the turned down."""
        rejects = 0
        delta = self._delta(changes)
        went: dict[int, tuple[int, int]] = {end: (-1, -1)}
        frontier = [end]
        w_bits = self._w_bits
        untried = self._open_bits & ~self._bits_of(changes) & ~w_bits[end]
        while frontier:
            following: list[int] = []
            for y in frontier:
                mine = self._eligible_bits[y] & untried
                while mine:  # in slot order
                    lowest = mine & -mine
                    mine ^= lowest
                    t = lowest.bit_length() - 1
                    x = self._witness[t]
                    if x in went or not self._can_take(
                        t, y, changes, went[y][1], mutual=mutual
                    ):
                        continue
                    went[x] = (y, t)
                    untried &= ~w_bits[x]
                    if self._w_load[x] + delta.get(x, 0) > self.min_reviews:
                        moved = self._path_to(went, x, end)
                        if accept is None or accept(moved):
                            return moved, went, rejects
                        rejects += 1
                        if rejects > _REJECTS:
                            return None, went, rejects
                    following.append(x)
            frontier = following
        return None, went, rejects

    @staticmethod
    def _bits_of(slots: Iterable[int]) -> int:
        """Slots as a bit set (bit ``t`` for slot ``t``)."""
        bits = 0
        for t in slots:
            bits |= 1 << t
        return bits

    @staticmethod
    def _unwind(came: dict[int, tuple[int, int]], last: int) -> dict[int, int]:
        changes: dict[int, int] = {}
        node = last
        while came[node][0] >= 0:
            giver, slot = came[node]
            changes[slot] = node
            node = giver
        return changes

    def _rebalance(self, among: set[int] | None = None) -> None:
        """Even out the loads of the witness, so most candidates need one change.

        An open slot moves from a reviewer (of ``among``, or any) to one with at
        least two reviews fewer.

        This changes nothing that is drawn, only how quickly feasibility is shown.
        """
        givers = self.reviewers if among is None else sorted(among)
        for x in sorted(givers, key=lambda r: -self._w_load[r]):
            while self._shed_one(x):
                pass

    def _shed_one(self, x: int) -> bool:
        # The States with at least two reviews fewer than x, by witness load.
        lower = [at for at in self._w_at[: self._w_load[x] - 1] if at]
        if not lower:
            return False
        for t in self._open_slots_of(x):
            mine = self._static_sets[t]
            for d in sorted(itertools.chain.from_iterable(mine & at for at in lower)):
                if self._changes_keep_rules({t: d}):
                    self._move_witness(t, d)
                    return True
        return False

    def _move_witness(self, t: int, d: int) -> None:
        self._version += 1
        old = self._witness[t]
        self._witness[t] = d
        self._w_load[old] -= 1
        self._w_reviews[old].discard(self._pur[t])
        self._w_slots[old].remove(t)
        self._w_bits[old] &= ~(1 << t)
        self._w_load[d] += 1
        self._w_reviews[d].add(self._pur[t])
        self._w_slots[d].append(t)
        self._w_bits[d] |= 1 << t
        self._note_load(old)
        self._note_load(d)

    def _note_load(self, r: int) -> None:
        """Keep :attr:`_w_at` (and so :attr:`_w_full`) in line with ``r``'s load."""
        level = min(self._w_load[r], self.max_reviews)
        was = self._w_level[r]
        if level != was:
            self._w_at[was].discard(r)
            self._w_at[level].add(r)
            self._w_level[r] = level

    def _open_slots_of(self, r: int) -> list[int]:
        """Open slots that ``r`` fills in the witness."""
        return [t for t in self._w_slots[r] if self.picks[t] < 0]

    def _changes_keep_rules(self, changes: dict[int, int]) -> bool:
        """True if the witness with ``changes`` (slot -> reviewer) keeps every rule."""
        w = self._witness
        delta: dict[int, int] = {}
        gained: dict[int, set[int]] = {}
        lost: dict[int, set[int]] = {}
        for t, x in changes.items():
            if self.picks[t] >= 0 or x not in self._static_sets[t]:
                return False
            sib = self._sibling[t]
            if sib >= 0 and changes.get(sib, w[sib]) == x:
                return False
            old = w[t]
            delta[old] = delta.get(old, 0) - 1
            delta[x] = delta.get(x, 0) + 1
            lost.setdefault(old, set()).add(self._pur[t])
            gained.setdefault(x, set()).add(self._pur[t])
        for x, d in delta.items():
            if not self.min_reviews <= self._w_load[x] + d <= self.max_reviews:
                return False
        for x, purs in gained.items():
            for p in purs:
                reviews_of_p = (self._w_reviews[p] - lost.get(p, set())) | gained.get(
                    p, set()
                )
                if x in reviews_of_p:
                    return False
        return True

    def problem(
        self,
        fixed: list[int],
        *,
        mutual: bool = True,
        hint: list[int] | None = None,
        only: dict[int, list[int]] | None = None,
    ) -> CompletionProblem:
        """The question "can ``fixed`` (-1 = open) be completed?" for a solver.

        ``only`` narrows the States that may fill some slots.
        """
        if self._static_tuple is None:  # made once, on the first question
            self._static_tuple = tuple(tuple(e) for e in self._static)
        eligible = self._static_tuple
        if only:
            narrowed = list(eligible)
            for s, codes in only.items():
                narrowed[s] = tuple(codes)
            eligible = tuple(narrowed)
        return CompletionProblem(
            parties=len(self.parties),
            reviewers=tuple(self.reviewers),
            pur=tuple(self._pur),
            sibling=tuple(self._sibling),
            eligible=eligible,
            fixed=tuple(fixed),
            min_reviews=self.min_reviews,
            max_reviews=self.max_reviews,
            mutual=mutual,
            hint=tuple(hint) if hint is not None else None,
        )

    def _solve(
        self,
        fixed: list[int],
        hint: list[int] | None,
        *,
        mutual: bool = True,
        only: dict[int, list[int]] | None = None,
    ) -> list[int] | None:
        """Complete ``fixed`` (-1 = open) keeping every rule, or ``None``."""
        problem = self.problem(fixed, mutual=mutual, hint=hint, only=only)
        solution = self._solver.complete(problem)
        if solution is not None and not problem.keeps_rules(solution):
            msg = f"{type(self._solver).__name__} returned a filling that breaks a rule"
            raise AssertionError(msg)
        return solution

    def _diagnose(self) -> DrawImpossible:
        """The rule that makes the open slots impossible to fill, as a refusal."""
        for s in range(len(self.slots)):
            if self.picks[s] < 0 and not self._static[s]:
                slot = self.slots[s]
                pur = self.parties[self._pur[s]]
                if slot.kind == SAME_REGION:
                    return DrawImpossible.for_rule(
                        "ToR-19a",
                        f"no State party of {pur.regional_group} can be the "
                        f"same-region reviewer of {pur.code} in year {slot.year}",
                    )
                protocols = ", ".join(sorted(p.value for p in pur.protocols)) or "none"
                return DrawImpossible.for_rule(
                    "ToR-18bis",
                    f"no State party is a party to every Protocol {pur.code} is party "
                    f"to ({protocols}), so none can review it in year {slot.year}",
                )
        if self._solve(list(self.picks), None, mutual=False) is not None:
            return DrawImpossible.for_rule(
                "ToR-19c",
                "every way to complete the reviewers of this cycle would have two "
                "States parties review each other",
            )
        open_slots = sum(1 for p in self.picks if p < 0)
        return DrawImpossible.for_rule(
            "ToR-20b",
            f"the {open_slots} open reviews cannot be shared so that each of the "
            f"{len(self.reviewers)} States parties performs between "
            f"{self.min_reviews} and {self.max_reviews} reviews in the cycle",
        )


def _without(kept: AbstractSet[int], *others: AbstractSet[int]) -> set[int]:
    """``kept`` less ``others``, as a new set.

    Removing a small set from a large one is quicker in place, on a copy, than
    by the difference, which looks up every member of the large one.
    """
    found = set(kept)
    for other in others:
        if len(other) < len(found):
            found -= other
        else:
            found = found - other
    return found
