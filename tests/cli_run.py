"""Running the ``untoc`` command in the tests, and reading what it printed."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from untoc_adapters import bootstrap
from untoc_adapters.bootstrap import open_mechanism
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.settings import Settings
from untoc_core import Mechanism

_RUNNER = CliRunner()


def run_cli(app: typer.Typer, data_dir: Path, *args: str) -> tuple[int, str, str]:
    """Run ``app`` on ``data_dir`` with ``args``: exit code, stdout, stderr."""
    result = _RUNNER.invoke(app, ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.stdout, result.stderr


def flat(text: str) -> str:
    """Text without the frame and line breaks of Typer's error box."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", text).split())


def json_of(out: str) -> dict[str, Any]:
    """The one JSON object a command printed."""
    document = json.loads(out)
    assert isinstance(document, dict)
    return document


def cli_clock(monkeypatch: pytest.MonkeyPatch, at: dt.datetime) -> SimulatedClock:
    """A clock set at ``at`` that every command the CLI runs then reads."""
    simulated = SimulatedClock(at)
    monkeypatch.setattr(bootstrap, "SystemClock", lambda: simulated)
    return simulated


def sqlite_data_dir(
    folder: Path, clock: SimulatedClock, setup: Callable[[Mechanism], object]
) -> Path:
    """A data folder on the embedded SQLite store, with what ``setup`` records."""
    mechanism = open_mechanism(Settings(data_dir=folder, store="sqlite"), clock)
    try:
        setup(mechanism)
    finally:
        mechanism.store.close()
    return folder
