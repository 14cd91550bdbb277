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
from untoc_core.ports import Recorded

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


def read_plain_records(
    store: RecorderEventStore,
    *,
    skip: tuple[str, ...] = ("material/",),
    unreadable: list[int] | None = None,
) -> list[Recorded]:
    """Every recorded event but those of sealed streams, decoded with no key.

    The auditor's control tests read the access, draw and registry streams, which
    are stored in clear; the rows of ``skip`` streams (review material, sealed
    whole) are left undecoded, so no key service is ever asked. A row that cannot
    be decoded (altered in the database) is left out and its position added to
    ``unreadable``; the integrity check names it.

    Args:
        store: The store.
        skip: Stream prefixes whose rows are not decoded.
        unreadable: Receives the positions of rows that could not be decoded.
    """
    records: list[Recorded] = []
    last = 0
    while True:
        try:
            notifications = store.recorder.select_notifications(
                start=last, limit=1000, inclusive_of_start=False
            )
        except PersistenceError as exc:
            msg = f"the event store failed: {exc}"
            raise StoreError(msg) from exc
        if not notifications:
            return records
        for n in notifications:
            if str(n.originator_id).startswith(skip):
                continue
            try:
                records.append(store.mapper.to_recorded(n, n.id))
            except StoreError:
                if unreadable is not None:
                    unreadable.append(n.id)
        last = notifications[-1].id
