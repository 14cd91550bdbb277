"""Ports: the contracts that adapters implement (the plugin interface of untoc).

The core only ever talks to technology through these ``typing.Protocol`` classes.
Adapters do not inherit from them; they are checked structurally by mypy where they
are wired in, and behaviourally by the contract test suites in ``tests/contract``.
Adapters are found by name under the entry-point group ``untoc.<port>``, for example
``untoc.event_store``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import attrs

from untoc_core.confidentiality.values import KeyShredded, SealContext, SealedValue
from untoc_core.events import Event

if TYPE_CHECKING:
    from untoc_core.confidentiality.keys import ReviewMaterial
    from untoc_core.confidentiality.model import AccessState
    from untoc_core.drawing.search import CompletionProblem


@attrs.frozen(kw_only=True)
class NewEvents:
    """Events to append to one stream, and the version the writer last saw.

    Attributes:
        stream: The stream id, for example ``"registry"``.
        expected_version: The stream's version the command was decided on: 0 for a
            stream that does not exist yet, otherwise the version of its last event.
        events: The events, in order. Their versions become ``expected_version + 1``,
            ``expected_version + 2``, and so on.
    """

    stream: str
    expected_version: int
    events: tuple[Event, ...]


@attrs.frozen(kw_only=True)
class Recorded:
    """One event as the store holds it.

    Attributes:
        position: Its place in the whole store's history (the notification id).
            Positions increase with commit order but may have gaps.
        stream: The stream it belongs to.
        version: Its version within the stream, from 1 without gaps.
        event: The domain event itself.
        recorded_at: When it was recorded, as given by the Clock (UTC).
        actor: Who recorded it: a principal id such as ``secretariat`` or a State code.
    """

    position: int
    stream: str
    version: int
    event: Event
    recorded_at: dt.datetime
    actor: str


class EventStore(Protocol):
    """An append-only store of domain events, grouped in streams.

    Implementations: ``memory``, ``sqlite`` (the embedded default) and ``postgres``,
    all built on the recorders of the eventsourcing library. Every implementation
    passes ``tests/contract/test_event_store.py``.
    """

    def append(
        self, *batches: NewEvents, recorded_at: dt.datetime, actor: str
    ) -> list[Recorded]:
        """Append events to one or more streams in a single atomic transaction.

        Args:
            *batches: One :class:`NewEvents` per stream. A stream appears at most once.
            recorded_at: The time to record with every event (timezone-aware, UTC).
            actor: Who is recording: a principal id.

        Returns:
            The recorded events, in the order given, with their positions.

        Raises:
            ConcurrencyConflict: a stream is not at ``expected_version``. Nothing from
                any batch was written.
            StoreError: the backend failed; nothing was written.
        """
        ...

    def read_stream(
        self, stream: str, *, after_version: int = 0, to_version: int | None = None
    ) -> list[Recorded]:
        """Return a stream's events in version order.

        Args:
            stream: The stream id. An unknown stream has no events.
            after_version: Return only events with a higher version.
            to_version: If given, return only events up to this version, inclusive:
                the stream as it was when it stood at that version.
        """
        ...

    def stream_version(self, stream: str) -> int:
        """Return the version of a stream's last event, or 0 if it has none."""
        ...

    def read_all(self, *, after_position: int = 0, limit: int = 1000) -> list[Recorded]:
        """Return events of every stream in position order, for read models and audit.

        Args:
            after_position: Return only events with a higher position.
            limit: The most events to return (at least 1).
        """
        ...

    def last_position(self) -> int:
        """Return the position of the last recorded event, or 0 if there is none."""
        ...

    def close(self) -> None:
        """Release connections and files. The store must not be used afterwards."""
        ...


class Clock(Protocol):
    """The source of the current time. The core never reads the system clock."""

    def now(self) -> dt.datetime:
        """Return the current time, timezone-aware, in UTC."""
        ...


class CompletionSolver(Protocol):
    """Decides exactly whether the open reviewer slots of a cycle can be filled.

    Implementations: ``search`` (pure Python, in the core) and ``cpsat`` (OR-Tools),
    found under the entry-point group ``untoc.completion_solver``. All must give the
    same yes or no for the same problem; which filling they return may differ.
    """

    def complete(self, problem: CompletionProblem) -> list[int] | None:
        """A filling of every slot keeping every rule, or ``None`` if none exists.

        Args:
            problem: The slots, what may fill each, the picks already made and the
                limits (see :class:`untoc_core.drawing.search.CompletionProblem`).

        Returns:
            For each slot, the index of the State filling it; fixed slots keep their
            pick. ``None`` means no filling exists.
        """
        ...


class RandomnessSource(Protocol):
    """Where the seed of a draw comes from, announced before its value exists.

    A draw's source is fixed and recorded, with the SHA-256 of every input of the
    draw, before the value that makes the seed exists, so no one can try seeds until
    one suits (ToR 5). Implementations: ``PublishedSeed`` (a named future public
    value) and ``CommitReveal`` (States commit to secrets, then reveal them, with an
    optional public value), both in :mod:`untoc_core.drawing.randomness`.

    Every source derives the seed as
    ``SHA-256("untoc-lots/v1" || inputs_hash || value || SHA-256(canon(reveals)))``
    (see :func:`untoc_core.drawing.randomness.derive_seed`), so anyone can recompute
    it from the published transcript (ToR 3(a)).
    """

    def describe(self) -> str:
        """The announced source in words, fixed before the value exists."""
        ...

    def verify(self, *, name: str, value: str) -> str:
        """Check that a value is the one announced; return it in canonical form.

        The core checks the value's name against the announcement and its format.
        Checking a beacon's signature (drand's BLS12-381 signature, the NIST
        beacon's signature and hash chain) needs cryptography the core does not
        have; an adapter may wrap a source to add it.

        Args:
            name: The name of the value offered, for example ``drand round 4821333``.
            value: The value as published; empty when the source announced none.

        Raises:
            WrongRandomnessSource: the value is not from the announced source.
            InvalidInput: the value does not have the announced format.
        """
        ...

    def seed(
        self, inputs_sha256: str, *, value: str, reveals: Mapping[str, str]
    ) -> bytes:
        """Derive the 32-byte seed.

        Args:
            inputs_sha256: The announced SHA-256 of every input of the draw (hex).
            value: The public value in canonical form (``""`` if none).
            reveals: The counted reveals: State code to secret (hex).
        """
        ...


class KeyService(Protocol):
    """Holds key-encryption keys and wraps data keys under them (custodial keys).

    A key-encryption key never leaves its key service: callers name it by id and
    hand over bytes to wrap or unwrap. Implementations: ``localkeys`` (key files
    under ``DATA_DIR/keys``, the default), found under the entry-point group
    ``untoc.key_service``, and ``pkcs11`` (a PKCS#11 token, through python-pkcs11).
    """

    @property
    def name(self) -> str:
        """The key service's entry-point name, for example ``localkeys``."""
        ...

    def create_key(self, key_id: str) -> str:
        """Create a new key-encryption key and return its fingerprint (hex).

        Raises:
            InvalidInput: ``key_id`` is not a valid id, or a key with it exists.
        """
        ...

    def wrap(self, key_id: str, plaintext: bytes, *, aad: bytes) -> bytes:
        """Encrypt ``plaintext`` (a data key) under the key, bound to ``aad``.

        Raises:
            AccessDenied: the key does not exist or cannot be used.
        """
        ...

    def unwrap(self, key_id: str, wrapped: bytes, *, aad: bytes) -> bytes:
        """Return the bytes wrapped under the key with the same ``aad``.

        Raises:
            AccessDenied: for every failure (unknown or destroyed key, other
                ``aad``, tampered bytes), with no hint of which.
        """
        ...

    def destroy_key(self, key_id: str) -> KeyShredded:
        """Destroy the key for good (crypto-shredding) and return the record.

        Everything wrapped only under this key can no longer be unwrapped.

        Raises:
            InvalidInput: no key has that id.
        """
        ...

    def key_ids(self) -> list[str]:
        """The ids of the keys that exist, sorted."""
        ...


class Sealer(Protocol):
    """Seals confidential values bound to where they belong, and opens them.

    Implementation: :class:`untoc_adapters.crypto.sealing.EnvelopeSealer`
    (AES-256-GCM with a one-use key derived from the scope's data key, and a key
    commitment; ADR 0008).
    """

    def seal(self, plaintext: bytes, context: SealContext) -> SealedValue:
        """Seal ``plaintext`` for exactly ``context``.

        Raises:
            AccessDenied: no data key for the context's review, scope and epoch.
        """
        ...

    def open(self, sealed: SealedValue, context: SealContext) -> bytes:
        """Return the plaintext of a value found at ``context``.

        Raises:
            AccessDenied: for every failure (wrong or unknown key, another
                context, tampered bytes, unknown format), with no hint of which.
        """
        ...


class KeyCustody(Protocol):
    """Makes the key material that enforces the access decisions as they are recorded.

    The mechanism hands it the events a command of access is about to record; it
    returns the key events to record with them, in the same transaction: a
    ``DataKeyCreated`` for each new epoch (a fresh data key, kept only wrapped under
    a key service's key), a ``GrantWrapped`` for each grant (the data keys of the
    scope wrapped for the principal's public key, every epoch it may read), a
    ``KeyReleased`` each time a custodial copy is unwrapped, and a
    ``SectionKeyReleased`` for each section the party under review publishes.
    Implementation: :class:`untoc_adapters.crypto.custody.Custody`.
    """

    def key_events(
        self,
        state: AccessState,
        events: Sequence[Event],
        material: ReviewMaterial,
    ) -> tuple[Event, ...]:
        """The key events to record with ``events``.

        Args:
            state: The principals and the review's access before ``events``.
            events: The events of access about to be recorded, in order.
            material: The material filed for the review so far.

        Raises:
            AccessDenied: a custodial copy needed does not open (for example its
                key-encryption key was destroyed).
            InvalidInput: the review's custodial key was destroyed, so no new data
                key can be kept.
        """
        ...


class SignatureCheck(Protocol):
    """Checks a principal's signature with its registered public signing key.

    Implementation: :class:`untoc_adapters.crypto.signing.Ed25519Signatures`.
    """

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is the owner of ``public_key``'s over ``message``."""
        ...
