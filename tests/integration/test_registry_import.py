"""Importing registry files over the shipped snapshot keeps what a file does not say."""

from __future__ import annotations

import datetime as dt

from untoc_adapters.clock import SimulatedClock
from untoc_adapters.storage.memory import open_memory_store
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
