"""A checklist as one participant sees it: its questions in one language, and answers.

These plain values are what the core hands to a renderer (the offline workbook) and
what a renderer hands back. Nothing here is sealed: a form is built, at the
application boundary, by a principal allowed to read the checklist's answers.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping

import attrs


class AnswerKind(enum.StrEnum):
    """What an answer cell holds."""

    TEXT = "text"
    """Free text, kept exactly as written."""
    DATE = "date"
    """A calendar date, kept as ``YYYY-MM-DD``."""
    CHOICE = "choice"
    """One value of a fixed list, kept as the value's code."""


@attrs.frozen(kw_only=True)
class FormQuestion:
    """One question of a form, in the form's language.

    Attributes:
        id: The stable question id, for example ``UNTOC-5/legislation``.
        article: The article it asks about (``UNTOC 5``), or ``""``.
        kind: The kind of question (``legislation``, ``ratification-date`` ...).
        answer: What the answer holds.
        required: Whether submission needs an answer.
        text: The question, in the form's language.
        guidance: Help for the person answering, in the form's language, or ``""``.
        choices: For a choice, each value's code and its label in the form's
            language, in the order offered.
        context: Read-only context shown with the question (for a follow-up, the
            previous observation), or ``""``.
    """

    id: str
    article: str
    kind: str
    answer: AnswerKind
    required: bool
    text: str
    guidance: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    context: str = ""


@attrs.frozen(kw_only=True)
class FormGroup:
    """Questions under one heading: an article, a part of the general section ..."""

    title: str
    questions: tuple[FormQuestion, ...]


@attrs.frozen(kw_only=True)
class FormSheet:
    """One part of a form, a sheet of the workbook.

    Attributes:
        id: A stable ascii id: ``general``, ``UNTOC``, ``TIP``, ``SOM``,
            ``FIREARMS`` or ``follow-up``.
        title: Its title in the form's language.
        groups: Its questions, by heading.
    """

    id: str
    title: str
    groups: tuple[FormGroup, ...]


@attrs.frozen(kw_only=True)
class Stakeholder:
    """A national stakeholder consulted for the answers, and why (ToR 27)."""

    name: str
    relevance: str


@attrs.frozen(kw_only=True)
class ChecklistForm:
    """A review's checklist in one language, with its current answers.

    Attributes:
        review: The review id, ``cycle-<n>/<CODE>``.
        party: The State party under review.
        language: The form's language (``ar``, ``zh``, ``en``, ``fr``, ``ru``, ``es``).
        right_to_left: Whether the language is written right to left.
        bank_version: The version of the question bank the checklist was issued from.
        questions_sha256: The checksum of the checklist's questions in every language.
        draft: The draft the answers come from (0 before any).
        sheets: The questions, by sheet.
        answers: The current answer of each answered question, by question id.
        stakeholders: The stakeholders consulted, as recorded so far.
        labels: The form's own words in its language (see ``LABEL_KEYS``).
    """

    review: str
    party: str
    language: str
    right_to_left: bool
    bank_version: str
    questions_sha256: str
    draft: int
    sheets: tuple[FormSheet, ...]
    answers: Mapping[str, str]
    stakeholders: tuple[Stakeholder, ...]
    labels: Mapping[str, str]

    def questions(self) -> tuple[FormQuestion, ...]:
        """Every question of the form, sheet by sheet, in order."""
        return tuple(
            q
            for sheet in self.sheets
            for group in sheet.groups
            for q in group.questions
        )


@attrs.frozen(kw_only=True)
class WorkbookMeta:
    """What a returned workbook says it is."""

    review: str
    language: str
    bank_version: str
    questions_sha256: str
    draft: int


@attrs.frozen(kw_only=True)
class FilledWorkbook:
    """What a returned workbook holds.

    Attributes:
        meta: What it says it is.
        answers: The value of every answer cell, by question id (``""`` when
            empty): text exactly as written, a choice as its code, a date as
            ``YYYY-MM-DD``.
        base: For every question id, :func:`answer_digest` of its answer when the
            workbook was written, so that changes made in the workbook can be
            told from changes recorded since.
        stakeholders: The stakeholders listed in it.
    """

    meta: WorkbookMeta
    answers: Mapping[str, str]
    base: Mapping[str, str]
    stakeholders: tuple[Stakeholder, ...]


def answer_digest(answer: str) -> str:
    """The SHA-256 (hex) of an answer's UTF-8 text; ``""`` stands for no answer."""
    return hashlib.sha256(answer.encode("utf-8")).hexdigest()


LABEL_KEYS: tuple[str, ...] = (
    "sheet.guidance",
    "sheet.general",
    "sheet.UNTOC",
    "sheet.TIP",
    "sheet.SOM",
    "sheet.FIREARMS",
    "sheet.follow-up",
    "sheet.stakeholders",
    "column.question",
    "column.answer",
    "column.required",
    "column.guidance",
    "column.context",
    "column.stakeholder",
    "column.relevance",
    "required",
    "optional",
    "guidance.title",
    "guidance.body",
    "guidance.choices",
    "guidance.dates",
    "article",
    "english-only",
    "review",
    "party",
    "language",
    "draft",
    "follow-up.observation",
    "follow-up.technical_assistance_need",
    "group.ratification",
    "group.legislation",
    "group.legal-system",
)
"""The keys of :attr:`ChecklistForm.labels`; each is worded in every language.

``article`` holds ``{number}``, ``follow-up.*`` hold ``{article}``; the others are
plain text (``guidance.body`` may hold several paragraphs separated by blank lines).
"""
