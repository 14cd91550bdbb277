"""Review years: which States parties are reviewed in which year of a cycle (ToR 14).

Quotas come first and are published: each regional group's members are spread over
the years as evenly as possible, so a group's count in a year is the floor or the
ceiling of its size divided by the number of years. The years that take one more
member rotate from group to group (groups in name order, entities outside the
groups last), which also keeps the yearly totals within one of each other. When the
Conference fixes the number of parties for each year (ToR 45), each year's total is
shared among the groups by largest remainder, in proportion to the members each
group still has to place. Then each group's members, in code order, are shuffled
with the stream of lots (Fisher-Yates) and cut into the years by those quotas.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.stream import Lot, LotStream
from untoc_core.errors import InvalidInput

NO_GROUP = ""
"""The key under which entities outside the regional groups are apportioned."""


def group_key(party: DrawParty) -> str:
    """The apportionment group of a party (``NO_GROUP`` if it has none)."""
    return party.regional_group or NO_GROUP


def _group_order(groups: Sequence[str]) -> list[str]:
    return sorted(groups, key=lambda g: (g == NO_GROUP, g))


def apportion(
    sizes: dict[str, int], years: int, per_year: Sequence[int] = ()
) -> dict[str, list[int]]:
    """How many members of each group are reviewed in each year.

    Args:
        sizes: Members per group.
        years: Years in the cycle.
        per_year: The Conference's number of parties for each year, if it set one.

    Returns:
        For each group, its count in years 1..N.
    """
    if years < 1:
        msg = "a cycle has at least one year"
        raise InvalidInput(msg)
    total = sum(sizes.values())
    order = _group_order(list(sizes))
    if not per_year:
        quotas: dict[str, list[int]] = {}
        offset = 0
        for g in order:
            base, extra = divmod(sizes[g], years)
            counts = [base] * years
            for k in range(extra):
                counts[(offset + k) % years] += 1
            offset = (offset + extra) % years
            quotas[g] = counts
        return quotas
    if len(per_year) != years or sum(per_year) != total or min(per_year) < 0:
        msg = (
            f"the numbers per year ({', '.join(map(str, per_year))}) must be one per "
            f"year and add up to the {total} parties to review"
        )
        raise InvalidInput(msg)
    left = dict(sizes)
    quotas = {g: [] for g in order}
    for y, quota in enumerate(per_year):
        remaining = sum(left.values())
        if y == years - 1 or remaining == 0:
            shares = {g: left[g] for g in order}
        else:
            exact = {g: left[g] * quota / remaining for g in order}
            shares = {g: int(exact[g]) for g in order}
            short = quota - sum(shares.values())
            by_remainder = sorted(
                order, key=lambda g: (-(exact[g] - shares[g]), order.index(g))
            )
            for g in by_remainder[:short]:
                shares[g] += 1
        for g in order:
            quotas[g].append(shares[g])
            left[g] -= shares[g]
    return quotas


@attrs.frozen(kw_only=True)
class YearsDrawn:
    """The result of drawing the review years, with the lots used."""

    review_years: tuple[tuple[str, ...], ...]
    """For years 1..N, the codes reviewed that year, in draw order."""
    quotas: dict[str, list[int]]
    lots: tuple[Lot, ...]

    def year_of(self, code: str) -> int:
        """The year (from 1) in which ``code`` is reviewed."""
        for y, codes in enumerate(self.review_years, start=1):
            if code in codes:
                return y
        msg = f"{code} is not reviewed in this cycle"
        raise InvalidInput(msg)


def draw_years(
    pool: Sequence[DrawParty],
    years: int,
    stream: LotStream,
    per_year: Sequence[int] = (),
) -> YearsDrawn:
    """Draw each State's review year (ToR 14)."""
    groups: dict[str, list[str]] = {}
    for party in sorted(pool, key=lambda p: p.code):
        groups.setdefault(group_key(party), []).append(party.code)
    quotas = apportion({g: len(m) for g, m in groups.items()}, years, per_year)
    lots: list[Lot] = []
    by_year: list[list[str]] = [[] for _ in range(years)]
    for g in _group_order(list(groups)):
        members = list(groups[g])
        label = f"years/{g or 'no regional group'}"
        for i in range(len(members) - 1, 0, -1):
            lot = stream.below(i + 1, label)
            lots.append(lot)
            members[i], members[lot.value] = members[lot.value], members[i]
        start = 0
        for y, count in enumerate(quotas[g]):
            by_year[y].extend(members[start : start + count])
            start += count
    return YearsDrawn(
        review_years=tuple(tuple(codes) for codes in by_year),
        quotas=quotas,
        lots=tuple(lots),
    )
