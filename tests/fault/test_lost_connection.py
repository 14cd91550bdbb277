"""Lost connection: the server ends ``untoc``'s connection in the middle of a write.

The real ``untoc parties import`` runs as a process on PostgreSQL, under an
``application_name`` of its own. A second connection holds the events table
locked (ROW SHARE), so the import's transaction waits inside, after it began and
before it commits; a third finds the import's backend in ``pg_stat_activity``
and ends it with ``pg_terminate_backend``.

* Ended once: eventsourcing reconnects and runs the transaction again, so the
  import succeeds, and writes every row exactly once.
* Ended on every attempt: the import gives up with a clear error (exit code 1, a
  message naming the store, no traceback), nothing is written, and running it
  again once the server is well succeeds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.conftest import PG_URL
from tests.vault_world import STATES, registry_csv
from untoc_adapters.settings import Settings
from untoc_adapters.storage.postgres import open_postgres_store

pytestmark = pytest.mark.postgres

UNTOC = Path(sys.executable).with_name("untoc")


class Terminator:
    """Holds the events table locked and ends the backends that wait on it."""

    def __init__(self, schema: str, application: str, *, times: int | None) -> None:
        self.schema = schema
        self.application = application
        self.times = times
        self.ended = 0
        self.stop = threading.Event()
        self.holder = psycopg.connect(PG_URL)
        # ROW SHARE lets the store open (its CREATE INDEX IF NOT EXISTS takes
        # SHARE) and read, and holds back the EXCLUSIVE lock every insert takes.
        self.holder.execute(f'LOCK TABLE "{schema}".untoc_events IN ROW SHARE MODE')
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            while not self.stop.is_set():
                if self.times is not None and self.ended >= self.times:
                    self.release()
                    return
                waiting = admin.execute(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
                    "AND wait_event_type = 'Lock' AND state = 'active'",
                    [self.application],
                ).fetchall()
                for (pid,) in waiting:
                    admin.execute("SELECT pg_terminate_backend(%s)", [pid])
                    self.ended += 1
                time.sleep(0.02)

    def release(self) -> None:
        """Let writes through again."""
        if not self.holder.closed:
            self.holder.rollback()
            self.holder.close()

    def close(self) -> None:
        """Stop ending backends and release the lock."""
        self.stop.set()
        self.thread.join(timeout=10)
        self.release()


@pytest.fixture
def target(tmp_path: Path, pg_schema: str) -> tuple[Settings, dict[str, str]]:
    """A PostgreSQL store with its table made, and the environment that names it."""
    url = f"{PG_URL}?schema={pg_schema}"
    settings = Settings(data_dir=tmp_path / "data", store="postgres", store_url=url)
    open_postgres_store(settings).close()
    (tmp_path / "registry.csv").write_text(registry_csv(), encoding="utf-8")
    env = {
        **os.environ,
        "UNTOC_STORE": "postgres",
        "UNTOC_STORE_URL": url,
        "PGAPPNAME": f"untoc-fault-{uuid.uuid4().hex[:8]}",
    }
    return settings, env


def run_import(
    settings: Settings, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """``untoc parties import registry.csv`` as a process."""
    return subprocess.run(  # noqa: S603 - the installed untoc command
        [
            str(UNTOC),
            "--data-dir",
            str(settings.data_dir),
            "parties",
            "import",
            str(settings.data_dir.parent / "registry.csv"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def stored(settings: Settings) -> list[tuple[str, int]]:
    """Every stored row's stream and version."""
    store = open_postgres_store(settings)
    try:
        return [(r.stream, r.version) for r in store.read_all(limit=100_000)]
    finally:
        store.close()


def check_whole(rows: list[tuple[str, int]]) -> None:
    """Every stream's versions run 1..n, each once, and every State is there."""
    streams: dict[str, list[int]] = {}
    for stream, version in rows:
        streams.setdefault(stream, []).append(version)
    for stream, versions in streams.items():
        assert versions == list(range(1, len(versions) + 1)), stream
    assert len(rows) >= len(STATES)


def test_a_connection_ended_once_is_retried_and_writes_once(
    target: tuple[Settings, dict[str, str]],
) -> None:
    settings, env = target
    terminator = Terminator(
        settings.store_url.rpartition("=")[2], env["PGAPPNAME"], times=1
    )
    try:
        done = run_import(settings, env)
    finally:
        terminator.close()
    assert terminator.ended == 1
    assert done.returncode == 0, done.stderr
    rows = stored(settings)
    check_whole(rows)
    again = run_import(settings, env)
    assert again.returncode == 0, again.stderr  # the same file: nothing new
    assert "0 changes recorded" in again.stdout
    assert stored(settings) == rows


def test_a_connection_ended_on_every_attempt_is_a_clear_error(
    target: tuple[Settings, dict[str, str]],
) -> None:
    settings, env = target
    terminator = Terminator(
        settings.store_url.rpartition("=")[2], env["PGAPPNAME"], times=None
    )
    try:
        failed = run_import(settings, env)
    finally:
        terminator.close()
    assert terminator.ended >= 2
    assert failed.returncode == 1, (failed.stdout, failed.stderr)
    assert "Traceback" not in failed.stderr + failed.stdout
    assert "error:" in failed.stderr
    assert "the event store failed; nothing was written" in failed.stderr
    assert "the connection is lost" in failed.stderr
    assert stored(settings) == []
    retried = run_import(settings, env)
    assert retried.returncode == 0, retried.stderr
    check_whole(stored(settings))
