"""The ``untoc`` command: global options, ``init``, ``demo`` and the command groups.

Conventions for every command: ``--json`` prints one JSON document on stdout and
nothing else, and ``--out FILE`` writes it to FILE instead; dates are
``YYYY-MM-DD``; exit code 0 is success, 1 a refusal or a failed check, 2 a usage
error.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

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
from untoc_adapters.cli.summary import print_demo_summary, print_registry_summary
from untoc_adapters.demo import DEFAULT_SEED, Demo, check_folder
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
def demo(
    ctx: typer.Context,
    seed: Annotated[
        str,
        typer.Option(
            "--seed",
            metavar="HEX",
            help=f"The seed of the run (default: {DEFAULT_SEED}).",
        ),
    ] = DEFAULT_SEED,
    force: Annotated[
        bool,
        typer.Option("--force", help="Empty a data folder that is not empty first."),
    ] = False,
) -> None:
    """Run a whole first cycle of every State party on the embedded default.

    Draws, every country review, every report, the chart, the calendar, a
    checklist workbook in six languages, and the audit, deterministically from
    the seed, in a fresh data folder; everything for people goes to DATA_DIR/out.
    """
    settings = settings_of(ctx)
    if not re.fullmatch(r"[0-9a-fA-F]{8,64}", seed):
        msg = f"{seed!r} is not a seed: 8 to 64 hexadecimal digits"
        raise typer.BadParameter(msg, param_hint="--seed")
    with refusals():
        check_folder(settings.data_dir, force=force)
    console.print(
        f"[bold]untoc demo[/] - seed {safe(seed)}, data folder "
        f"{safe(settings.data_dir)} (SQLite and local key files)"
    )
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bars:
        tasks: dict[str, TaskID] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bars.add_task(phase, total=total)
            bars.update(tasks[phase], completed=done, total=total)

        with refusals():
            outcome = Demo(
                settings.data_dir, seed=seed.lower(), progress=progress
            ).run()
    with mechanism(ctx) as mech:
        print_registry_summary(mech.registry())
    print_demo_summary(outcome)
    if not outcome.audit_ok or outcome.controls_passed != outcome.controls:
        raise typer.Exit(1)


def run() -> None:
    """Entry point of the ``untoc`` console script."""
    app()
