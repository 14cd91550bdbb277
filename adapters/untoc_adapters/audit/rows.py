"""The store's raw rows, for the transparency log and the auditor.

Rows are read through the eventsourcing recorder of a store opened by
:mod:`untoc_adapters.storage` (``memory``, ``sqlite`` or ``postgres``), with
``select_notifications``, and are not decoded: the log commits to the bytes as
stored.
"""

from __future__ import annotations

from collections.abc import Iterator

from eventsourcing.persistence import PersistenceError

from untoc_adapters.storage.base import RecorderEventStore
from untoc_core.audit.leaves import StoredRow
from untoc_core.errors import InvalidInput, StoreError

DEFAULT_LIMIT = 1000
"""Rows per read when no limit is given."""


def read_rows(
    store: RecorderEventStore, after_position: int = 0, limit: int = DEFAULT_LIMIT
) -> list[StoredRow]:
    """Read up to ``limit`` rows after ``after_position``, in position order.

    Args:
        store: A store opened by :mod:`untoc_adapters.storage`.
        after_position: Read rows whose position is greater than this.
        limit: The most rows to read.

    Returns:
        The rows, with their stored bytes untouched.

    Raises:
        InvalidInput: ``limit`` is below 1 or ``after_position`` is negative.
        StoreError: the store failed.
    """
    if limit < 1:
        msg = "limit must be at least 1"
        raise InvalidInput(msg)
    if after_position < 0:
        msg = "after_position cannot be negative"
        raise InvalidInput(msg)
    try:
        notifications = store.recorder.select_notifications(
            start=after_position, limit=limit, inclusive_of_start=False
        )
    except PersistenceError as exc:
        msg = f"the event store failed: {exc}"
        raise StoreError(msg) from exc
    return [
        StoredRow(
            position=n.id,
            stream=str(n.originator_id),
            version=n.originator_version,
            topic=n.topic,
            state=_as_bytes(n.state),
        )
        for n in notifications
    ]


def _as_bytes(state: object) -> bytes:
    """The stored bytes; a value someone wrote as text is taken as its UTF-8 form.

    A row rewritten in the database with a text value is still audited (and found
    altered) rather than stopping the audit.
    """
    if isinstance(state, bytes | bytearray | memoryview):
        return bytes(state)
    return str(state).encode("utf-8", "surrogateescape")


def iter_rows(
    store: RecorderEventStore, after_position: int = 0, batch: int = DEFAULT_LIMIT
) -> Iterator[StoredRow]:
    """Every row after ``after_position``, read ``batch`` rows at a time.

    Args:
        store: A store opened by :mod:`untoc_adapters.storage`.
        after_position: Start after this position.
        batch: Rows per read.

    Yields:
        The rows in position order.
    """
    last = after_position
    while True:
        rows = read_rows(store, after_position=last, limit=batch)
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].position
