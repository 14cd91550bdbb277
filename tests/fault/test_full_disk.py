"""Full disk and read-only store: a clear error, and nothing corrupted.

The SQLite store lives on a small tmpfs mounted for the test (the tests run as
root; ``chmod`` does not stop root, a full or read-only filesystem does).

* Full disk: the store holds a registry; a filler file takes every free byte;
  importing a large registry, and following the log, fail with ``error:`` and
  exit code 1, no traceback. Once space is freed the store opens, holds exactly
  what it held, ``untoc audit verify`` passes, and the import then succeeds.
* Full disk under an open store: the disk fills after the store opened (as it
  does under a running process); a large append fails with ``StoreError``, and
  the store holds exactly what it held.
* Read-only: the filesystem is remounted read-only; a write fails the same clear
  way; remounted read-write, the store is as it was and verifies.

Mounting needs root and a kernel that lets the container mount tmpfs; where it
cannot, the tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import os
import string
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_run import json_of, run_cli
from tests.vault_world import registry_csv
from untoc_adapters.cli.main import app
from untoc_adapters.settings import Settings
from untoc_adapters.storage.sqlite import open_sqlite_store
from untoc_core.errors import StoreError
from untoc_core.ports import NewEvents
from untoc_core.registry.events import ExpertListCirculated

SIZE = "2m"
"""The tmpfs's size: room for the store and its log, not for much more."""


def mount(*args: str) -> None:
    """Run ``mount`` with ``args``."""
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)  # noqa: S603, S607


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs, unmounted after the test."""
    folder = tmp_path / "disk"
    folder.mkdir()
    try:
        mount("-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(folder))
    except (OSError, subprocess.CalledProcessError) as exc:
        reason = f"cannot mount a tmpfs here: {getattr(exc, 'stderr', '') or exc}"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the full-disk tests: {reason}")
        pytest.skip(reason)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)  # noqa: S603, S607


@pytest.fixture(autouse=True)
def sqlite_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process CLI on the default SQLite store."""
    for name in ("UNTOC_STORE", "UNTOC_STORE_URL", "UNTOC_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def big_registry(count: int) -> str:
    """A registry file of ``count`` fictional States, codes QAA, QAB, ..."""
    lines = ["iso3,name_en,untoc_status,un_regional_group,untoc_date"]
    letters = string.ascii_uppercase
    codes = ("Q" + a + b for a, b in itertools.product(letters, letters))
    lines += [
        f"{code},State of {code} {'x' * 200},party,,2003-09-29"
        for code in itertools.islice(codes, count)
    ]
    return "\n".join(lines) + "\n"


def fill(folder: Path) -> Path:
    """Write a file that takes every free byte of ``folder``'s filesystem."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        size = 1 << 16
        while size:
            try:
                os.write(descriptor, b"\0" * size)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                size //= 2
    finally:
        os.close(descriptor)
    return filler


def snapshot(data_dir: Path) -> tuple[int, list[tuple[str, int]]]:
    """The store's last position and every row's stream and version."""
    store = open_sqlite_store(Settings(data_dir=data_dir))
    try:
        rows = [(r.stream, r.version) for r in store.read_all(limit=100_000)]
        return store.last_position(), rows
    finally:
        store.close()


def check_clear_failure(code: int, out: str, err: str) -> None:
    """Exit code 1, an ``error:`` message, no traceback."""
    assert code == 1, (out, err)
    assert "error:" in err
    assert "Traceback" not in out + err


def verifies(data_dir: Path) -> None:
    """``untoc audit verify`` passes."""
    code, out, err = run_cli(app, data_dir, "audit", "verify", "--json")
    assert code == 0, (out, err)
    assert json_of(out)["ok"] is True


def prepared(disk: Path) -> tuple[Path, Path, tuple[int, list[tuple[str, int]]]]:
    """A store on the disk with a logged registry; the big file; the snapshot."""
    data_dir = disk / "data"
    small = disk.parent / "registry.csv"
    small.write_text(registry_csv(), encoding="utf-8")
    big = disk.parent / "big.csv"
    big.write_text(big_registry(400), encoding="utf-8")
    code, out, err = run_cli(app, data_dir, "parties", "import", str(small))
    assert code == 0, (out, err)
    code, out, err = run_cli(app, data_dir, "audit", "log")
    assert code == 0, (out, err)
    return data_dir, big, snapshot(data_dir)


def test_a_full_disk_is_a_clear_error_and_corrupts_nothing(disk: Path) -> None:
    data_dir, big, before = prepared(disk)
    filler = fill(disk)
    check_clear_failure(*run_cli(app, data_dir, "parties", "import", str(big)))
    filler.unlink()
    assert snapshot(data_dir) == before
    verifies(data_dir)
    code, out, err = run_cli(app, data_dir, "parties", "import", str(big))
    assert code == 0, (out, err)
    assert snapshot(data_dir)[0] > before[0]
    code, out, err = run_cli(app, data_dir, "audit", "log")
    assert code == 0, (out, err)
    verifies(data_dir)


def test_a_full_disk_while_logging_is_a_clear_error(disk: Path) -> None:
    data_dir, big, _ = prepared(disk)
    code, out, err = run_cli(app, data_dir, "parties", "import", str(big))
    assert code == 0, (out, err)
    before = snapshot(data_dir)
    filler = fill(disk)
    check_clear_failure(*run_cli(app, data_dir, "audit", "log"))
    filler.unlink()
    assert snapshot(data_dir) == before
    verifies(data_dir)
    code, out, err = run_cli(app, data_dir, "audit", "log")
    assert code == 0, (out, err)
    verifies(data_dir)


def test_a_read_only_store_is_a_clear_error_and_corrupts_nothing(disk: Path) -> None:
    data_dir, big, before = prepared(disk)
    mount("-o", "remount,ro", str(disk))
    try:
        check_clear_failure(*run_cli(app, data_dir, "parties", "import", str(big)))
        check_clear_failure(*run_cli(app, data_dir, "audit", "log"))
    finally:
        mount("-o", "remount,rw", str(disk))
    assert snapshot(data_dir) == before
    verifies(data_dir)
    code, out, err = run_cli(app, data_dir, "parties", "import", str(big))
    assert code == 0, (out, err)


def test_a_disk_that_fills_under_an_open_store_loses_nothing(disk: Path) -> None:
    data_dir, _, before = prepared(disk)
    store = open_sqlite_store(Settings(data_dir=data_dir))
    try:
        filler = fill(disk)
        events = tuple(
            ExpertListCirculated(
                circulated_on=dt.date(2026, 1, 1),
                expert_ids=frozenset({f"{i:04d}-{'x' * 1000}"}),
            )
            for i in range(1000)
        )
        with pytest.raises(StoreError, match="nothing was written") as caught:
            store.append(
                NewEvents(stream="big", expected_version=0, events=events),
                recorded_at=dt.datetime.now(dt.UTC),
                actor="secretariat",
            )
        assert "full" in str(caught.value)
        filler.unlink()
    finally:
        store.close()
    assert snapshot(data_dir) == before
    verifies(data_dir)
