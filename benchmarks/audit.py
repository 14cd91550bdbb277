"""Time the audit of the stored history against a plain SHA-256 pass.

Run: ``.venv/bin/python benchmarks/audit.py [--sizes 10000,100000] [--runs 3]``

For each size it records that many events in a fresh SQLite store (batches of 500
registry events), then times, on the same rows:

* read: reading every stored row (``iter_rows``);
* audit: logging the rows, then ``verify_rows`` against the log's checkpoint (leaf
  hashes, the tree head, per-stream checks), as ``untoc audit verify`` does;
* baseline: SHA-256 over each row's stored bytes and nothing else.

Figures are medians with min and max, in seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from untoc_adapters.audit.rows import iter_rows
from untoc_adapters.settings import Settings
from untoc_adapters.storage.sqlite import open_sqlite_store
from untoc_core.audit.leaves import StoredRow
from untoc_core.audit.verify import TransparencyLog, verify_rows
from untoc_core.ports import NewEvents
from untoc_core.registry.events import ExpertListCirculated

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BATCH = 500


def _fill(folder: Path, size: int) -> list[StoredRow]:
    store = open_sqlite_store(Settings(data_dir=folder))
    for start in range(0, size, BATCH):
        events = tuple(
            ExpertListCirculated(
                circulated_on=dt.date(2026, 1, 1), expert_ids=frozenset({f"x{i}"})
            )
            for i in range(start, min(size, start + BATCH))
        )
        store.append(
            NewEvents(
                stream=f"bench-{start // 10_000}",
                expected_version=store.stream_version(f"bench-{start // 10_000}"),
                events=events,
            ),
            recorded_at=T0,
            actor="secretariat",
        )
    rows = list(iter_rows(store))
    store.close()
    return rows


def _time(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _audit(rows: list[StoredRow]) -> None:
    log = TransparencyLog("bench/log")
    log.append_rows(rows)
    result = verify_rows(rows, log.checkpoint(), log=log.snapshot())
    if not result.ok:
        msg = "the benchmark's history does not verify"
        raise AssertionError(msg)


def _baseline(rows: list[StoredRow]) -> None:
    for row in rows:
        hashlib.sha256(row.state).digest()


def main() -> None:
    """Parse the options, run the measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, SQLite, {options.runs} runs")
    for size in (int(s) for s in options.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            rows = _fill(Path(folder), size)
            figures: dict[str, list[float]] = {"audit": [], "baseline": []}
            for _ in range(options.runs):
                figures["audit"].append(_time(lambda rows=rows: _audit(rows)))
                figures["baseline"].append(_time(lambda rows=rows: _baseline(rows)))
        for name, values in figures.items():
            print(
                f"{size:>7} events  {name:<9} {statistics.median(values):8.3f} s "
                f"(min {min(values):.3f}, max {max(values):.3f})"
            )


if __name__ == "__main__":
    main()
