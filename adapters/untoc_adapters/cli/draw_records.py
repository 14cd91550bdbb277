"""The recorded drawing of lots in ``untoc draw``: years, reviewers, redraws, deferrals.

``app`` holds them; the ``draw`` group adds it without a name of its own. Each
draw runs on the seed its ceremony fixed (``announce`` ... ``seed``) and records its
result on the cycle's stream ``draw/cycle-N``; the engine's questions go to
:func:`untoc_adapters.solvers.default_solver`.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from untoc_adapters.audit.milestones import checkpoint
from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    err_console,
    fail,
    mechanism,
    print_json,
    safe,
    settings_of,
)
from untoc_adapters.solvers import default_solver
from untoc_core.drawing.commands import ExceptionalRedraw
from untoc_core.drawing.events import (
    ExceptionalRedrawAuthorised,
    Reviewers,
    ReviewersDrawn,
    ReviewersRedrawn,
    ReviewYearDeferred,
    ReviewYearsDrawn,
    ServingDeferred,
    SignatoryVolunteered,
    SlotPick,
    stream_of,
)
from untoc_core.drawing.model import CycleDraws
from untoc_core.events import converter
from untoc_core.mechanism import Mechanism
from untoc_core.ports import Recorded

app = typer.Typer()
"""The commands of the recorded draws, added to ``untoc draw`` as they are."""

CycleOption = Annotated[
    int, typer.Option("--cycle", metavar="N", min=1, help="The cycle.")
]
YearOption = Annotated[
    int, typer.Option("--year", metavar="Y", min=1, help="The year of the cycle.")
]
StateOption = Annotated[
    str, typer.Option("--state", metavar="CODE", help="The State's code, e.g. ARC.")
]
AcceptStaleOption = Annotated[
    bool,
    typer.Option(
        "--accept-stale-registry",
        help="Draw although the registry rests on reference data known to be out of "
        "date; the acceptance is recorded with the draw.",
    ),
]


# -- output ----------------------------------------------------------------------------


def _recorded_json(recorded: list[Recorded]) -> list[dict[str, Any]]:
    """Recorded events as stored: stream, version, type and payload."""
    return [
        {
            "stream": r.stream,
            "version": r.version,
            "type": r.event.TYPE,
            "event": converter.unstructure(r.event),
        }
        for r in recorded
    ]


def _review_json(state: CycleDraws, review: Reviewers) -> dict[str, Any]:
    return {
        "under_review": review.under_review,
        "reviewers": list(review.reviewers),
        "same_region_reviewer": review.same_region_reviewer,
        "instruments": [i.value for i in state.instruments_of(review.under_review)],
        "redraws": state.redraw_count(review.year, review.under_review),
    }


def draws_json(state: CycleDraws, year: int | None = None) -> dict[str, Any]:
    """The draws of a cycle as one JSON document (one year's, if ``year`` is set)."""
    chosen = [year] if year is not None else range(1, state.number_of_years + 1)
    years_drawn = state.years
    return {
        "cycle": state.cycle,
        "stream": stream_of(state.cycle),
        "version": state.version,
        "volunteers": list(state.volunteers),
        "review_years_drawn": converter.unstructure(years_drawn),
        "review_years": {
            str(y): list(codes) for y, codes in enumerate(state.review_years, start=1)
        },
        "deferrals": [
            converter.unstructure(d) for _, d in sorted(state.year_deferrals.items())
        ],
        "years": {
            str(y): {
                "reviewers_drawn": y in state.drawn,
                "draw_id": state.drawn[y].draw_id if y in state.drawn else None,
                "reviews": [_review_json(state, r) for r in state.reviews(y)],
                "excluded": [converter.unstructure(e) for e in state.exclusions(y)],
                "serving_deferrals": [
                    converter.unstructure(d)
                    for _, d in sorted(state.serving.get(y, {}).items())
                ],
            }
            for y in chosen
        },
        "transcript": [
            # "lot", not "kind": a pick has a field "kind" of its own (its slot's).
            {"lot": "pick" if isinstance(line, SlotPick) else "shuffle"}
            | converter.unstructure(line)
            for line in state.transcript
        ],
    }


def _print_reviews(state: CycleDraws, year: int) -> None:
    drawn = state.drawn.get(year)
    title = f"Cycle {state.cycle}, year {year}: " + (
        "reviewers drawn" if drawn else "reviewers not drawn yet"
    )
    table = Table(title=title)
    for column in ("Under review", "Reviewers", "Same region", "Covers", "Redraws"):
        table.add_column(column)
    for review in state.reviews(year):
        table.add_row(
            safe(review.under_review),
            safe(", ".join(review.reviewers) or "-"),
            safe(review.same_region_reviewer or "-"),
            safe(", ".join(i.value for i in state.instruments_of(review.under_review))),
            str(state.redraw_count(year, review.under_review)),
        )
    console.print(table)
    for exclusion in state.exclusions(year):
        console.print(
            f"Does not serve in year {year}: {safe(exclusion.code)} "
            f"({exclusion.reason.value.replace('_', ' ')})"
        )


def _print_years(state: CycleDraws) -> None:
    drawn = state.years
    if drawn is None:
        console.print(f"The review years of cycle {state.cycle} are not drawn yet.")
        if state.volunteers:
            console.print(f"Volunteers: {safe(', '.join(state.volunteers))}")
        return
    table = Table(title=f"Cycle {state.cycle}: review years")
    for column in ("Year", "Under review", "Reviewers drawn"):
        table.add_column(column)
    for y, codes in enumerate(state.review_years, start=1):
        table.add_row(
            str(y), safe(", ".join(codes)), "yes" if y in state.drawn else "no"
        )
    console.print(table)
    for deferral in state.year_deferrals.values():
        console.print(
            f"{safe(deferral.code)} deferred from year {deferral.from_year} to year "
            f"{deferral.to_year}: {safe(deferral.justification)}"
        )
    console.print(
        f"Seed {drawn.seed}; inputs SHA-256 {drawn.inputs_sha256}; registry version "
        f"{drawn.registry_version}."
    )
    if drawn.stale_registry_accepted:
        console.print(
            f"[yellow]Drawn on stale reference data, accepted:[/] "
            f"{safe('; '.join(drawn.stale_blocks))}"
        )


def _say(recorded: list[Recorded], state: CycleDraws) -> None:  # noqa: C901
    """One or two lines saying what was recorded."""
    for r in recorded:
        event = r.event
        match event:
            case SignatoryVolunteered():
                console.print(
                    f"{safe(event.code)} volunteers to be reviewed in cycle "
                    f"{event.cycle}, on the Convention only."
                )
            case ReviewYearsDrawn():
                _print_years(state)
            case ReviewYearDeferred():
                console.print(
                    f"{safe(event.code)} is now reviewed in year {event.to_year} "
                    f"(deferred from year {event.from_year})."
                )
            case ReviewersDrawn():
                _print_reviews(state, event.year)
            case ExceptionalRedrawAuthorised():
                console.print(
                    f"Repeated draw {event.redraw} of {safe(event.under_review)} in "
                    f"year {event.year} authorised by {safe(event.decided_by)}."
                )
            case ReviewersRedrawn():
                console.print(
                    f"Reviewers of {safe(event.under_review)} drawn again "
                    f"(repeat {event.redraw}): "
                    f"{safe(', '.join(event.reviews.reviewers))}; released "
                    f"{safe(', '.join(event.released))}."
                )
            case ServingDeferred():
                console.print(
                    f"{safe(event.code)} does not serve as a reviewer in year "
                    f"{event.year}."
                )
                for review in event.reviews:
                    console.print(
                        f"  {safe(review.under_review)} is now reviewed by "
                        f"{safe(', '.join(review.reviewers))}"
                    )
                if event.redraw_exclusions_lifted:
                    console.print(
                        "  A reviewer released by a repeated draw had to be drawn "
                        "again: no other could replace it (ADR 0005)."
                    )


def _done(
    mech: Mechanism,
    cycle: int,
    recorded: list[Recorded],
    *,
    as_json: bool,
    out: Any,
) -> None:
    state = mech.cycle_draws(cycle)
    if as_json or out:
        print_json({"recorded": _recorded_json(recorded)}, out)
        return
    _say(recorded, state)


# -- commands --------------------------------------------------------------------------


@app.command("inputs")
def inputs(
    ctx: typer.Context,
    draw_id: Annotated[
        str,
        typer.Argument(
            metavar="DRAW_ID",
            help="'cycle-N/years' or 'cycle-N/year-Y/reviewers'.",
            show_default=False,
        ),
    ],
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Show the inputs of a recorded draw, as of now, and their SHA-256."""
    with mechanism(ctx) as mech:
        found = mech.draw_inputs(draw_id, solver=default_solver())
    if as_json or out:
        print_json(
            {
                "draw_id": found.draw_id,
                "sha256": found.sha256,
                "inputs": found.document,
            },
            out,
        )
        return
    document = found.document
    console.print(f"Draw {safe(found.draw_id)}: inputs SHA-256 {found.sha256}")
    if "parties" in document:
        console.print(
            f"{len(document['parties'])} States, {document['years']} year(s) from "
            f"{document['starts_on']}, registry version {document['registry_version']}."
        )
    else:
        console.print(
            f"Registry version {document['registry_version']}; list of experts of "
            f"{document['expert_list']['circulated_on']}; "
            f"{len(document['assignment'])} slot(s) filled before; "
            f"{len(document['excluded'])} State(s) not serving this year."
        )


@app.command("volunteer")
def volunteer(
    ctx: typer.Context,
    cycle: CycleOption,
    state: StateOption,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Record that a signatory volunteers to be reviewed in a cycle (ToR 57)."""
    with mechanism(ctx) as mech:
        recorded = mech.volunteer_for_review(cycle, state)
        _done(mech, cycle, recorded, as_json=as_json, out=out)


@app.command("years")
def years(
    ctx: typer.Context,
    cycle: CycleOption,
    accept_stale_registry: AcceptStaleOption = False,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Draw each State's year of review in a cycle, from the seed of cycle-N/years."""
    with mechanism(ctx) as mech:
        recorded = mech.draw_review_years(
            cycle, accept_stale_registry=accept_stale_registry, solver=default_solver()
        )
        checkpoint(settings_of(ctx), mech.store)  # lots drawn: a milestone
        _done(mech, cycle, recorded, as_json=as_json, out=out)


@app.command("reviewers")
def reviewers(
    ctx: typer.Context,
    cycle: CycleOption,
    year: YearOption,
    accept_stale_registry: AcceptStaleOption = False,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Draw the reviewers of a year's States, from their draw's seed (ToR 18-21)."""
    with mechanism(ctx) as mech:
        recorded = mech.draw_reviewers(
            cycle,
            year,
            accept_stale_registry=accept_stale_registry,
            solver=default_solver(),
        )
        checkpoint(settings_of(ctx), mech.store)  # lots drawn: a milestone
        _done(mech, cycle, recorded, as_json=as_json, out=out)


@app.command("redraw")
def redraw(
    ctx: typer.Context,
    cycle: CycleOption,
    year: YearOption,
    state: StateOption,
    exceptional_reason: Annotated[
        str | None,
        typer.Option(
            "--exceptional-reason",
            metavar="TEXT",
            help="Beyond the second repeat: the exceptional circumstances, recorded "
            "with the repeat (needs --decided-by).",
        ),
    ] = None,
    decided_by: Annotated[
        str | None,
        typer.Option(
            "--decided-by",
            metavar="TEXT",
            help="Who decided the circumstances are exceptional, and by what decision.",
        ),
    ] = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Draw again the reviewers of a State under review, at its request (ToR 19)."""
    if (exceptional_reason is None) != (decided_by is None):
        msg = "give both --exceptional-reason and --decided-by, or neither"
        raise typer.BadParameter(msg, param_hint="--exceptional-reason")
    authorisation = None
    if exceptional_reason is not None and decided_by is not None:
        authorisation = ExceptionalRedraw(
            reason=exceptional_reason, decided_by=decided_by
        )
    with mechanism(ctx) as mech:
        recorded = mech.redraw(
            cycle, year, state, authorisation, solver=default_solver()
        )
        checkpoint(settings_of(ctx), mech.store)  # lots drawn: a milestone
        _done(mech, cycle, recorded, as_json=as_json, out=out)


@app.command("authorise-redraw")
def authorise_redraw(
    ctx: typer.Context,
    cycle: CycleOption,
    year: YearOption,
    state: StateOption,
    reason: Annotated[
        str,
        typer.Option("--reason", metavar="TEXT", help="The exceptional circumstances."),
    ],
    decided_by: Annotated[
        str,
        typer.Option(
            "--decided-by",
            metavar="TEXT",
            help="Who decided the circumstances are exceptional, and by what decision.",
        ),
    ],
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Record that a State's next repeat of the draw, beyond the second, is allowed."""
    with mechanism(ctx) as mech:
        recorded = mech.authorise_exceptional_redraw(
            cycle, year, state, reason, decided_by
        )
        _done(mech, cycle, recorded, as_json=as_json, out=out)


@app.command("defer")
def defer(
    ctx: typer.Context,
    cycle: CycleOption,
    state: StateOption,
    justification: Annotated[
        str,
        typer.Option(
            "--justification",
            metavar="TEXT",
            help="Why; required to defer a review to the following year.",
        ),
    ] = "",
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="Y",
            min=1,
            help="With --serving: the year the State does not serve in.",
        ),
    ] = None,
    serving: Annotated[
        bool,
        typer.Option(
            "--serving",
            help="Defer serving as a reviewer in --year Y (ToR 20), instead of "
            "deferring the State's own review to the following year (ToR 14).",
        ),
    ] = False,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Defer a State's review to the following year, or its serving in a year."""
    if serving and year is None:
        msg = "--serving needs --year Y, the year the State does not serve in"
        raise typer.BadParameter(msg, param_hint="--year")
    if not serving and year is not None:
        msg = (
            "--year goes with --serving; a review is always deferred to the year "
            "after the one drawn"
        )
        raise typer.BadParameter(msg, param_hint="--year")
    with mechanism(ctx) as mech:
        if year is not None:
            recorded = mech.defer_serving(
                cycle, year, state, justification, solver=default_solver()
            )
        else:
            recorded = mech.defer_review_year(
                cycle, state, justification, solver=default_solver()
            )
        _done(mech, cycle, recorded, as_json=as_json, out=out)


@app.command("show")
def show(
    ctx: typer.Context,
    cycle: CycleOption,
    year: Annotated[
        int | None,
        typer.Option("--year", metavar="Y", min=1, help="Show only this year."),
    ] = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Show what was drawn in a cycle: review years, reviewers, exclusions, redraws."""
    with mechanism(ctx) as mech:
        state = mech.cycle_draws(cycle)
    if year is not None and state.years is not None and year > state.number_of_years:
        fail(f"cycle {cycle} has years 1 to {state.number_of_years}, not {year}")
    if as_json or out:
        print_json(draws_json(state, year), out)
        return
    _print_years(state)
    if state.years is None:
        return
    for y in [year] if year is not None else range(1, state.number_of_years + 1):
        _print_reviews(state, y)


@app.command("check")
def check(
    ctx: typer.Context,
    cycle: CycleOption,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Replay every recorded draw of a cycle from its seed; exit 1 on a mismatch."""
    with mechanism(ctx) as mech:
        found = mech.verify_draws(cycle, solver=default_solver())
        events = len(mech.store.read_stream(stream_of(cycle)))
    if as_json or out:
        print_json(
            {
                "cycle": cycle,
                "events": events,
                "verified": not found,
                "discrepancies": [converter.unstructure(d) for d in found],
            },
            out,
        )
    elif not found:
        console.print(
            f"Cycle {cycle}: the {events} recorded event(s) verify; each draw gives "
            "the same result from its seed and inputs."
        )
    if found:
        for discrepancy in found:
            err_console.print(safe(discrepancy), highlight=False)
        raise typer.Exit(1)
