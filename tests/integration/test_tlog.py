"""The transparency log kept beside the store, on SQLite and PostgreSQL.

The log store survives restarts, :func:`follow` logs each row once, a failed
append leaves nothing behind, and the database itself refuses to change or
delete what was logged.
"""

# ruff: noqa: S608 - the attacks are SQL built from the test's own table names

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from untoc_adapters.audit import tlog
from untoc_adapters.audit.ed25519 import Ed25519CheckpointSigner
from untoc_adapters.audit.rows import iter_rows, read_rows
from untoc_adapters.audit.tlog import (
    LogRefused,
    LogStore,
    SQLiteLogStore,
    open_log_store,
    sqlite_log_path,
)
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.memory import open_memory_store
from untoc_adapters.storage.postgres import open_postgres_store
from untoc_adapters.storage.sqlite import open_sqlite_store
from untoc_core.audit import LeafData, TransparencyLog, open_checkpoint, verify_rows
from untoc_core.errors import ConfigurationError, StoreError
from untoc_core.ports import NewEvents
from untoc_core.registry.events import ExpertListCirculated

ORIGIN = "untoc.example/review-log"
PG_URL = os.environ.get(
    "UNTOC_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
SIGNER = Ed25519CheckpointSigner.from_private_bytes("untoc-log", bytes(range(32)))


def record(store: RecorderEventStore, stream: str, count: int) -> None:
    """Append ``count`` distinct events to ``stream``, one append each."""
    for _ in range(count):
        version = store.stream_version(stream)
        event = ExpertListCirculated(
            circulated_on=dt.date(2026, 2, 1) + dt.timedelta(days=version),
            expert_ids=frozenset({f"{stream}-{version}"}),
        )
        store.append(
            NewEvents(stream=stream, expected_version=version, events=(event,)),
            recorded_at=T0 + dt.timedelta(minutes=store.last_position()),
            actor="secretariat",
        )


def populate(store: RecorderEventStore) -> None:
    """Six rows: registry@1-4, then experts@1-2."""
    record(store, "registry", 4)
    record(store, "experts", 2)


@attrs.define
class Backend:
    """A store and its log store on one backend, with raw SQL on the log's tables."""

    settings: Settings
    raw: Callable[[str], None]
    leaves: str
    checkpoints: str
    opened: list[Any] = attrs.field(factory=list)

    def store(self) -> RecorderEventStore:
        """Open the event store (closed at the end of the test)."""
        opener = (
            open_sqlite_store
            if self.settings.store == "sqlite"
            else open_postgres_store
        )
        store = opener(self.settings)
        self.opened.append(store)
        return store

    def log_store(self) -> LogStore:
        """Open the log store (closed at the end of the test)."""
        log_store = open_log_store(self.settings)
        self.opened.append(log_store)
        return log_store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """SQLite in a temporary data directory; PostgreSQL in a fresh schema."""
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path, store="sqlite")

        def raw(sql: str) -> None:
            db = sqlite3.connect(tmp_path / "tlog.sqlite3")
            try:
                with db:
                    db.execute(sql)
            finally:
                db.close()

        chosen = Backend(
            settings,
            raw,
            leaves="untoc_tlog_leaves",
            checkpoints="untoc_tlog_checkpoints",
        )
    else:
        import psycopg  # noqa: PLC0415 - only for the postgres variant

        schema = request.getfixturevalue("pg_schema")
        settings = Settings(
            data_dir=tmp_path, store="postgres", store_url=f"{PG_URL}?schema={schema}"
        )

        def raw(sql: str) -> None:
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(sql.encode())

        chosen = Backend(
            settings,
            raw,
            leaves=f'"{schema}".untoc_tlog_leaves',
            checkpoints=f'"{schema}".untoc_tlog_checkpoints',
        )
    yield chosen
    for resource in reversed(chosen.opened):
        resource.close()


LOGGED_AT = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
"""The time the tests' follower logs rows at, so logs can be compared."""


def follow(
    store: RecorderEventStore, log_store: LogStore, origin: str, *, batch: int = 1000
) -> int:
    """The tracking step, logging at a fixed time."""
    return tlog.follow(store, log_store, origin, batch=batch, now=LOGGED_AT)


def memory_log(store: RecorderEventStore) -> TransparencyLog:
    """The log built in memory from every row, to compare with."""
    log = TransparencyLog(ORIGIN)
    log.append_rows(iter_rows(store), logged_at="2026-03-02T12:00:00Z")
    return log


# --- following -------------------------------------------------------------------


def test_follow_logs_each_row_once(backend: Backend) -> None:
    store = backend.store()
    log_store = backend.log_store()
    assert follow(store, log_store, ORIGIN) == 0
    populate(store)
    assert follow(store, log_store, ORIGIN, batch=4) == 6
    assert follow(store, log_store, ORIGIN) == 0
    record(store, "registry", 2)
    assert follow(store, log_store, ORIGIN, batch=1) == 2
    assert follow(store, log_store, ORIGIN) == 0

    log = log_store.load(ORIGIN)
    expected = memory_log(store)
    assert log.size == 8
    assert log.snapshot() == expected.snapshot()
    assert log.root() == expected.root()
    assert [leaf.index for leaf in log.snapshot().leaves] == list(range(8))
    assert log.last_position == store.last_position()


def test_reopening_rebuilds_the_same_root(backend: Backend) -> None:
    store = backend.store()
    log_store = backend.log_store()
    populate(store)
    follow(store, log_store, ORIGIN)
    root = log_store.load(ORIGIN).root()
    store.close()
    log_store.close()

    again = backend.log_store()
    reopened = backend.store()
    log = again.load(ORIGIN)
    assert log.size == 6
    assert log.root() == root
    assert follow(reopened, again, ORIGIN) == 0
    # The reopened log still audits the store.
    note = log.sign(SIGNER)
    result = verify_rows(
        read_rows(reopened),
        note,
        verifiers=[SIGNER.verifier()],
        origin=ORIGIN,
        log=log.snapshot(),
    )
    assert result.ok, result.faults


def test_leaves_already_logged_are_refused(backend: Backend) -> None:
    store = backend.store()
    log_store = backend.log_store()
    populate(store)
    follow(store, log_store, ORIGIN)
    leaves = list(memory_log(store).snapshot().leaves)
    with pytest.raises(LogRefused):
        log_store.append(leaves[-1:])
    # A leaf with the next index but an already logged position.
    again = LeafData(
        index=6,
        position=leaves[-1].position,
        stream="x",
        version=1,
        topic="t",
        state_sha256="0" * 64,
    )
    with pytest.raises(LogRefused):
        log_store.append([again])
    assert log_store.load(ORIGIN).size == 6


def test_a_second_follower_with_the_same_rows_is_refused(backend: Backend) -> None:
    store = backend.store()
    first = backend.log_store()
    second = backend.log_store()
    populate(store)
    # Both load the empty log and read the same rows; only one may commit.
    log_a = first.load(ORIGIN)
    log_b = second.load(ORIGIN)
    added_a = log_a.append_rows(iter_rows(store))
    added_b = log_b.append_rows(iter_rows(store))
    first.append(added_a)
    with pytest.raises(LogRefused):
        second.append(added_b)
    assert second.load(ORIGIN).root() == log_a.root()
    assert follow(store, second, ORIGIN) == 0


# --- failures --------------------------------------------------------------------


class Crash(Exception):
    """The simulated failure."""


def test_a_failure_part_way_through_append_leaves_no_partial_leaves(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = backend.store()
    log_store = backend.log_store()
    record(store, "registry", 2)
    follow(store, log_store, ORIGIN)
    root = log_store.load(ORIGIN).root()
    record(store, "registry", 4)

    written: list[int] = []
    original = log_store._data  # the seam for the crash

    def crash_on_the_third(leaf: LeafData) -> object:
        if len(written) == 2:
            raise Crash
        written.append(leaf.index)
        return original(leaf)

    monkeypatch.setattr(log_store, "_data", crash_on_the_third)
    with pytest.raises(Crash):
        follow(store, log_store, ORIGIN)
    # Two rows were handed to the database before the crash, then rolled back.
    assert written == [2, 3]
    log = log_store.load(ORIGIN)
    assert log.size == 2
    assert log.root() == root

    monkeypatch.undo()
    assert follow(store, log_store, ORIGIN) == 4
    assert log_store.load(ORIGIN).root() == memory_log(store).root()


# --- defence in depth ------------------------------------------------------------


def test_the_database_refuses_to_update_or_delete_the_log(backend: Backend) -> None:
    import psycopg  # noqa: PLC0415 - the postgres variant's errors

    store = backend.store()
    log_store = backend.log_store()
    populate(store)
    follow(store, log_store, ORIGIN)
    log = log_store.load(ORIGIN)
    log_store.save_checkpoint(log.size, log.root(), log.sign(SIGNER))

    refused = (sqlite3.Error, psycopg.Error)
    attacks = [
        f"UPDATE {backend.leaves} SET position = position + 100 WHERE idx = 2",
        f"DELETE FROM {backend.leaves} WHERE idx = 5",
        f"DELETE FROM {backend.leaves}",
        f"UPDATE {backend.checkpoints} SET note = 'forged'",
        f"DELETE FROM {backend.checkpoints}",
    ]
    if backend.settings.store == "postgres":
        attacks += [f"TRUNCATE {backend.leaves}", f"TRUNCATE {backend.checkpoints}"]
    for attack in attacks:
        with pytest.raises(refused, match="append-only"):
            backend.raw(attack)
    again = log_store.load(ORIGIN)
    assert again.size == 6
    assert again.root() == log.root()
    assert [c.size for c in log_store.checkpoints()] == [6]


def test_a_damaged_log_is_refused_on_load(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, store="sqlite")
    store = open_sqlite_store(settings)
    log_store = open_log_store(settings)
    try:
        populate(store)
        follow(store, log_store, ORIGIN)
    finally:
        store.close()
        log_store.close()
    # An owner of the file can drop the trigger; loading still notices.
    db = sqlite3.connect(tmp_path / "tlog.sqlite3")
    with db:
        db.execute("DROP TRIGGER untoc_tlog_leaves_no_UPDATE")
        db.execute(
            "UPDATE untoc_tlog_leaves SET data = replace(data, 'registry', 'forged') "
            "WHERE idx = 1"
        )
    db.close()
    with (
        SQLiteLogStore(tmp_path / "tlog.sqlite3") as reopened,
        pytest.raises(StoreError, match="damaged at leaf 1"),
    ):
        reopened.load(ORIGIN)


# --- checkpoints -----------------------------------------------------------------


def test_checkpoints_are_saved_and_listed(backend: Backend) -> None:
    store = backend.store()
    log_store = backend.log_store()
    assert log_store.checkpoints() == []
    record(store, "registry", 3)
    follow(store, log_store, ORIGIN)
    first = log_store.load(ORIGIN)
    at = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    log_store.save_checkpoint(3, first.root(), first.sign(SIGNER), created_at=at)
    record(store, "experts", 2)
    follow(store, log_store, ORIGIN)
    second = log_store.load(ORIGIN)
    log_store.save_checkpoint(5, second.root(), second.sign(SIGNER))

    saved = log_store.checkpoints()
    assert [(c.size, c.root) for c in saved] == [
        (3, first.root()),
        (5, second.root()),
    ]
    assert saved[0].created_at == at
    assert saved[1].created_at.tzinfo is not None
    opened = open_checkpoint(saved[1].note, [SIGNER.verifier()], origin=ORIGIN)
    assert opened.checkpoint == second.checkpoint()

    with pytest.raises(LogRefused, match="already stored"):
        log_store.save_checkpoint(5, second.root(), second.sign(SIGNER))
    with pytest.raises(LogRefused, match="do not reproduce"):
        log_store.save_checkpoint(4, first.root(), first.sign(SIGNER))
    with pytest.raises(LogRefused, match="has 5 leaves"):
        log_store.save_checkpoint(6, second.root(), second.sign(SIGNER))
    assert [c.size for c in log_store.checkpoints()] == [3, 5]


# --- choosing the log store ------------------------------------------------------


def test_the_memory_store_gets_an_in_memory_log(tmp_path: Path) -> None:
    store = open_memory_store()
    populate(store)
    with open_log_store(Settings(data_dir=tmp_path, store="memory")) as log_store:
        assert follow(store, log_store, ORIGIN) == 6
        assert log_store.load(ORIGIN).root() == memory_log(store).root()
    assert not list(tmp_path.iterdir())


def test_where_the_sqlite_log_lives(tmp_path: Path) -> None:
    default = Settings(data_dir=tmp_path, store="sqlite")
    assert sqlite_log_path(default) == str(tmp_path / "tlog.sqlite3")
    named = Settings(data_dir=tmp_path, store="sqlite", store_url="/x/e.db")
    assert sqlite_log_path(named) == "/x/e.db.tlog.sqlite3"
    memory = Settings(data_dir=tmp_path, store="sqlite", store_url=":memory:")
    assert sqlite_log_path(memory) == ":memory:"
    with pytest.raises(ConfigurationError):
        open_log_store(Settings(data_dir=tmp_path, store="elsewhere"))
    with pytest.raises(ConfigurationError):
        open_log_store(Settings(data_dir=tmp_path, store="postgres"))
