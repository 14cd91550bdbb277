"""The store benchmark runs end to end in its quick mode and prints its ratios.

Only that it runs and what it prints are checked: timings vary from machine to
machine and are never asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARK = ROOT / "benchmarks" / "store.py"
RATIO_LINES = ("review append", "review replay", "material append", "material replay")


def run_quick(backend: str) -> str:
    """The benchmark's output in ``--quick`` mode on ``backend``."""
    done = subprocess.run(  # noqa: S603 - this interpreter and a fixed script
        [sys.executable, str(BENCHMARK), "--quick", "--backend", backend],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def check_report(output: str, backend: str) -> None:
    """Every measured line is there, each ratio line with its ratio and verdict."""
    assert f"{backend}: events/s" in output
    lines = output.splitlines()
    for label in RATIO_LINES:
        (line,) = [x for x in lines if x.strip().startswith(label)]
        assert "untoc" in line
        assert "bare" in line
        assert "ratio " in line
        assert "target 0.7" in line
    for label in ("(store only)", "tlog catch-up", "audit verify"):
        assert any(x.strip().startswith(label) for x in lines), label


def test_store_benchmark_runs_on_sqlite() -> None:
    """The quick run on SQLite prints medians and untoc/bare ratios."""
    check_report(run_quick("sqlite"), "sqlite")


@pytest.mark.postgres
def test_store_benchmark_runs_on_postgres(postgres_available: None) -> None:
    """The quick run on PostgreSQL prints medians and untoc/bare ratios."""
    check_report(run_quick("postgres"), "postgres")
