"""``untoc review``: the country reviews, their deadlines and calendars (GL 9-34).

Every deadline shown here is indicative (GL-9): lateness is reported, and nothing
is ever refused because of it. Reviews are listed in draw order (cycle, year, then
the order the reviewers were drawn in), never by lateness (ToR 3(b)).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated

import typer
from icalendar import Calendar, Event
from rich.table import Table

from untoc_adapters.cli import review_steps
from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    fail,
    mechanism,
    parse_date,
    print_json,
    safe,
)
from untoc_core.mechanism import Mechanism
from untoc_core.reviews import CountryReview, Deadline, due_soon

app = typer.Typer(
    help="Country reviews: their steps, indicative deadlines and calendars.",
    no_args_is_help=True,
)
app.command("open")(review_steps.open_review)
app.command("record")(review_steps.record)

DEFAULT_WITHIN = 30
"""Days ahead that ``review due`` looks by default."""

_EVENT_PREFIX = "review."

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge the deadlines on this day, YYYY-MM-DD (default: today).",
    ),
]
CycleOption = Annotated[
    int | None,
    typer.Option(
        "--cycle",
        metavar="N",
        min=1,
        help="Only this cycle (default: every cycle the Conference established).",
    ),
]
ReviewArgument = Annotated[
    str, typer.Argument(metavar="REVIEW", help="The review id, e.g. cycle-1/ARC.")
]


def step_name(review: CountryReview) -> str:
    """The last recorded step as its event's name, e.g. ``DraftReportSent``."""
    return review.last_step.removeprefix(_EVENT_PREFIX)


def review_json(review: CountryReview) -> dict[str, object]:
    """An opened review as plain JSON (the cycle is a string, as in ``draw``)."""
    opened = review.opened
    if opened is None:  # pragma: no cover - only opened reviews are listed
        msg = f"the review {review.review} is not open"
        raise ValueError(msg)
    return {
        "id": review.review,
        "cycle": str(opened.cycle),
        "year": opened.year,
        "under_review": opened.party_under_review,
        "reviewers": list(opened.reviewers),
        "step": step_name(review),
        "completed": review.completed,
    }


def deadline_json(deadline: Deadline) -> dict[str, object]:
    """A deadline as plain JSON; dates are ``YYYY-MM-DD`` or ``null``."""
    return {
        "provision": deadline.provision,
        "step": deadline.step,
        "after": deadline.after,
        "strength": deadline.strength.value,
        "period": str(deadline.period),
        "starts": _iso(deadline.starts),
        "due": _iso(deadline.due),
        "done": _iso(deadline.done),
        "status": deadline.status.value,
        "days_late": deadline.days_late,
        "description": deadline.describe(),
    }


def opened_reviews(mech: Mechanism, cycle: int | None) -> list[CountryReview]:
    """The opened reviews of ``cycle``, or of every established cycle, in draw order.

    Raises:
        InvalidInput: the Conference has not established ``cycle``.
    """
    conference = mech.conference()
    if cycle is not None:
        conference.cycle(cycle)
        cycles = [cycle]
    else:
        cycles = sorted(conference.cycles)
    return [review for number in cycles for review in mech.country_reviews(number)]


def as_of_day(mech: Mechanism, as_of: str | None) -> dt.date:
    """The ``--as-of`` day, parsed, or today by the mechanism's clock."""
    return parse_date(as_of, "--as-of") if as_of else mech.clock.now().date()


def opened_review(mech: Mechanism, review: str) -> CountryReview:
    """The review ``review``; stop with exit code 1 if it was never opened."""
    state = mech.country_review(review)
    if state.opened is None:
        fail(f"the country review {review} is not open")
    return state


@app.command("list")
def list_reviews(
    ctx: typer.Context,
    cycle: CycleOption = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """List the opened country reviews in draw order, with their last step."""
    with mechanism(ctx) as mech:
        reviews = opened_reviews(mech, cycle)
    if as_json or out:
        print_json([review_json(r) for r in reviews], out)
        return
    table = Table(title=f"Country reviews: {len(reviews)}")
    for column in ("Review", "Year", "Under review", "Reviewers", "Last step"):
        table.add_column(column)
    for r in reviews:
        row = review_json(r)
        table.add_row(
            safe(row["id"]),
            str(row["year"]),
            safe(row["under_review"]),
            safe(", ".join(r.reviewers)),
            safe(row["step"]) + (" (completed)" if r.completed else ""),
        )
    console.print(table)


@app.command("timeline")
def show_timeline(
    ctx: typer.Context,
    review: ReviewArgument,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Show every indicative deadline of a review and where it stands (GL 9)."""
    with mechanism(ctx) as mech:
        opened_review(mech, review)
        day = as_of_day(mech, as_of)
        deadlines = mech.review_timeline(review, as_of=day)
    if as_json or out:
        print_json(
            {
                "review": review,
                "as_of": day.isoformat(),
                "deadlines": [deadline_json(d) for d in deadlines],
            },
            out,
        )
        return
    table = Table(title=f"Deadlines of {safe(review)} as of {day.isoformat()}")
    table.add_column("Deadline: step, counted from")
    table.add_column("From", no_wrap=True)
    table.add_column("Due", no_wrap=True)
    table.add_column("Strength", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Late", justify="right", no_wrap=True)
    for d in deadlines:
        table.add_row(
            f"{safe(d.provision)}: {safe(_words(d.step))}, from "
            f"{safe(_words(d.after))}",
            _iso(d.starts) or "-",
            _iso(d.due) or "-",
            d.strength.value,
            d.status.value,
            str(d.days_late),
        )
    console.print(table)
    console.print("Every deadline is indicative (GL-9): lateness is only reported.")


@app.command("due")
def due(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    within: Annotated[
        int,
        typer.Option(
            "--within",
            metavar="DAYS",
            min=0,
            help=f"Look this many days ahead (default {DEFAULT_WITHIN}).",
        ),
    ] = DEFAULT_WITHIN,
    cycle: CycleOption = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """List what is overdue or falls due within the window, by due date."""
    found: list[tuple[CountryReview, Deadline]] = []
    with mechanism(ctx) as mech:
        day = as_of_day(mech, as_of)
        for r in opened_reviews(mech, cycle):
            deadlines = mech.review_timeline(r.review, as_of=day)
            found.extend(
                (r, d) for d in due_soon(deadlines, as_of=day, within_days=within)
            )
    # sorted() is stable: same-day deadlines keep draw order, then rulebook order.
    found.sort(key=lambda pair: pair[1].due or day)
    if as_json or out:
        print_json(
            {
                "as_of": day.isoformat(),
                "within_days": within,
                "deadlines": [
                    {"review": r.review, **deadline_json(d)} for r, d in found
                ],
            },
            out,
        )
        return
    table = Table(
        title=f"Due by {(day + dt.timedelta(days=within)).isoformat()} "
        f"(as of {day.isoformat()}): {len(found)}"
    )
    table.add_column("Due", no_wrap=True)
    table.add_column("Review", no_wrap=True)
    table.add_column("Provision", no_wrap=True)
    table.add_column("Step")
    table.add_column("Strength")
    table.add_column("Status")
    for r, d in found:
        status = d.status.value
        if d.days_late:
            status += f" ({d.days_late} days)"
        table.add_row(
            _iso(d.due) or "-",
            safe(r.review),
            safe(d.provision),
            safe(_words(d.step)),
            d.strength.value,
            status,
        )
    console.print(table)


@app.command("calendar")
def calendar(
    ctx: typer.Context,
    review: ReviewArgument,
    ics: Annotated[
        Path,
        typer.Option(
            "--ics", metavar="OUT", help="Write the iCalendar file here (UTF-8)."
        ),
    ],
    as_of: AsOfOption = None,
) -> None:
    """Write an iCalendar file: the review's due dates and its recorded steps."""
    if ics.is_dir() or not ics.parent.is_dir():
        msg = f"{str(ics)!r} is not a file in an existing folder"
        raise typer.BadParameter(msg, param_hint="--ics")
    with mechanism(ctx) as mech:
        state = opened_review(mech, review)
        day = as_of_day(mech, as_of)
        deadlines = mech.review_timeline(review, as_of=day)
        stamp = mech.clock.now()
    document = review_calendar(state, deadlines, stamp=stamp)
    try:
        ics.write_bytes(document.to_ical())
    except OSError as exc:
        fail(f"cannot write {ics}: {exc.strerror or exc}")
    dated = sum(1 for d in deadlines if d.due is not None)
    console.print(
        f"Calendar of {safe(review)} written to {safe(ics)}: {dated} due dates, "
        f"{len(state.steps)} recorded steps."
    )


def review_calendar(
    review: CountryReview, deadlines: tuple[Deadline, ...], *, stamp: dt.datetime
) -> Calendar:
    """One all-day event per due date and per recorded step of ``review``.

    UIDs are stable (the review and the provision, or the step), so importing the
    file again updates the same events instead of adding copies.
    """
    cal = Calendar()
    cal.add("prodid", "-//untoc//country review calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Country review {review.review}")
    for d in deadlines:
        if d.due is None:
            continue
        cal.add_component(
            _all_day(
                uid=_uid(review.review, "deadline", d.provision),
                day=d.due,
                summary=f"Due: {_words(d.step)} ({d.provision})",
                description=(
                    f"{d.describe()}\nStrength: {d.strength.value}; "
                    f"status: {d.status.value}. Indicative (GL-9)."
                ),
                stamp=stamp,
            )
        )
    for step, day in review.steps.items():
        cal.add_component(
            _all_day(
                uid=_uid(review.review, "step", step),
                day=day,
                summary=f"Recorded: {_words(step)}",
                description=f"Step {step} of {review.review}, recorded for this day.",
                stamp=stamp,
            )
        )
    return cal


def _all_day(
    *, uid: str, day: dt.date, summary: str, description: str, stamp: dt.datetime
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _uid(review: str, kind: str, name: str) -> str:
    digest = hashlib.sha256(f"{review}\n{kind}\n{name}".encode()).hexdigest()[:32]
    return f"{digest}@untoc"


def _words(step: str) -> str:
    return step.replace("_", " ")


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
