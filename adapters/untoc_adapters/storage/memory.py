"""The ``memory`` event store: eventsourcing's POPO recorder, for tests and trials."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from eventsourcing.persistence import Notification
from eventsourcing.popo import POPOApplicationRecorder

from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.mapper import AttrsMapper
from untoc_core.catalogue import EVENTS
from untoc_core.ports import EventStore


class MemoryStreamRecorder(POPOApplicationRecorder):
    """eventsourcing's in-memory recorder, able to list a stream with positions."""

    def select_stream(
        self, stream: str, *, gt: int | None = None, lte: int | None = None
    ) -> Sequence[Notification]:
        """Rows of ``stream`` in version order with their notification ids."""
        with self._database_lock:
            index = self._stored_events_index.get(stream, {})
            out = []
            for version in sorted(index):
                if (gt is not None and version <= gt) or (
                    lte is not None and version > lte
                ):
                    continue
                row = self._stored_events[index[version]]
                out.append(
                    Notification(
                        id=index[version] + 1,
                        originator_id=row.originator_id,
                        originator_version=row.originator_version,
                        topic=row.topic,
                        state=row.state,
                    )
                )
            return out

    def head_version(self, stream: str) -> int:
        """The version of the stream's last row, or 0."""
        with self._database_lock:
            return max(self._stored_events_index.get(stream, {}), default=0)


def open_memory_store(settings: Settings | None = None) -> RecorderEventStore:  # noqa: ARG001
    """Open an empty in-memory store; everything is lost when it is closed."""
    return RecorderEventStore(MemoryStreamRecorder(), AttrsMapper(EVENTS))


# The entry point is loaded untyped; this line makes mypy check the store's fit to
# the EventStore port.
_PORT: Callable[[Settings], EventStore] = open_memory_store
