"""Time confidential material through the vault, against bare sealing and storage.

Run: ``.venv/bin/python benchmarks/confidential.py [--runs 5] [--items 200]
[--size 4096]``

In a fresh SQLite data folder each run, with ``localkeys`` and the fictional States
of the tests, it times:

* file: ``Vault.file`` of ``--items`` pieces of ``--size`` bytes each by a reviewer
  (a logged ``write`` decision, the grant opened, the value sealed, the row sealed
  whole and appended);
* read: ``Vault.read`` of each by the other reviewer (a logged ``read`` decision,
  the grant opened with HPKE, the row and the value opened);
* grant: opening the three scopes of a review (data keys, custodial copies and
  HPKE grants for the four principals of each scope).

The baselines, measured in the same run: the bare ``EnvelopeSealer`` seal and open
of the same values with a data key in memory, and eventsourcing's SQLite recorder
inserting rows of the same size with no mapping, decision or key. Figures are
medians per item in milliseconds, with min and max over the runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.vault_world import open_world
from untoc_adapters.crypto.sealing import DataKeyring, EnvelopeSealer
from untoc_core.confidentiality import (
    REVIEW_SCOPES,
    DataKeyId,
    Scope,
    SealContext,
)

REVIEW = "cycle-1/ARC"


def _vault_run(folder: Path, items: int, size: int) -> dict[str, float]:
    world = open_world(folder / "data")
    vault = world.vault
    start = time.perf_counter()
    for scope in REVIEW_SCOPES:
        vault.mechanism.open_scope(REVIEW, scope, ["BRD", "CRP"])
    grant = (time.perf_counter() - start) / len(REVIEW_SCOPES)
    content = [os.urandom(size) for _ in range(items)]
    start = time.perf_counter()
    for i, data in enumerate(content):
        vault.file("BRD", REVIEW, Scope.DOSSIER, f"doc-{i}", data)
    filed = (time.perf_counter() - start) / items
    start = time.perf_counter()
    for i, data in enumerate(content):
        if vault.read("CRP", REVIEW, Scope.DOSSIER, f"doc-{i}") != data:
            msg = "a value read back differs"
            raise AssertionError(msg)
    read = (time.perf_counter() - start) / items
    world.close()
    return {"grant": grant, "file": filed, "read": read}


def _sealer_run(items: int, size: int) -> dict[str, float]:
    ring = DataKeyring()
    key_id = DataKeyId(review=REVIEW, scope="dossier", epoch=1)
    ring.add(key_id, os.urandom(32))
    sealer = EnvelopeSealer(ring)
    contexts = [
        SealContext(
            review=REVIEW,
            scope="dossier",
            epoch=1,
            aggregate=f"material/{REVIEW}",
            version=i + 1,
            field=f"doc-{i}",
        )
        for i in range(items)
    ]
    content = [os.urandom(size) for _ in range(items)]
    start = time.perf_counter()
    sealed = [sealer.seal(d, c) for d, c in zip(content, contexts, strict=True)]
    seal = (time.perf_counter() - start) / items
    start = time.perf_counter()
    for value, context in zip(sealed, contexts, strict=True):
        sealer.open(value, context)
    opened = (time.perf_counter() - start) / items
    return {"seal": seal, "open": opened}


def _recorder_run(folder: Path, items: int, size: int) -> dict[str, float]:
    datastore = SQLiteDatastore(str(folder / "bare.sqlite3"))
    recorder = SQLiteApplicationRecorder(datastore)
    recorder.create_table()
    stream = uuid.uuid4()
    body = os.urandom(size + 200)
    start = time.perf_counter()
    for i in range(items):
        recorder.insert_events(
            [
                StoredEvent(
                    originator_id=stream,
                    originator_version=i + 1,
                    topic="bench",
                    state=body,
                )
            ]
        )
    insert = (time.perf_counter() - start) / items
    datastore.close()
    return {"insert": insert}


def _measure(
    runs: int, run: Callable[[Path], dict[str, float]]
) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            for name, value in run(Path(folder)).items():
                figures.setdefault(name, []).append(value * 1000)
    return figures


def _line(label: str, values: list[float]) -> str:
    return (
        f"{label:<40} {statistics.median(values):8.3f} ms "
        f"(min {min(values):.3f}, max {max(values):.3f})"
    )


def main() -> None:
    """Parse the options, run the measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--size", type=int, default=4096)
    options = parser.parse_args()
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: {options.runs} runs, "
        f"{options.items} items of {options.size} bytes, SQLite, localkeys"
    )
    vault = _measure(options.runs, lambda f: _vault_run(f, options.items, options.size))
    sealer = _measure(options.runs, lambda _: _sealer_run(options.items, options.size))
    bare = _measure(
        options.runs, lambda f: _recorder_run(f, options.items, options.size)
    )
    print(_line("vault: open a scope, grant 4 (per scope)", vault["grant"]))
    print(_line("vault: file one item", vault["file"]))
    print(_line("vault: read one item", vault["read"]))
    print(_line("baseline: EnvelopeSealer seal", sealer["seal"]))
    print(_line("baseline: EnvelopeSealer open", sealer["open"]))
    print(_line("baseline: eventsourcing SQLite insert", bare["insert"]))


if __name__ == "__main__":
    main()
