"""The ``untoc`` command: global options, ``init``, ``demo`` and the command groups.

Conventions for every command: ``--json`` prints one JSON document on stdout and
nothing else, and ``--out FILE`` writes it to FILE instead; dates are
``YYYY-MM-DD``; exit code 0 is success, 1 a refusal or a failed check, 2 a usage
error.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer

from untoc_adapters.cli import (
    access,
    audit,
    checklist,
    conference,
    cycle,
    draw,
    experts,
    material,
    parties,
    provisions,
    report,
    review,
)
from untoc_adapters.cli.common import (
    console,
    mechanism,
    refusals,
    safe,
    settings_of,
)
from untoc_adapters.cli.summary import print_registry_summary
from untoc_adapters.settings import Settings

app = typer.Typer(
    name="untoc",
    help="Run the mechanism for reviewing implementation of the UN Convention against "
    "Transnational Organized Crime and its Protocols (resolution 5/5).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(parties.app, name="parties")
app.add_typer(experts.app, name="experts")
app.add_typer(conference.app, name="conference")
app.add_typer(provisions.app, name="provisions")
app.add_typer(draw.app, name="draw")
app.add_typer(audit.app, name="audit")
app.add_typer(access.app, name="access")
app.add_typer(material.app, name="material")
app.add_typer(review.app, name="review")
app.add_typer(cycle.app, name="cycle")
app.add_typer(checklist.app, name="checklist")
app.add_typer(report.app, name="report")


def _show_version(value: bool) -> None:  # noqa: FBT001 - Typer passes the flag value
    if value:
        typer.echo(f"untoc {version('untoc')}")
        raise typer.Exit


@app.callback()
def callback(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Folder for the embedded default's files (overrides UNTOC_DATA_DIR "
            "and untoc.toml; default ./untoc-data).",
        ),
    ] = None,
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print the version.",
        ),
    ] = False,
) -> None:
    """Resolve the settings every command uses."""
    with refusals():
        ctx.obj = Settings.load(data_dir=data_dir)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the data folder and the store, and load the shipped registry snapshot."""
    settings = settings_of(ctx)
    with mechanism(ctx) as mech:
        result = mech.load_reference_snapshot()
    console.print(
        f"Store ready ({safe(settings.store)}) in {safe(settings.data_dir)}; "
        f"registry at version "
        f"{result.registry_version} ({result.changes} changes recorded now)."
    )


@app.command()
def demo(ctx: typer.Context) -> None:
    """Run the main job on the embedded default: load the registry and summarise it."""
    settings = settings_of(ctx)
    with mechanism(ctx) as mech:
        result = mech.load_reference_snapshot()
        registry = mech.registry()
    console.print(
        f"[bold]untoc demo[/] - store: {safe(settings.store)}, "
        f"data folder: {safe(settings.data_dir)}"
    )
    console.print(
        f"Registry: {len(registry.entries)} entries, {result.changes} changes "
        f"recorded now, registry version {registry.version}."
    )
    print_registry_summary(registry)


def run() -> None:
    """Entry point of the ``untoc`` console script."""
    app()
