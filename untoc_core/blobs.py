"""Content-addressed blobs: large sealed payloads kept beside the event log.

A blob is a run of bytes that is already ciphertext (the binary form of a sealed
value); the store never sees plaintext and never encrypts. Events do not carry the
payload itself but a :class:`BlobRef`: the SHA-256 of the stored bytes and their
length. The events stay immutable while the bytes they point to can later be
re-encrypted (stored again under a new ref) or purged for crypto-shredding; the
log still verifies, because it only ever held the hash. A purge returns a
:class:`BlobPurged` record that the caller stores as a fact, so the chain of custody
is itself logged (see section 2.5 of the confidentiality design).

The :class:`BlobStore` port is implemented by adapters (files on disk, memory);
this module holds only values, errors and the contract, and uses nothing but
:mod:`hashlib`.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final, Protocol

import attrs

from untoc_core.errors import InvalidInput, StoreError

SHA256_HEX_LENGTH: Final = 64
"""Length of a SHA-256 digest written as hex."""

_SHA256 = re.compile(f"[0-9a-f]{{{SHA256_HEX_LENGTH}}}")


def _is_sha256_hex(value: object) -> bool:
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _sha256_hex(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not _is_sha256_hex(value):
        msg = (
            f"{attribute.name} must be a SHA-256 digest in 64 lower-case hex "
            f"digits, not {value!r}"
        )
        raise InvalidInput(msg)


def _size(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not _is_size(value):
        msg = f"{attribute.name} must be a whole number of at least 0, not {value!r}"
        raise InvalidInput(msg)


class BlobMissing(InvalidInput):
    """No blob with the given SHA-256 and size is in the store.

    The blob was never stored, was purged, or the reference names a size the
    stored bytes do not have. This is an :class:`~untoc_core.errors.InvalidInput`
    (like an unknown party code): the reference given by the caller names nothing
    the store can serve, while the store itself works. A purged blob is missing by
    design, so a caller that holds a :class:`BlobPurged` fact for a reference should
    expect this error when reading it.

    Attributes:
        ref: The reference that was asked for.
    """

    def __init__(self, ref: BlobRef, detail: str = "") -> None:
        suffix = f" ({detail})" if detail else ""
        super().__init__(
            f"no {ref.describe()} is in the blob store: never stored or purged{suffix}"
        )
        self.ref = ref


class BlobCorrupted(StoreError):
    """The bytes stored for a blob no longer hash to its SHA-256.

    The store found something under the reference, but it is not what was put:
    a disk fault, tampering or a bad restore. The bytes are never returned.

    Attributes:
        ref: The reference whose bytes failed the check.
    """

    def __init__(self, ref: BlobRef, detail: str = "") -> None:
        suffix = f": {detail}" if detail else ""
        super().__init__(
            f"the stored bytes of {ref.describe()} do not match its SHA-256{suffix}"
        )
        self.ref = ref


@attrs.frozen(kw_only=True, order=True)
class BlobRef:
    """The address of a blob: the SHA-256 of its stored bytes and their length.

    Two refs are equal exactly when they name the same bytes; refs sort by hash.

    Attributes:
        sha256: The SHA-256 of the stored bytes, as 64 lower-case hex digits.
        size: The number of stored bytes, 0 or more.

    Raises:
        InvalidInput: the hash is not 64 lower-case hex digits, or the size is not
            a whole number of at least 0.
    """

    sha256: str = attrs.field(validator=_sha256_hex)
    size: int = attrs.field(validator=_size)

    @classmethod
    def of(cls, data: bytes) -> BlobRef:
        """Compute the reference of some bytes.

        Args:
            data: The bytes a store would hold.

        Returns:
            The ref whose hash and size are those of ``data``.
        """
        return cls(sha256=hashlib.sha256(data).hexdigest(), size=len(data))

    def matches(self, data: bytes) -> bool:
        """Tell whether some bytes are exactly the ones this ref names.

        Args:
            data: Bytes read back from a store.

        Returns:
            True if ``data`` has this size and hashes to this SHA-256.
        """
        return len(data) == self.size and hashlib.sha256(data).hexdigest() == (
            self.sha256
        )

    def describe(self) -> str:
        """Describe the ref on one line, for example ``blob sha256:ab12... (5 bytes)``.

        Returns:
            The full hash and the size, for logs and error messages.
        """
        unit = "byte" if self.size == 1 else "bytes"
        return f"blob sha256:{self.sha256} ({self.size} {unit})"


@attrs.frozen(kw_only=True)
class BlobPurged:
    """The record of a blob whose bytes a store deleted for good.

    The caller stores it as a fact of the history: events that reference the blob
    stay as they are and still verify, but the payload can no longer be read from
    this store.

    Attributes:
        sha256: The SHA-256 of the purged bytes (64 lower-case hex digits).
        size: Their length in bytes, as the reference gave it.
        method: How the bytes were deleted, in words, including what the method
            cannot reach (backups, snapshots, wear levelling).
    """

    sha256: str = attrs.field(validator=_sha256_hex)
    size: int = attrs.field(validator=_size)
    method: str

    @property
    def ref(self) -> BlobRef:
        """The reference of the purged blob."""
        return BlobRef(sha256=self.sha256, size=self.size)

    def describe(self) -> str:
        """Describe the purge on one line.

        Returns:
            The purged blob and the method, for example
            ``blob sha256:ab12... (5 bytes) purged: file unlinked``.
        """
        return f"{self.ref.describe()} purged: {self.method}"


class BlobStore(Protocol):
    """A content-addressed store of blobs that are already ciphertext.

    A blob is stored once under the SHA-256 of its bytes and never changed: putting
    the same bytes again returns the same reference and writes nothing. Reading
    checks the hash, so corrupted bytes are never returned. Purging deletes the
    bytes for good and returns the record to keep as a fact. Implementations:
    ``FileBlobStore`` (files under the data dir) and ``MemoryBlobStore`` (tests),
    both in ``untoc_adapters.storage.blobs``; every implementation passes
    ``tests/contract/test_blob_store.py``.
    """

    def put(self, data: bytes) -> BlobRef:
        """Store some bytes under their SHA-256; do nothing if they are stored.

        Args:
            data: The bytes to keep: ciphertext, for example a sealed value's
                binary form. Empty bytes are a valid blob.

        Returns:
            The reference of ``data``: the same for the same bytes, every time.

        Raises:
            InvalidInput: ``data`` is larger than the store accepts.
            StoreError: the bytes could not be written; nothing visible was
                stored.
        """
        ...

    def get(self, ref: BlobRef) -> bytes:
        """Read a blob back and check it against its reference.

        Args:
            ref: The reference returned by :meth:`put`.

        Returns:
            The bytes that were put, after checking their SHA-256.

        Raises:
            BlobMissing: no blob has that reference (never stored or purged).
            BlobCorrupted: the stored bytes no longer hash to ``ref.sha256``.
            StoreError: the store could not be read.
        """
        ...

    def has(self, ref: BlobRef) -> bool:
        """Tell whether a blob is stored, without reading or checking its bytes.

        Args:
            ref: The reference to look for.

        Returns:
            True if bytes with that SHA-256 and size are stored.
        """
        ...

    def purge(self, ref: BlobRef) -> BlobPurged:
        """Delete the bytes stored under a reference for good.

        The bytes stored under ``ref.sha256`` are deleted even if they no longer
        pass the hash check, so a corrupted blob can be purged too.

        Args:
            ref: The reference of the blob to delete.

        Returns:
            The record of the purge, for the caller to store as a fact.

        Raises:
            BlobMissing: nothing is stored under ``ref.sha256``.
            StoreError: the bytes could not be deleted.
        """
        ...

    def refs(self) -> list[BlobRef]:
        """List the stored blobs.

        Returns:
            The reference of every stored blob, sorted by SHA-256.
        """
        ...
