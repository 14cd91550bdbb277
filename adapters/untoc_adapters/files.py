"""Private folders on the local disk: for key files, principals' keys and blobs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from untoc_core.errors import ConfigurationError


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
