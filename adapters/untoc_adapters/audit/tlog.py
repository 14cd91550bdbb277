"""The transparency log kept beside the event store, and the step that follows it.

:class:`LogStore` persists the leaves of :class:`~untoc_core.audit.TransparencyLog`
and its checkpoints, so the log survives restarts; :func:`follow` is the tracking
step that logs the store's new rows.

Where the log lives, by ``settings.store``:

* ``sqlite``: a separate SQLite file beside the events, ``DATA_DIR/tlog.sqlite3``
  (or ``<events file>.tlog.sqlite3`` when ``settings.store_url`` names the events
  file; in memory when it is ``:memory:``). Keeping it apart from
  ``events.sqlite3`` leaves the event store's file to eventsourcing alone;
* ``postgres``: tables in the same database and schema as the events (the
  ``?schema=`` of ``settings.store_url``, ``public`` by default);
* ``memory``: an in-memory SQLite database, lost when it is closed.

Both backends hold the same two tables::

    untoc_tlog_leaves       (idx PRIMARY KEY, position UNIQUE, data, leaf_hash)
    untoc_tlog_checkpoints  (size PRIMARY KEY, root, note, created_at)

``data`` is the leaf's canonical JSON (:meth:`LeafData.to_bytes`: TEXT in
SQLite, BYTEA in PostgreSQL) and ``leaf_hash`` its RFC 9162 leaf hash. Triggers
refuse every UPDATE and DELETE on both tables (and TRUNCATE in PostgreSQL): the
log is append-only in the database too, as a defence in depth beside the signed
checkpoints. An owner of the database can still drop the triggers; the audit
(:func:`~untoc_core.audit.verify_rows` against a remembered checkpoint) is what
detects that.
"""

from __future__ import annotations

import abc
import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol, Self

import attrs

from untoc_adapters.audit.rows import DEFAULT_LIMIT, iter_rows
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.postgres import parse_store_url
from untoc_core.audit import LeafData, TransparencyLog
from untoc_core.audit.merkle import tree_root
from untoc_core.errors import ConfigurationError, InvalidInput, StoreError

try:
    import psycopg
    from psycopg.sql import SQL, Composed, Identifier
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    _MISSING: ImportError | None = exc
else:
    _MISSING = None

LEAVES = "untoc_tlog_leaves"
"""The table of leaves."""
CHECKPOINTS = "untoc_tlog_checkpoints"
"""The table of checkpoints."""
SQLITE_FILE = "tlog.sqlite3"
"""The SQLite log's file name in the data directory."""
CONNECT_TIMEOUT = 5
"""Seconds to wait for the PostgreSQL server."""


class LogRefused(StoreError):
    """The log store refused a write: a leaf or checkpoint conflicts with it.

    Nothing of the refused call was written.
    """


@attrs.frozen(kw_only=True)
class StoredCheckpoint:
    """A checkpoint as the log store keeps it.

    Attributes:
        size: The tree size it covers.
        root: The 32-byte tree head.
        note: The signed note text.
        created_at: When it was saved, in UTC.
    """

    size: int
    root: bytes
    note: str
    created_at: dt.datetime


class _Cursor(Protocol):
    """The DB-API cursor methods the log store uses (sqlite3 and psycopg)."""

    def execute(self, statement: Any, params: Any = ..., /) -> object: ...

    def executemany(self, statement: Any, params: Any, /) -> object: ...

    def fetchall(self) -> Sequence[Any]: ...

    def fetchone(self) -> Any: ...


class LogStore(abc.ABC):
    """The leaves and checkpoints of one transparency log, in a database.

    Subclasses give the statements and the transactions; this class checks every
    write, so the stored log stays one contiguous, append-only sequence of leaves.
    """

    @abc.abstractmethod
    def _transaction(self) -> AbstractContextManager[_Cursor]:
        """A cursor in a write transaction, committed on success, else rolled back."""

    @abc.abstractmethod
    def _reading(self) -> AbstractContextManager[_Cursor]:
        """A cursor for reads."""

    @abc.abstractmethod
    def _statement(self, name: str) -> Any:
        """The named statement for this backend."""

    @abc.abstractmethod
    def _is_integrity_error(self, exc: Exception) -> bool:
        """True if ``exc`` is the database refusing a duplicate key."""

    @abc.abstractmethod
    def _failure(self) -> tuple[type[Exception], ...]:
        """The database's error classes."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection."""

    def __enter__(self) -> Self:
        """Use the store in a ``with`` block, closed at its end."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the store."""
        self.close()

    def load(self, origin: str) -> TransparencyLog:
        """Rebuild the log from its stored leaves.

        Args:
            origin: The log's origin.

        Returns:
            The log, with every stored leaf.

        Raises:
            StoreError: the database failed, or a stored leaf is damaged (its data
                does not parse, its hash or index does not match, or positions do
                not increase).
        """
        try:
            with self._reading() as cursor:
                cursor.execute(self._statement("select_leaves"))
                rows = cursor.fetchall()
        except self._failure() as exc:
            msg = f"cannot read the transparency log: {exc}"
            raise StoreError(msg) from exc
        leaves = [_stored_leaf(row) for row in rows]
        last = 0
        for expected, leaf in enumerate(leaves):
            if leaf.index != expected or leaf.position <= last:
                msg = (
                    f"the stored transparency log is damaged at leaf {expected}: "
                    f"index {leaf.index}, position {leaf.position} after {last}"
                )
                raise StoreError(msg)
            last = leaf.position
        try:
            return TransparencyLog(origin, leaves)
        except InvalidInput as exc:
            msg = f"cannot rebuild the transparency log: {exc}"
            raise StoreError(msg) from exc

    def append(self, leaves: Sequence[LeafData]) -> None:
        """Store new leaves, all or none, in one transaction.

        The leaves must continue the stored log: the first has the next index,
        indexes are contiguous, and positions increase after the last stored one.

        Args:
            leaves: The leaves, in index order.

        Raises:
            LogRefused: a leaf's index or position is already stored, or the leaves
                do not continue the log; nothing was written.
            StoreError: the database failed; nothing was written.
        """
        if not leaves:
            return
        # Rows are made as the database takes them: a failure part-way through
        # (of the database or of this process) rolls back the rows before it.
        rows = (
            (leaf.index, leaf.position, self._data(leaf), leaf.leaf_hash())
            for leaf in leaves
        )
        try:
            with self._transaction() as cursor:
                cursor.execute(self._statement("log_head"))
                size, last = cursor.fetchone()
                _check_continues(leaves, int(size), int(last))
                cursor.executemany(self._statement("insert_leaf"), rows)
        except LogRefused:
            raise
        except self._failure() as exc:
            if self._is_integrity_error(exc):
                msg = f"the transparency log refused the leaves: {exc}"
                raise LogRefused(msg) from exc
            msg = f"the transparency log failed; nothing was written: {exc}"
            raise StoreError(msg) from exc

    def save_checkpoint(
        self,
        size: int,
        root: bytes,
        note: str,
        *,
        created_at: dt.datetime | None = None,
    ) -> None:
        """Keep a checkpoint, once per size, if the stored leaves reproduce it.

        Args:
            size: The tree size.
            root: The tree head over the first ``size`` stored leaves.
            note: The signed note.
            created_at: When it was made; now by default.

        Raises:
            LogRefused: a checkpoint of this size is stored, the log has fewer
                leaves, or its first ``size`` leaves have another root.
            StoreError: the database failed.
        """
        when = (created_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        try:
            with self._transaction() as cursor:
                cursor.execute(self._statement("leaf_hashes"), (size,))
                hashes = [bytes(row[0]) for row in cursor.fetchall()]
                _check_reproduces(hashes, size, bytes(root))
                cursor.execute(
                    self._statement("insert_checkpoint"),
                    (size, bytes(root), note, self._time(when)),
                )
        except LogRefused:
            raise
        except self._failure() as exc:
            if self._is_integrity_error(exc):
                msg = f"a checkpoint of size {size} is already stored"
                raise LogRefused(msg) from exc
            msg = f"the transparency log failed; nothing was written: {exc}"
            raise StoreError(msg) from exc

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, smallest size first.

        Returns:
            The checkpoints.

        Raises:
            StoreError: the database failed.
        """
        try:
            with self._reading() as cursor:
                cursor.execute(self._statement("select_checkpoints"))
                rows = cursor.fetchall()
        except self._failure() as exc:
            msg = f"cannot read the checkpoints: {exc}"
            raise StoreError(msg) from exc
        return [
            StoredCheckpoint(
                size=int(size),
                root=bytes(root),
                note=str(note),
                created_at=self._read_time(created_at),
            )
            for size, root, note, created_at in rows
        ]

    def _data(self, leaf: LeafData) -> object:
        """The ``data`` column value of a leaf."""
        return leaf.to_bytes()

    def _time(self, when: dt.datetime) -> object:
        """The ``created_at`` column value."""
        return when

    def _read_time(self, value: Any) -> dt.datetime:
        """The ``created_at`` read back, in UTC."""
        if not isinstance(value, dt.datetime):
            msg = f"a stored checkpoint time is not a time: {value!r}"
            raise StoreError(msg)
        return value.astimezone(dt.UTC)


def _stored_leaf(row: Sequence[Any]) -> LeafData:
    idx, position, data, stored_hash = row
    raw = data.encode() if isinstance(data, str) else bytes(data)
    try:
        leaf = LeafData.from_dict(json.loads(raw))
    except (ValueError, InvalidInput) as exc:
        msg = f"the stored transparency log is damaged at leaf {idx}: {exc}"
        raise StoreError(msg) from exc
    if (
        leaf.index != idx
        or leaf.position != position
        or leaf.to_bytes() != raw
        or leaf.leaf_hash() != bytes(stored_hash)
    ):
        msg = (
            f"the stored transparency log is damaged at leaf {idx}: its columns "
            "do not match its data"
        )
        raise StoreError(msg)
    return leaf


def _check_reproduces(hashes: list[bytes], size: int, root: bytes) -> None:
    if len(hashes) != size:
        msg = f"the log has {len(hashes)} leaves, the checkpoint {size}"
        raise LogRefused(msg)
    if tree_root(hashes) != root:
        msg = f"the stored leaves do not reproduce the root at size {size}"
        raise LogRefused(msg)


def _check_continues(leaves: Sequence[LeafData], size: int, last: int) -> None:
    for offset, leaf in enumerate(leaves):
        if leaf.index != size + offset:
            msg = (
                f"leaf {leaf.index} does not continue the log of {size} leaves "
                f"(expected index {size + offset})"
            )
            raise LogRefused(msg)
        if leaf.position <= last:
            msg = (
                f"leaf {leaf.index} has position {leaf.position}, not after the "
                f"last logged position {last}"
            )
            raise LogRefused(msg)
        last = leaf.position


# --- SQLite ----------------------------------------------------------------------

_SQLITE_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {LEAVES} (
    idx INTEGER PRIMARY KEY CHECK (idx >= 0),
    position INTEGER NOT NULL UNIQUE CHECK (position > 0),
    data TEXT NOT NULL,
    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
);
CREATE TABLE IF NOT EXISTS {CHECKPOINTS} (
    size INTEGER PRIMARY KEY CHECK (size >= 0),
    root BLOB NOT NULL CHECK (length(root) = 32),
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

_SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_no_{op} BEFORE {op} ON {table}
BEGIN
    SELECT RAISE(ABORT, 'the transparency log is append-only: {op} refused');
END;
"""

_SQLITE_STATEMENTS = {
    "select_leaves": (
        "SELECT idx, position, data, leaf_hash FROM untoc_tlog_leaves ORDER BY idx"
    ),
    "log_head": "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM untoc_tlog_leaves",
    "insert_leaf": (
        "INSERT INTO untoc_tlog_leaves (idx, position, data, leaf_hash) "
        "VALUES (?, ?, ?, ?)"
    ),
    "leaf_hashes": "SELECT leaf_hash FROM untoc_tlog_leaves WHERE idx < ? ORDER BY idx",
    "insert_checkpoint": (
        "INSERT INTO untoc_tlog_checkpoints (size, root, note, created_at) "
        "VALUES (?, ?, ?, ?)"
    ),
    "select_checkpoints": (
        "SELECT size, root, note, created_at FROM untoc_tlog_checkpoints ORDER BY size"
    ),
}


class SQLiteLogStore(LogStore):
    """The log in a SQLite file of its own (or in memory).

    Args:
        target: The database file, or ``:memory:``.

    Raises:
        StoreError: the file cannot be opened or its tables created.
    """

    def __init__(self, target: str | Path) -> None:
        self.target = str(target)
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(
                self.target, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            msg = f"cannot open the transparency log {self.target}: {exc}"
            raise StoreError(msg) from exc
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=5000")
            with self._transaction() as cursor:
                for statement in _SQLITE_SCHEMA.split(";"):
                    if statement.strip():
                        cursor.execute(statement)
                for table in (LEAVES, CHECKPOINTS):
                    for op in ("UPDATE", "DELETE"):
                        cursor.execute(_SQLITE_TRIGGER.format(table=table, op=op))
        except sqlite3.Error as exc:
            self._db.close()
            msg = f"cannot open the transparency log {self.target}: {exc}"
            raise StoreError(msg) from exc

    @contextmanager
    def _transaction(self) -> Iterator[_Cursor]:
        with self._lock:
            cursor = self._db.cursor()
            # IMMEDIATE takes the write lock first, so two followers cannot both
            # read the same head and then write.
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            else:
                cursor.execute("COMMIT")
            finally:
                cursor.close()

    @contextmanager
    def _reading(self) -> Iterator[_Cursor]:
        with self._lock:
            cursor = self._db.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def _statement(self, name: str) -> str:
        return _SQLITE_STATEMENTS[name]

    def _is_integrity_error(self, exc: Exception) -> bool:
        return isinstance(exc, sqlite3.IntegrityError)

    def _failure(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)

    def _data(self, leaf: LeafData) -> object:
        return leaf.to_bytes().decode()

    def _time(self, when: dt.datetime) -> object:
        return when.isoformat()

    def _read_time(self, value: Any) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(str(value)).astimezone(dt.UTC)
        except ValueError as exc:
            msg = f"a stored checkpoint time is not a time: {value!r}"
            raise StoreError(msg) from exc

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def sqlite_log_path(settings: Settings) -> str:
    """Where the SQLite log of the ``sqlite`` store named by ``settings`` lives.

    Args:
        settings: The settings of a ``sqlite`` store.

    Returns:
        ``DATA_DIR/tlog.sqlite3`` by default; ``<events file>.tlog.sqlite3`` when
        ``store_url`` names the events file; ``:memory:`` for an in-memory store.
    """
    url = settings.store_url
    if url == ":memory:":
        return url
    if not url or url.startswith("file:"):
        return str(settings.data_dir / SQLITE_FILE)
    events = Path(url)
    return str(events.with_name(f"{events.name}.tlog.sqlite3"))


# --- PostgreSQL ------------------------------------------------------------------

_PG_SCHEMA = (
    (
        "CREATE TABLE IF NOT EXISTS {leaves} ("
        " idx BIGINT PRIMARY KEY CHECK (idx >= 0),"
        " position BIGINT NOT NULL UNIQUE CHECK (position > 0),"
        " data BYTEA NOT NULL,"
        " leaf_hash BYTEA NOT NULL CHECK (length(leaf_hash) = 32))"
    ),
    (
        "CREATE TABLE IF NOT EXISTS {checkpoints} ("
        " size BIGINT PRIMARY KEY CHECK (size >= 0),"
        " root BYTEA NOT NULL CHECK (length(root) = 32),"
        " note TEXT NOT NULL,"
        " created_at TIMESTAMPTZ NOT NULL)"
    ),
    (
        "CREATE OR REPLACE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN RAISE EXCEPTION 'the transparency log is append-only: % on % refused',"
        " TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$"
    ),
    (
        "CREATE OR REPLACE TRIGGER untoc_tlog_no_change BEFORE UPDATE OR DELETE"
        " ON {leaves} FOR EACH ROW EXECUTE FUNCTION {refuse}()"
    ),
    (
        "CREATE OR REPLACE TRIGGER untoc_tlog_no_truncate BEFORE TRUNCATE"
        " ON {leaves} FOR EACH STATEMENT EXECUTE FUNCTION {refuse}()"
    ),
    (
        "CREATE OR REPLACE TRIGGER untoc_tlog_no_change BEFORE UPDATE OR DELETE"
        " ON {checkpoints} FOR EACH ROW EXECUTE FUNCTION {refuse}()"
    ),
    (
        "CREATE OR REPLACE TRIGGER untoc_tlog_no_truncate BEFORE TRUNCATE"
        " ON {checkpoints} FOR EACH STATEMENT EXECUTE FUNCTION {refuse}()"
    ),
)

_PG_STATEMENTS = {
    "select_leaves": (
        "SELECT idx, position, data, leaf_hash FROM {leaves} ORDER BY idx"
    ),
    "log_head": "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM {leaves}",
    "insert_leaf": (
        "INSERT INTO {leaves} (idx, position, data, leaf_hash) VALUES (%s, %s, %s, %s)"
    ),
    "leaf_hashes": "SELECT leaf_hash FROM {leaves} WHERE idx < %s ORDER BY idx",
    "insert_checkpoint": (
        "INSERT INTO {checkpoints} (size, root, note, created_at) "
        "VALUES (%s, %s, %s, %s)"
    ),
    "select_checkpoints": (
        "SELECT size, root, note, created_at FROM {checkpoints} ORDER BY size"
    ),
}


class PostgresLogStore(LogStore):
    """The log in tables ``untoc_tlog_*`` of the event store's database and schema.

    Args:
        conninfo: Keyword arguments for :func:`psycopg.connect`.
        schema: The schema of the event store.
        shown: The URL to name in messages, its password hidden.

    Raises:
        ConfigurationError: the ``postgres`` extra is missing.
        StoreError: the server cannot be reached or the tables cannot be created.
    """

    def __init__(self, conninfo: dict[str, Any], schema: str, shown: str) -> None:
        if _MISSING is not None:
            msg = "the postgres log store needs the 'postgres' extra: untoc[postgres]"
            raise ConfigurationError(msg) from _MISSING
        self.schema = schema
        self._shown = shown
        self._lock = threading.RLock()
        names = {
            "leaves": Identifier(schema, LEAVES),
            "checkpoints": Identifier(schema, CHECKPOINTS),
            "refuse": Identifier(schema, "untoc_tlog_refuse_change"),
        }
        self._statements = {
            name: SQL(text).format(**names) for name, text in _PG_STATEMENTS.items()
        }
        password = str(conninfo.get("password") or "")
        try:
            self._conn = psycopg.connect(
                **conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT
            )
        except psycopg.Error as exc:
            msg = f"cannot connect to the transparency log at {shown}: "
            raise StoreError(msg + _one_line(exc, password)) from exc
        try:
            with self._transaction() as cursor:
                # Serialise concurrent creators of the tables and triggers.
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('untoc_tlog'))")
                for text in _PG_SCHEMA:
                    cursor.execute(SQL(text).format(**names))
        except psycopg.Error as exc:
            self._conn.close()
            msg = f"cannot create the transparency log at {shown}: "
            raise StoreError(msg + _one_line(exc, password)) from exc

    @contextmanager
    def _transaction(self) -> Iterator[_Cursor]:
        with self._lock, self._conn.transaction(), self._conn.cursor() as cursor:
            yield cursor

    @contextmanager
    def _reading(self) -> Iterator[_Cursor]:
        with self._lock, self._conn.cursor() as cursor:
            yield cursor

    def _statement(self, name: str) -> Composed:
        return self._statements[name]

    def _is_integrity_error(self, exc: Exception) -> bool:
        return isinstance(exc, psycopg.IntegrityError)

    def _failure(self) -> tuple[type[Exception], ...]:
        return (psycopg.Error,)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def _one_line(exc: Exception, password: str) -> str:
    text = " ".join(str(exc).split())
    return text.replace(password, "***") if password else text


def open_postgres_log_store(settings: Settings) -> PostgresLogStore:
    """Open the log in the database and schema of the ``postgres`` store.

    Args:
        settings: The settings of a ``postgres`` store.

    Returns:
        The log store.

    Raises:
        ConfigurationError: the URL is missing or malformed, or the extra is
            missing.
        StoreError: the server cannot be reached or the tables cannot be created.
    """
    target = parse_store_url(settings.store_url)
    conninfo: dict[str, Any] = target.connection._asdict()
    schema = target.schema or "public"
    shown = target.shown
    return PostgresLogStore(conninfo, schema, shown)


# --- choosing and following ------------------------------------------------------


def open_log_store(settings: Settings) -> LogStore:
    """Open the log store that goes with the event store named by ``settings``.

    Args:
        settings: The settings; ``settings.store`` is ``sqlite``, ``postgres`` or
            ``memory``.

    Returns:
        The log store, with its tables and triggers created if needed.

    Raises:
        ConfigurationError: the store is of another kind, or misconfigured.
        StoreError: the database cannot be opened.
    """
    if settings.store == "memory":
        return SQLiteLogStore(":memory:")
    if settings.store == "sqlite":
        target = sqlite_log_path(settings)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        return SQLiteLogStore(target)
    if settings.store == "postgres":
        return open_postgres_log_store(settings)
    msg = f"no transparency log store for the {settings.store!r} event store"
    raise ConfigurationError(msg)


def follow(
    store: RecorderEventStore,
    log_store: LogStore,
    origin: str,
    *,
    batch: int = DEFAULT_LIMIT,
    now: dt.datetime | None = None,
) -> int:
    """Log the store's rows that the stored log does not have yet.

    Loads the log, reads the rows after its last position and appends their
    leaves in one transaction. Running it again adds nothing; if it fails before
    the commit, the stored log is as it was. Two followers racing cannot both
    write: the second one's leaves collide with the first one's and are refused.

    Args:
        store: The event store.
        log_store: The store of its transparency log.
        origin: The log's origin.
        batch: Rows per read from the event store.
        now: The time recorded in each new leaf (UTC); the system clock's by
            default.

    Returns:
        How many leaves were added.

    Raises:
        LogRefused: another follower logged the same rows first; nothing was
            written (following again catches up).
        StoreError: the event store or the log store failed.
    """
    log = log_store.load(origin)
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    added = log.append_rows(
        iter_rows(store, log.last_position, batch=batch),
        logged_at=when.isoformat(timespec="seconds").replace("+00:00", "Z"),
    )
    log_store.append(added)
    return len(added)
