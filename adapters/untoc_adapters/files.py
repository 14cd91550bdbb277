"""Private folders on the local disk: for key files, principals' keys and blobs."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Final

from untoc_core.errors import ConfigurationError, InvalidInput

MAX_PRIVATE_FILE_BYTES: Final = 64 * 1024
"""The most read from a private file (key files are far smaller)."""


def make_private_folder(folder: Path, what: str) -> None:
    """Create ``folder`` with mode 0700 if missing; refuse one others may reach.

    Args:
        folder: The folder.
        what: What it holds, for the messages: ``keys``, ``blobs`` ...

    Raises:
        ConfigurationError: it cannot be created, is not a folder, or other users
            may read or enter it.
    """
    name = f"the folder {folder} of the {what}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        mode = folder.lstat().st_mode
    except OSError as exc:
        msg = f"cannot create {name}: {exc}"
        raise ConfigurationError(msg) from exc
    if not stat.S_ISDIR(mode):
        msg = f"{name} is not a folder"
        raise ConfigurationError(msg)
    if stat.S_IMODE(mode) & 0o077:
        msg = (
            f"{name} has mode {stat.S_IMODE(mode):04o}: other users may reach the "
            f"{what}; run chmod 700 on it"
        )
        raise ConfigurationError(msg)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (after a file in it was added or removed)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_private(path: Path) -> bytes:
    """Read a private file: a regular file (no link followed) others cannot read.

    Raises:
        ConfigurationError: it is not a regular file, or others may read it.
        OSError: it cannot be opened.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            msg = f"{path} is not a regular file"
            raise ConfigurationError(msg)
        if stat.S_IMODE(info.st_mode) & 0o077:
            msg = (
                f"the key file {path} has mode {stat.S_IMODE(info.st_mode):04o}: "
                "other users may read it; run chmod 600 on it"
            )
            raise ConfigurationError(msg)
        return os.read(descriptor, MAX_PRIVATE_FILE_BYTES)
    finally:
        os.close(descriptor)


def write_new(
    path: Path,
    data: bytes,
    random: Callable[[int], bytes] = os.urandom,
    *,
    exists: str = "",
) -> None:
    """Write a new private file (0600) whole or not at all; never overwrite one.

    The bytes go to a temporary file, flushed, then linked into place, and the
    folder is flushed too, so a crash leaves either nothing or the whole file.

    Args:
        path: The file to create.
        data: Its content.
        random: Names the temporary file.
        exists: The message when ``path`` exists (default: it names the path).

    Raises:
        InvalidInput: ``path`` exists.
    """
    temporary = path.with_name(f".{path.name}.{random(8).hex()}.tmp")
    descriptor = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600
    )
    try:
        try:
            os.fchmod(descriptor, 0o600)
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise InvalidInput(exists or f"{path} exists already") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    sync_folder(path.parent)
