"""Time ``untoc demo``: the whole first cycle of every State party, by phase.

Runs the demo once (or ``--runs N`` times) in fresh temporary folders and prints
each phase's median wall time, the total, and the total against the issue's
target of two minutes on this 2-core machine. The baseline measured in the same
run is the setup phase alone on a bare mechanism (loading the registry snapshot),
so that a slow machine shows as a slow baseline too.

    .venv/bin/python benchmarks/demo.py [--runs 1]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from untoc_adapters.bootstrap import open_mechanism
from untoc_adapters.demo import Demo
from untoc_adapters.settings import Settings

TARGET_SECONDS = 120.0


def baseline() -> float:
    """Seconds to load the shipped registry snapshot into a fresh SQLite store."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        mechanism = open_mechanism(Settings(data_dir=Path(folder), store="sqlite"))
        try:
            mechanism.load_reference_snapshot()
        finally:
            mechanism.store.close()
        return time.perf_counter() - started


def main() -> None:
    """Run the demo and print its phases' medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    phases: dict[str, list[float]] = {}
    totals: list[float] = []
    bases: list[float] = []
    for _ in range(args.runs):
        bases.append(baseline())
        with tempfile.TemporaryDirectory() as folder:
            outcome = Demo(Path(folder)).run()
        for phase, seconds in outcome.timings.items():
            phases.setdefault(phase, []).append(seconds)
        totals.append(sum(outcome.timings.values()))
    print(f"untoc demo, median of {args.runs} run(s), seconds")
    for phase, values in phases.items():
        print(f"  {phase:<10} {statistics.median(values):8.1f}")
    total = statistics.median(totals)
    base = statistics.median(bases)
    print(
        f"  {'total':<10} {total:8.1f}   (target {TARGET_SECONDS:.0f} s: "
        f"{'met' if total <= TARGET_SECONDS else 'NOT met'})"
    )
    print(
        f"  baseline: loading the registry snapshot {base:.2f} s; "
        f"demo / baseline {total / base:.0f}x"
    )


if __name__ == "__main__":
    main()
