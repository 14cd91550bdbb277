"""``untoc cycle``: how a review cycle performed (ToR 46) and a chart of its reviews.

``cycle performance`` gives figures on the mechanism, never on a State: stage
durations and on-time shares for the whole cycle and per regional group, with
every cell resting on fewer than 5 reviews suppressed (ToR 3(b)). ``cycle chart``
draws each opened review as a row, in draw order, never sorted by lateness.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Annotated

import matplotlib as mpl
import typer
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from rich.table import Table

from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    fail,
    mechanism,
    print_json,
    safe,
)
from untoc_adapters.cli.review import AsOfOption, as_of_day, opened_reviews
from untoc_core.mechanism import Mechanism
from untoc_core.reviews import (
    CountryReview,
    Deadline,
    DeadlineStatus,
    Figures,
    Performance,
    ReviewFacts,
    StageFigures,
    mechanism_performance,
)

app = typer.Typer(
    help="A review cycle as a whole: performance figures (ToR 46) and a chart.",
    no_args_is_help=True,
)

OUTSIDE_GROUPS = "outside the regional groups"
"""The label of parties under review that belong to no regional group."""

_COMPLEMENT_PREFIX = "suppressed as well"

CycleArgument = Annotated[
    int, typer.Argument(metavar="CYCLE", min=1, help="The cycle number.")
]


def _suppressed_text(stage: StageFigures, minimum: int) -> str:
    if (stage.reason or "").startswith(_COMPLEMENT_PREFIX):
        return "suppressed (as well, so that smaller groups cannot be worked out)"
    return f"suppressed (fewer than {minimum} reviews)"


def stage_json(stage: StageFigures, minimum: int) -> dict[str, object]:
    """One stage's figures; ``figures`` is a text when they are suppressed."""
    figures: object
    if stage.suppressed or stage.spread is None:
        figures = _suppressed_text(stage, minimum)
    else:
        figures = {
            "reviews": stage.reviews,
            "judged": stage.judged,
            "median_days": stage.median_days,
            "minimum_days": stage.spread.minimum,
            "lower_quartile_days": stage.spread.lower_quartile,
            "upper_quartile_days": stage.spread.upper_quartile,
            "maximum_days": stage.spread.maximum,
            "on_time_share": stage.on_time_share,
        }
    return {
        "provision": stage.provision,
        "after": stage.after,
        "step": stage.step,
        "strength": stage.strength.value,
        "period": str(stage.period),
        "suppressed": stage.suppressed,
        "reason": stage.reason,
        "figures": figures,
    }


def performance_json(cycle: int, found: Performance) -> dict[str, object]:
    """The ToR 46 figures of a cycle as plain JSON; no State is named."""

    def figures_json(figures: Figures) -> list[dict[str, object]]:
        return [stage_json(s, found.minimum_reviews) for s in figures.stages]

    return {
        "cycle": str(cycle),
        "as_of": found.as_of.isoformat(),
        "rulebook": found.rulebook,
        "minimum_reviews": found.minimum_reviews,
        "whole_cycle": figures_json(found.whole_cycle),
        "regional_groups": [
            {"regional_group": g.regional_group, "stages": figures_json(g)}
            for g in found.regional_groups
        ],
    }


def cycle_performance(mech: Mechanism, cycle: int, as_of: dt.date) -> Performance:
    """The ToR 46 figures over the opened reviews of ``cycle``."""
    registry = mech.registry()
    facts = []
    for review in opened_reviews(mech, cycle):
        group = registry.entry(review.party_under_review).regional_group
        facts.append(
            ReviewFacts(
                review=review.review,
                regional_group=group.value if group else OUTSIDE_GROUPS,
                recorded=review.steps,
            )
        )
    return mechanism_performance(facts, mech.rulebook, as_of=as_of)


@app.command("performance")
def performance(
    ctx: typer.Context,
    cycle: CycleArgument,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Show how long each stage took over the cycle, per regional group (ToR 46)."""
    with mechanism(ctx) as mech:
        day = as_of_day(mech, as_of)
        found = cycle_performance(mech, cycle, day)
    if as_json or out:
        print_json(performance_json(cycle, found), out)
        return
    console.print(
        f"[bold]Cycle {cycle}: performance of the mechanism as of "
        f"{day.isoformat()}[/] (ToR 46). No State is named or ranked; a cell "
        f"resting on fewer than {found.minimum_reviews} reviews is suppressed."
    )
    _print_figures(f"Cycle {cycle}: all reviews", found.whole_cycle, found)
    for figures in found.regional_groups:
        _print_figures(safe(figures.regional_group), figures, found)


def _print_figures(title: str, figures: Figures, found: Performance) -> None:
    table = Table(title=title)
    table.add_column("Stage")
    table.add_column("Figures")
    for s in figures.stages:
        stage = (
            f"{safe(s.provision)}: {safe(_words(s.after))} to {safe(_words(s.step))}"
        )
        if s.suppressed or s.spread is None:
            table.add_row(stage, _suppressed_text(s, found.minimum_reviews))
            continue
        spread = s.spread
        share = "-" if s.on_time_share is None else f"{s.on_time_share:.0%}"
        table.add_row(
            stage,
            f"{s.reviews} reviews; median {s.median_days:g} days (min "
            f"{spread.minimum}, Q1 {spread.lower_quartile:g}, Q3 "
            f"{spread.upper_quartile:g}, max {spread.maximum}); on time: {share} "
            f"of {s.judged}",
        )
    console.print(table)


@app.command("chart")
def chart(
    ctx: typer.Context,
    cycle: CycleArgument,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out-dir",
            metavar="DIR",
            help="Write DIR/cycle-N.png and DIR/cycle-N.svg (DIR must exist).",
        ),
    ],
    as_of: AsOfOption = None,
) -> None:
    """Draw the cycle's reviews, one row each in draw order: stages and due dates."""
    if not out_dir.is_dir():
        msg = f"{str(out_dir)!r} is not an existing folder"
        raise typer.BadParameter(msg, param_hint="--out-dir")
    with mechanism(ctx) as mech:
        day = as_of_day(mech, as_of)
        rows = [
            (r, mech.review_timeline(r.review, as_of=day))
            for r in opened_reviews(mech, cycle)
        ]
    figure = cycle_chart(cycle, rows, as_of=day)
    written = []
    for suffix in ("png", "svg"):
        target = out_dir / f"cycle-{cycle}.{suffix}"
        try:
            figure.savefig(target, format=suffix, dpi=120, metadata=_metadata(suffix))
        except OSError as exc:
            fail(f"cannot write {target}: {exc.strerror or exc}")
        written.append(str(target))
    console.print(
        f"Chart of cycle {cycle} ({len(rows)} reviews) written to "
        f"{safe(' and '.join(written))}."
    )


def _metadata(suffix: str) -> dict[str, str | None]:
    # No creation date: the same records give the same SVG file.
    return {"Date": None} if suffix == "svg" else {}


_NOT_STAGES = frozenset({"checklist_information_received"})
"""Steps the chart leaves out: bookkeeping dates, not stages of the review."""

_STATUS_STYLE = {
    DeadlineStatus.MET: ("tab:green", "met"),
    DeadlineStatus.MET_LATE: ("tab:orange", "met late"),
    DeadlineStatus.DUE: ("tab:blue", "due"),
    DeadlineStatus.OVERDUE: ("tab:red", "overdue"),
}


def cycle_chart(
    cycle: int,
    rows: list[tuple[CountryReview, tuple[Deadline, ...]]],
    *,
    as_of: dt.date,
) -> Figure:
    """One row per review in the order given: stage bars and due-date marks.

    A stage bar runs from one recorded date to the next one, coloured by the step
    it ends at; a hatched bar runs from the last recorded date to ``as_of`` while
    the review is not completed. Each known due date is a vertical mark coloured
    by its status.
    """
    figure = Figure(
        figsize=(11, max(4.0, 1.5 + 0.45 * len(rows))), layout="constrained"
    )
    FigureCanvasAgg(figure)  # the Agg backend: files only, no window, no display
    axes = figure.add_subplot()
    axes.set_title(f"Cycle {cycle}: country reviews as of {as_of.isoformat()}")
    if not rows:
        axes.text(0.5, 0.5, "No review of this cycle is open.", ha="center")
        axes.set_axis_off()
        return figure
    steps_seen: list[str] = []
    palette = mpl.colormaps["Set3"]  # pale: the due-date marks stand out
    for index, (review, deadlines) in enumerate(rows):
        recorded = sorted(
            (day, step)
            for step, day in review.steps.items()
            if day <= as_of and step not in _NOT_STAGES
        )
        for (start, _), (end, step) in itertools.pairwise(recorded):
            if end <= start:
                continue  # recorded the same day: no bar to draw
            if step not in steps_seen:
                steps_seen.append(step)
            axes.barh(
                index,
                (end - start).days,
                left=_x(start),
                height=0.6,
                color=palette(steps_seen.index(step) % palette.N),
                edgecolor="white",
                linewidth=0.5,
            )
        if recorded and not review.completed and recorded[-1][0] < as_of:
            last = recorded[-1][0]
            axes.barh(
                index,
                (as_of - last).days,
                left=_x(last),
                height=0.6,
                color="none",
                edgecolor="grey",
                hatch="//",
                linewidth=0.5,
            )
        for d in deadlines:
            if d.due is None or d.status not in _STATUS_STYLE:
                continue
            colour, _ = _STATUS_STYLE[d.status]
            axes.plot(
                [_x(d.due)] * 2,
                [index - 0.4, index + 0.4],
                color=colour,
                linewidth=1.5,
            )
    axes.axvline(_x(as_of), color="black", linestyle=":", linewidth=1)
    axes.set_yticks(range(len(rows)), [r.review for r, _ in rows])
    axes.set_ylim(len(rows) - 0.5, -0.5)  # the first review drawn at the top
    axes.xaxis.set_major_formatter(FuncFormatter(_date_label))
    axes.xaxis.set_major_locator(MaxNLocator(nbins=7, integer=True))
    axes.tick_params(axis="x", labelrotation=30)
    axes.grid(axis="x", alpha=0.3)
    handles: list[Patch | Line2D] = [
        Patch(
            facecolor=palette(i % palette.N),
            label=f"until {_words(step)}",
        )
        for i, step in enumerate(steps_seen)
    ]
    handles.append(Patch(facecolor="none", edgecolor="grey", hatch="//", label="open"))
    handles.extend(
        Line2D([], [], color=colour, label=f"due date, {label}")
        for colour, label in _STATUS_STYLE.values()
    )
    axes.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small"
    )
    return figure


def _words(step: str) -> str:
    return step.replace("_", " ")


def _x(day: dt.date) -> int:
    """A day on the chart's x axis: its proleptic Gregorian ordinal."""
    return day.toordinal()


def _date_label(x: float, _position: int | None) -> str:
    return dt.date.fromordinal(max(round(x), 1)).isoformat()
