"""Registry files: every bad cell is named, and an import records only what changed."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from untoc_core.dates import ApproxDate
from untoc_core.errors import FileRefused, RowProblem
from untoc_core.events import Event
from untoc_core.registry import (
    LegalTradition,
    ParsedEntry,
    Registry,
    parse_registry_csv,
    plan_import,
    reference_snapshot,
    replay,
)
from untoc_core.registry.events import (
    InstrumentDeposited,
    InstrumentSigned,
    InstrumentStandingCorrected,
    LegalTraditionsRecorded,
    ReferenceDataImported,
    RegionalGroupAssigned,
    StateEntered,
    StateNamesCorrected,
)
from untoc_core.terms import (
    EntityType,
    Instrument,
    Language,
    RegionalGroup,
    TreatyStatus,
)

COLUMNS = (
    "iso3",
    "m49",
    "name_en",
    "name_fr",
    "entity_type",
    "un_regional_group",
    "untoc_status",
    "untoc_signature_date",
    "untoc_date",
    "untoc_action",
    "tip",
    "tip_date",
    "tip_action",
    "som",
    "firearms",
    "legal_traditions",
)

ARCADIA = {
    "iso3": "ARC",
    "m49": "901",
    "name_en": "Arcadia",
    "name_fr": "Arcadie",
    "entity_type": "UN Member State",
    "un_regional_group": "African States",
    "untoc_status": "party",
    "untoc_signature_date": "2000-12-12",
    "untoc_date": "2003-09-29",
    "untoc_action": "ratification",
    "tip": "party",
    "tip_date": "2004-01",
    "tip_action": "accession",
    "som": "",
    "firearms": "signatory",
    "legal_traditions": "civil_law;customary_law;mixed",
}
BORDURIA = {
    "iso3": "BRD",
    "name_en": "Borduria",
    "un_regional_group": "Eastern European States",
    "untoc_status": "signatory",
    "untoc_signature_date": "2000-12",
}
SYLDAVIA = {
    "iso3": "SYL",
    "name_en": "Syldavia",
    "un_regional_group": "Eastern European States",
    "untoc_status": "non-party",
}


def csv_text(*rows: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def refused(text: str) -> tuple[RowProblem, ...]:
    with pytest.raises(FileRefused) as caught:
        parse_registry_csv(text, source="states.csv")
    assert caught.value.source == "states.csv"
    return caught.value.problems


def imported(text: str, registry: Registry | None = None) -> tuple[Event, ...]:
    entries = parse_registry_csv(text, source="states.csv")
    return plan_import(
        registry or Registry(), entries, source="states.csv", sha256="0" * 64
    )


def registry_after(*event_lists: tuple[Event, ...]) -> Registry:
    events = [e for events in event_lists for e in events]
    return replay(enumerate(events, start=1))


# -- parsing a good file --------------------------------------------------------------


def test_a_good_file_gives_one_checked_entry_per_row() -> None:
    entries = parse_registry_csv(csv_text(ARCADIA, BORDURIA, SYLDAVIA), source="s")
    assert [(e.row, e.code) for e in entries] == [(2, "ARC"), (3, "BRD"), (4, "SYL")]
    arcadia = entries[0]
    assert arcadia.m49 == 901
    assert arcadia.entity_type is EntityType.MEMBER_STATE
    assert arcadia.names == {Language.EN: "Arcadia", Language.FR: "Arcadie"}
    assert arcadia.regional_group is RegionalGroup.AFRICAN
    assert arcadia.legal_traditions == {
        LegalTradition.CIVIL_LAW,
        LegalTradition.CUSTOMARY_LAW,
    }


def test_standings_are_read_for_the_convention_and_each_protocol() -> None:
    (arcadia,) = parse_registry_csv(csv_text(ARCADIA), source="s")
    untoc = arcadia.standings[Instrument.UNTOC]
    assert untoc.status is TreatyStatus.PARTY
    assert untoc.signed == ApproxDate(year=2000, month=12, day=12)
    assert untoc.deposited == ApproxDate(year=2003, month=9, day=29)
    assert untoc.action == "ratification"
    assert arcadia.standings[Instrument.TIP].deposited == ApproxDate(year=2004, month=1)
    assert arcadia.standings[Instrument.SOM].status is TreatyStatus.NONE
    assert arcadia.standings[Instrument.FIREARMS].status is TreatyStatus.SIGNATORY


def test_a_signatory_and_a_non_party_are_read_as_such() -> None:
    _, borduria, syldavia = parse_registry_csv(
        csv_text(ARCADIA, BORDURIA, SYLDAVIA), source="s"
    )
    assert borduria.standings[Instrument.UNTOC].status is TreatyStatus.SIGNATORY
    assert borduria.standings[Instrument.UNTOC].signed == ApproxDate(
        year=2000, month=12
    )
    assert syldavia.standings[Instrument.UNTOC].status is TreatyStatus.NONE


def test_codes_are_upper_cased_a_bom_dropped_and_unknown_columns_ignored() -> None:
    text = "\ufeffiso3,name_en,untoc_status,favourite_colour\narc,Arcadia,Party,blue\n"
    (entry,) = parse_registry_csv(text, source="s")
    assert entry.code == "ARC"
    assert entry.standings[Instrument.UNTOC].status is TreatyStatus.PARTY


def test_only_iso3_name_en_and_untoc_status_are_required() -> None:
    text = "iso3,name_en,untoc_status\nARC,Arcadia,party\n"
    (entry,) = parse_registry_csv(text, source="s")
    assert entry.m49 is None
    assert entry.regional_group is None
    assert entry.standings[Instrument.UNTOC].deposited is None


# -- refusing a bad file --------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("iso3", "AR", "not a three-letter ISO 3166 code"),
        ("iso3", "A1C", "not a three-letter ISO 3166 code"),
        ("name_en", "", "the English name is required"),
        ("m49", "9o1", "not an M49 number"),
        ("entity_type", "pirate republic", "not a known kind of entity"),
        ("untoc_status", "member", "not one of party, signatory, non-party"),
        ("untoc_status", "", "required: party, signatory or non-party"),
        ("untoc_date", "2014-13-01", "month must be in 1..12"),
        ("untoc_signature_date", "12/12/2000", "not a date of the form"),
        ("untoc_action", "conquest", "not a treaty action"),
        ("un_regional_group", "Atlantis", "'Atlantis' is not a valid RegionalGroup"),
        (
            "legal_traditions",
            "civil_law;pirate_code",
            "'pirate_code' is not a legal tradition",
        ),
        ("tip", "maybe", "not one of party, signatory, non-party"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(
    column: str, value: str, reason: str
) -> None:
    bad = {"iso3": "BRD", "name_en": "Borduria", "untoc_status": "party", column: value}
    problems = refused(csv_text(ARCADIA, bad))
    assert [(p.row, p.column) for p in problems] == [(3, column)]
    assert reason in problems[0].reason


def test_a_duplicate_code_names_the_row_it_first_appeared_on() -> None:
    problems = refused(csv_text(ARCADIA, BORDURIA, {**SYLDAVIA, "iso3": "arc"}))
    assert problems == (
        RowProblem(row=4, column="iso3", reason="ARC already appears on row 2"),
    )


def test_a_protocol_party_that_is_not_a_convention_party_is_refused() -> None:
    problems = refused(csv_text({**BORDURIA, "som": "party"}))
    assert [(p.row, p.column) for p in problems] == [(2, "som")]
    assert "art. 37(2)" in problems[0].reason


def test_a_deposit_date_without_party_status_is_refused() -> None:
    problems = refused(csv_text({**BORDURIA, "untoc_date": "2004-01-01"}))
    assert [(p.row, p.column) for p in problems] == [(2, "untoc_date")]


@pytest.mark.parametrize("missing", ["iso3", "name_en", "untoc_status"])
def test_a_missing_required_column_is_named_on_the_header_row(missing: str) -> None:
    columns = tuple(c for c in COLUMNS if c != missing)
    rows = [{k: v for k, v in ARCADIA.items() if k != missing}]
    problems = refused(csv_text(*rows, columns=columns))
    assert problems == (
        RowProblem(row=1, column=missing, reason="required column is missing"),
    )


def test_a_row_with_more_cells_than_columns_is_refused() -> None:
    text = (
        "iso3,name_en,untoc_status\nARC,Arcadia,party\nBRD,Borduria,signatory,extra\n"
    )
    problems = refused(text)
    assert problems == (
        RowProblem(row=3, column="(row)", reason="more cells than columns"),
    )


def test_a_file_without_rows_is_refused() -> None:
    assert [(p.row, p.column) for p in refused("iso3,name_en,untoc_status\n")] == [
        (2, "(file)")
    ]


def test_an_empty_file_is_refused_for_its_missing_columns() -> None:
    assert [p.column for p in refused("")] == ["iso3", "name_en", "untoc_status"]


def test_every_bad_cell_of_every_row_is_reported_at_once() -> None:
    problems = refused(
        csv_text(
            {**ARCADIA, "untoc_date": "2003-02-30", "tip_action": "theft"},
            BORDURIA,
            {**SYLDAVIA, "iso3": "SY", "un_regional_group": "Mars"},
        )
    )
    assert [(p.row, p.column) for p in problems] == [
        (2, "untoc_date"),
        (2, "tip_action"),
        (4, "iso3"),
        (4, "un_regional_group"),
    ]


def test_one_bad_row_refuses_the_whole_file() -> None:
    text = csv_text(ARCADIA, BORDURIA, {**SYLDAVIA, "untoc_status": "observer"})
    with pytest.raises(FileRefused, match="1 problem"):
        parse_registry_csv(text, source="states.csv")


cell_garbage = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "party",
            "signatory",
            "ARC",
            "arc",
            "2014",
            "2014-02-30",
            "mixed",
            "African States",
        ]
    ),
)


@given(
    rows=st.lists(
        st.fixed_dictionaries(dict.fromkeys(COLUMNS, cell_garbage)),
        min_size=0,
        max_size=4,
    )
)
def test_garbage_in_any_cell_is_either_parsed_or_refused_as_a_file(
    rows: list[dict[str, str]],
) -> None:
    outcome: list[ParsedEntry] | FileRefused
    text = csv_text(*rows)
    try:
        outcome = parse_registry_csv(text, source="garbage.csv")
    except FileRefused as refusal:
        outcome = refusal
    if isinstance(outcome, FileRefused):
        assert outcome.problems
        # An unquoted carriage return splits a row in two, so count physical lines.
        last_row = max(2, len(text.splitlines()) + 1)
        assert all(1 <= p.row <= last_row for p in outcome.problems)
        return
    entries = outcome
    assert len(entries) == len(rows)
    assert len({e.code for e in entries}) == len(entries)
    assert all(re.fullmatch(r"[A-Z]{3}", e.code) for e in entries)
    assert all(Language.EN in e.names for e in entries)


def test_a_carriage_return_in_a_cell_is_refused_as_a_file() -> None:
    # Python's own csv writer leaves such a cell unquoted with "\n" line endings.
    refused(csv_text({**ARCADIA, "name_fr": "Arca\rdie"}))


def test_an_oversized_cell_is_refused_as_a_file() -> None:
    refused(csv_text({**ARCADIA, "name_fr": "x" * 200_000}))


# -- the shipped snapshot -------------------------------------------------------------


def test_the_shipped_snapshot_parses_into_198_entries() -> None:
    snapshot = reference_snapshot()
    entries = parse_registry_csv(snapshot.text, source=snapshot.name)
    assert len(entries) == 198
    assert len({e.code for e in entries}) == 198


def test_the_shipped_snapshot_has_193_parties_and_2_signatories() -> None:
    registry = registry_after(imported(reference_snapshot().text))
    assert len(registry.entries) == 198
    assert len(registry.parties()) == 193
    assert len(registry.signatories()) == 2


def test_the_shipped_snapshot_says_which_blocks_are_stale() -> None:
    stale = {b.name for b in reference_snapshot().stale_blocks}
    assert stale == {"Protocol membership (TIP, SOM, FIREARMS)", "Legal traditions"}


# -- planning an import ---------------------------------------------------------------


def test_the_first_import_enters_every_state_after_the_import_marker() -> None:
    events = imported(csv_text(ARCADIA, BORDURIA))
    marker, *changes = events
    assert marker == ReferenceDataImported(
        source="states.csv", sha256="0" * 64, rows=2, changes=len(changes)
    )
    assert [(type(e), getattr(e, "code", None)) for e in changes] == [
        (StateEntered, "ARC"),
        (RegionalGroupAssigned, "ARC"),
        (LegalTraditionsRecorded, "ARC"),
        (InstrumentDeposited, "ARC"),
        (InstrumentDeposited, "ARC"),
        (InstrumentSigned, "ARC"),
        (StateEntered, "BRD"),
        (RegionalGroupAssigned, "BRD"),
        (LegalTraditionsRecorded, "BRD"),
        (InstrumentSigned, "BRD"),
    ]


def test_the_first_import_gives_the_registry_the_file_describes() -> None:
    registry = registry_after(imported(csv_text(ARCADIA, BORDURIA, SYLDAVIA)))
    arcadia = registry.entry("ARC")
    assert arcadia.name(Language.FR) == "Arcadie"
    assert arcadia.name(Language.ZH) == "Arcadia"  # falls back to English
    assert arcadia.regional_group is RegionalGroup.AFRICAN
    assert arcadia.legal_traditions == {
        LegalTradition.CIVIL_LAW,
        LegalTradition.CUSTOMARY_LAW,
    }
    assert arcadia.protocols() == (Instrument.TIP,)
    assert arcadia.standing(Instrument.FIREARMS).status is TreatyStatus.SIGNATORY
    assert [e.code for e in registry.parties()] == ["ARC"]
    assert [e.code for e in registry.signatories()] == ["BRD"]
    assert registry.imports[0].rows == 3


def test_importing_the_same_file_again_brings_only_the_marker() -> None:
    text = csv_text(ARCADIA, BORDURIA, SYLDAVIA)
    registry = registry_after(imported(text))
    again = imported(text, registry)
    assert again == (
        ReferenceDataImported(source="states.csv", sha256="0" * 64, rows=3, changes=0),
    )


def test_importing_the_shipped_snapshot_again_brings_only_the_marker() -> None:
    text = reference_snapshot().text
    registry = registry_after(imported(text))
    (marker,) = imported(text, registry)
    assert isinstance(marker, ReferenceDataImported)
    assert marker.changes == 0


def test_a_new_protocol_deposit_is_recorded_as_instrument_deposited() -> None:
    first = imported(csv_text(ARCADIA, BORDURIA))
    update = {**ARCADIA, "som": "party", "som_date": "2026-02"}
    columns = (*COLUMNS, "som_date")
    later = imported(csv_text(update, BORDURIA, columns=columns), registry_after(first))
    marker, change = later
    assert isinstance(marker, ReferenceDataImported)
    assert marker.changes == 1
    assert isinstance(change, InstrumentDeposited)
    assert (change.code, change.instrument) == ("ARC", Instrument.SOM)
    assert change.deposited == ApproxDate(year=2026, month=2)
    assert registry_after(first, later).entry("ARC").protocols() == (
        Instrument.TIP,
        Instrument.SOM,
    )


def test_a_signatory_that_deposits_becomes_a_party() -> None:
    registry = registry_after(imported(csv_text(ARCADIA, BORDURIA)))
    update = {**BORDURIA, "untoc_status": "party", "untoc_date": "2026-03-01"}
    _, change = imported(csv_text(ARCADIA, update), registry)
    assert isinstance(change, InstrumentDeposited)
    assert (change.code, change.instrument) == ("BRD", Instrument.UNTOC)
    assert change.deposited == ApproxDate(year=2026, month=3, day=1)
    assert change.signed == ApproxDate(year=2000, month=12)


def test_a_corrected_deposit_date_is_recorded_as_a_standing_correction() -> None:
    registry = registry_after(imported(csv_text(ARCADIA)))
    _, change = imported(csv_text({**ARCADIA, "untoc_date": "2003-09-30"}), registry)
    assert isinstance(change, InstrumentStandingCorrected)
    assert change.status is TreatyStatus.PARTY
    assert change.deposited == ApproxDate(year=2003, month=9, day=30)


def test_changed_names_are_recorded_as_a_names_correction() -> None:
    registry = registry_after(imported(csv_text(ARCADIA, BORDURIA)))
    update = {**ARCADIA, "name_en": "Republic of Arcadia", "name_fr": ""}
    _, change = imported(csv_text(update, BORDURIA), registry)
    assert change == StateNamesCorrected(
        code="ARC", names={Language.EN: "Republic of Arcadia"}
    )


def test_a_state_left_out_of_a_later_file_is_left_as_it_is() -> None:
    first = imported(csv_text(ARCADIA, BORDURIA))
    registry = registry_after(first)
    later = imported(csv_text(ARCADIA), registry)
    assert later == (
        ReferenceDataImported(source="states.csv", sha256="0" * 64, rows=1, changes=0),
    )
    assert registry_after(first, later).entry("BRD").is_signatory


def test_a_changed_m49_code_is_not_silently_dropped() -> None:
    registry = registry_after(imported(csv_text(ARCADIA)))
    _, *changes = imported(csv_text({**ARCADIA, "m49": "902"}), registry)
    assert changes


def test_a_file_with_fewer_columns_leaves_the_other_facts_as_they_are() -> None:
    first = imported(csv_text(ARCADIA, BORDURIA))
    slim = csv_text(ARCADIA, BORDURIA, columns=("iso3", "name_en", "untoc_status"))
    later = imported(slim, registry_after(first))
    assert later == (
        ReferenceDataImported(source="states.csv", sha256="0" * 64, rows=2, changes=0),
    )
    arcadia = registry_after(first, later).entry("ARC")
    assert arcadia.name(Language.FR) == "Arcadie"
    assert arcadia.regional_group is RegionalGroup.AFRICAN
    assert arcadia.protocols() == (Instrument.TIP,)
    assert arcadia.standing(Instrument.UNTOC).deposited == ApproxDate(
        year=2003, month=9, day=29
    )
