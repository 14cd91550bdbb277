"""Fictional pools of States for the tests of the drawing of lots."""

from __future__ import annotations

import hashlib

from untoc_core.drawing.pool import DrawParty
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
