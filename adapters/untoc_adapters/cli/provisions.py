"""``untoc provisions``: the provisions and the scenarios that test them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    fail,
    print_json,
    refusals,
    safe,
)
from untoc_adapters.coverage import coverage, scan_features
from untoc_core.rules.provisions import provisions

app = typer.Typer(
    help="Provisions of resolution 5/5 and their scenarios.", no_args_is_help=True
)


@app.command("coverage")
def show_coverage(
    features: Annotated[
        Path, typer.Option(help="The folder of .feature files.")
    ] = Path("features"),
    as_json: JsonOption = False,
    out: OutOption = None,
    strict: Annotated[
        bool,
        typer.Option(help="Exit 1 if a provision is uncovered or a tag is unknown."),
    ] = False,
) -> None:
    """For every provision that needs one, list the scenarios tagged with its id."""
    catalogue = provisions()
    with refusals():
        result = coverage(catalogue, scan_features(features))
    if as_json or out:
        print_json(result.to_json(), out)
    else:
        table = Table(title="Provisions and the scenarios that test them")
        table.add_column("Provision")
        table.add_column("Kind")
        table.add_column("Scenarios")
        for pid, p in catalogue.items():
            if not p.needs_scenario:
                continue
            found = result.covered.get(pid, ())
            label = (
                "\n".join(safe(s.label) for s in found)
                if found
                else "[red]not yet covered[/]"
            )
            table.add_row(safe(pid), safe(p.kind.value), label)
        console.print(table)
        required = len(result.covered) + len(result.uncovered)
        console.print(f"{len(result.covered)}/{required} provisions covered.")
        for tag, scenarios in result.unknown_tags.items():
            console.print(
                f"[red]unknown provision tag @{safe(tag)}[/] "
                f"on {safe(scenarios[0].label)}"
            )
    if strict and (result.uncovered or result.unknown_tags):
        fail(
            f"{len(result.uncovered)} provisions uncovered, "
            f"{len(result.unknown_tags)} unknown provision tags"
        )
