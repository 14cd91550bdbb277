"""Fictional pools of States for the tests of the drawing of lots."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Sequence

from hypothesis import strategies as st

from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.search import CompletionProblem
from untoc_core.terms import Instrument, TreatyStatus

TIP, SOM = Instrument.TIP, Instrument.SOM


def seed(n: int) -> bytes:
    """A 32-byte seed named by a number."""
    return hashlib.sha256(f"seed {n}".encode()).digest()


def party(
    code: str,
    group: str | None,
    protocols: tuple[Instrument, ...] = (),
    traditions: tuple[str, ...] = ("civil_law",),
    status: TreatyStatus = TreatyStatus.PARTY,
) -> DrawParty:
    """A State as the draw sees it."""
    return DrawParty(
        code=code,
        regional_group=group,
        legal_traditions=frozenset(traditions),
        protocols=frozenset(protocols),
        status=status,
    )


def small_pool() -> list[DrawParty]:
    """Seventeen fictional States in two groups, and one outside the groups."""
    north = [party(f"N{i:02d}", "North", (TIP,) if i % 2 else ()) for i in range(8)]
    south = [
        party(f"S{i:02d}", "South", (TIP, SOM) if i < 5 else (), ("common_law",))
        for i in range(8)
    ]
    return [*north, *south, party("XEU", None, (TIP,))]


def all_fillings(problem: CompletionProblem) -> list[list[int]]:
    open_slots = [s for s, r in enumerate(problem.fixed) if r < 0]
    found = []
    for combo in itertools.product(*(problem.eligible[s] for s in open_slots)):
        assign = list(problem.fixed)
        for s, r in zip(open_slots, combo, strict=True):
            assign[s] = r
        if problem.keeps_rules(assign):
            found.append(assign)
    return found


@st.composite
def mutual_problems(draw: st.DrawFn) -> CompletionProblem:
    """Small problems where the States under review also review (so ToR 19c bites)."""
    parties = draw(st.integers(3, 5))
    under = draw(
        st.lists(st.integers(0, parties - 1), min_size=1, max_size=3, unique=True)
    )
    pur = tuple(e for e in under for _ in range(2))
    eligible = tuple(
        tuple(
            draw(
                st.lists(
                    st.sampled_from([r for r in range(parties) if r != e]),
                    min_size=1,
                    max_size=parties - 1,
                    unique=True,
                )
            )
        )
        for e in pur
    )
    fixed = tuple(
        draw(st.sampled_from((-1, -1, *eligible[s]))) for s in range(len(pur))
    )
    hint = tuple(draw(st.sampled_from(eligible[s])) for s in range(len(pur)))
    return CompletionProblem(
        parties=parties,
        reviewers=tuple(range(parties)),
        pur=pur,
        sibling=tuple(s + 1 if s % 2 == 0 else s - 1 for s in range(len(pur))),
        eligible=eligible,
        fixed=fixed,
        min_reviews=draw(st.integers(0, 1)),
        max_reviews=draw(st.integers(1, 3)),
        hint=hint,
    )


def check_rules(
    pool: Sequence[DrawParty], reviews: list[tuple[str, tuple[str, str], str | None]]
) -> None:
    """Assert that the reviews of a whole cycle keep every rule of ToR 18-20 and 57."""
    by_code = {p.code: p for p in pool}
    load: Counter[str] = Counter()
    pairs = set()
    for pur, (a, b), same in reviews:
        under = by_code[pur]
        assert a != b
        assert pur not in (a, b)
        for r in (a, b):
            assert by_code[r].can_review
            assert under.protocols <= by_code[r].protocols
            load[r] += 1
            pairs.add((r, pur))
        if under.regional_group is None:
            assert same is None
        else:
            assert same in (a, b)
            assert by_code[same].regional_group == under.regional_group
    assert not any((p, r) in pairs for r, p in pairs), "mutual review"
    assert all(1 <= load[p.code] <= 3 for p in pool if p.can_review)
