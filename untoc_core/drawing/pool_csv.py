"""Pool files: a CSV of the States of a simulated draw, checked line by line.

One row per State, with exactly the facts the drawing of lots looks at::

    code,regional_group,legal_traditions,protocols,status
    AGO,African States,civil_law;customary_law,TIP;SOM,party
    XEU,,civil_law,TIP,party

``legal_traditions`` and ``protocols`` are lists separated by ``;`` (either may be
empty); protocols are ``TIP``, ``SOM`` and ``FIREARMS``; ``status`` is ``party`` or
``signatory``; an empty ``regional_group`` means the State belongs to no regional
group (ADR 0004). Any other text is a regional group's name, kept as written (so a
fictional pool may use fictional groups). Other columns are ignored. A file with any
bad cell is refused as a whole, naming the line and column of each problem.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from untoc_core.drawing.pool import DrawParty
from untoc_core.errors import FileRefused, RowProblem
from untoc_core.registry.model import LegalTradition
from untoc_core.terms import Instrument, TreatyStatus

POOL_COLUMNS = ("code", "regional_group", "legal_traditions", "protocols", "status")
"""The columns a pool file must have, in the order :func:`format_pool_csv` writes."""

LEGAL_TRADITIONS = tuple(t.value for t in LegalTradition)
"""The legal traditions a pool file may name (those of the registry)."""

_MIXED = "mixed"  # implied by two or more traditions, as in the registry files
_CODE = re.compile(r"[A-Z]{3}")
_STATUSES = {"party": TreatyStatus.PARTY, "signatory": TreatyStatus.SIGNATORY}


def parse_pool_csv(text: str, *, source: str) -> tuple[DrawParty, ...]:
    """Parse a pool file into the States of a draw, in code order.

    Args:
        text: The file's content, UTF-8 decoded (a leading byte-order mark is
            ignored).
        source: A name for the file in messages (usually its path).

    Returns:
        One :class:`DrawParty` per row, sorted by code.

    Raises:
        FileRefused: the file is empty, lacks a column, or has bad cells; each
            problem names its line (the header is line 1) and column.
    """
    reader = csv.DictReader(
        io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True
    )
    try:
        return _parse_rows(reader, source)
    except csv.Error as exc:
        row = max(1, reader.reader.line_num)  # DictReader's own count lags on error
        problem = RowProblem(row=row, column="(file)", reason=f"not valid CSV: {exc}")
        raise FileRefused(source, [problem]) from exc


def _parse_rows(reader: csv.DictReader[str], source: str) -> tuple[DrawParty, ...]:
    header = reader.fieldnames
    if not header:
        reason = f"the file is empty; its first line names the columns {_columns()}"
        raise FileRefused(source, [RowProblem(row=1, column="(file)", reason=reason)])
    missing = [c for c in POOL_COLUMNS if c not in header]
    if missing:
        raise FileRefused(
            source,
            [
                RowProblem(
                    row=1,
                    column=c,
                    reason=f"required column is missing (the columns are {_columns()})",
                )
                for c in missing
            ],
        )
    problems: list[RowProblem] = []
    parties: list[DrawParty] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num  # the line the row ends on; the header is line 1
        if None in cells:
            problems.append(
                RowProblem(row=line, column="(row)", reason="more cells than columns")
            )
            continue
        found = _parse_row(line, cells, problems)
        if found is None:
            continue
        if found.code in seen:
            problems.append(
                RowProblem(
                    row=line,
                    column="code",
                    reason=f"{found.code} already appears on line {seen[found.code]}",
                )
            )
            continue
        seen[found.code] = line
        parties.append(found)
    if not parties and not problems:
        problems.append(
            RowProblem(row=2, column="(file)", reason="the file has no States")
        )
    if problems:
        raise FileRefused(source, problems)
    return tuple(sorted(parties, key=lambda p: p.code))


class _Row:
    """The cells of one row, and the problems found in them."""

    def __init__(
        self, line: int, cells: dict[str, str], problems: list[RowProblem]
    ) -> None:
        self.line = line
        self.cells = cells
        self.problems = problems

    def text(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def fail(self, column: str, reason: str) -> None:
        self.problems.append(RowProblem(row=self.line, column=column, reason=reason))


def _parse_row(
    line: int, cells: dict[str, str], problems: list[RowProblem]
) -> DrawParty | None:
    """One row as a :class:`DrawParty`, or ``None`` after adding its problems."""
    before = len(problems)
    row = _Row(line, cells, problems)
    raw_code = row.text("code")
    code = raw_code.upper()
    if not _CODE.fullmatch(code):
        row.fail("code", f"{raw_code!r} is not a three-letter code such as AGO")
    traditions = _parse_traditions(row)
    protocols = _parse_protocols(row)
    raw_status = row.text("status")
    status = _STATUSES.get(raw_status.casefold())
    if status is None:
        row.fail("status", f"{raw_status!r} is not a status (party or signatory)")
    elif status is TreatyStatus.SIGNATORY and protocols:
        row.fail(
            "protocols",
            "a signatory cannot be a party to a Protocol: a State must be a party to "
            "the Convention first (Convention, art. 37(2))",
        )
    if len(problems) > before or status is None:
        return None
    return DrawParty(
        code=code,
        regional_group=row.text("regional_group") or None,
        legal_traditions=traditions,
        protocols=protocols,
        status=status,
    )


def _parse_traditions(row: _Row) -> frozenset[str]:
    found: set[str] = set()
    for tag in _items(row.text("legal_traditions")):
        if tag in LEGAL_TRADITIONS:
            found.add(tag)
        elif tag != _MIXED:  # "mixed" is implied by two or more traditions
            known = ", ".join(LEGAL_TRADITIONS)
            row.fail("legal_traditions", f"{tag!r} is not a legal tradition ({known})")
    return frozenset(found)


def _parse_protocols(row: _Row) -> frozenset[Instrument]:
    found: set[Instrument] = set()
    known = {p.value: p for p in Instrument.protocols()}
    for name in _items(row.text("protocols")):
        protocol = known.get(name.upper())
        if protocol is None:
            row.fail("protocols", f"{name!r} is not a Protocol ({', '.join(known)})")
        else:
            found.add(protocol)
    return frozenset(found)


def _items(cell: str) -> list[str]:
    """The non-empty items of a ``;``-separated cell."""
    return [item.strip() for item in cell.split(";") if item.strip()]


def _columns() -> str:
    return ",".join(POOL_COLUMNS)


def format_pool_csv(pool: Iterable[DrawParty]) -> str:
    """A pool file for ``pool`` that :func:`parse_pool_csv` reads back unchanged.

    Rows are in code order; lists are sorted and joined with ``;``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(POOL_COLUMNS)
    for party in sorted(pool, key=lambda p: p.code):
        writer.writerow(
            (
                party.code,
                party.regional_group or "",
                ";".join(sorted(party.legal_traditions)),
                ";".join(sorted(p.value for p in party.protocols)),
                party.status.value,
            )
        )
    return out.getvalue()
