"""``untoc review open`` and ``untoc review record``: recording the steps of a review.

``record`` takes one step name and the options that step needs; the step is
recorded as ``--as`` (a State's code, or ``secretariat``), which the core checks:
each step has the participants who record it (guidelines paras 12-34).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from untoc_adapters.audit.milestones import checkpoint
from untoc_adapters.cli.common import (
    AsOption,
    acting,
    console,
    mechanism,
    parse_date,
    safe,
    settings_of,
)
from untoc_core.events import Event
from untoc_core.reviews import events as ev


class Step(enum.StrEnum):
    """The steps ``untoc review record`` records."""

    NOTIFIED = "notified"
    FOCAL_POINT = "focal-point"
    STAFF_MEMBER = "staff-member"
    LANGUAGES = "languages"
    ORIENTATION_CALL = "orientation-call"
    CHECKLIST_SUBMITTED = "checklist-submitted"
    CHECKLIST_CIRCULATED = "checklist-circulated"
    INFORMATION = "information"
    DESK_REVIEW = "desk-review"
    DIALOGUE_OPENED = "dialogue-opened"
    EXCHANGE = "exchange"
    VISIT_AGREED = "visit-agreed"
    VISIT = "visit"
    FINDINGS_SHARED = "findings-shared"
    DIALOGUE_CLOSED = "dialogue-closed"
    DRAFT_SENT = "draft-sent"
    COMMENTS = "comments"
    DISAGREED = "disagreed"
    AGREED = "agreed"
    FINAL = "final"
    SUMMARY_PREPARED = "summary-prepared"
    SUMMARY_AGREED = "summary-agreed"


class Meeting(enum.StrEnum):
    """A country visit or a joint meeting in Vienna."""

    COUNTRY_VISIT = "country-visit"
    JOINT_MEETING = "joint-meeting"


def _sha256_of(path: Path | None, option: str) -> str:
    if path is None:
        msg = f"this step needs {option} FILE, the document it is about"
        raise typer.BadParameter(msg, param_hint=option)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def open_review(
    ctx: typer.Context,
    review: Annotated[
        str, typer.Argument(metavar="REVIEW", help="The review id, e.g. cycle-1/ARC.")
    ],
) -> None:
    """Open a country review from the reviewers drawn for it (ToR 19, 13(a))."""
    with mechanism(ctx) as mech:
        (recorded,) = mech.open_review(review)
    opened = recorded.event
    assert isinstance(opened, ev.ReviewOpened)  # noqa: S101 - what open_review records
    console.print(
        f"Opened {safe(review)}: {opened.party_under_review} reviewed by "
        f"{', '.join(opened.reviewers)} (year {opened.year}, drawn on "
        f"{opened.drawn_on.isoformat()})."
    )


def record(
    ctx: typer.Context,
    review: Annotated[
        str, typer.Argument(metavar="REVIEW", help="The review id, e.g. cycle-1/ARC.")
    ],
    step: Annotated[Step, typer.Argument(metavar="STEP", help="The step recorded.")],
    on: Annotated[
        str, typer.Option("--on", metavar="DATE", help="When it happened, YYYY-MM-DD.")
    ],
    as_: AsOption = None,
    start: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="notified: the review's start date."),
    ] = None,
    ends: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="visit: its last day (default: --on)."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(help="focal-point, staff-member: the person appointed."),
    ] = None,
    languages: Annotated[
        str | None,
        typer.Option(metavar="L,L", help="languages: codes such as en,fr."),
    ] = None,
    kind: Annotated[
        Meeting, typer.Option(help="visit-agreed, visit: which direct dialogue.")
    ] = Meeting.COUNTRY_VISIT,
    exchange: Annotated[
        ev.ExchangeKind,
        typer.Option(help="exchange: what it is."),
    ] = ev.ExchangeKind.REQUEST_FOR_CLARIFICATION,
    channel: Annotated[
        ev.Channel, typer.Option(help="exchange: how it was sent.")
    ] = ev.Channel.EMAIL,
    by: Annotated[
        str | None,
        typer.Option(
            metavar="CODE",
            help="exchange, agreed, disagreed, summary-agreed: the State (default: "
            "--as).",
        ),
    ] = None,
    document: Annotated[
        Path | None,
        typer.Option(
            "--document",
            exists=True,
            dir_okay=False,
            help="draft-sent, comments, agreed, disagreed, final, summary-prepared, "
            "summary-agreed: the document, named in the record by its SHA-256.",
        ),
    ] = None,
) -> None:
    """Record one step of a country review, as --as (guidelines paras 12-34).

    A step out of order is refused, naming the paragraph that orders it; nothing is
    recorded then. Lateness is never refused (GL 9).
    """
    actor = acting(ctx, as_)
    day = parse_date(on, "--on")
    who = by or actor
    meeting = ev.DirectDialogue(kind.value.replace("-", "_"))

    def sha() -> str:
        return _sha256_of(document, "--document")

    makers: dict[Step, Callable[[], Event]] = {
        Step.NOTIFIED: lambda: ev.OfficiallyNotified(
            on=day,
            start_date=parse_date(start, "--start") if start else day,
            schedule=(),
        ),
        Step.FOCAL_POINT: lambda: ev.FocalPointAppointed(
            on=day, focal_point=_needed(name, "--name")
        ),
        Step.STAFF_MEMBER: lambda: ev.StaffMemberAssigned(
            on=day, staff_member=_needed(name, "--name")
        ),
        Step.LANGUAGES: lambda: ev.WorkingLanguagesAgreed(
            on=day,
            languages=tuple(
                x.strip() for x in _needed(languages, "--languages").split(",")
            ),
        ),
        Step.ORIENTATION_CALL: lambda: ev.OrientationCallHeld(on=day),
        Step.CHECKLIST_SUBMITTED: lambda: ev.ChecklistResponseSubmitted(on=day),
        Step.CHECKLIST_CIRCULATED: lambda: ev.ChecklistResponseCirculated(on=day),
        Step.INFORMATION: lambda: ev.SupplementaryInformationProvided(on=day),
        Step.DESK_REVIEW: lambda: ev.DeskReviewOutcomeSubmitted(on=day),
        Step.DIALOGUE_OPENED: lambda: ev.DialogueOpened(on=day),
        Step.EXCHANGE: lambda: ev.DialogueExchanged(
            on=day, kind=exchange, channel=channel, by=who
        ),
        Step.VISIT_AGREED: lambda: ev.DirectDialogueAgreed(on=day, kind=meeting),
        Step.VISIT: lambda: ev.DirectDialogueHeld(
            kind=meeting,
            starts=day,
            ends=parse_date(ends, "--ends") if ends else day,
            stakeholders=(),
        ),
        Step.FINDINGS_SHARED: lambda: ev.PreliminaryFindingsShared(on=day),
        Step.DIALOGUE_CLOSED: lambda: ev.DialogueClosed(on=day),
        Step.DRAFT_SENT: lambda: ev.DraftReportSent(on=day, draft_sha256=sha()),
        Step.COMMENTS: lambda: ev.CommentsReceived(on=day, draft_sha256=sha()),
        Step.DISAGREED: lambda: ev.DisagreementRecorded(
            on=day, draft_sha256=sha(), by=who
        ),
        Step.AGREED: lambda: ev.ReportAgreed(on=day, draft_sha256=sha(), by=who),
        Step.FINAL: lambda: ev.ReportFinalised(on=day, draft_sha256=sha()),
        Step.SUMMARY_PREPARED: lambda: ev.ExecutiveSummaryPrepared(
            on=day, summary_sha256=sha()
        ),
        Step.SUMMARY_AGREED: lambda: ev.ExecutiveSummaryAgreed(
            on=day, summary_sha256=sha(), by=who
        ),
    }
    event = makers[step]()
    with mechanism(ctx) as mech:
        mech.record_step(review, event, actor=actor)
        last = mech.country_review(review).last_step.removeprefix("review.")
        if step in {Step.FINAL, Step.SUMMARY_AGREED}:
            checkpoint(settings_of(ctx), mech.store)  # report agreed: a milestone
    console.print(
        f"Recorded {last} in {safe(review)} on {day.isoformat()}, as {actor}."
    )


def _needed(value: str | None, option: str) -> str:
    if not value or not value.strip():
        msg = f"this step needs {option}"
        raise typer.BadParameter(msg, param_hint=option)
    return value.strip()
