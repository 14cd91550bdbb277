"""``untoc conference``: the Conference's decisions on phases, cycles and scope."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from untoc_adapters.cli.common import console, mechanism, parse_date, print_json
from untoc_core.conference import Decision, phase_remaining

app = typer.Typer(
    help="Decisions of the Conference of the Parties.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


@app.command("adopt-default")
def adopt_default(
    ctx: typer.Context,
    decision: Annotated[
        str, typer.Option(help="The decision's symbol, e.g. 'resolution 5/5'.")
    ],
    adopted_on: Annotated[str, typer.Option(help="Date of adoption, YYYY-MM-DD.")],
    starts_on: Annotated[
        str, typer.Option(help="First day of the first cycle, YYYY-MM-DD.")
    ],
) -> None:
    """Record annex II's distribution: phase 1 with two five-year cycles (AX2)."""
    record = Decision(
        symbol=decision, adopted_on=parse_date(adopted_on, "--adopted-on")
    )
    start = parse_date(starts_on, "--starts-on")
    with mechanism(ctx) as mech:
        recorded = mech.establish_default_distribution(decision=record, starts_on=start)
    console.print(f"{len(recorded)} decisions recorded under {decision}.")


@app.command("show")
def show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Print the phases, cycles and thematic clusters the Conference established."""
    with mechanism(ctx) as mech:
        state = mech.conference()
    cycles = [state.cycles[n] for n in sorted(state.cycles)]
    if as_json:
        print_json(
            {
                "phases": [
                    {"phase": p.number, "title": p.title, "cycles": list(p.cycles)}
                    for p in state.phases.values()
                ],
                "cycles": [
                    {
                        "cycle": c.number,
                        "phase": c.phase,
                        "starts_on": c.starts_on,
                        "ends_on": c.ends_on,
                        "years": c.years,
                        "clusters": list(c.clusters),
                        "articles": [str(a) for a in state.scope(c.number)],
                        "parties_per_year": list(c.parties_per_year),
                        "decision": c.decision.symbol,
                    }
                    for c in cycles
                ],
                "clusters": {
                    k: {"title": v.title, "articles": [str(a) for a in v.articles]}
                    for k, v in state.clusters.items()
                },
                "exceptions": [
                    {"kind": e.kind.value, "cycle": e.cycle, "reason": e.reason}
                    for e in state.exceptions
                ],
            }
        )
        return
    if not cycles:
        console.print("The Conference has established no cycle yet.")
        return
    table = Table(title="Review cycles")
    for column in ("Phase", "Cycle", "From", "To", "Thematic scope", "Articles"):
        table.add_column(column)
    for c in cycles:
        table.add_row(
            str(c.phase),
            str(c.number),
            str(c.starts_on),
            str(c.ends_on),
            "; ".join(state.clusters[k].title for k in c.clusters),
            str(len(state.scope(c.number))),
        )
    console.print(table)


@app.command("phase-status")
def phase_status(
    ctx: typer.Context,
    phase: Annotated[int, typer.Argument(help="The phase number.")],
    as_json: JsonOption = False,
) -> None:
    """Say whether a phase is complete and which articles remain where (ToR 45)."""
    with mechanism(ctx) as mech:
        # Completed country reviews arrive with the review lifecycle; until one is
        # recorded, every article of the phase remains in every party.
        remaining = phase_remaining(
            mech.conference(), phase, mech.registry(), completed={}
        )
    if as_json:
        print_json(
            {
                "phase": phase,
                "complete": not remaining,
                "remaining": {k: [str(a) for a in v] for k, v in remaining.items()},
            }
        )
        return
    if not remaining:
        console.print(f"Phase {phase} is complete.")
        return
    pairs = sum(len(v) for v in remaining.values())
    console.print(
        f"Phase {phase} is not complete: {pairs} article reviews remain "
        f"in {len(remaining)} States parties."
    )
