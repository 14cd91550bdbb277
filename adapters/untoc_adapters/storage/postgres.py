"""The ``postgres`` event store on eventsourcing's PostgreSQL recorder.

Needs the ``postgres`` extra (psycopg). The URL is
``postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?schema=SCHEMA]``; the events
table is ``untoc_events`` in that schema (``public`` by default). Positions are
notification ids, which commit in order but may have gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.mapper import AttrsMapper
from untoc_core.catalogue import EVENTS
from untoc_core.errors import ConfigurationError

try:
    from eventsourcing.persistence import Notification
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
    from psycopg.sql import SQL, Identifier
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    _MISSING: ImportError | None = exc
else:
    _MISSING = None

TABLE = "untoc_events"


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
    """Connect to the PostgreSQL database named by ``settings.store_url``."""
    if _MISSING is not None:
        msg = "the postgres store needs the 'postgres' extra: untoc[postgres]"
        raise ConfigurationError(msg) from _MISSING
    if not settings.store_url:
        msg = "the postgres store needs UNTOC_STORE_URL (postgresql://user@host/dbname)"
        raise ConfigurationError(msg)
    url = urlsplit(settings.store_url)
    if url.scheme not in {"postgresql", "postgres"} or not url.path.strip("/"):
        msg = f"{settings.store_url!r} is not a postgresql://user@host/dbname URL"
        raise ConfigurationError(msg)
    schema = parse_qs(url.query).get("schema", [""])[0]
    datastore = PostgresDatastore(
        dbname=url.path.strip("/"),
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=unquote(url.username or "postgres"),
        password=unquote(url.password or ""),
        schema=schema,
        originator_id_type="text",
        pool_size=2,
        max_overflow=2,
    )
    recorder = PostgresStreamRecorder(datastore, events_table_name=TABLE)
    recorder.create_table()
    return RecorderEventStore(recorder, AttrsMapper(EVENTS), close=(datastore,))
