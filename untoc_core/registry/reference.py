"""Registry files: parse and check a CSV of States, then plan the events it implies.

The file format is the one of the shipped reference snapshot (``data/states.csv``):
one row per State or organisation, with its Convention and Protocol standings, its
regional group, legal traditions and names. Only ``iso3``, ``name_en`` and
``untoc_status`` are required; unknown columns are ignored. A file with any bad cell
is refused as a whole, naming each row and column at fault.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
import re
import tomllib
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from untoc_core.dates import ApproxDate
from untoc_core.errors import FileRefused, RowProblem
from untoc_core.events import Event
from untoc_core.registry.events import (
    InstrumentDeposited,
    InstrumentSigned,
    InstrumentStandingCorrected,
    LegalTraditionsRecorded,
    Provenance,
    ReferenceDataImported,
    RegionalGroupAssigned,
    StateEntered,
    StateIdentityCorrected,
    StateNamesCorrected,
)
from untoc_core.registry.model import LegalTradition, Registry, RegistryEntry, Standing
from untoc_core.terms import (
    EntityType,
    Instrument,
    Language,
    RegionalGroup,
    TreatyStatus,
)

T = TypeVar("T")

REQUIRED_COLUMNS = ("iso3", "name_en", "untoc_status")
_CODE = re.compile(r"^[A-Z]{3}$")
_ACTIONS = frozenset(
    {"", "ratification", "accession", "acceptance", "approval", "succession"}
)
_ENTITY_TYPES = {
    "un member state": EntityType.MEMBER_STATE,
    "member_state": EntityType.MEMBER_STATE,
    "non-member (unterm-listed)": EntityType.NON_MEMBER_STATE,
    "non_member_state": EntityType.NON_MEMBER_STATE,
    "regional economic integration organization": EntityType.REGIONAL_ORGANIZATION,
    "regional_economic_integration_organization": EntityType.REGIONAL_ORGANIZATION,
}
_PREFIX = {
    Instrument.UNTOC: "untoc",
    Instrument.TIP: "tip",
    Instrument.SOM: "som",
    Instrument.FIREARMS: "firearms",
}
_MIXED = "mixed"


@attrs.frozen(kw_only=True)
class ParsedEntry:
    """One checked row of a registry file: what the registry should say of a State.

    Only the facts whose columns the file has are meant: ``columns`` lists them, and
    an import leaves every other fact of an existing entry as it is.
    """

    row: int
    columns: frozenset[str]
    code: str
    m49: int | None
    entity_type: EntityType
    names: dict[Language, str]
    regional_group: RegionalGroup | None
    regional_group_note: str
    legal_traditions: frozenset[LegalTradition]
    legal_system_evidence: str
    standings: dict[Instrument, Standing]


class _Row:
    """Reads cells of one row, collecting problems instead of stopping at the first."""

    def __init__(
        self, number: int, cells: dict[str, str], problems: list[RowProblem]
    ) -> None:
        self.number = number
        self.cells = cells
        self.problems = problems

    def text(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def fail(self, column: str, reason: str) -> None:
        self.problems.append(RowProblem(row=self.number, column=column, reason=reason))

    def parsed(self, column: str, parse: Callable[[str], T]) -> T | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.fail(column, str(exc))
            return None


def parse_registry_csv(text: str, *, source: str) -> list[ParsedEntry]:
    """Parse a registry file; raise ``FileRefused`` listing every bad cell.

    Args:
        text: The file's content, UTF-8 decoded.
        source: A name for the file in messages (usually its path).
    """
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        return _parse_rows(reader, source)
    except csv.Error as exc:
        row = max(1, reader.line_num)
        problem = RowProblem(row=row, column="(file)", reason=f"not valid CSV: {exc}")
        raise FileRefused(source, [problem]) from exc


def _parse_rows(reader: csv.DictReader[str], source: str) -> list[ParsedEntry]:
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise FileRefused(
            source,
            [
                RowProblem(row=1, column=c, reason="required column is missing")
                for c in missing
            ],
        )
    problems: list[RowProblem] = []
    entries: list[ParsedEntry] = []
    seen: dict[str, int] = {}
    for cells in reader:
        number = reader.line_num  # the file's line, counting the header as line 1
        if None in cells:
            problems.append(
                RowProblem(row=number, column="(row)", reason="more cells than columns")
            )
            continue
        row = _Row(number, cells, problems)
        entry = _parse_row(row)
        if entry is None:
            continue
        if entry.code in seen:
            row.fail("iso3", f"{entry.code} already appears on row {seen[entry.code]}")
            continue
        seen[entry.code] = number
        entries.append(entry)
    if not entries and not problems:
        problems.append(
            RowProblem(row=2, column="(file)", reason="the file has no rows")
        )
    if problems:
        raise FileRefused(source, problems)
    return entries


def _parse_row(row: _Row) -> ParsedEntry | None:
    before = len(row.problems)
    code = row.text("iso3").upper()
    if not _CODE.match(code):
        row.fail("iso3", f"{row.text('iso3')!r} is not a three-letter ISO 3166 code")
    names = {
        lang: row.text(f"name_{lang}") for lang in Language if row.text(f"name_{lang}")
    }
    if Language.EN not in names:
        row.fail("name_en", "the English name is required")
    m49 = row.parsed("m49", _parse_m49)
    entity_text = row.text("entity_type")
    entity_type = _ENTITY_TYPES.get(entity_text.casefold(), EntityType.MEMBER_STATE)
    if entity_text and entity_text.casefold() not in _ENTITY_TYPES:
        row.fail("entity_type", f"{entity_text!r} is not a known kind of entity")
    group = row.parsed("un_regional_group", RegionalGroup)
    traditions = _parse_traditions(row)
    standings = {i: _parse_standing(row, i) for i in Instrument}
    untoc = standings[Instrument.UNTOC].status
    if not row.text("untoc_status"):
        row.fail("untoc_status", "required: party, signatory or non-party")
    for protocol in Instrument.protocols():
        if (
            standings[protocol].status is TreatyStatus.PARTY
            and untoc is not TreatyStatus.PARTY
        ):
            row.fail(
                _PREFIX[protocol],
                "a State must be a party to the Convention to be a party to a Protocol "
                "(Convention, art. 37(2))",
            )
    if len(row.problems) > before:
        return None
    return ParsedEntry(
        row=row.number,
        columns=frozenset(c for c in row.cells if c),
        code=code,
        m49=m49,
        entity_type=entity_type,
        names=names,
        regional_group=group,
        regional_group_note=row.text("regional_group_note"),
        legal_traditions=traditions,
        legal_system_evidence=row.text("legal_system_text_cia")
        or row.text("legal_system_text"),
        standings=standings,
    )


def _parse_m49(text: str) -> int:
    if not text.isdigit():
        msg = f"{text!r} is not an M49 number"
        raise ValueError(msg)
    return int(text)


def _parse_traditions(row: _Row) -> frozenset[LegalTradition]:
    column = (
        "legal_traditions" if "legal_traditions" in row.cells else "legal_tags_derived"
    )
    found: set[LegalTradition] = set()
    for tag in row.text(column).split(";"):
        tag = tag.strip()  # noqa: PLW2901
        if not tag or tag == _MIXED:  # "mixed" is implied by two or more traditions
            continue
        try:
            found.add(LegalTradition(tag))
        except ValueError:
            known = ", ".join(t.value for t in LegalTradition)
            row.fail(
                column, f"{tag!r} is not a legal tradition (known: {known}, mixed)"
            )
    return frozenset(found)


def _parse_standing(row: _Row, instrument: Instrument) -> Standing:
    col = _standing_columns(instrument)
    raw = row.text(col["status"]).casefold()
    statuses = {"party": TreatyStatus.PARTY, "signatory": TreatyStatus.SIGNATORY}
    status = statuses.get(raw, TreatyStatus.NONE)
    if raw not in {"", "non-party", "none", *statuses}:
        row.fail(col["status"], f"{raw!r} is not one of party, signatory, non-party")
    action = row.text(col["action"]).casefold()
    if action not in _ACTIONS:
        row.fail(col["action"], f"{action!r} is not a treaty action")
    signed = row.parsed(col["signed"], ApproxDate.parse)
    deposited = row.parsed(col["deposited"], ApproxDate.parse)
    party = status is TreatyStatus.PARTY
    if not party and deposited is not None:
        row.fail(
            col["deposited"], "a deposit date is given but the status is not 'party'"
        )
    return Standing(
        status=status,
        signed=signed,
        deposited=deposited if party else None,
        action=action if party else "",
        provenance=Provenance(
            as_of=row.text(col["as_of"]),
            basis=row.text(col["basis"]),
            source=row.text(col["source"]),
        ),
    )


def plan_import(
    registry: Registry, entries: list[ParsedEntry], *, source: str, sha256: str
) -> tuple[Event, ...]:
    """Return the events that bring the registry in line with a parsed file.

    Only differences are recorded. An entry absent from the file is left as it is,
    and so is every fact of an entry whose column the file lacks (a file with only
    ``iso3``, ``name_en``, ``untoc_status`` and ``tip`` changes names, Convention and
    TIP standings, nothing else). The first event, :class:`ReferenceDataImported`,
    records the file itself.
    """
    changes: list[Event] = []
    for parsed in entries:
        current = registry.entries.get(parsed.code)
        changes.extend(_entry_changes(current, parsed))
    marker = ReferenceDataImported(
        source=source, sha256=sha256, rows=len(entries), changes=len(changes)
    )
    return (marker, *changes)


def _has(parsed: ParsedEntry, *columns: str) -> bool:
    return any(c in parsed.columns for c in columns)


def _merged_names(current: RegistryEntry, parsed: ParsedEntry) -> dict[Language, str]:
    """The entry's names with those the file has columns for replaced."""
    names = dict(current.names)
    for lang in Language:
        if _has(parsed, f"name_{lang}"):
            names.pop(lang, None)
            if lang in parsed.names:
                names[lang] = parsed.names[lang]
    return names


_TRADITION_COLUMNS = ("legal_traditions", "legal_tags_derived")
_EVIDENCE_COLUMNS = ("legal_system_text_cia", "legal_system_text")


def _entry_changes(current: RegistryEntry | None, parsed: ParsedEntry) -> list[Event]:
    code = parsed.code
    if current is None:
        return [
            StateEntered(
                code=code,
                m49=parsed.m49,
                entity_type=parsed.entity_type,
                names=parsed.names,
            ),
            RegionalGroupAssigned(
                code=code, group=parsed.regional_group, note=parsed.regional_group_note
            ),
            LegalTraditionsRecorded(
                code=code,
                traditions=frozenset(t.value for t in parsed.legal_traditions),
                evidence=parsed.legal_system_evidence,
            ),
            *(
                _standing_event(code, instrument, Standing(), given)
                for instrument, given in parsed.standings.items()
                if given != Standing()
            ),
        ]

    def pick(columns: tuple[str, ...], new: T, old: T) -> T:
        return new if _has(parsed, *columns) else old

    out: list[Event] = []
    names = _merged_names(current, parsed)
    if dict(current.names) != names:
        out.append(StateNamesCorrected(code=code, names=names))
    m49 = pick(("m49",), parsed.m49, current.m49)
    kind = pick(("entity_type",), parsed.entity_type, current.entity_type)
    if (m49, kind) != (current.m49, current.entity_type):
        out.append(StateIdentityCorrected(code=code, m49=m49, entity_type=kind))
    group = pick(("un_regional_group",), parsed.regional_group, current.regional_group)
    note = pick(
        ("regional_group_note",),
        parsed.regional_group_note,
        current.regional_group_note,
    )
    if (group, note) != (current.regional_group, current.regional_group_note):
        out.append(RegionalGroupAssigned(code=code, group=group, note=note))
    traditions = pick(
        _TRADITION_COLUMNS, parsed.legal_traditions, current.legal_traditions
    )
    evidence = pick(
        _EVIDENCE_COLUMNS, parsed.legal_system_evidence, current.legal_system_evidence
    )
    if (traditions, evidence) != (
        current.legal_traditions,
        current.legal_system_evidence,
    ):
        out.append(
            LegalTraditionsRecorded(
                code=code,
                traditions=frozenset(t.value for t in traditions),
                evidence=evidence,
            )
        )
    for instrument, given in parsed.standings.items():
        have = current.standing(instrument)
        wanted = _merged_standing(instrument, have, given, parsed.columns)
        if have != wanted:
            out.append(_standing_event(code, instrument, have, wanted))
    return out


def _standing_columns(instrument: Instrument) -> dict[str, str]:
    """Column of each fact of a standing towards ``instrument``."""
    p = _PREFIX[instrument]
    untoc = instrument is Instrument.UNTOC
    return {
        "status": "untoc_status" if untoc else p,
        "signed": f"{p}_signature_date",
        "deposited": f"{p}_date",
        "action": f"{p}_action",
        "as_of": "untoc_status_asof" if untoc else f"{p}_asof",
        "basis": "untoc_status_basis" if untoc else f"{p}_basis",
        "source": f"{p}_source",
    }


def _merged_standing(
    instrument: Instrument, have: Standing, given: Standing, present: frozenset[str]
) -> Standing:
    """``have`` with the facts the file has columns for taken from ``given``."""
    columns = _standing_columns(instrument)

    def pick(fact: str, new: T, old: T) -> T:
        return new if columns[fact] in present else old

    status = pick("status", given.status, have.status)
    party = status is TreatyStatus.PARTY
    return Standing(
        status=status,
        signed=pick("signed", given.signed, have.signed),
        deposited=pick("deposited", given.deposited, have.deposited) if party else None,
        action=pick("action", given.action, have.action) if party else "",
        provenance=Provenance(
            as_of=pick("as_of", given.provenance.as_of, have.provenance.as_of),
            basis=pick("basis", given.provenance.basis, have.provenance.basis),
            source=pick("source", given.provenance.source, have.provenance.source),
        ),
    )


def _standing_event(
    code: str, instrument: Instrument, have: Standing, wanted: Standing
) -> Event:
    if wanted.status is TreatyStatus.PARTY and have.status is not TreatyStatus.PARTY:
        return InstrumentDeposited(
            code=code,
            instrument=instrument,
            signed=wanted.signed,
            deposited=wanted.deposited,
            action=wanted.action,
            provenance=wanted.provenance,
        )
    if wanted.status is TreatyStatus.SIGNATORY and have.status is TreatyStatus.NONE:
        return InstrumentSigned(
            code=code,
            instrument=instrument,
            signed=wanted.signed,
            provenance=wanted.provenance,
        )
    return InstrumentStandingCorrected(
        code=code,
        instrument=instrument,
        status=wanted.status,
        signed=wanted.signed,
        deposited=wanted.deposited,
        action=wanted.action,
        provenance=wanted.provenance,
    )


@attrs.frozen(kw_only=True)
class ProvenanceBlock:
    """What the shipped snapshot says of one block of its columns."""

    name: str
    as_of: str
    note: str
    stale: bool


@attrs.frozen(kw_only=True)
class ReferenceSnapshot:
    """The reference snapshot shipped with the package: its text and provenance."""

    name: str
    text: str
    blocks: tuple[ProvenanceBlock, ...]

    @property
    def stale_blocks(self) -> tuple[ProvenanceBlock, ...]:
        """The blocks known to be out of date."""
        return tuple(b for b in self.blocks if b.stale)


@functools.cache
def reference_snapshot() -> ReferenceSnapshot:
    """The registry snapshot and its provenance, shipped with the package."""
    folder = importlib.resources.files("untoc_core.registry").joinpath("data")
    meta: dict[str, Any] = tomllib.loads(
        folder.joinpath("provenance.toml").read_text(encoding="utf-8")
    )
    return ReferenceSnapshot(
        name=meta["snapshot"],
        text=folder.joinpath("states.csv").read_text(encoding="utf-8"),
        blocks=tuple(
            ProvenanceBlock(
                name=b["name"], as_of=b["as_of"], note=b["note"], stale=b["stale"]
            )
            for b in meta["block"]
        ),
    )
