"""Blob stores: content-addressed ciphertext in files (``FileBlobStore``) or memory.

``FileBlobStore`` keeps each blob in one file named after its SHA-256, under a
subfolder named after the first two hex digits: ``FOLDER/ab/cdef...`` (62 digits),
which keeps folders small. Folders are created with mode 0700 and files with mode
0600. A blob is written atomically: to a temporary file in its subfolder (named
``.<name>.<random>.tmp``, never listed as a blob), flushed to disk, then hard-linked
into place, and the subfolder is flushed. Linking fails if the name exists, so an
existing blob is never overwritten, not even by a concurrent writer; a crash before
the link leaves at most a temporary file, which no reader takes for a blob.

Reads check the SHA-256 of the bytes, so a blob changed on disk raises
:class:`~untoc_core.blobs.BlobCorrupted` instead of returning the wrong bytes.

Purging unlinks the file and flushes its folder. It does not overwrite the bytes
first: the blobs are ciphertext, and overwriting in place does not reach the copies
kept by backups, snapshots, journaling or copy-on-write file systems and SSD wear
levelling anyway. Crypto-shredding rests on destroying the keys; purging removes
the ciphertext from the operator's live store.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from untoc_adapters.files import make_private_folder, sync_folder
from untoc_core.blobs import BlobCorrupted, BlobMissing, BlobPurged, BlobRef, BlobStore
from untoc_core.errors import InvalidInput, StoreError

MAX_BLOB_BYTES: Final = 64 * 1024 * 1024
"""The largest blob accepted by default: 64 MiB (larger payloads need segmenting)."""

FILE_PURGE_METHOD: Final = (
    "blob file unlinked and its folder flushed; copies in backups, snapshots, "
    "journals or SSD wear levelling are not reached"
)
MEMORY_PURGE_METHOD: Final = "blob dropped from memory"

_PREFIX_LENGTH: Final = 2
_PREFIX = re.compile(r"[0-9a-f]{2}")
_REST = re.compile(r"[0-9a-f]{62}")
_CHUNK: Final = 1024 * 1024


def _check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        msg = (
            f"a blob of {len(data)} bytes is larger than the {max_bytes} bytes this "
            "store accepts"
        )
        raise InvalidInput(msg)


class MemoryBlobStore:
    """A blob store in a dictionary, for tests and trials; nothing is persisted.

    Args:
        max_bytes: The largest blob accepted, in bytes.
    """

    def __init__(self, *, max_bytes: int = MAX_BLOB_BYTES) -> None:
        self._max_bytes = max_bytes
        self._blobs: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"MemoryBlobStore({len(self._blobs)} blobs)"

    def put(self, data: bytes) -> BlobRef:
        """Keep a copy of some bytes under their SHA-256 (see ``BlobStore.put``).

        Raises:
            InvalidInput: ``data`` is larger than the store accepts.
        """
        _check_size(data, self._max_bytes)
        ref = BlobRef.of(data)
        self._blobs.setdefault(ref.sha256, bytes(data))
        return ref

    def get(self, ref: BlobRef) -> bytes:
        """Return the bytes of a blob after checking them (see ``BlobStore.get``).

        Raises:
            BlobMissing: no blob has that reference.
            BlobCorrupted: the kept bytes no longer hash to ``ref.sha256``.
        """
        data = self._blobs.get(ref.sha256)
        if data is None:
            raise BlobMissing(ref)
        return _checked(ref, data)

    def has(self, ref: BlobRef) -> bool:
        """Tell whether a blob with that SHA-256 and size is kept."""
        data = self._blobs.get(ref.sha256)
        return data is not None and len(data) == ref.size

    def purge(self, ref: BlobRef) -> BlobPurged:
        """Drop the bytes kept under ``ref.sha256`` (see ``BlobStore.purge``).

        Raises:
            BlobMissing: nothing is kept under that SHA-256.
        """
        if self._blobs.pop(ref.sha256, None) is None:
            raise BlobMissing(ref)
        return BlobPurged(sha256=ref.sha256, size=ref.size, method=MEMORY_PURGE_METHOD)

    def refs(self) -> list[BlobRef]:
        """The references of the kept blobs, sorted by SHA-256."""
        return sorted(
            BlobRef(sha256=sha256, size=len(data))
            for sha256, data in self._blobs.items()
        )


class FileBlobStore:
    """A blob store of one file per blob under a private folder.

    See the module docstring for the layout and the guarantees.

    Args:
        folder: The folder of the blobs, for example ``DATA_DIR/blobs``; created
            with mode 0700 if missing.
        max_bytes: The largest blob accepted, in bytes.
        random: The source of the random part of temporary file names.

    Raises:
        ConfigurationError: the folder cannot be created, is not a folder, or
            other users may read or enter it.
    """

    def __init__(
        self,
        folder: Path,
        *,
        max_bytes: int = MAX_BLOB_BYTES,
        random: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self._folder = folder
        self._max_bytes = max_bytes
        self._random = random
        make_private_folder(folder, "blobs")

    def __repr__(self) -> str:
        return f"FileBlobStore({str(self._folder)!r})"

    @property
    def folder(self) -> Path:
        """The folder of the blobs."""
        return self._folder

    def path_of(self, ref: BlobRef) -> Path:
        """The file that holds (or would hold) a blob: ``folder/ab/cdef...``."""
        return self._folder / ref.sha256[:_PREFIX_LENGTH] / ref.sha256[_PREFIX_LENGTH:]

    def put(self, data: bytes) -> BlobRef:
        """Write some bytes to their own file, atomically (see ``BlobStore.put``).

        If a file for the same SHA-256 exists, nothing is written.

        Raises:
            InvalidInput: ``data`` is larger than the store accepts.
            StoreError: the file could not be written; no blob became visible.
        """
        _check_size(data, self._max_bytes)
        ref = BlobRef.of(data)
        path = self.path_of(ref)
        try:
            if path.exists():
                return ref
            self._make_subfolder(path.parent)
            self._write_new(path, data)
        except OSError as exc:
            msg = f"cannot write {ref.describe()} to {path}: {exc}"
            raise StoreError(msg) from exc
        return ref

    def get(self, ref: BlobRef) -> bytes:
        """Read a blob's file and check its hash (see ``BlobStore.get``).

        Raises:
            BlobMissing: no file holds that reference, or it holds another size.
            BlobCorrupted: the file's bytes no longer hash to ``ref.sha256``.
            StoreError: the file could not be read, or is not a regular file.
        """
        path = self.path_of(ref)
        try:
            data = _read_regular(path, max(self._max_bytes, ref.size))
        except FileNotFoundError:
            raise BlobMissing(ref) from None
        except OSError as exc:
            msg = f"cannot read {ref.describe()} from {path}: {exc}"
            raise StoreError(msg) from exc
        return _checked(ref, data)

    def has(self, ref: BlobRef) -> bool:
        """Tell whether a regular file of ``ref.size`` bytes holds the blob.

        The bytes are neither read nor checked.
        """
        try:
            info = self.path_of(ref).lstat()
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and info.st_size == ref.size

    def purge(self, ref: BlobRef) -> BlobPurged:
        """Unlink the blob's file and flush its folder (see ``BlobStore.purge``).

        The bytes are not overwritten first (see the module docstring).

        Raises:
            BlobMissing: no file holds ``ref.sha256``.
            StoreError: the file could not be removed.
        """
        path = self.path_of(ref)
        try:
            path.unlink()
            sync_folder(path.parent)
        except FileNotFoundError:
            raise BlobMissing(ref) from None
        except OSError as exc:
            msg = f"cannot purge {ref.describe()} at {path}: {exc}"
            raise StoreError(msg) from exc
        return BlobPurged(sha256=ref.sha256, size=ref.size, method=FILE_PURGE_METHOD)

    def refs(self) -> list[BlobRef]:
        """The references of the blob files, sorted by SHA-256.

        Temporary files and any other names that are not a blob's are skipped.
        """
        found: list[BlobRef] = []
        for sub in self._folder.iterdir():
            if not _PREFIX.fullmatch(sub.name) or not sub.is_dir():
                continue
            for entry in sub.iterdir():
                if not _REST.fullmatch(entry.name):
                    continue
                info = entry.lstat()
                if stat.S_ISREG(info.st_mode):
                    found.append(
                        BlobRef(sha256=sub.name + entry.name, size=info.st_size)
                    )
        return sorted(found)

    def _make_subfolder(self, sub: Path) -> None:
        try:
            sub.mkdir(mode=0o700)
        except FileExistsError:
            return
        sync_folder(self._folder)

    def _write_new(self, path: Path, data: bytes) -> None:
        temporary = path.with_name(f".{path.name}.{self._random(8).hex()}.tmp")
        descriptor = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600
        )
        try:
            try:
                os.fchmod(descriptor, 0o600)
                _write_all(descriptor, data)
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            # A concurrent writer of the same bytes may have linked it first:
            # the blob is then stored, and is left as it is.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        sync_folder(path.parent)


def _checked(ref: BlobRef, data: bytes) -> bytes:
    actual = BlobRef.of(data)
    if actual.sha256 != ref.sha256:
        raise BlobCorrupted(ref, f"they hash to {actual.sha256}")
    if actual.size != ref.size:
        raise BlobMissing(ref, f"the blob with that SHA-256 has {actual.size} bytes")
    return data


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view[:_CHUNK])
        view = view[written:]


def _read_regular(path: Path, limit: int) -> bytes:
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            msg = f"{path} is not a regular file"
            raise StoreError(msg)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(_CHUNK, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


if TYPE_CHECKING:  # mypy checks that the adapters keep the port's contract
    _FILE_PORT: type[BlobStore] = FileBlobStore
    _MEMORY_PORT: type[BlobStore] = MemoryBlobStore
