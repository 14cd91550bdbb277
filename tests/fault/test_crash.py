"""Crash during writes: ``kill -9`` a writer in the middle of its batches, 50 times.

A fork server (``tests/fault/writer.py forkserver``) imports untoc once; for each
round it forks a writer that appends two-stream batches of events in one
transaction each, and follows them into the transparency log now and then. After
a seeded random delay the test sends it SIGKILL. After every crash:

* the store opens;
* no aggregate is half-written: every stream's versions run 1..n without a gap,
  every batch is on its stream whole, and a batch is on both of its streams or on
  neither (the two streams were appended in one transaction);
* ``untoc audit verify`` passes;
* ``untoc audit log`` catches the transparency log up: its leaves are numbered
  0..n-1 and hold exactly the store's positions, each once, and it verifies with
  nothing left unlogged.

The same on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_run import json_of, run_cli
from tests.conftest import PG_URL
from untoc_adapters.audit.milestones import checkpoint
from untoc_adapters.bootstrap import open_mechanism
from untoc_adapters.cli.audit import audit_store
from untoc_adapters.cli.main import app
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.postgres import open_postgres_store
from untoc_adapters.storage.sqlite import open_sqlite_store
from untoc_core.audit.verify import AuditResult
from untoc_core.registry.events import ExpertListCirculated

WRITER = Path(__file__).with_name("writer.py")
ROUNDS = 50
SEED = 20260301
MIN_DELAY, MAX_DELAY = 0.01, 0.06
"""Seconds between the writer's first committed batch and the kill."""
CLI_EVERY = 25
"""Rounds between two checks through the ``untoc audit`` commands themselves."""


class ForkServer:
    """The fork server process, and the lines it and its children print."""

    def __init__(self, backend: str, data_dir: Path, store_url: str) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [
                sys.executable,
                str(WRITER),
                "forkserver",
                backend,
                str(data_dir),
                store_url,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def line(self) -> str:
        """The next line printed."""
        assert self.process.stdout is not None
        text = self.process.stdout.readline()
        assert text, f"the fork server ended (code {self.process.poll()})"
        return text.strip()

    def expect(self, word: str) -> list[str]:
        """The next line, which must start with ``word``; its other words."""
        head, *rest = self.line().split()
        assert head == word, f"expected {word!r}, got {head!r} {rest}"
        return rest

    def send(self, command: str) -> None:
        """Send a command line."""
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def close(self, child: int | None) -> None:
        """Stop the server, and the child it waits for if a check failed."""
        if child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.send("quit")
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


def open_store(settings: Settings) -> RecorderEventStore:
    """The store under test, opened afresh."""
    if settings.store == "postgres":
        return open_postgres_store(settings)
    return open_sqlite_store(settings)


def check_whole_batches(store: RecorderEventStore) -> int:
    """Assert no stream is half-written and no batch is partial; the row count."""
    rows = store.read_all(limit=1_000_000)
    versions: dict[str, list[int]] = defaultdict(list)
    batches: dict[str, set[str]] = defaultdict(set)
    for record in rows:
        versions[record.stream].append(record.version)
        assert isinstance(record.event, ExpertListCirculated)
        (expert,) = record.event.expert_ids
        stream, batch, index, size = expert.split("|")
        assert stream == record.stream
        batches[batch].add(f"{stream}|{index}|{size}")
    for stream, seen in versions.items():
        assert sorted(seen) == list(range(1, len(seen) + 1)), f"{stream} has gaps"
        assert store.stream_version(stream) == len(seen)
    for batch, members in batches.items():
        streams = {m.split("|")[0] for m in members}
        size = int(next(iter(members)).split("|")[2])
        pair = {s.split("-", 1)[1] for s in streams}
        assert len(pair) == 1, f"batch {batch} spans {streams}"
        assert len(streams) == 2, f"batch {batch} is on {streams} only"
        assert len(members) == 2 * size, f"batch {batch} is partial: {members}"
    return len(rows)


def leaf_positions(settings: Settings, schema: str) -> list[tuple[int, int]]:
    """The transparency log's (index, position) pairs, read from its table."""
    query = "SELECT idx, position FROM {t} ORDER BY idx"
    if settings.store == "postgres":
        import psycopg  # noqa: PLC0415

        with psycopg.connect(PG_URL) as conn:
            found = conn.execute(query.format(t=f'"{schema}".untoc_tlog_leaves'))
            return [(int(i), int(p)) for i, p in found.fetchall()]
    with sqlite3.connect(settings.data_dir / "tlog.sqlite3") as conn:
        found = conn.execute(query.format(t="untoc_tlog_leaves"))
        return [(int(i), int(p)) for i, p in found.fetchall()]


def cli_verify(data_dir: Path) -> dict[str, object]:
    """``untoc audit verify --json``, which must pass."""
    code, out, err = run_cli(app, data_dir, "audit", "verify", "--json")
    assert code == 0, f"audit verify failed: {out} {err}"
    document = json_of(out)
    assert document["ok"] is True, json.dumps(document["faults"])
    return document


def verify(settings: Settings) -> AuditResult:
    """What ``untoc audit verify`` computes (its function), which must pass."""
    mechanism = open_mechanism(settings)
    try:
        result, _ = audit_store(settings, mechanism)
    finally:
        mechanism.store.close()
    assert result.ok, [str(f) for f in result.faults]
    return result


def check_after_crash(settings: Settings, schema: str, *, cli: bool) -> int:
    """Every check of one crash; the rows the store holds.

    With ``cli``, runs ``untoc audit verify`` and ``untoc audit log`` themselves;
    else the functions they call (the command's own start-up costs a third of a
    second, too much to pay 200 times), and checks the caught-up log by its
    leaves alone.
    """
    store = open_store(settings)
    try:
        rows = check_whole_batches(store)
        positions = [r.position for r in store.read_all(limit=1_000_000)]
        if cli:
            cli_verify(settings.data_dir)
            code, out, err = run_cli(app, settings.data_dir, "audit", "log")
            assert code == 0, f"audit log failed: {out} {err}"
        else:
            verify(settings)
            checkpoint(settings, store)
    finally:
        store.close()
    leaves = leaf_positions(settings, schema)
    assert [i for i, _ in leaves] == list(range(len(leaves))), "the log has gaps"
    assert [p for _, p in leaves] == positions, "the log lost or repeated a row"
    if cli:
        document = cli_verify(settings.data_dir)
        assert document["unlogged"] == 0
        assert document["rows"] == rows
    return rows


def crash_many_times(settings: Settings, schema: str = "") -> None:
    """Fork and kill ``ROUNDS`` writers, checking the store after each crash."""
    code, out, err = run_cli(app, settings.data_dir, "audit", "log")  # the log key
    assert code == 0, f"{out} {err}"
    chance = random.Random(SEED)  # noqa: S311 - a seeded schedule, not a secret
    server = ForkServer(settings.store, settings.data_dir, settings.store_url)
    last = 0
    child: int | None = None
    try:
        for round_ in range(ROUNDS):
            server.send("go")
            # The server's "child PID" and the child's "ready PID", in any order.
            said = sorted(server.line().split() for _ in range(2))
            assert [s[0] for s in said] == ["child", "ready"], f"no writer: {said}"
            pid = said[0][1]
            child = int(pid)
            assert said[1][1] == pid
            time.sleep(chance.uniform(MIN_DELAY, MAX_DELAY))
            os.kill(int(pid), signal.SIGKILL)
            assert server.expect("exit") == [pid, "signal", str(int(signal.SIGKILL))]
            child = None
            rows = check_after_crash(
                settings, schema, cli=round_ % CLI_EVERY == 0 or round_ == ROUNDS - 1
            )
            assert rows > last, "the writer was killed before its first batch"
            last = rows
    finally:
        server.close(child)


@pytest.fixture
def env_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Lets a test point the in-process CLI at its store."""
    monkeypatch.delenv("UNTOC_STORE_URL", raising=False)
    monkeypatch.delenv("UNTOC_STORE", raising=False)
    monkeypatch.delenv("UNTOC_DATA_DIR", raising=False)
    return monkeypatch


def test_sqlite_survives_fifty_kills(
    tmp_path: Path, env_store: pytest.MonkeyPatch
) -> None:
    env_store.setenv("UNTOC_STORE", "sqlite")
    crash_many_times(Settings(data_dir=tmp_path, store="sqlite"))


@pytest.mark.postgres
def test_postgres_survives_fifty_kills(
    tmp_path: Path, pg_schema: str, env_store: pytest.MonkeyPatch
) -> None:
    url = f"{PG_URL}?schema={pg_schema}"
    env_store.setenv("UNTOC_STORE", "postgres")
    env_store.setenv("UNTOC_STORE_URL", url)
    settings = Settings(data_dir=tmp_path, store="postgres", store_url=url)
    crash_many_times(settings, pg_schema)
