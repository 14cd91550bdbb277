"""``untoc parties``: the registry of States parties and signatories."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    mechanism,
    parse_group,
    parse_status,
    print_json,
    read_text_file,
    refusals,
    safe,
)
from untoc_core.registry import AppointFocalPoint, RegistryEntry, parse_registry_csv
from untoc_core.terms import Instrument, Language

app = typer.Typer(
    help="The registry of States parties and signatories.", no_args_is_help=True
)


def entry_json(entry: RegistryEntry) -> dict[str, Any]:
    """A registry entry as plain JSON."""
    return {
        "code": entry.code,
        "m49": entry.m49,
        "entity_type": entry.entity_type.value,
        "names": {lang.value: entry.names.get(lang, "") for lang in Language},
        "regional_group": entry.regional_group.value if entry.regional_group else None,
        "regional_group_note": entry.regional_group_note,
        "legal_traditions": sorted(t.value for t in entry.legal_traditions),
        "instruments": {
            i.value: {
                "status": entry.standing(i).status.value,
                "signed": _text(entry.standing(i).signed),
                "deposited": _text(entry.standing(i).deposited),
                "action": entry.standing(i).action,
                "as_of": entry.standing(i).provenance.as_of,
                "basis": entry.standing(i).provenance.basis,
            }
            for i in Instrument
        },
        "focal_point": (
            {"name": entry.focal_point.name, "email": entry.focal_point.email}
            if entry.focal_point
            else None
        ),
        "experts": len(entry.experts),
    }


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@app.command("list")
def list_parties(
    ctx: typer.Context,
    as_json: JsonOption = False,
    out: OutOption = None,
    group: Annotated[
        str | None,
        typer.Option(
            help="Only this regional group (african, asia-pacific, "
            "eastern-european, grulac, weog)."
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="Only this Convention status: party, signatory, none (or non-party)."
        ),
    ] = None,
) -> None:
    """Print the registry: each State, its group and its standing per instrument."""
    wanted_group = parse_group(group)
    wanted_status = parse_status(status)
    with mechanism(ctx) as mech:
        registry = mech.registry()
    entries = [
        e
        for e in (registry.entries[c] for c in sorted(registry.entries))
        if (wanted_group is None or e.regional_group is wanted_group)
        and (wanted_status is None or e.convention_status is wanted_status)
    ]
    if as_json or out:
        print_json(
            {
                "registry_version": registry.version,
                "entries": [entry_json(e) for e in entries],
            },
            out,
        )
        return
    table = Table(
        title=f"Registry (version {registry.version}): {len(entries)} entries"
    )
    for column in ("Code", "Name", "Regional group", "UNTOC", "TIP", "SOM", "FIREARMS"):
        table.add_column(column)
    for e in entries:
        table.add_row(
            safe(e.code),
            safe(e.name()),
            safe(e.regional_group.short) if e.regional_group else "-",
            *(safe(e.standing(i).status.value) for i in Instrument),
        )
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="ISO 3166 alpha-3 code, e.g. ALB.")],
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Print everything the registry holds about one State."""
    with mechanism(ctx) as mech:
        entry = mech.registry().entry(code)
    if as_json or out:
        print_json(entry_json(entry), out)
        return
    console.print(
        f"[bold]{safe(entry.name())}[/] ({safe(entry.code)}), "
        f"{safe(entry.entity_type.value)}"
    )
    for lang in Language:
        name = entry.names.get(lang, "(unknown)")
        console.print(f"  name \\[{safe(lang.value)}]: {safe(name)}")
    group = entry.regional_group.value if entry.regional_group else "no regional group"
    console.print(
        safe(f"  regional group: {group} {entry.regional_group_note}".rstrip())
    )
    traditions = (
        ", ".join(sorted(t.value for t in entry.legal_traditions)) or "not recorded"
    )
    console.print(f"  legal traditions: {safe(traditions)}")
    for i in Instrument:
        s = entry.standing(i)
        console.print(
            safe(
                f"  {i.value}: {s.status.value}"
                + (f", signed {s.signed}" if s.signed else "")
                + (f", {s.action or 'deposited'} {s.deposited}" if s.deposited else "")
                + (f" (as of {s.provenance.as_of})" if s.provenance.as_of else "")
            )
        )
    fp = entry.focal_point
    console.print(
        safe(f"  focal point: {fp.name} <{fp.email}>" if fp else "  focal point: none")
    )
    console.print(f"  governmental experts: {len(entry.experts)}")


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A registry CSV file (see the docs).")],
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Import a registry CSV; one bad row refuses the file and nothing is recorded."""
    # The file is read and checked before the store is opened: a bad file leaves
    # no trace, not even an empty data folder.
    text = read_text_file(file)
    with refusals():
        parse_registry_csv(text, source=str(file))
    with mechanism(ctx) as mech:
        result = mech.import_registry(text, source=str(file))
    if as_json or out:
        print_json(
            {
                "rows": result.rows,
                "changes": result.changes,
                "registry_version": result.registry_version,
            },
            out,
        )
        return
    console.print(
        f"{safe(file)}: {result.rows} rows, {result.changes} changes recorded "
        f"(registry version {result.registry_version})"
    )


@app.command("appoint-focal-point")
def appoint_focal_point(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The State's code.")],
    name: Annotated[str, typer.Option(help="The focal point's name.")],
    email: Annotated[str, typer.Option(help="The focal point's e-mail address.")],
    expertise: Annotated[
        str, typer.Option(help="Substantive expertise (ToR 17).")
    ] = "",
) -> None:
    """Record the focal point a State appointed (ToR 17)."""
    with mechanism(ctx) as mech:
        mech.appoint_focal_point(
            AppointFocalPoint(
                code=code.upper(), name=name, email=email, expertise=expertise
            )
        )
    console.print(f"Focal point of {safe(code.upper())} recorded: {safe(name)}")
