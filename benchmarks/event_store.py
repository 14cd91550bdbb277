"""Measure untoc's event store against bare eventsourcing recorders on the same backend.

Run: ``.venv/bin/python benchmarks/event_store.py [--runs 5] [--events 2000]``

For each backend (memory, SQLite file, PostgreSQL if reachable) it times, in fresh
storage each run:

* single: one event per append (a durable commit each on SQLite and PostgreSQL);
* batch: 100 events per append;
* replay: reading one stream of all the batch events back into core events;
* registry: importing the shipped reference snapshot (198 rows, about 1,240 events)
  and replaying the registry from it.

The baseline is eventsourcing's own recorder inserting and selecting pre-built
``StoredEvent`` rows of the same size, with no mapping and no version check. Figures
are medians (events per second, or milliseconds for the registry) with min and max.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from untoc_adapters.clock import SimulatedClock
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.memory import MemoryStreamRecorder, open_memory_store
from untoc_adapters.storage.postgres import open_postgres_store
from untoc_adapters.storage.sqlite import open_sqlite_store
from untoc_core.mechanism import Mechanism
from untoc_core.ports import NewEvents
from untoc_core.registry.events import GovernmentalExpertNominated
from untoc_core.terms import Instrument

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def sample_event(n: int) -> GovernmentalExpertNominated:
    return GovernmentalExpertNominated(
        code="ARC",
        expert_id=f"expert-{n}",
        name=f"Expert number {n}",
        background="Prosecutor specialised in mutual legal assistance and extradition",
        position="Senior counsel, Ministry of Justice",
        offices="Central authority for mutual legal assistance",
        expertise=("mutual legal assistance", "extradition", "confiscation"),
        instruments=frozenset({Instrument.UNTOC, Instrument.TIP}),
    )


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_untoc(store: RecorderEventStore, events: int) -> dict[str, float]:
    single = min(events, 500)
    t_single = timed(
        lambda: [
            store.append(
                NewEvents(
                    stream="single", expected_version=i, events=(sample_event(i),)
                ),
                recorded_at=T0,
                actor="bench",
            )
            for i in range(single)
        ]
    )

    def batches() -> None:
        for b in range(events // 100):
            store.append(
                NewEvents(
                    stream="batch",
                    expected_version=b * 100,
                    events=tuple(sample_event(b * 100 + i) for i in range(100)),
                ),
                recorded_at=T0,
                actor="bench",
            )

    t_batch = timed(batches)
    t_replay = timed(lambda: store.read_stream("batch"))
    return {
        "single": single / t_single,
        "batch": events / t_batch,
        "replay": events / t_replay,
    }


def run_bare(
    recorder: ApplicationRecorder, events: int, state: bytes
) -> dict[str, float]:
    single = min(events, 500)
    t_single = timed(
        lambda: [
            recorder.insert_events(
                [
                    StoredEvent(
                        originator_id="single",
                        originator_version=i + 1,
                        topic="t",
                        state=state,
                    )
                ]
            )
            for i in range(single)
        ]
    )

    def batches() -> None:
        for b in range(events // 100):
            recorder.insert_events(
                [
                    StoredEvent(
                        originator_id="batch",
                        originator_version=b * 100 + i + 1,
                        topic="t",
                        state=state,
                    )
                    for i in range(100)
                ]
            )

    t_batch = timed(batches)
    t_replay = timed(lambda: recorder.select_events("batch"))
    return {
        "single": single / t_single,
        "batch": events / t_batch,
        "replay": events / t_replay,
    }


def run_registry(store: RecorderEventStore) -> dict[str, float]:
    mech = Mechanism(store, SimulatedClock(T0))
    t_import = timed(mech.load_reference_snapshot)
    t_replay = timed(mech.registry)
    return {"import_ms": t_import * 1000, "replay_ms": t_replay * 1000}


def summarise(samples: list[dict[str, float]]) -> dict[str, str]:
    return {
        k: f"{statistics.median(s[k] for s in samples):>9,.0f} "
        f"[{min(s[k] for s in samples):,.0f}-{max(s[k] for s in samples):,.0f}]"
        for k in samples[0]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    state = (
        open_memory_store()
        .mapper.to_row("x", 1, sample_event(1), recorded_at=T0, actor="bench")
        .state
    )
    print(
        f"row state size: {len(state)} bytes; {args.runs} runs of {args.events} events"
    )

    backends: dict[str, Callable[[Path], RecorderEventStore]] = {
        "memory": lambda _d: open_memory_store(),
        "sqlite": lambda d: open_sqlite_store(Settings(data_dir=d)),
    }
    try:
        import psycopg  # noqa: PLC0415

        with psycopg.connect(args.pg, connect_timeout=3):
            pass

        def pg(_d: Path) -> RecorderEventStore:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            return open_postgres_store(Settings(store_url=f"{args.pg}?schema={schema}"))

        backends["postgres"] = pg
    except Exception as exc:  # noqa: BLE001 - report and go on without PostgreSQL
        print(f"postgres skipped: {exc}")

    for name, opener in backends.items():
        ours: list[dict[str, float]] = []
        bare: list[dict[str, float]] = []
        registry: list[dict[str, float]] = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                store = opener(Path(tmp) / "a")
                ours.append(run_untoc(store, args.events))
                store.close()
                baseline = opener(Path(tmp) / "b")
                recorder = (
                    MemoryStreamRecorder() if name == "memory" else baseline.recorder
                )
                bare.append(run_bare(recorder, args.events, state))
                baseline.close()
                reg_store = opener(Path(tmp) / "c")
                registry.append(run_registry(reg_store))
                reg_store.close()
        print(f"\n{name}: events/s, median [min-max]")
        o, b = summarise(ours), summarise(bare)
        for key in o:
            ratio = statistics.median(
                x[key] / y[key] for x, y in zip(ours, bare, strict=True)
            )
            print(f"  {key:<7} untoc {o[key]}   bare eventsourcing {b[key]}", end="")
            print(f"   ratio {ratio:.2f}")
        r = summarise(registry)
        print(f"  registry import (ms) {r['import_ms']}   replay (ms) {r['replay_ms']}")


if __name__ == "__main__":
    main()
