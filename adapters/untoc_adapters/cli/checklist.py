"""``untoc checklist``: the self-assessment checklist of a review (RES 6, ToR 15).

The secretariat issues a review's checklist; the focal point of the party under
review exports it as a workbook in any of the six languages, splits it among
ministries if it likes, imports each copy back, and submits the response when
every required question is answered. Answers are sealed in the review's dossier;
``status`` needs no key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from untoc_adapters import checklists as desk
from untoc_adapters.cli.common import (
    AsOption,
    JsonOption,
    OutOption,
    acting,
    console,
    mechanism,
    parse_date,
    print_json,
    safe,
    vault,
)
from untoc_adapters.cli.material import (
    ReviewArgument,
    check_content_out,
    read_input,
    write_content,
)
from untoc_core.checklists import default_bank

app = typer.Typer(
    help="Issue, export, import, follow and submit a review's self-assessment "
    "checklist (RES 6, ToR 15, 27, 41).",
    no_args_is_help=True,
)


def _check_xlsx_out(value: Path) -> Path:
    return check_content_out(value) or value


def _check_language(value: str) -> str:
    languages = default_bank().languages
    if value not in languages:
        msg = f"{value!r} is not a language of the checklist: {', '.join(languages)}"
        raise typer.BadParameter(msg, param_hint="--lang")
    return value


@app.command("issue")
def issue(
    ctx: typer.Context,
    review: ReviewArgument,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Issue the checklist of an open review, as the secretariat.

    It asks the general part, then every article of the cycle's thematic scope in
    each instrument the party under review is bound by (a signatory: the
    Convention only), then progress on each observation and technical assistance
    need of the party's previous review, if it had one (ToR 41).
    """
    with mechanism(ctx) as mech:
        mech.issue_checklist(review)
        state = mech.checklist(review)
    issued = state.issued
    if issued is None:  # pragma: no cover - just recorded
        return
    sheets: dict[str, int] = {}
    for q in issued.questions:
        sheets[q.sheet] = sheets.get(q.sheet, 0) + 1
    if as_json or out:
        print_json(
            {
                "review": review,
                "bank_version": issued.bank_version,
                "questions_sha256": issued.questions_sha256,
                "questions": len(issued.questions),
                "by_sheet": sheets,
                "previous_review": issued.previous_review or None,
            },
            out,
        )
        return
    parts = ", ".join(f"{sheet} {count}" for sheet, count in sheets.items())
    follow = (
        f"; follow-up of {safe(issued.previous_review)}"
        if issued.previous_review
        else ""
    )
    console.print(
        f"Issued the checklist of {safe(review)} from question bank "
        f"{safe(issued.bank_version)}: {len(issued.questions)} questions ({parts})"
        f"{follow}."
    )


@app.command("export")
def export(
    ctx: typer.Context,
    review: ReviewArgument,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="The workbook's language: ar, zh, en, fr, ru or es.",
            callback=_check_language,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="FILE.xlsx",
            help="Write the workbook to FILE.xlsx (mode 0600: it holds answers).",
            callback=_check_xlsx_out,
        ),
    ],
    as_: AsOption = None,
) -> None:
    """Write the checklist as an offline workbook, with the current answers.

    Question cells are locked, answer cells validated (lists, dates); Arabic
    sheets run right to left. Hidden metadata ties it to this review and this
    version of the questions. Reading the answers is decided and logged first.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        data = desk.export_workbook(opened, principal, review, language=lang)
    write_content(data, out)


@app.command("import")
def import_(
    ctx: typer.Context,
    review: ReviewArgument,
    workbook: Annotated[
        Path,
        typer.Argument(metavar="FILE.xlsx", help="The workbook returned."),
    ],
    as_: AsOption = None,
) -> None:
    """Take a returned workbook: the answers changed in it become a new draft.

    A workbook for another review or version of the questions, an edited
    question, or an invalid answer cell is refused, naming sheet and cell;
    nothing is recorded then. Copies split among ministries can be imported one
    after another: each changes only the answers changed in it.
    """
    principal = acting(ctx, as_)
    data = read_input(workbook)
    with vault(ctx) as opened:
        result = desk.import_workbook(opened, principal, review, data)
    if result.recorded is None:
        console.print(f"Nothing changed in {safe(workbook)}; no draft saved.")
        return
    console.print(
        f"Saved a new draft of {safe(review)}: {len(result.changed)} answers "
        f"changed, {result.stakeholders_added} stakeholders added."
    )


@app.command("status")
def status(
    ctx: typer.Context,
    review: ReviewArgument,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="Word the missing questions in LANG (default: the draft's).",
        ),
    ] = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Show what is answered and which required questions are missing.

    It reads only the record of the drafts, never the answers, so it needs no key.
    """
    if lang is not None:
        _check_language(lang)
    with mechanism(ctx) as mech:
        found = desk.checklist_status(mech, review, language=lang or "")
    if as_json or out:
        print_json(found.to_json(), out)
        return
    if not found.issued:
        console.print(f"The checklist of {safe(review)} is not issued yet.")
        return
    table = Table(
        title=f"Checklist of {safe(review)}: draft {found.draft}"
        + (f", submitted on {found.submitted_on}" if found.submitted_on else "")
    )
    for column in ("Part", "Questions", "Answered", "Required, missing"):
        table.add_column(column)
    for sheet in found.sheets:
        table.add_row(
            safe(sheet.title),
            str(sheet.questions),
            str(sheet.answered),
            str(len(sheet.required_missing)),
        )
    console.print(table)
    missing = [m for s in found.sheets for m in s.required_missing]
    for qid, text in missing[:20]:
        console.print(f"  missing {safe(qid)}: {safe(text)}", highlight=False)
    if len(missing) > 20:  # noqa: PLR2004 - a screenful
        console.print(f"  ... and {len(missing) - 20} more (see --json)")
    if found.complete:
        console.print("Every required question is answered.")


@app.command("submit")
def submit(
    ctx: typer.Context,
    review: ReviewArgument,
    on: Annotated[
        str,
        typer.Option("--on", metavar="YYYY-MM-DD", help="The date of submission."),
    ],
    as_: AsOption = None,
) -> None:
    """Submit the latest draft as the party's response (ToR 15, GL 15).

    Refused while a required question is unanswered, listing each one in the
    draft's language (ToR-15), or while progress on a previous observation is
    missing (ToR-41). The stakeholders the draft lists are recorded (ToR 27).
    """
    principal = acting(ctx, as_)
    day = parse_date(on, "--on")
    with vault(ctx) as opened:
        desk.submit(opened, principal, review, on=day)
    console.print(f"Submitted the checklist response of {safe(review)} on {day}.")


__all__ = ["app"]
