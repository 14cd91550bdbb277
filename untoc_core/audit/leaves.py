"""What the tamper-evident log records about each stored row.

A :class:`StoredRow` is a row as the event store holds it: its position (the
notification id), stream, version, type name and the stored bytes, read without
decoding. A :class:`LeafData` is what the log commits to for that row; its
canonical JSON is the Merkle leaf's data (research section 2.7)::

    {"v":1,"pos":INDEX,"nid":POSITION,"id":STREAM,"ver":VERSION,
     "topic":TOPIC,"state_sha256":HEX,"at":TIME}

``pos`` is the log's own contiguous leaf index (0, 1, 2, ...), independent of the
store's positions, which may have gaps; ``nid`` is the store position.

The leaf also carries the time the row was logged (``at``, RFC 3339 UTC), when
the log was given one: the time the tracking step took the row in. The time the
event was recorded is kept inside the row body, which is sealed for review
material; ``state_sha256`` covers the whole stored body, that time included, so it
is bound to the leaf all the same, and the auditor never needs to decode a row.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

import attrs

from untoc_core.audit.merkle import leaf_hash
from untoc_core.canonical import canonical_json
from untoc_core.errors import InvalidInput

LEAF_FORMAT: Final = 1
"""Version of the leaf data layout, written as ``"v"``."""


@attrs.define(kw_only=True)
class StoredRow:
    """One event row as stored, read without decoding its body.

    Attributes:
        position: The row's place in the store (its notification id or rowid).
        stream: The stream (originator) id.
        version: The row's version within its stream.
        topic: The event's stable type name.
        state: The stored bytes, exactly as the database holds them.
    """

    position: int
    stream: str
    version: int
    topic: str
    state: bytes


@attrs.frozen(kw_only=True)
class LeafData:
    """What the log records for one row: the data hashed into a Merkle leaf.

    Attributes:
        index: The leaf's index in the log, contiguous from 0.
        position: The row's position in the store.
        stream: The row's stream id.
        version: The row's version within its stream.
        topic: The row's type name.
        state_sha256: SHA-256 of the row's stored bytes, lower-case hex.
    """

    index: int
    position: int
    stream: str
    version: int
    topic: str
    state_sha256: str
    logged_at: str = ""
    """When the row was logged, RFC 3339 UTC; empty when the log gave no time."""

    @classmethod
    def from_row(cls, index: int, row: StoredRow, logged_at: str = "") -> LeafData:
        """The leaf data for ``row`` when it is leaf ``index`` of the log.

        Args:
            index: The leaf index the log gives the row.
            row: The stored row.
            logged_at: When it is logged (RFC 3339 UTC), or empty.

        Returns:
            The leaf data, with the SHA-256 of the row's stored bytes.

        Raises:
            InvalidInput: ``index`` is negative.
        """
        if index < 0:
            msg = f"a leaf index cannot be negative, got {index}"
            raise InvalidInput(msg)
        return cls(
            index=index,
            position=row.position,
            stream=row.stream,
            version=row.version,
            topic=row.topic,
            state_sha256=hashlib.sha256(bytes(row.state)).hexdigest(),
            logged_at=logged_at,
        )

    def to_dict(self) -> dict[str, Any]:
        """The leaf as a JSON object, with the short keys of the research design.

        Returns:
            A dict with ``v``, ``pos``, ``nid``, ``id``, ``ver``, ``topic`` and
            ``state_sha256``, and ``at`` when the leaf has a time.
        """
        document: dict[str, Any] = {
            "v": LEAF_FORMAT,
            "pos": self.index,
            "nid": self.position,
            "id": self.stream,
            "ver": self.version,
            "topic": self.topic,
            "state_sha256": self.state_sha256,
        }
        if self.logged_at:
            document["at"] = self.logged_at
        return document

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> LeafData:
        """Read a leaf written by :meth:`to_dict` (for example, from an export).

        Args:
            value: The JSON object.

        Returns:
            The leaf data.

        Raises:
            InvalidInput: the object has another format, missing keys or values of
                the wrong type.
        """
        try:
            if value["v"] != LEAF_FORMAT:
                msg = f"unknown leaf format {value['v']!r}"
                raise InvalidInput(msg)
            leaf = cls(
                index=value["pos"],
                position=value["nid"],
                stream=value["id"],
                version=value["ver"],
                topic=value["topic"],
                state_sha256=value["state_sha256"],
                logged_at=value.get("at", ""),
            )
        except (KeyError, TypeError) as exc:
            msg = f"malformed leaf data: {exc!r}"
            raise InvalidInput(msg) from exc
        ints = (leaf.index, leaf.position, leaf.version)
        strs = (leaf.stream, leaf.topic, leaf.state_sha256, leaf.logged_at)
        if not all(type(v) is int for v in ints) or not all(
            isinstance(v, str) for v in strs
        ):
            msg = "malformed leaf data: wrong value types"
            raise InvalidInput(msg)
        return leaf

    def to_bytes(self) -> bytes:
        """The leaf's data: the canonical JSON of :meth:`to_dict`.

        Returns:
            UTF-8 bytes, sorted keys, no spaces.
        """
        return canonical_json(self.to_dict())

    def leaf_hash(self) -> bytes:
        """The Merkle leaf hash of this leaf's data.

        Returns:
            ``SHA-256(0x00 || to_bytes())``.
        """
        return leaf_hash(self.to_bytes())
