"""``untoc report``: the documents of the mechanism, in the six languages.

Country review reports are confidential (ToR 36): they are built from what the
acting principal may read, and each read is logged. Executive summaries are
published only in all six languages, once agreed (ToR 35); thematic and expert
group reports name no State and rank none (ToR 3(b), 37 quinquies).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from untoc_adapters import reports
from untoc_adapters.cli.common import (
    AsOption,
    acting,
    console,
    mechanism,
    parse_date,
    safe,
    vault,
)
from untoc_adapters.cli.material import (
    ReviewArgument,
    check_content_out,
    read_input,
    write_content,
)
from untoc_core.mechanism import Mechanism
from untoc_core.reports import publication as pub
from untoc_core.reports.acronyms import undefined_acronyms
from untoc_core.terms import RegionalGroup

app = typer.Typer(
    help="Render the reports of the mechanism (ToR 25, 32-35, 37 bis-sexies, 46) "
    "and publish the six language versions of summaries and reports (ToR 35, 51).",
    no_args_is_help=True,
)


def _language(value: str) -> str:
    if value not in pub.LANGUAGES:
        msg = (
            f"{value!r} is not an official language: {', '.join(pub.LANGUAGES)} "
            "(ToR 48)"
        )
        raise typer.BadParameter(msg, param_hint="--lang")
    return value


def _out(value: Path) -> Path:
    return check_content_out(value) or value


LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        metavar="LANG",
        help="The document's language: ar, zh, en, fr, ru or es.",
        callback=_language,
    ),
]
FormatOption = Annotated[
    reports.Format,
    typer.Option("--format", metavar="FORMAT", help="docx, pdf or html."),
]
FileOut = Annotated[
    Path,
    typer.Option(
        "--out",
        metavar="FILE",
        help="Where to write the document (mode 0600).",
        callback=_out,
    ),
]
CycleArgument = Annotated[int, typer.Argument(metavar="CYCLE", min=1)]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on", metavar="YYYY-MM-DD", help="The date printed (default: today)."
    ),
]


def _today(on: str | None, mech: Mechanism) -> dt.date:
    """The date printed on a document: ``--on``, else today on the store's clock."""
    return parse_date(on, "--on") if on else mech.clock.now().date()


@app.command("country")
def country(
    ctx: typer.Context,
    review: ReviewArgument,
    lang: LangOption,
    fmt: FormatOption,
    out: FileOut,
    as_: AsOption = None,
    on: OnOption = None,
) -> None:
    """The country review report of a review, per the blueprint (confidential).

    Built from the review's events, the registry, the checklist's answers and the
    findings' texts, which the acting principal must be allowed to read; each
    read is logged.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        document = reports.country_document(
            opened, principal, review, language=lang, today=_today(on, opened.mechanism)
        )
    write_content(reports.render(document, fmt), out)


@app.command("summary")
def summary(
    ctx: typer.Context,
    review: ReviewArgument,
    lang: LangOption,
    fmt: FormatOption,
    out: FileOut,
    as_: AsOption = None,
    on: OnOption = None,
) -> None:
    """The executive summary of a review in one language.

    The delivered language version, or else section III of the report, with its
    findings in the language they were written in, marked as such.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        document = reports.summary_document(
            opened, principal, review, language=lang, today=_today(on, opened.mechanism)
        )
    write_content(reports.render(document, fmt), out)


@app.command("thematic")
def thematic(
    ctx: typer.Context,
    cycle: CycleArgument,
    lang: LangOption,
    fmt: FormatOption,
    out: FileOut,
    group: Annotated[
        RegionalGroup | None,
        typer.Option("--group", metavar="GROUP", help="A regional addendum."),
    ] = None,
    as_: AsOption = None,
    on: OnOption = None,
) -> None:
    """The thematic implementation report of a cycle, or a regional addendum.

    It compiles the findings of the cycle's final reports by theme and article;
    no State is named, and a finding recorded in fewer than two reviews is not
    listed (ToR 34, ToR 3(b)).
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        document = reports.thematic_document(
            opened,
            principal,
            cycle,
            language=lang,
            today=_today(on, opened.mechanism),
            group=group.value if group else "",
        )
    write_content(reports.render(document, fmt), out)


@app.command("expert-group")
def expert_group(
    ctx: typer.Context,
    cycle: CycleArgument,
    year: Annotated[int, typer.Option("--year", metavar="N", min=1)],
    lang: LangOption,
    fmt: FormatOption,
    out: FileOut,
    as_: AsOption = None,
    on: OnOption = None,
) -> None:
    """The technical expert group report of a year of a cycle (ToR 37 bis-sexies).

    Built from the compilation, the published executive summaries and the other
    non-confidential information the group recorded; it names no State.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        document = reports.expert_group_document(
            opened,
            principal,
            cycle,
            year=year,
            language=lang,
            today=_today(on, opened.mechanism),
        )
    write_content(reports.render(document, fmt), out)


@app.command("performance")
def performance(
    ctx: typer.Context,
    cycle: CycleArgument,
    lang: LangOption,
    fmt: FormatOption,
    out: FileOut,
    on: OnOption = None,
) -> None:
    """The performance report of a cycle: stage durations and delays (ToR 46)."""
    with mechanism(ctx) as mech:
        document = reports.performance_document(
            mech, cycle, language=lang, today=_today(on, mech)
        )
    write_content(reports.render(document, fmt), out)


@app.command("deliver")
def deliver(
    ctx: typer.Context,
    review: ReviewArgument,
    lang: LangOption,
    source: Annotated[
        Path,
        typer.Option("--from", metavar="FILE", help="The UTF-8 text of the version."),
    ],
    as_: AsOption = None,
) -> None:
    """Deliver one language version of a review's executive summary.

    The text is sealed in the review's summary scope and its SHA-256 recorded.
    """
    principal = acting(ctx, as_)
    data = read_input(source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        msg = f"{source} is not UTF-8 text"
        raise typer.BadParameter(msg, param_hint="--from") from None
    with vault(ctx) as opened:
        recorded = reports.deliver_translation(
            opened, principal, review, language=lang, text=text
        )
    console.print(
        f"Delivered the {lang} version of the executive summary of {safe(review)} "
        f"(material version {recorded.version})."
    )


@app.command("check")
def check(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(metavar="DOCUMENT")],
    lang: LangOption,
    sha256: Annotated[
        str, typer.Option("--sha256", metavar="HEX", help="The version checked.")
    ],
    as_: AsOption = None,
) -> None:
    """Record that a delivered language version was checked against the original."""
    principal = acting(ctx, as_)
    with mechanism(ctx) as mech:
        mech.record_translation(
            pub.TranslationChecked(
                document=document, language=lang, sha256=sha256, checked_by=principal
            ),
            actor=principal,
        )
    console.print(f"Checked the {lang} version of {safe(document)}.")


@app.command("publish")
def publish(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(metavar="DOCUMENT")],
    as_: AsOption = None,
) -> None:
    """Publish a document in the six languages, signed (ToR 35, 51).

    Refused, naming each language missing, until all six versions are delivered
    and checked; an executive summary also needs the three States' agreement.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        reports.publish(opened, document, as_principal=principal)
    console.print(f"Published {safe(document)} in the six official languages.")


@app.command("acronyms")
def acronyms(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A UTF-8 text: a desk review, a report; '-' reads standard input.",
        ),
    ],
) -> None:
    """Flag each abbreviation a text uses before defining it (GL 22).

    Prints each one with its line and column and exits with status 1; prints that
    none was found and exits with status 0 otherwise. Nothing is recorded.
    """
    data = read_input(source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        msg = f"{source} is not UTF-8 text"
        raise typer.BadParameter(msg, param_hint="FILE") from None
    found = undefined_acronyms(text)
    for acronym in found:
        where = f"line {acronym.line}, column {acronym.column}"
        console.print(
            f"{where}: {safe(acronym.abbreviation)} is used before it is defined "
            "(GL 22)",
            highlight=False,
        )
    if found:
        raise typer.Exit(1)
    console.print("Every abbreviation is defined at its first use.")


__all__ = ["app"]
