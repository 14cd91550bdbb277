"""What ``untoc demo`` prints: the registry by group and instrument, then the run."""

from __future__ import annotations

import re
from pathlib import Path

from rich.table import Table

from untoc_adapters.cli.common import console, safe
from untoc_adapters.demo import Outcome
from untoc_core.registry import Registry, reference_snapshot
from untoc_core.terms import Instrument, RegionalGroup, TreatyStatus

_DATE = re.compile(r"\d{4}(?:-\d{2}){0,2}")


def _date_key(as_of: str) -> str:
    """Sort key for as-of texts such as ``2014-01-27``, ``2025`` or ``c.2023``."""
    found = _DATE.search(as_of)
    return found.group() if found else ""


def print_registry_summary(registry: Registry) -> None:
    """Print parties per regional group and instrument, then the data's as-of dates.

    Counts are per group and instrument; no State is ranked or compared (ToR 3(b)).
    """
    table = Table(title="States parties by regional group and instrument")
    table.add_column("Regional group")
    for instrument in Instrument:
        table.add_column(instrument.value, justify="right")
    table.add_column("Signatories (UNTOC)", justify="right")
    groups: list[RegionalGroup | None] = [*RegionalGroup, None]
    entries = list(registry.entries.values())
    for group in groups:
        members = [e for e in entries if e.regional_group is group]
        counts = [
            sum(1 for e in members if e.standing(i).status is TreatyStatus.PARTY)
            for i in Instrument
        ]
        signatories = sum(1 for e in members if e.is_signatory)
        table.add_row(
            safe(group.value) if group else "No regional group",
            *(str(n) for n in counts),
            str(signatories),
        )
    totals = [
        sum(1 for e in entries if e.standing(i).status is TreatyStatus.PARTY)
        for i in Instrument
    ]
    table.add_row(
        "[bold]All[/]",
        *(f"[bold]{n}[/]" for n in totals),
        f"[bold]{len(registry.signatories())}[/]",
    )
    console.print(table)

    snapshot = reference_snapshot()
    console.print(f"[bold]Reference data:[/] {safe(snapshot.name)}")
    for instrument in Instrument:
        dates = sorted(
            {
                e.standing(instrument).provenance.as_of
                for e in entries
                if _DATE.search(e.standing(instrument).provenance.as_of)
            },
            key=_date_key,
        )
        if dates:
            console.print(
                f"  {instrument.value} standings as of {safe(dates[0])} (base) "
                f"to {safe(dates[-1])} (latest update)"
            )
    for block in snapshot.blocks:
        flag = "[yellow]STALE[/] " if block.stale else ""
        console.print(f"  {flag}{safe(block.name)}: as of {safe(block.as_of)}")
    for block in snapshot.stale_blocks:
        console.print(
            f"[yellow]Warning - {safe(block.name)}:[/] "
            f"{safe(' '.join(block.note.split()))}"
        )


def print_demo_summary(outcome: Outcome) -> None:
    """Print what ``untoc demo`` did: figures, time by phase, outputs, the audit."""
    figures = Table(title=f"untoc demo, seed {outcome.seed}")
    figures.add_column("What")
    figures.add_column("How many", justify="right")
    for name, value in outcome.figures.items():
        figures.add_row(safe(name), str(value))
    figures.add_row("events recorded", str(outcome.audit_rows))
    console.print(figures)
    timings = Table(title="Time by phase")
    timings.add_column("Phase")
    timings.add_column("Seconds", justify="right")
    for phase, seconds in outcome.timings.items():
        timings.add_row(phase, f"{seconds:.1f}")
    timings.add_row("total", f"{sum(outcome.timings.values()):.1f}")
    console.print(timings)
    out = outcome.data_dir / "out"
    folders: dict[str, list[Path]] = {}
    for path in outcome.files:
        relative = path.relative_to(out)
        key = relative.parts[0] if len(relative.parts) > 1 else "."
        folders.setdefault(key, []).append(path)
    written = Table(title=f"Written under {safe(out)}")
    written.add_column("Folder")
    written.add_column("Files", justify="right")
    written.add_column("For example")
    for key, paths in sorted(folders.items()):
        written.add_row(safe(key), str(len(paths)), safe(paths[0].relative_to(out)))
    console.print(written)
    verdict = "holds" if outcome.audit_ok else "FAILS"
    console.print(
        f"Audit: integrity of {outcome.audit_rows} rows {verdict}; "
        f"{outcome.controls_passed}/{outcome.controls} control tests pass "
        f"(report in {safe(out / 'audit' / 'report.html')})."
    )
