"""A writer process for the fault tests, run as ``python tests/fault/writer.py MODE``.

Modes:

``forkserver BACKEND DATA_DIR STORE_URL``
    Imports untoc once, then reads commands on stdin, one a line. ``go`` forks a
    child that opens the store and appends batches until it is killed; the
    server prints ``child PID`` when it forks and ``exit PID STATUS`` when the
    child dies (STATUS is ``signal N`` or ``code N``). ``quit`` ends the server.
    Forking from a process that has imported everything (and opened nothing) keeps
    each of the 50 crashes to milliseconds instead of a second of imports.

    Each append writes :data:`BATCH` events to each of two streams, ``left-K``
    and ``right-K``, in one transaction; every event names its batch, so a
    reader can tell a batch that is all there from one that is half-written.
    Every :data:`CHECKPOINT_EVERY` batches the child also follows the store into
    the transparency log and signs a checkpoint, so kills land there too.
    The child prints ``ready PID`` once its first batch is committed, so every
    kill lands among batches, after the store has opened.

``file BACKEND DATA_DIR STORE_URL PRINCIPAL SECTION``
    Files a piece of material in Arcadia's review (see ``tests/vault_world.py``) as
    ``PRINCIPAL``. When the mechanism seals the value (after it read the
    material stream's version and before it appends), prints ``read VERSION`` and
    waits for a line on stdin, so the test can make two processes race. Then
    prints ``filed VERSION`` or ``conflict MESSAGE``; after a conflict it files
    again (no waiting) and prints ``retried VERSION``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

from untoc_adapters.audit.milestones import checkpoint
from untoc_adapters.bootstrap import open_vault
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.postgres import open_postgres_store
from untoc_adapters.storage.sqlite import open_sqlite_store
from untoc_core.confidentiality import Scope
from untoc_core.errors import ConcurrencyConflict
from untoc_core.ports import NewEvents
from untoc_core.registry.events import ExpertListCirculated

BATCH = 4
"""Events per stream in one append (two streams, so eight rows a transaction)."""
STREAMS = 3
"""Pairs of streams the batches go to, in turn."""
CHECKPOINT_EVERY = 8
"""Batches between two runs of the transparency log's follower."""
GIVE_UP_AFTER = 30.0
"""Seconds after which an unkilled writer stops (its test failed)."""
ARCADIA = "cycle-1/ARC"


def settings_of(backend: str, data_dir: str, store_url: str) -> Settings:
    """The settings of the store under test."""
    return Settings(data_dir=Path(data_dir), store=backend, store_url=store_url)


def open_store(settings: Settings) -> RecorderEventStore:
    """The store named by the settings."""
    if settings.store == "postgres":
        return open_postgres_store(settings)
    return open_sqlite_store(settings)


def tag(stream: str, batch: str, index: int) -> str:
    """The expert id that names an event's stream, batch and place in it."""
    return f"{stream}|{batch}|{index}|{BATCH}"


def batch_events(stream: str, batch: str) -> tuple[ExpertListCirculated, ...]:
    """The events of one batch on one stream."""
    return tuple(
        ExpertListCirculated(
            circulated_on=dt.date(2026, 1, 1),
            expert_ids=frozenset({tag(stream, batch, i)}),
        )
        for i in range(BATCH)
    )


def say(line: str) -> None:
    """Print a line at once, unbuffered (a forked child shares stdout)."""
    os.write(1, (line + "\n").encode())


def write_until_killed(settings: Settings) -> None:
    """Append two-stream batches, and follow them into the log, until killed.

    A child whose test died gives up by itself: when the fork server is gone, or
    after :data:`GIVE_UP_AFTER` seconds.
    """
    parent = os.getppid()
    give_up = time.monotonic() + GIVE_UP_AFTER
    store = open_store(settings)
    count = 0
    while os.getppid() == parent and time.monotonic() < give_up:
        pair = count % STREAMS
        left, right = f"left-{pair}", f"right-{pair}"
        batch = f"{os.getpid()}-{count}"
        store.append(
            NewEvents(
                stream=left,
                expected_version=store.stream_version(left),
                events=batch_events(left, batch),
            ),
            NewEvents(
                stream=right,
                expected_version=store.stream_version(right),
                events=batch_events(right, batch),
            ),
            recorded_at=dt.datetime.now(dt.UTC),
            actor="secretariat",
        )
        count += 1
        if count == 1:
            say(f"ready {os.getpid()}")
        if count % CHECKPOINT_EVERY == 0:
            checkpoint(settings, store)


def forkserver(settings: Settings) -> None:
    """Fork a writer for every ``go`` line; report how each one died."""
    for line in sys.stdin:
        command = line.strip()
        if command == "quit":
            return
        if command != "go":
            continue
        pid = os.fork()
        if pid == 0:  # the child
            try:
                write_until_killed(settings)
            except BaseException as exc:  # noqa: BLE001 - report, then die
                say(f"failed {type(exc).__name__}: {exc}")
                os._exit(3)
            say("gave up")
            os._exit(4)
        say(f"child {pid}")
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            say(f"exit {pid} signal {os.WTERMSIG(status)}")
        else:
            say(f"exit {pid} code {os.waitstatus_to_exitcode(status)}")


def file_racing(settings: Settings, principal: str, section: str) -> None:
    """File material, pausing between the read and the append; retry a conflict."""
    vault = open_vault(settings)
    try:
        content = f"filed by {principal}".encode()
        sealer = vault.sealer(principal, ARCADIA, Scope.DOSSIER, content)

        def seal_after_go(context: object) -> tuple[bytes, str, int]:
            say(f"read {context.version - 1}")  # type: ignore[attr-defined]
            sys.stdin.readline()
            return sealer(context)  # type: ignore[arg-type]

        mechanism = vault.mechanism
        try:
            filed = mechanism.file_material(
                principal, ARCADIA, Scope.DOSSIER, section, seal_after_go
            )
        except ConcurrencyConflict as exc:
            say(f"conflict {exc}")
            filed = vault.file(principal, ARCADIA, Scope.DOSSIER, section, content)
            say(f"retried {filed.version}")
        else:
            say(f"filed {filed.version}")
    finally:
        vault.mechanism.store.close()


def main(argv: list[str]) -> None:
    """Run the mode named on the command line."""
    mode, backend, data_dir, store_url, *rest = argv
    settings = settings_of(backend, data_dir, store_url)
    if mode == "forkserver":
        forkserver(settings)
    elif mode == "file":
        principal, section = rest
        file_racing(settings, principal, section)
    else:
        sys.exit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
