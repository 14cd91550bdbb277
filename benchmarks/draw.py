"""Time whole cycles of the drawing of lots, and their verification.

Run: ``.venv/bin/python benchmarks/draw.py [--seeds 3] [--sizes 193,500,2000]
[--budget 300]``

Registries:

* ``193``: the shipped registry's States parties, drawn over 5 years;
* ``500`` and ``2000``: synthetic registries that repeat the shipped one's make-up
  (regional groups, legal traditions and Protocols, party by party, under new
  codes), also over 5 years.

For each registry and seed it times, in a child process that is stopped after
``--budget`` seconds:

* draw: ``draw simulate`` in-process (review years, then every reviewer with the
  exact look-ahead, through the default solvers);
* verify: replaying the draw file from its seed and inputs, as ``draw verify`` does.

The baseline, measured in the same run on the same pool and seed, is a draw with no
look-ahead: each reviewer is drawn uniformly among the States that the picks made
so far allow (own State, Protocols, region, no mutual review, at most three
reviews), with no care for the rest of the cycle. It shows what exactness costs,
and how often the plain draw runs into a dead end or leaves a State party with no
review to perform (ToR 20).

Figures are medians, with min and max, in seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import queue
import statistics
import string
import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from untoc_adapters.cli.draw import shipped_pool
from untoc_adapters.drawfile import simulate_document, verify_document
from untoc_adapters.solvers import default_solver
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.stream import LotStream
from untoc_core.drawing.years import draw_years

YEARS = 5


def synthetic_code(i: int) -> str:
    """The ``i``-th three-letter code: AAA, AAB, ..."""
    letters = string.ascii_uppercase
    return letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26]


def synthetic_pool(size: int) -> tuple[DrawParty, ...]:
    """``size`` States repeating the shipped registry's make-up under new codes."""
    base = shipped_pool()
    return tuple(
        attrs.evolve(base[i % len(base)], code=synthetic_code(i)) for i in range(size)
    )


def seed_of(n: int) -> bytes:
    """The seed of run ``n``."""
    return hashlib.sha256(f"benchmark {n}".encode()).digest()


def plain_draw(pool: Sequence[DrawParty], seed: bytes) -> str:
    """A draw without look-ahead; says how it ended."""
    stream = LotStream(seed)
    years = draw_years(pool, YEARS, stream).review_years
    by_code = {p.code: p for p in pool}
    load = dict.fromkeys(by_code, 0)
    reviews: dict[str, set[str]] = {c: set() for c in by_code}
    for year, codes in enumerate(years, start=1):
        for code in codes:
            under = by_code[code]
            chosen: list[str] = []
            for kind in ("same", "other"):
                candidates = [
                    c
                    for c, p in by_code.items()
                    if p.can_review
                    and c != code
                    and c not in chosen
                    and under.protocols <= p.protocols
                    and load[c] < 3  # the ToR 20 maximum
                    and c not in reviews[code]
                    and (
                        kind == "other"
                        or under.regional_group is None
                        or p.regional_group == under.regional_group
                    )
                ]
                if not candidates:
                    return f"dead end in year {year}"
                pick = candidates[stream.below(len(candidates), f"{code}/{kind}").value]
                chosen.append(pick)
                load[pick] += 1
                reviews[pick].add(code)
    idle = sum(1 for c, p in by_code.items() if p.can_review and load[c] == 0)
    return f"{idle} States with no review" if idle else "complete"


def _run(job: Callable[[], Any], out: Any) -> None:
    started = time.perf_counter()
    result = job()
    out.put((time.perf_counter() - started, result))


def timed(job: Callable[[], Any], budget: float) -> tuple[float, Any] | None:
    """Run ``job`` in a child process; ``None`` if it takes longer than ``budget``."""
    context = mp.get_context("fork")
    out: Any = context.Queue()
    child = context.Process(target=_run, args=(job, out))
    child.start()
    try:
        result: tuple[float, Any] = out.get(timeout=budget)  # before join: no deadlock
    except queue.Empty:
        child.terminate()
        child.join()
        return None
    child.join()
    return result


def summary(times: list[float]) -> str:
    """Median, min and max."""
    if not times:
        return "-"
    return (
        f"{statistics.median(times):8.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f})"
    )


def measure(name: str, pool: tuple[DrawParty, ...], seeds: int, budget: float) -> float:
    """Print one registry's figures; return the median draw time (or NaN)."""
    draws: list[float] = []
    checks: list[float] = []
    plain: list[float] = []
    endings: list[str] = []
    unfinished = 0
    for n in range(seeds):
        seed = seed_of(n)

        def draw(seed: bytes = seed) -> dict[str, Any]:
            return simulate_document(pool, seed=seed, years=YEARS)

        got = timed(draw, budget)
        if got is None:
            unfinished += 1
        else:
            draws.append(got[0])
            document = got[1]

            def check(document: dict[str, Any] = document) -> bool:
                return verify_document(document, solver=default_solver()) is None

            checked = timed(check, budget)
            if checked is not None:
                checks.append(checked[0])
                if not checked[1]:
                    msg = "a simulated draw failed its own verification"
                    raise SystemExit(msg)
        started = time.perf_counter()
        endings.append(plain_draw(pool, seed))
        plain.append(time.perf_counter() - started)
    print(f"{name}: {len(pool)} parties, {YEARS} years, {seeds} seeds")
    print(f"  draw (exact look-ahead)   {summary(draws)}")
    print(f"  verify (replay)           {summary(checks)}")
    print(f"  baseline: no look-ahead   {summary(plain)}")
    print(f"    how the baseline ended: {', '.join(endings)}")
    if unfinished:
        print(f"  {unfinished} draw(s) not finished within {budget:.0f} s")
    return statistics.median(draws) if draws else float("nan")


def main() -> None:
    """Parse the options and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sizes", default="193,500,2000")
    parser.add_argument("--budget", type=float, default=300.0)
    args = parser.parse_args()
    shipped = shipped_pool()
    medians: dict[int, float] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        if size == len(shipped):
            medians[size] = measure(
                "shipped registry", shipped, args.seeds, args.budget
            )
        else:
            medians[size] = measure(
                "synthetic", synthetic_pool(size), args.seeds, args.budget
            )
    base = medians.get(len(shipped))
    for size, median in medians.items():
        if base is not None and size != len(shipped):
            print(f"{size} parties / {len(shipped)} parties: {median / base:.1f} x")


if __name__ == "__main__":
    main()
