"""The mapper between core events and eventsourcing's stored rows.

eventsourcing's own ``Mapper`` reads events with ``vars()``, which frozen (slotted)
attrs classes do not support, and rebuilds them without running their constructor.
``AttrsMapper`` instead uses the core's event catalogue (cattrs, stable type names,
upcasting) and writes one row per event:

* ``originator_id``: the stream id;
* ``originator_version``: the event's version in the stream;
* ``topic``: the event's stable type name (never a module path);
* ``state``: a one-byte format tag followed by the row body.

The body goes through a :class:`RowSealer`, which is given the row's location
(stream, version, type). The default, :class:`PlainRows`, stores JSON as it is; a
sealer that encrypts can bind each body to its location as associated data, so a
body copied to another row no longer opens.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Protocol

import attrs
from eventsourcing.persistence import StoredEvent

from untoc_core.canonical import canonical_json
from untoc_core.errors import StoreError
from untoc_core.events import Event, EventCatalogue
from untoc_core.ports import Recorded


@attrs.frozen(kw_only=True)
class RowLocation:
    """Where a row lives: what a sealer binds a body to."""

    stream: str
    version: int
    type_name: str


class RowSealer(Protocol):
    """Turns a row body into stored bytes and back, bound to the row's location."""

    @property
    def format(self) -> int:
        """The format tag this sealer writes as the first byte of ``state``."""
        ...

    def seal(self, body: bytes, location: RowLocation) -> bytes:
        """Return the bytes to store after the format tag."""
        ...

    def open(self, sealed: bytes, location: RowLocation) -> bytes:
        """Return the body; ``StoreError`` if it does not belong at ``location``."""
        ...


@attrs.frozen
class PlainRows:
    """Stores the JSON body as it is (format tag 0).

    Confidential content is sealed inside events by the key service, not here.
    """

    format: int = 0

    def seal(self, body: bytes, location: RowLocation) -> bytes:  # noqa: ARG002
        """Return the body unchanged."""
        return body

    def open(self, sealed: bytes, location: RowLocation) -> bytes:  # noqa: ARG002
        """Return the stored bytes unchanged."""
        return sealed


@attrs.frozen
class AttrsMapper:
    """Maps core events to ``StoredEvent`` rows and rows back to :class:`Recorded`."""

    catalogue: EventCatalogue
    sealer: RowSealer = PlainRows()

    def to_row(
        self,
        stream: str,
        version: int,
        event: Event,
        *,
        recorded_at: dt.datetime,
        actor: str,
    ) -> StoredEvent:
        """Encode one event for ``stream`` at ``version``."""
        type_name, type_version, payload = self.catalogue.encode(event)
        document = {
            "v": type_version,
            "at": recorded_at.isoformat(),
            "by": actor,
            "data": payload,
        }
        body = canonical_json(document)
        location = RowLocation(stream=stream, version=version, type_name=type_name)
        state = bytes([self.sealer.format]) + self.sealer.seal(body, location)
        return StoredEvent(
            originator_id=stream,
            originator_version=version,
            topic=type_name,
            state=state,
        )

    def to_recorded(self, row: StoredEvent, position: int) -> Recorded:
        """Decode one stored row found at ``position``."""
        stream = str(row.originator_id)
        location = RowLocation(
            stream=stream, version=row.originator_version, type_name=row.topic
        )
        state = bytes(row.state)
        if not state or state[0] != self.sealer.format:
            found = state[0] if state else "none"
            msg = (
                f"row {stream}@{row.originator_version} has format {found}, "
                f"expected {self.sealer.format}"
            )
            raise StoreError(msg)
        try:
            document: dict[str, Any] = json.loads(self.sealer.open(state[1:], location))
            event = self.catalogue.decode(
                row.topic, int(document["v"]), document["data"]
            )
            recorded_at = dt.datetime.fromisoformat(document["at"])
            actor = str(document["by"])
        except (ValueError, KeyError, TypeError, StoreError) as exc:
            msg = f"row {stream}@{row.originator_version} cannot be read: {exc}"
            raise StoreError(msg) from exc
        return Recorded(
            position=position,
            stream=stream,
            version=row.originator_version,
            event=event,
            recorded_at=recorded_at,
            actor=actor,
        )
