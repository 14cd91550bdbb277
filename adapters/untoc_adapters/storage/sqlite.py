"""The ``sqlite`` event store, the embedded default: one SQLite file, no server.

Built on eventsourcing's SQLite recorder (WAL mode, ``synchronous=FULL``), whose
table ``stored_events`` keys rows by ``(originator_id, originator_version)`` and uses
the rowid as the position.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Notification, PersistenceError
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.mapper import AttrsMapper
from untoc_core.catalogue import EVENTS
from untoc_core.errors import StoreError
from untoc_core.ports import EventStore


class SQLiteStreamRecorder(SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder, able to list a stream with positions."""

    def select_stream(
        self, stream: str, *, gt: int | None = None, lte: int | None = None
    ) -> Sequence[Notification]:
        """Rows of ``stream`` in version order with their rowids."""
        # The table name is ours; values are passed as parameters.
        statement = (
            "SELECT rowid, originator_id, originator_version, topic, state "  # noqa: S608
            f"FROM {self.events_table_name} WHERE originator_id=? "
        )
        params: list[Any] = [stream]
        if gt is not None:
            statement += "AND originator_version>? "
            params.append(gt)
        if lte is not None:
            statement += "AND originator_version<=? "
            params.append(lte)
        statement += "ORDER BY originator_version"
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return [
                Notification(
                    id=row["rowid"],
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                )
                for row in c.fetchall()
            ]

    def head_version(self, stream: str) -> int:
        """The version of the stream's last row, or 0."""
        statement = (
            f"SELECT MAX(originator_version) AS v FROM {self.events_table_name} "  # noqa: S608
            "WHERE originator_id=?"
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, [stream])
            row = c.fetchone()
            return int(row["v"] or 0)


def open_sqlite_store(settings: Settings) -> RecorderEventStore:
    """Open (and create if needed) the SQLite store named by the settings.

    The file is ``settings.store_url`` if it is set (a path, or ``:memory:``), else
    ``events.sqlite3`` in the data directory.

    Raises:
        StoreError: the folder cannot be created, or the file cannot be opened as a
            SQLite database; the message names the path.
    """
    target = settings.store_url or str(settings.data_dir / "events.sqlite3")
    if target != ":memory:" and not target.startswith("file:"):
        _make_folder(Path(target).parent)
    datastore = SQLiteDatastore(db_name=target, originator_id_type="text")
    try:
        recorder = SQLiteStreamRecorder(datastore)
        recorder.create_table()
    except (PersistenceError, sqlite3.Error) as exc:
        datastore.close()
        msg = f"cannot open the SQLite store {target}: {exc}"
        raise StoreError(msg) from exc
    return RecorderEventStore(recorder, AttrsMapper(EVENTS), close=(datastore,))


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        msg = f"cannot use {folder} as the folder of the SQLite store: it is a file"
        raise StoreError(msg)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the folder {folder} for the SQLite store: {exc.strerror}"
        raise StoreError(msg) from exc


# The entry point is loaded untyped; this line makes mypy check the store's fit to
# the EventStore port.
_PORT: Callable[[Settings], EventStore] = open_sqlite_store
