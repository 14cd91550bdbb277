"""The mapper between core events and eventsourcing's stored rows.

eventsourcing's own ``Mapper`` reads events with ``vars()``, which frozen (slotted)
attrs classes do not support, and rebuilds them without running their constructor.
``AttrsMapper`` instead uses the core's event catalogue (cattrs, stable type names,
upcasting) and writes one row per event:

* ``originator_id``: the stream id;
* ``originator_version``: the event's version in the stream;
* ``topic``: the event's stable type name (never a module path);
* ``state``: a one-byte format tag followed by the row body.

Every body names the row's location (stream, version, type), and reading checks it
against where the row was found, so a body copied over another row is refused
(research case T07). The body then goes through a :class:`RowSealer` chosen by the
stream's prefix: :class:`PlainRows` (format 0) stores the JSON as it is, so that
auditors read the access log and the draws without any key;
:class:`KeyServiceRows` (format 1) encrypts it under a key service's key, with the
location as associated data. A row whose format is not the one its stream takes is
refused too, so a sealed stream cannot be downgraded to plain rows. Each refusal
raises :class:`RowRefused`, which the store reports to its refusal hook.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, Final, Protocol

import attrs
from eventsourcing.persistence import StoredEvent

from untoc_core.canonical import canonical_json, json_string
from untoc_core.confidentiality import AccessDenied
from untoc_core.errors import InvalidInput, StoreError
from untoc_core.events import Event, EventCatalogue
from untoc_core.ports import KeyService, Recorded

ROWS_KEY_ID: Final = "store-rows"
"""The id of the key-encryption key that seals whole rows in the key service."""


class RowRefused(StoreError):
    """A stored row does not open where it was found: moved, downgraded or altered.

    Attributes:
        stream: The stream the row was found in.
        version: The version it was found at.
        reason: A short code: ``location-mismatch``, ``format-mismatch``,
            ``does-not-open``.
    """

    def __init__(self, stream: str, version: int, reason: str, detail: str) -> None:
        super().__init__(f"row {stream}@{version} is refused: {detail}")
        self.stream = stream
        self.version = version
        self.reason = reason


@attrs.frozen(kw_only=True)
class RowLocation:
    """Where a row lives: what a sealer binds a body to."""

    stream: str
    version: int
    type_name: str

    def canonical(self) -> bytes:
        """The canonical encoding, used as associated data by sealers.

        ``canonical_json(self.document())``, written out: it is made for every row
        written and read.
        """
        if type(self.version) is not int:
            return canonical_json(self.document())
        return (
            f'{{"stream":{json_string(self.stream)},'
            f'"type":{json_string(self.type_name)},"version":{self.version}}}'
        ).encode()

    def document(self) -> dict[str, Any]:
        """The location as written into every row body."""
        return {"stream": self.stream, "type": self.type_name, "version": self.version}


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
class KeyServiceRows:
    """Seals whole row bodies under a key service's key (format tag 1).

    The row's location is the associated data, so a body copied to another row
    does not open. The key service's key never leaves it (a PKCS#11 token or a key
    file); destroying it shreds every sealed row.
    """

    keys: KeyService
    key_id: str = ROWS_KEY_ID
    format: int = 1
    _created: set[str] = attrs.field(factory=set, init=False, eq=False, repr=False)
    """The keys known to exist, so the key service is not listed on every row."""

    def seal(self, body: bytes, location: RowLocation) -> bytes:
        """Encrypt the body, bound to the row's location."""
        if self.key_id not in self._created:
            if self.key_id not in self.keys.key_ids():
                try:
                    self.keys.create_key(self.key_id)
                except InvalidInput:  # another process made it meanwhile
                    if self.key_id not in self.keys.key_ids():
                        raise
            self._created.add(self.key_id)
        return self.keys.wrap(self.key_id, body, aad=location.canonical())

    def open(self, sealed: bytes, location: RowLocation) -> bytes:
        """Decrypt the body; ``StoreError`` unless it was sealed at ``location``."""
        try:
            return self.keys.unwrap(self.key_id, sealed, aad=location.canonical())
        except AccessDenied:
            msg = "the sealed row does not open at this location"
            raise StoreError(msg) from None


@attrs.frozen
class AttrsMapper:
    """Maps core events to ``StoredEvent`` rows and rows back to :class:`Recorded`.

    Attributes:
        catalogue: The event types that may be stored.
        sealer: The sealer of streams no prefix of ``sealed`` matches.
        sealed: Pairs of a stream prefix and the sealer of the streams it starts;
            the first match wins.
    """

    catalogue: EventCatalogue
    sealer: RowSealer = PlainRows()
    sealed: tuple[tuple[str, RowSealer], ...] = ()

    def sealer_of(self, stream: str) -> RowSealer:
        """The sealer of ``stream``'s rows."""
        for prefix, sealer in self.sealed:
            if stream.startswith(prefix):
                return sealer
        return self.sealer

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
        return self.row_encoder(stream, recorded_at=recorded_at, actor=actor)(
            version, event
        )

    def row_encoder(
        self, stream: str, *, recorded_at: dt.datetime, actor: str
    ) -> Callable[[int, Event], StoredEvent]:
        """What encodes events for ``stream``, recorded at one time by one actor.

        :meth:`to_row` for a whole batch: the stream's sealer, its format tag and
        the time are looked up and formatted once, not once per row. Each row is
        still encoded, bound and sealed on its own.
        """
        sealer = self.sealer_of(stream)
        tag = bytes([sealer.format])
        at = recorded_at.isoformat()
        encode = self.catalogue.encode

        def row(version: int, event: Event) -> StoredEvent:
            type_name, type_version, payload = encode(event)
            location = RowLocation(stream=stream, version=version, type_name=type_name)
            document = {
                "v": type_version,
                "at": at,
                "by": actor,
                "loc": location.document(),
                "data": payload,
            }
            return StoredEvent(
                originator_id=stream,
                originator_version=version,
                topic=type_name,
                state=tag + sealer.seal(canonical_json(document), location),
            )

        return row

    def recorded_at(self, row: StoredEvent) -> dt.datetime:
        """When a stored row was recorded, without decoding its event."""
        return self.to_recorded(row, 0).recorded_at

    def to_recorded(self, row: StoredEvent, position: int) -> Recorded:
        """Decode one stored row found at ``position``.

        Raises:
            RowRefused: the row does not belong where it was found, or is not in
                its stream's format.
            StoreError: the row cannot be read.
        """
        stream = str(row.originator_id)
        version = row.originator_version
        location = RowLocation(stream=stream, version=version, type_name=row.topic)
        state = bytes(row.state)
        sealer = self.sealer_of(stream)
        if not state or state[0] != sealer.format:
            found = state[0] if state else "none"
            raise RowRefused(
                stream,
                version,
                "format-mismatch",
                f"it has format {found}, and this stream's rows have {sealer.format}",
            )
        try:
            body = sealer.open(state[1:], location)
        except StoreError:
            raise RowRefused(
                stream, version, "does-not-open", "it does not open at this location"
            ) from None
        try:
            document: dict[str, Any] = json.loads(body)
            written_at = document["loc"]
        except (ValueError, KeyError, TypeError) as exc:
            msg = f"row {stream}@{version} cannot be read: {exc}"
            raise StoreError(msg) from exc
        if written_at != location.document():
            raise RowRefused(
                stream,
                version,
                "location-mismatch",
                f"it was written for another place ({written_at!r})",
            )
        try:
            event = self.catalogue.decode(
                row.topic, int(document["v"]), document["data"]
            )
            recorded_at = dt.datetime.fromisoformat(document["at"])
            actor = str(document["by"])
        except (ValueError, KeyError, TypeError, StoreError) as exc:
            msg = f"row {stream}@{version} cannot be read: {exc}"
            raise StoreError(msg) from exc
        return Recorded(
            position=position,
            stream=stream,
            version=version,
            event=event,
            recorded_at=recorded_at,
            actor=actor,
        )
