"""An EventStore over an eventsourcing recorder that lists streams with positions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    Notification,
    PersistenceError,
    StoredEvent,
)

from untoc_adapters.storage.mapper import AttrsMapper, RowRefused
from untoc_core.errors import ConcurrencyConflict, InvalidInput, StoreError
from untoc_core.events import Event
from untoc_core.ports import NewEvents, Recorded

T = TypeVar("T")


class StreamRecorder(Protocol):
    """An application recorder that can also read one stream with positions."""

    def select_stream(
        self, stream: str, *, gt: int | None = None, lte: int | None = None
    ) -> Sequence[Notification]:
        """Rows of ``stream`` in version order, with their notification ids."""
        ...

    def head_version(self, stream: str) -> int:
        """The version of the stream's last row, or 0."""
        ...


class RecorderEventStore:
    """The :class:`untoc_core.ports.EventStore` on an eventsourcing recorder.

    eventsourcing supplies the tables, the uniqueness of ``(stream, version)`` that
    makes optimistic concurrency work, atomic multi-row inserts and the notification
    log. This class adds the expected-version check (so a write can neither conflict
    silently nor leave a gap) and the mapping to core events.
    """

    def __init__(
        self,
        recorder: ApplicationRecorder,
        mapper: AttrsMapper,
        *,
        close: tuple[object, ...] = (),
    ) -> None:
        if not hasattr(recorder, "select_stream"):
            msg = f"{type(recorder).__name__} cannot read a stream with positions"
            raise TypeError(msg)
        self.recorder = recorder
        self._streams: StreamRecorder = recorder  # type: ignore[assignment]
        self.mapper = mapper
        self._to_close = close
        self.on_refused: Callable[[RowRefused, int], None] | None = None
        """Told of every stored row refused on read, with its position."""
        self._last_at: dt.datetime | None = None

    def append(
        self, *batches: NewEvents, recorded_at: dt.datetime, actor: str
    ) -> list[Recorded]:
        """Append atomically; see :meth:`untoc_core.ports.EventStore.append`."""
        recorded_at = self._checked_time(recorded_at)
        streams = [b.stream for b in batches]
        if len(set(streams)) != len(streams):
            msg = "a stream may appear only once in one append"
            raise InvalidInput(msg)
        rows: list[StoredEvent] = []
        written: list[tuple[str, int, Event]] = []
        for batch in batches:
            if not batch.stream:
                msg = "a stream id may not be empty"
                raise InvalidInput(msg)
            head = self._head(batch.stream)
            if head != batch.expected_version:
                raise ConcurrencyConflict(batch.stream, batch.expected_version, head)
            encode = self.mapper.row_encoder(
                batch.stream, recorded_at=recorded_at, actor=actor
            )
            for version, event in enumerate(
                batch.events, start=batch.expected_version + 1
            ):
                rows.append(encode(version, event))
                written.append((batch.stream, version, event))
        if not rows:
            return []
        try:
            positions = self.recorder.insert_events(rows)
        except IntegrityError:
            conflicted = next(
                (b for b in batches if self._head(b.stream) != b.expected_version),
                batches[0],
            )
            raise ConcurrencyConflict(
                conflicted.stream,
                conflicted.expected_version,
                self._head(conflicted.stream),
            ) from None
        except PersistenceError as exc:
            msg = f"the event store failed; nothing was written: {exc}"
            raise StoreError(msg) from exc
        if positions is None or len(positions) != len(rows):
            msg = "the recorder did not return a position for every row"
            raise StoreError(msg)
        self._last_at = recorded_at
        # The events as given, not decoded back from the rows just written:
        # opening and decoding them would only undo the encoding of the same
        # values (read back, they are equal; the contract tests check it).
        return [
            Recorded(
                position=position,
                stream=stream,
                version=version,
                event=event,
                recorded_at=recorded_at,
                actor=actor,
            )
            for (stream, version, event), position in zip(
                written, positions, strict=True
            )
        ]

    def read_stream(
        self, stream: str, *, after_version: int = 0, to_version: int | None = None
    ) -> list[Recorded]:
        """A stream's events; see :meth:`untoc_core.ports.EventStore.read_stream`."""
        rows = self._call(
            lambda: self._streams.select_stream(
                stream, gt=after_version or None, lte=to_version
            )
        )
        return self._map(rows)

    def stream_version(self, stream: str) -> int:
        """The stream's last version, or 0."""
        return self._head(stream)

    def read_all(self, *, after_position: int = 0, limit: int = 1000) -> list[Recorded]:
        """Every stream's events in position order."""
        if limit < 1:
            msg = "limit must be at least 1"
            raise InvalidInput(msg)
        rows = self._call(
            lambda: self.recorder.select_notifications(
                start=after_position, limit=limit, inclusive_of_start=False
            )
        )
        return self._map(rows)

    def last_position(self) -> int:
        """The last position, or 0."""
        return self._call(self.recorder.max_notification_id) or 0

    def close(self) -> None:
        """Close the recorder's datastore."""
        for resource in self._to_close:
            closer = getattr(resource, "close", None)
            if callable(closer):
                closer()

    def _checked_time(self, recorded_at: dt.datetime) -> dt.datetime:
        """The time in UTC; refused if naive or before the last time recorded.

        Recorded times are evidence (research case T43): a time with another
        offset is normalised to UTC, and a clock that went backwards is refused
        rather than recorded out of order.
        """
        if recorded_at.tzinfo is None or recorded_at.utcoffset() is None:
            msg = "recorded_at must be timezone-aware"
            raise InvalidInput(msg)
        recorded_at = recorded_at.astimezone(dt.UTC)
        if self._last_at is None:
            last = self._call(self.recorder.max_notification_id)
            if last:
                (row,) = self._call(
                    lambda: self.recorder.select_notifications(start=last, limit=1)
                )
                self._last_at = self.mapper.recorded_at(row)
        if self._last_at is not None and recorded_at < self._last_at:
            msg = (
                f"the clock went backwards: {recorded_at.isoformat()} is before the "
                f"last recorded time {self._last_at.isoformat()}; nothing was "
                "written (check the machine's clock)"
            )
            raise InvalidInput(msg)
        return recorded_at

    def _map(self, rows: Sequence[Notification]) -> list[Recorded]:
        recorded = []
        for row in rows:
            try:
                recorded.append(self.mapper.to_recorded(row, row.id))
            except RowRefused as refused:
                if self.on_refused is not None:
                    self.on_refused(refused, row.id)
                raise
        return recorded

    def _head(self, stream: str) -> int:
        return self._call(lambda: self._streams.head_version(stream))

    @staticmethod
    def _call(fn: Callable[[], T]) -> T:
        try:
            return fn()
        except PersistenceError as exc:
            msg = f"the event store failed: {exc}"
            raise StoreError(msg) from exc
