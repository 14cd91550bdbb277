"""What the SQLite file holds, and what happens when a row is altered."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from untoc_adapters.settings import Settings
from untoc_adapters.storage.sqlite import open_sqlite_store
from untoc_core.errors import StoreError
from untoc_core.ports import NewEvents
from untoc_core.registry.events import ExpertListCirculated

T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def write_one(tmp_path: Path) -> Path:
    store = open_sqlite_store(Settings(data_dir=tmp_path))
    event = ExpertListCirculated(
        circulated_on=dt.date(2026, 2, 1), expert_ids=frozenset({"b", "a"})
    )
    store.append(
        NewEvents(stream="registry", expected_version=0, events=(event,)),
        recorded_at=T0,
        actor="secretariat",
    )
    store.close()
    return tmp_path / "events.sqlite3"


def test_rows_carry_the_stable_type_name_and_a_versioned_json_body(
    tmp_path: Path,
) -> None:
    path = write_one(tmp_path)
    with sqlite3.connect(path) as db:
        stream, version, topic, state = db.execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events"
        ).fetchone()
    assert (stream, version, topic) == ("registry", 1, "registry.ExpertListCirculated")
    assert state[0] == 0  # the plain-rows format tag
    body = json.loads(state[1:])
    assert body["v"] == 1
    assert body["by"] == "secretariat"
    assert body["data"] == {"circulated_on": "2026-02-01", "expert_ids": ["a", "b"]}


@pytest.mark.parametrize(
    "state",
    [
        b"",
        b"\x07{}",
        b"\x00not json",
        b'\x00{"v":1,"at":"2026-01-01T00:00:00+00:00","by":"x","data":{}}',
    ],
)
def test_an_unreadable_row_is_reported_not_guessed(
    tmp_path: Path, state: bytes
) -> None:
    path = write_one(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE stored_events SET state = ?", (state,))
    store = open_sqlite_store(Settings(data_dir=tmp_path))
    try:
        with pytest.raises(StoreError, match="registry@1"):
            store.read_stream("registry")
    finally:
        store.close()
