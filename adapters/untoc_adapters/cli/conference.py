"""``untoc conference``: the Conference's decisions on phases, cycles and scope."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    mechanism,
    parse_date,
    print_json,
    safe,
)
from untoc_core.conference import (
    Decision,
    DefineThematicCluster,
    EstablishCycle,
    EstablishPhase,
    ExceptionKind,
    GrantException,
    RecordDecision,
    phase_remaining,
)
from untoc_core.conference.commands import Command
from untoc_core.instruments import ArticleRef

app = typer.Typer(
    help="Decisions of the Conference of the Parties.", no_args_is_help=True
)

DecisionOption = Annotated[
    str,
    typer.Option("--decision", help="The decision's symbol, e.g. 'resolution 5/5'."),
]
AdoptedOption = Annotated[
    str, typer.Option("--adopted-on", help="Date of adoption, YYYY-MM-DD.")
]


def _record(ctx: typer.Context, command: Command) -> None:
    with mechanism(ctx) as mech:
        recorded = mech.record_conference([command])
    console.print(f"Recorded: {type(recorded[0].event).__name__}.")


def _decision(symbol: str, adopted_on: str) -> Decision:
    return Decision(symbol=symbol, adopted_on=parse_date(adopted_on, "--adopted-on"))


@app.command("define-cluster")
def define_cluster(
    ctx: typer.Context,
    cluster_id: Annotated[str, typer.Argument(help="A short id, e.g. 'prevention'.")],
    title: Annotated[str, typer.Option(help="The cluster's title.")],
    article: Annotated[
        list[str], typer.Option(help="An article, e.g. 'UNTOC 5' (repeat for more).")
    ],
    decision: DecisionOption,
    adopted_on: AdoptedOption,
) -> None:
    """Define a thematic cluster of related articles (RES 8(d))."""
    try:
        articles = tuple(ArticleRef.parse(a) for a in article)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--article") from None
    _record(
        ctx,
        DefineThematicCluster(
            cluster_id=cluster_id,
            title=title,
            articles=articles,
            decision=_decision(decision, adopted_on),
        ),
    )


@app.command("establish-phase")
def establish_phase(
    ctx: typer.Context,
    phase: Annotated[int, typer.Argument(help="The phase number (next in order).")],
    title: Annotated[str, typer.Option(help="The phase's title.")],
    decision: DecisionOption,
    adopted_on: AdoptedOption,
) -> None:
    """Establish a review phase (ToR 45)."""
    _record(
        ctx,
        EstablishPhase(
            phase=phase, title=title, decision=_decision(decision, adopted_on)
        ),
    )


@app.command("establish-cycle")
def establish_cycle(
    ctx: typer.Context,
    cycle: Annotated[int, typer.Argument(help="The cycle number (next in order).")],
    phase: Annotated[int, typer.Option(help="The phase it belongs to.")],
    starts_on: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")],
    years: Annotated[int, typer.Option(help="Duration in years.")],
    cluster: Annotated[list[str], typer.Option(help="A thematic cluster id (repeat).")],
    decision: DecisionOption,
    adopted_on: AdoptedOption,
    parties_per_year: Annotated[
        list[int] | None,
        typer.Option(help="Parties to review in a year (repeat, once per year)."),
    ] = None,
) -> None:
    """Establish a cycle with its duration, scope and parties per year (ToR 45)."""
    _record(
        ctx,
        EstablishCycle(
            phase=phase,
            cycle=cycle,
            starts_on=parse_date(starts_on, "--starts-on"),
            years=years,
            clusters=tuple(cluster),
            parties_per_year=tuple(parties_per_year or ()),
            decision=_decision(decision, adopted_on),
        ),
    )


@app.command("grant-exception")
def grant_exception(
    ctx: typer.Context,
    kind: Annotated[ExceptionKind, typer.Option(help="What the exception allows.")],
    cycle: Annotated[int, typer.Option(help="The cycle it concerns.")],
    reason: Annotated[str, typer.Option(help="The reason the Conference gave.")],
    decision: DecisionOption,
    adopted_on: AdoptedOption,
) -> None:
    """Record an exception the Conference granted (e.g. an early cycle, ToR 13)."""
    _record(
        ctx,
        GrantException(
            kind=kind,
            cycle=cycle,
            reason=reason,
            decision=_decision(decision, adopted_on),
        ),
    )


@app.command("record-decision")
def record_decision(
    ctx: typer.Context,
    subject: Annotated[str, typer.Option(help="What the decision is about.")],
    text: Annotated[str, typer.Option(help="What the Conference decided.")],
    decision: DecisionOption,
    adopted_on: AdoptedOption,
) -> None:
    """Record another decision of the Conference on the mechanism (ToR 10, 44)."""
    _record(
        ctx,
        RecordDecision(
            subject=subject, text=text, decision=_decision(decision, adopted_on)
        ),
    )


@app.command("adopt-default")
def adopt_default(
    ctx: typer.Context,
    decision: DecisionOption,
    adopted_on: AdoptedOption,
    starts_on: Annotated[
        str, typer.Option(help="First day of the first cycle, YYYY-MM-DD.")
    ],
) -> None:
    """Record annex II's distribution: phase 1 with two five-year cycles (AX2)."""
    record = _decision(decision, adopted_on)
    start = parse_date(starts_on, "--starts-on")
    with mechanism(ctx) as mech:
        recorded = mech.establish_default_distribution(decision=record, starts_on=start)
    console.print(f"{len(recorded)} decisions recorded under {safe(decision)}.")


@app.command("show")
def show(
    ctx: typer.Context, as_json: JsonOption = False, out: OutOption = None
) -> None:
    """Print the phases, cycles and thematic clusters the Conference established."""
    with mechanism(ctx) as mech:
        state = mech.conference()
    cycles = [state.cycles[n] for n in sorted(state.cycles)]
    if as_json or out:
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
            },
            out,
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
            safe("; ".join(state.clusters[k].title for k in c.clusters)),
            str(len(state.scope(c.number))),
        )
    console.print(table)


@app.command("phase-status")
def phase_status(
    ctx: typer.Context,
    phase: Annotated[int, typer.Argument(help="The phase number.")],
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Say whether a phase is complete and which articles remain where (ToR 45)."""
    with mechanism(ctx) as mech:
        # Completed country reviews arrive with the review lifecycle; until one is
        # recorded, every article of the phase remains in every party.
        remaining = phase_remaining(
            mech.conference(), phase, mech.registry(), completed={}
        )
    if as_json or out:
        print_json(
            {
                "phase": phase,
                "complete": not remaining,
                "remaining": {k: [str(a) for a in v] for k, v in remaining.items()},
            },
            out,
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
