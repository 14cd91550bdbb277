"""What every command shares: settings from the context, errors, JSON and parsing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console

from untoc_adapters.bootstrap import open_mechanism
from untoc_adapters.settings import Settings
from untoc_core.errors import UntocError
from untoc_core.mechanism import Mechanism
from untoc_core.terms import Instrument, RegionalGroup

console = Console()
err_console = Console(stderr=True, soft_wrap=True)

GROUP_NAMES = {
    "african": RegionalGroup.AFRICAN,
    "asia-pacific": RegionalGroup.ASIA_PACIFIC,
    "eastern-european": RegionalGroup.EASTERN_EUROPEAN,
    "grulac": RegionalGroup.GRULAC,
    "weog": RegionalGroup.WEOG,
}


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the global options resolved (see ``main.callback``)."""
    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):  # pragma: no cover - set by the callback
        msg = "settings were not resolved"
        raise TypeError(msg)
    return settings


@contextmanager
def mechanism(ctx: typer.Context) -> Iterator[Mechanism]:
    """Open the mechanism on the configured store, report refusals, close the store.

    A refusal or bad input prints its message on stderr and exits with code 1.
    """
    with refusals():
        mech = open_mechanism(settings_of(ctx))
        try:
            yield mech
        finally:
            mech.store.close()


@contextmanager
def refusals() -> Iterator[None]:
    """Turn an ``UntocError`` into a message on stderr and exit code 1."""
    try:
        yield
    except UntocError as exc:
        fail(str(exc))


def fail(message: str) -> NoReturn:
    """Print ``message`` on stderr and exit with code 1."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(1)


def print_json(document: Any) -> None:
    """Print one JSON document on stdout and nothing else."""
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def parse_date(value: str, option: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` or stop with a usage error (exit code 2)."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"{value!r} is not a date of the form YYYY-MM-DD"
        raise typer.BadParameter(msg, param_hint=option) from None


def parse_group(value: str | None) -> RegionalGroup | None:
    """Parse a regional group name or stop with a usage error."""
    if value is None:
        return None
    found = GROUP_NAMES.get(value.casefold())
    if found is None:
        known = ", ".join(GROUP_NAMES)
        msg = f"{value!r} is not a regional group; use one of {known}"
        raise typer.BadParameter(msg, param_hint="--group")
    return found


def parse_instrument(value: str, option: str = "--instrument") -> Instrument:
    """Parse an instrument name or stop with a usage error."""
    try:
        return Instrument(value.upper())
    except ValueError:
        known = ", ".join(i.value for i in Instrument)
        msg = f"{value!r} is not an instrument; use one of {known}"
        raise typer.BadParameter(msg, param_hint=option) from None
