"""Answering a review's checklist through the vault: drafts, workbooks, submission.

The core decides what a checklist asks and whether it is complete; this module
joins it to the keys. Every draft of the answers is one sealed document in the
review's dossier (section ``checklist``), filed by the focal point of the party
under review with its own grant, together with the record of which questions it
answers. Reading the answers back (to export a workbook, to merge one returned, to
submit) opens the latest draft with the reader's grant.

* :func:`save_answers` saves a draft from answers given in code;
* :func:`export_workbook` writes the offline workbook in one language;
* :func:`import_workbook` takes a returned workbook, refusing any tampering, and
  saves the changed answers as a new draft;
* :func:`submit` submits the latest draft as the response (ToR 15);
* :func:`checklist_status` tells what is answered and what is missing, from the
  record alone, with no key.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from untoc_adapters.render.workbook import (
    WorkbookRefused,
    answer_cell,
    read_meta,
    read_workbook,
    write_workbook,
)
from untoc_adapters.vault import Vault
from untoc_core.checklists import model as ck
from untoc_core.checklists.bank import QuestionBank, default_bank
from untoc_core.checklists.events import DRAFT_SECTION
from untoc_core.checklists.form import ChecklistForm, Stakeholder
from untoc_core.confidentiality import AccessDenied, Scope
from untoc_core.errors import InvalidInput
from untoc_core.mechanism import Mechanism
from untoc_core.ports import Recorded

DRAFT_FORMAT: Final = "untoc-checklist-draft/1"


@attrs.frozen(kw_only=True)
class Draft:
    """The content of one draft of the answers, as its sealed document holds it."""

    language: str
    answers: Mapping[str, str]
    stakeholders: tuple[Stakeholder, ...]

    def to_bytes(self) -> bytes:
        """The draft as the JSON document that is sealed."""
        payload = {
            "format": DRAFT_FORMAT,
            "language": self.language,
            "answers": dict(self.answers),
            "stakeholders": [[s.name, s.relevance] for s in self.stakeholders],
        }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Draft:
        """Read a draft document back.

        Raises:
            InvalidInput: it is not a draft of this format.
        """
        try:
            payload = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
        if not isinstance(payload, dict) or payload.get("format") != DRAFT_FORMAT:
            msg = "the filed checklist draft is not a draft this version can read"
            raise InvalidInput(msg)
        return cls(
            language=str(payload["language"]),
            answers={str(k): str(v) for k, v in payload["answers"].items()},
            stakeholders=tuple(
                Stakeholder(name=str(n), relevance=str(r))
                for n, r in payload["stakeholders"]
            ),
        )


def current_draft(vault: Vault, as_principal: str, review: str) -> Draft | None:
    """The latest draft of a review's answers, opened as ``as_principal``.

    Raises:
        AccessDenied: the principal may not read the dossier (ToR-30).
    """
    if vault.mechanism.checklist(review).latest is None:
        return None
    data = vault.read(as_principal, review, Scope.DOSSIER, DRAFT_SECTION)
    return Draft.from_bytes(data)


def save_answers(  # noqa: PLR0913 - a draft and who saves it
    vault: Vault,
    as_principal: str,
    review: str,
    *,
    language: str,
    answers: Mapping[str, str],
    stakeholders: Sequence[Stakeholder] = (),
    bank: QuestionBank | None = None,
) -> Recorded:
    """Save ``answers`` (all of them, replacing the previous draft) as a new draft.

    Raises:
        InvalidInput: not the party's focal point, checklist not issued or
            submitted, an invalid answer (naming the question) or stakeholder.
        AccessDenied: the principal may not file in the dossier (ToR-30).
    """
    state = vault.mechanism.checklist(review)
    the_bank = bank or default_bank()
    checked = ck.check_answers(state, the_bank, answers)
    listed = ck.check_stakeholders(stakeholders)
    draft = Draft(language=language, answers=checked, stakeholders=listed)
    return vault.mechanism.save_checklist_draft(
        as_principal,
        review,
        language=language,
        answers=checked,
        stakeholders=len(listed),
        seal=vault.sealer(as_principal, review, Scope.DOSSIER, draft.to_bytes()),
        bank=the_bank,
    )


def form_for(
    vault: Vault,
    as_principal: str,
    review: str,
    *,
    language: str,
    bank: QuestionBank | None = None,
) -> ChecklistForm:
    """The checklist worded in ``language``, with the current answers.

    Follow-up questions carry the text of each previous finding the principal
    may read; a finding it may not read is left without its text.

    Raises:
        InvalidInput: the language is not one of the bank's, or not issued.
        AccessDenied: the principal may not read the dossier (ToR-30).
    """
    mechanism = vault.mechanism
    the_bank = bank or default_bank()
    state = mechanism.checklist(review)
    ck.check_bank(state, the_bank)
    draft = current_draft(vault, as_principal, review)
    contexts = _finding_texts(vault, as_principal, state)
    party = mechanism.country_review(review).party_under_review
    return ck.build_form(
        the_bank,
        state,
        language=language,
        titles=mechanism.article_titles(),
        party=party,
        answers=draft.answers if draft else {},
        stakeholders=draft.stakeholders if draft else (),
        contexts=contexts,
    )


def _finding_texts(
    vault: Vault, as_principal: str, state: ck.Checklist
) -> dict[str, str]:
    issued = state.issued
    if issued is None or not issued.previous_review:
        return {}
    previous = vault.mechanism.country_review(issued.previous_review)
    texts = {}
    wanted = {q.finding for q in issued.questions if q.finding}
    for finding_id in sorted(wanted):
        finding = previous.findings.get(finding_id)
        if finding is None:
            continue
        try:
            texts[finding_id] = vault.read_text(
                as_principal, issued.previous_review, Scope.DOSSIER, finding.section
            )
        except (AccessDenied, InvalidInput):
            continue
    return texts


def export_workbook(
    vault: Vault,
    as_principal: str,
    review: str,
    *,
    language: str,
    bank: QuestionBank | None = None,
) -> bytes:
    """The offline workbook of a review's checklist in ``language`` (.xlsx bytes)."""
    form = form_for(vault, as_principal, review, language=language, bank=bank)
    return write_workbook(form)


@attrs.frozen(kw_only=True)
class Imported:
    """What taking a workbook did.

    Attributes:
        changed: The ids of the answers the workbook changed.
        stakeholders_added: How many stakeholders it added.
        recorded: The draft saved, or ``None`` when nothing changed.
    """

    changed: tuple[str, ...]
    stakeholders_added: int
    recorded: Recorded | None


def import_workbook(
    vault: Vault,
    as_principal: str,
    review: str,
    data: bytes,
    *,
    bank: QuestionBank | None = None,
) -> Imported:
    """Take a returned workbook: its changed answers become a new draft.

    The workbook must be this review's, from the checklist as issued, with every
    question as written; every answer cell must be valid. An answer changed both
    in the workbook and in a draft saved since it was written is refused. When
    anything is refused, nothing is recorded.

    Raises:
        WorkbookRefused: naming the sheet and cell of the first problem.
        InvalidInput: not the party's focal point, or the checklist is submitted.
        AccessDenied: the principal may not read or file in the dossier (ToR-30).
    """
    mechanism = vault.mechanism
    the_bank = bank or default_bank()
    meta = read_meta(data)
    state = mechanism.checklist(review)
    ck.check_bank(state, the_bank)
    # The workbook is checked against the questions alone before any answer is
    # read, so a refused workbook leaves no trace, not even a logged read.
    questions = ck.build_form(
        the_bank,
        state,
        language=the_bank.check_language(meta.language),
        titles=mechanism.article_titles(),
    )
    filled = read_workbook(data, questions)
    form = form_for(vault, as_principal, review, language=meta.language, bank=bank)
    merged, conflicts = ck.merge_answers(form.answers, filled)
    if conflicts:
        sheet, cell = answer_cell(form, conflicts[0])
        msg = (
            f"the answer to {conflicts[0]} was changed in this workbook and also "
            "in a draft saved after the workbook was written; export a new workbook"
        )
        raise WorkbookRefused(msg, sheet=sheet, cell=cell)
    stakeholders = ck.merge_stakeholders(form.stakeholders, filled.stakeholders)
    changed = tuple(
        q.id
        for q in form.questions()
        if merged.get(q.id, "") != form.answers.get(q.id, "")
    )
    added = len(stakeholders) - len(form.stakeholders)
    if not changed and not added:
        return Imported(changed=(), stakeholders_added=0, recorded=None)
    recorded = save_answers(
        vault,
        as_principal,
        review,
        language=meta.language,
        answers=merged,
        stakeholders=stakeholders,
        bank=bank,
    )
    return Imported(changed=changed, stakeholders_added=added, recorded=recorded)


def submit(
    vault: Vault,
    as_principal: str,
    review: str,
    *,
    on: dt.date,
    bank: QuestionBank | None = None,
) -> list[Recorded]:
    """Submit the latest draft as the party's response (ToR 15, GL 15).

    The stakeholders the draft lists are recorded with the submission (ToR 27);
    the draft is read only once every check has passed.

    Raises:
        ChecklistIncomplete: a required question is unanswered (ToR-15).
        FollowUpIncomplete: progress on a previous finding is missing (ToR-41).
        DomainError: the step is out of order, naming its provision.
        AccessDenied: the principal may not read the dossier (ToR-30).
    """

    def consulted() -> tuple[str, ...]:
        draft = current_draft(vault, as_principal, review)
        if draft is None:  # pragma: no cover - submit refuses first
            return ()
        return tuple(f"{s.name}: {s.relevance}" for s in draft.stakeholders)

    return vault.mechanism.submit_checklist(
        review, on=on, consulted=consulted, bank=bank
    )


@attrs.frozen(kw_only=True)
class SheetStatus:
    """How far one part of a checklist is answered."""

    sheet: str
    title: str
    questions: int
    answered: int
    required_missing: tuple[tuple[str, str], ...]
    """Each required question left unanswered: its id and its wording."""


@attrs.frozen(kw_only=True)
class ChecklistStatus:
    """What a review's checklist has answered and what it still misses."""

    review: str
    issued: bool
    bank_version: str
    draft: int
    language: str
    submitted_on: dt.date | None
    sheets: tuple[SheetStatus, ...]

    @property
    def complete(self) -> bool:
        """True when no required question is unanswered."""
        return self.issued and not any(s.required_missing for s in self.sheets)

    def to_json(self) -> dict[str, object]:
        """The status as JSON-ready data."""
        return {
            "review": self.review,
            "issued": self.issued,
            "bank_version": self.bank_version,
            "draft": self.draft,
            "language": self.language,
            "submitted_on": self.submitted_on.isoformat()
            if self.submitted_on
            else None,
            "complete": self.complete,
            "sheets": [
                {
                    "sheet": s.sheet,
                    "title": s.title,
                    "questions": s.questions,
                    "answered": s.answered,
                    "required_missing": [
                        {"id": qid, "question": text}
                        for qid, text in s.required_missing
                    ],
                }
                for s in self.sheets
            ],
        }


def checklist_status(
    mechanism: Mechanism,
    review: str,
    *,
    language: str = "",
    bank: QuestionBank | None = None,
) -> ChecklistStatus:
    """What is answered and what is missing, from the record alone (no key).

    Args:
        mechanism: The mechanism.
        review: The review id.
        language: The language to word missing questions in; the latest draft's,
            else English, when empty.
        bank: The question bank; the shipped one by default.

    Raises:
        InvalidInput: ``review`` is not a review id.
        UnknownParty: its State is not in the registry.
    """
    mechanism.registry().entry(review.rpartition("/")[2])
    state = mechanism.checklist(review)
    latest = state.latest
    if state.issued is None:
        return ChecklistStatus(
            review=review,
            issued=False,
            bank_version="",
            draft=0,
            language="",
            submitted_on=None,
            sheets=(),
        )
    the_bank = bank or default_bank()
    words = language or (latest.language if latest else "en")
    form = ck.build_form(
        the_bank, state, language=words, titles=mechanism.article_titles()
    )
    answered = set(latest.answered) if latest else set()
    sheets = []
    for sheet in form.sheets:
        questions = [q for g in sheet.groups for q in g.questions]
        sheets.append(
            SheetStatus(
                sheet=sheet.id,
                title=sheet.title,
                questions=len(questions),
                answered=sum(1 for q in questions if q.id in answered),
                required_missing=tuple(
                    (q.id, q.text)
                    for q in questions
                    if q.required and q.id not in answered
                ),
            )
        )
    return ChecklistStatus(
        review=review,
        issued=True,
        bank_version=state.issued.bank_version,
        draft=latest.draft if latest else 0,
        language=words,
        submitted_on=state.submitted.on if state.submitted else None,
        sheets=tuple(sheets),
    )
