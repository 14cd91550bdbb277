"""``untoc experts``: the roster of governmental experts (ToR 21, RES 8(e))."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from rich.table import Table

from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    mechanism,
    parse_date,
    parse_group,
    parse_instrument,
    print_json,
    safe,
)
from untoc_core.registry import (
    GovernmentalExpert,
    NominateGovernmentalExpert,
    WithdrawGovernmentalExpert,
)

app = typer.Typer(help="The roster of governmental experts.", no_args_is_help=True)


def expert_json(expert: GovernmentalExpert) -> dict[str, object]:
    """An expert as plain JSON."""
    return {
        "expert_id": expert.expert_id,
        "party": expert.code,
        "name": expert.name,
        "background": expert.background,
        "position": expert.position,
        "offices": expert.offices,
        "expertise": list(expert.expertise),
        "instruments": sorted(i.value for i in expert.instruments),
    }


@app.command("list")
def list_experts(
    ctx: typer.Context,
    party: Annotated[
        str | None, typer.Option(help="Only this State's experts.")
    ] = None,
    expertise: Annotated[
        str | None,
        typer.Option(help="Only experts whose expertise contains this text."),
    ] = None,
    instrument: Annotated[
        str | None,
        typer.Option(
            help="Only experts on this instrument (TIP, SOM, FIREARMS, UNTOC)."
        ),
    ] = None,
    group: Annotated[
        str | None, typer.Option(help="Only experts of this regional group.")
    ] = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Search the roster of governmental experts; the order ranks no one (ToR 3(b))."""
    wanted_instrument = parse_instrument(instrument) if instrument else None
    wanted_group = parse_group(group)
    with mechanism(ctx) as mech:
        registry = mech.registry()
        if party:
            registry.entry(party)
        found = registry.experts(
            party=party,
            expertise=expertise,
            instrument=wanted_instrument,
            group=wanted_group,
        )
    circulation = registry.last_circulation()
    if as_json or out:
        print_json(
            {
                "experts": [expert_json(x) for x in found],
                "last_circulated_on": circulation.circulated_on
                if circulation
                else None,
            },
            out,
        )
        return
    table = Table(title=f"Governmental experts: {len(found)}")
    for column in ("Party", "Name", "Position", "Expertise", "Instruments"):
        table.add_column(column)
    # `experts withdraw` needs the whole id: never cut it short.
    table.add_column("Id", no_wrap=True, overflow="fold", min_width=36)
    for x in found:
        table.add_row(
            safe(x.code),
            safe(x.name),
            safe(x.position),
            safe("; ".join(x.expertise)),
            ", ".join(sorted(i.value for i in x.instruments)),
            safe(x.expert_id),
        )
    console.print(table)
    if circulation:
        console.print(f"List last circulated on {circulation.circulated_on}.")
    else:
        console.print("The list has not been circulated yet (ToR 21).")


@app.command("nominate")
def nominate(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The nominating State party's code.")],
    name: Annotated[str, typer.Option(help="The expert's name.")],
    background: Annotated[str, typer.Option(help="Professional background.")] = "",
    position: Annotated[str, typer.Option(help="Current position.")] = "",
    offices: Annotated[
        str, typer.Option(help="Relevant offices held and activities.")
    ] = "",
    expertise: Annotated[
        list[str] | None, typer.Option(help="An area of expertise (repeat for more).")
    ] = None,
    instrument: Annotated[
        list[str] | None,
        typer.Option(help="An instrument of expertise (repeat for more)."),
    ] = None,
) -> None:
    """Nominate a governmental expert (at most 20 per party, ToR 21); print the id."""
    instruments = frozenset(parse_instrument(i) for i in instrument or [])
    expert_id = str(uuid.uuid4())
    with mechanism(ctx) as mech:
        mech.nominate_expert(
            NominateGovernmentalExpert(
                code=code.upper(),
                expert_id=expert_id,
                name=name,
                background=background,
                position=position,
                offices=offices,
                expertise=tuple(expertise or ()),
                instruments=instruments,
            )
        )
    typer.echo(expert_id)


@app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The State's code.")],
    expert_id: Annotated[str, typer.Argument(help="The expert's id.")],
    reason: Annotated[str, typer.Option(help="Why the expert is withdrawn.")] = "",
) -> None:
    """Withdraw a governmental expert from a State's roster."""
    with mechanism(ctx) as mech:
        mech.withdraw_expert(
            WithdrawGovernmentalExpert(
                code=code.upper(), expert_id=expert_id, reason=reason
            )
        )
    console.print(f"Expert {safe(expert_id)} withdrawn.")


@app.command("circulate")
def circulate(
    ctx: typer.Context,
    on: Annotated[
        str | None,
        typer.Option(help="Date of circulation, YYYY-MM-DD (default: today)."),
    ] = None,
) -> None:
    """Record that the secretariat circulated the list of experts (ToR 21)."""
    day = parse_date(on, "--on") if on else None
    with mechanism(ctx) as mech:
        recorded = mech.circulate_expert_list(day)
    event = recorded[-1].event
    count = len(getattr(event, "expert_ids", ()))
    console.print(f"List of {count} governmental experts circulated.")
