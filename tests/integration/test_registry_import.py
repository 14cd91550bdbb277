"""Importing registry files over the shipped snapshot keeps what a file does not say."""

from __future__ import annotations

import datetime as dt

import pytest

from untoc_adapters.clock import SimulatedClock
from untoc_adapters.storage.memory import open_memory_store
from untoc_core.conference import Decision, phase_remaining
from untoc_core.errors import FileRefused, InvalidInput
from untoc_core.mechanism import Mechanism
from untoc_core.terms import Instrument, Language, RegionalGroup, TreatyStatus


def loaded() -> Mechanism:
    mech = Mechanism(
        open_memory_store(), SimulatedClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    )
    mech.load_reference_snapshot()
    return mech


def test_a_file_with_few_columns_changes_only_those_facts() -> None:
    mech = loaded()
    before = mech.registry().entry("JPN")
    assert before.standing(Instrument.TIP).status is TreatyStatus.SIGNATORY
    result = mech.import_registry(
        "iso3,name_en,untoc_status,tip,tip_date\nJPN,Japan,party,party,2017-07-11\n",
        source="japan-tip.csv",
    )
    after = mech.registry().entry("JPN")
    assert result.changes == 1
    assert after.standing(Instrument.TIP).status is TreatyStatus.PARTY
    assert after.names[Language.FR] == before.names[Language.FR]
    assert after.regional_group is RegionalGroup.ASIA_PACIFIC
    assert after.legal_traditions == before.legal_traditions
    assert after.standing(Instrument.SOM) == before.standing(Instrument.SOM)


def test_reloading_the_snapshot_keeps_later_corrections() -> None:
    mech = loaded()
    mech.import_registry(
        "iso3,name_en,untoc_status,tip,tip_date\nJPN,Japan,party,party,2017-07-11\n",
        source="japan-tip.csv",
    )
    version = mech.registry().version
    result = mech.load_reference_snapshot()
    assert result.changes == 0
    assert mech.registry().version == version
    tip = mech.registry().entry("JPN").standing(Instrument.TIP)
    assert tip.status is TreatyStatus.PARTY


def test_each_fact_is_kept_unless_the_file_has_its_own_column() -> None:
    mech = loaded()
    before = mech.registry().entry("AUT")
    mech.import_registry(
        "iso3,name_en,untoc_status,legal_system_text_cia,un_regional_group\n"
        "AUT,Austria,party,civil law system,Western European and other States\n",
        source="austria.csv",
    )
    after = mech.registry().entry("AUT")
    assert after.legal_traditions == before.legal_traditions
    assert after.legal_system_evidence == "civil law system"
    assert after.regional_group_note == before.regional_group_note


def test_problems_are_reported_at_the_line_of_the_file() -> None:
    mech = loaded()
    text = "iso3,name_en,untoc_status\nARC,Arcadia,party\n\n\nBRD,,party\n"
    with pytest.raises(FileRefused) as refused:
        mech.import_registry(text, source="gaps.csv")
    assert [(p.row, p.column) for p in refused.value.problems] == [(5, "name_en")]


def test_a_phase_is_not_complete_for_want_of_a_registry() -> None:
    mech = Mechanism(
        open_memory_store(), SimulatedClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    )
    mech.establish_default_distribution(
        decision=Decision(symbol="resolution 5/5", adopted_on=dt.date(2010, 10, 22)),
        starts_on=dt.date(2027, 1, 1),
    )
    with pytest.raises(InvalidInput, match="no State party"):
        phase_remaining(mech.conference(), 1, mech.registry(), {})
