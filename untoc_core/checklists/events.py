"""Events of a review's checklist, on the stream ``checklist/<review id>``.

The answers themselves are never in these events: each draft is filed sealed in
the review's dossier (section ``checklist``), and its event records which
questions it answers, in which language, and where the sealed draft is. The
submission is recorded on the review itself (``ChecklistResponseSubmitted``) and
here, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Final

import attrs

from untoc_core.checklists.form import AnswerKind
from untoc_core.events import Event

STREAM_PREFIX: Final = "checklist/"
DRAFT_SECTION: Final = "checklist"
"""The dossier section each draft of the answers is filed under, sealed."""


def stream_of(review: str) -> str:
    """The stream of a review's checklist: ``checklist/<review id>``."""
    return f"{STREAM_PREFIX}{review}"


@attrs.frozen(kw_only=True)
class IssuedQuestion:
    """One question of an issued checklist, without its wording.

    Attributes:
        id: The stable question id: ``general/<id>``, ``UNTOC-5/legislation``,
            ``follow-up/<finding id>/progress``.
        sheet: The part it belongs to: ``general``, an instrument, ``follow-up``.
        article: The article it asks about (``UNTOC 5``), or ``""``.
        kind: The bank question it is worded by.
        article_type: The wording used for its article's type, or ``""``.
        answer: What its answer holds.
        required: Whether submission needs an answer.
        choices: The bank's list of choices, for a choice.
        finding: For a follow-up, the previous review's finding it follows up.
        finding_kind: That finding's kind.
    """

    id: str
    sheet: str
    article: str = ""
    kind: str
    article_type: str = ""
    answer: AnswerKind
    required: bool
    choices: str = ""
    finding: str = ""
    finding_kind: str = ""


@attrs.frozen(kw_only=True)
class ChecklistIssued(Event):
    """The secretariat issued the checklist of a review (ToR 15, ToR 13(c), ToR 41).

    It covers the articles of the cycle's thematic scope in every instrument the
    party under review is bound by, and, when the party had an earlier review,
    a follow-up of each observation and assistance need recorded in it.
    """

    TYPE: ClassVar[str] = "checklist.ChecklistIssued"

    review: str
    bank_version: str
    questions_sha256: str
    """SHA-256 of the questions with their wording in every language."""
    questions: tuple[IssuedQuestion, ...]
    previous_review: str = ""
    """The review whose findings the follow-up covers, or ``""``."""


@attrs.frozen(kw_only=True)
class ChecklistDraftSaved(Event):
    """A draft of the answers was filed, sealed, in the review's dossier.

    Every draft is kept: each is a new version of the dossier section
    ``checklist``, named here by the material stream's version.
    """

    TYPE: ClassVar[str] = "checklist.ChecklistDraftSaved"

    review: str
    draft: int
    language: str
    answered: tuple[str, ...]
    """The ids of the questions the draft answers (the answers are sealed)."""
    stakeholders: int
    """How many stakeholders consulted the draft lists (ToR 27)."""
    material_version: int
    saved_by: str


@attrs.frozen(kw_only=True)
class ChecklistSubmitted(Event):
    """The party under review submitted a complete draft as its response (ToR 15)."""

    TYPE: ClassVar[str] = "checklist.ChecklistSubmitted"

    review: str
    draft: int
    on: dt.date


CHECKLIST_EVENTS: Final = (ChecklistIssued, ChecklistDraftSaved, ChecklistSubmitted)
