"""The ``postgres`` event store on eventsourcing's PostgreSQL recorder.

Needs the ``postgres`` extra (psycopg). The URL is
``postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?schema=SCHEMA]``; the events
table is ``untoc_events`` in that schema (``public`` by default). Positions are
notification ids, which commit in order but may have gaps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit, urlunsplit

from eventsourcing.persistence import Notification, PersistenceError

from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.mapper import AttrsMapper
from untoc_core.catalogue import EVENTS
from untoc_core.errors import ConfigurationError, StoreError
from untoc_core.ports import EventStore

try:
    import psycopg
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
    from psycopg.sql import SQL, Identifier
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    _MISSING: ImportError | None = exc
else:
    _MISSING = None

TABLE = "untoc_events"
CONNECT_TIMEOUT = 5
"""Seconds to wait for the server before giving up, so a wrong URL fails fast."""


class PostgresStreamRecorder(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder, able to list a stream with positions."""

    def select_stream(
        self, stream: str, *, gt: int | None = None, lte: int | None = None
    ) -> Sequence[Notification]:
        """Rows of ``stream`` in version order with their notification ids."""
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE originator_id = %s"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )
        params: list[Any] = [stream]
        if gt is not None:
            statement += SQL(" AND originator_version > %s")
            params.append(gt)
        if lte is not None:
            statement += SQL(" AND originator_version <= %s")
            params.append(lte)
        statement += SQL(" ORDER BY originator_version")
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params)
            return [
                Notification(
                    id=row["notification_id"],
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def head_version(self, stream: str) -> int:
        """The version of the stream's last row, or 0."""
        statement = SQL(
            "SELECT MAX(originator_version) AS v FROM {schema}.{table} "
            "WHERE originator_id = %s"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, [stream])
            row = curs.fetchone()
            return int(row["v"] or 0) if row else 0


def open_postgres_store(settings: Settings) -> RecorderEventStore:
    """Connect to the PostgreSQL database named by ``settings.store_url``.

    Raises:
        ConfigurationError: the extra is missing or the URL is malformed.
        StoreError: the server cannot be reached or refuses the connection, or the
            table cannot be created. Messages name the URL with its password hidden.
    """
    if _MISSING is not None:
        msg = "the postgres store needs the 'postgres' extra: untoc[postgres]"
        raise ConfigurationError(msg) from _MISSING
    target = parse_store_url(settings.store_url)
    connection, shown, password = target.connection, target.shown, target.password
    _probe(connection, shown)
    datastore = PostgresDatastore(
        dbname=connection.dbname,
        host=connection.host,
        port=connection.port,
        user=connection.user,
        password=connection.password,
        schema=target.schema,
        originator_id_type="text",
        connect_timeout=CONNECT_TIMEOUT,
        pool_size=2,
        max_overflow=2,
    )
    try:
        recorder = PostgresStreamRecorder(datastore, events_table_name=TABLE)
        recorder.create_table()
    except PersistenceError as exc:
        datastore.close()
        msg = f"cannot open the postgres store at {shown}: {_reason(exc, password)}"
        raise StoreError(msg) from exc
    return RecorderEventStore(recorder, AttrsMapper(EVENTS), close=(datastore,))


def redacted(url: SplitResult) -> str:
    """The URL with its password, if any, replaced by ``***``."""
    if url.password is None:
        return urlunsplit(url)
    user, _, host = url.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunsplit(url._replace(netloc=f"{name}:***@{host}"))


class _Connection(NamedTuple):
    dbname: str
    host: str
    port: int
    user: str
    password: str


class StoreUrl(NamedTuple):
    """A parsed ``postgresql://user@host/dbname?schema=NAME`` store URL.

    Attributes:
        connection: What libpq connects with (the password included).
        schema: The schema asked for (``?schema=``), empty for the default.
        shown: The URL with its password hidden, for messages.
    """

    connection: _Connection
    schema: str
    shown: str

    @property
    def password(self) -> str:
        """The password, to keep it out of messages."""
        return self.connection.password


def parse_store_url(store_url: str) -> StoreUrl:
    """Parse the store URL the events and the transparency log share.

    Raises:
        ConfigurationError: the URL is missing or is not a postgresql URL.
    """
    if not store_url:
        msg = "the postgres store needs UNTOC_STORE_URL (postgresql://user@host/dbname)"
        raise ConfigurationError(msg)
    try:
        url = urlsplit(store_url)
        port = url.port or 5432
    except ValueError as exc:
        msg = f"the postgres store URL is malformed ({exc})"
        raise ConfigurationError(msg) from exc
    shown = redacted(url)
    if url.scheme not in {"postgresql", "postgres"} or not url.path.strip("/"):
        msg = f"{shown!r} is not a postgresql://user@host/dbname URL"
        raise ConfigurationError(msg)
    connection = _Connection(
        dbname=url.path.strip("/"),
        host=url.hostname or "127.0.0.1",
        port=port,
        user=unquote(url.username or "postgres"),
        password=unquote(url.password or ""),
    )
    schema = parse_qs(url.query).get("schema", [""])[0].strip()
    return StoreUrl(connection=connection, schema=schema, shown=shown)


def _probe(connection: _Connection, shown: str) -> None:
    """Connect once, so an unreachable server fails fast with libpq's reason.

    eventsourcing's pool only reports that no connection came in time.
    """
    try:
        psycopg.connect(**connection._asdict(), connect_timeout=CONNECT_TIMEOUT).close()
    except psycopg.Error as exc:
        reason = _reason(exc, connection.password)
        msg = f"cannot connect to the postgres store at {shown}: {reason}"
        raise StoreError(msg) from exc


def _reason(exc: Exception, password: str) -> str:
    """The error's message on one line, never showing the password."""
    text = " ".join(str(exc).split())
    return text.replace(password, "***") if password else text


# The entry point is loaded untyped; this line makes mypy check the store's fit to
# the EventStore port.
_PORT: Callable[[Settings], EventStore] = open_postgres_store
