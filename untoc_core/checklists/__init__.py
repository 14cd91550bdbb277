"""The comprehensive self-assessment checklist (the "omnibus tool"; RES 6, ToR 15).

* :mod:`~untoc_core.checklists.bank`: the question bank, as data, in six languages;
* :mod:`~untoc_core.checklists.model`: a review's checklist and its decisions;
* :mod:`~untoc_core.checklists.form`: a checklist worded in one language, as a
  renderer (the offline workbook) takes and returns it;
* :mod:`~untoc_core.checklists.events`: what is recorded.
"""

from __future__ import annotations

from untoc_core.checklists.bank import QuestionBank, default_bank
from untoc_core.checklists.events import (
    CHECKLIST_EVENTS,
    DRAFT_SECTION,
    ChecklistDraftSaved,
    ChecklistIssued,
    ChecklistSubmitted,
    IssuedQuestion,
)
from untoc_core.checklists.form import (
    AnswerKind,
    ChecklistForm,
    FilledWorkbook,
    Stakeholder,
    WorkbookMeta,
)
from untoc_core.checklists.model import Checklist
from untoc_core.checklists.refusals import ChecklistIncomplete, FollowUpIncomplete

__all__ = [
    "CHECKLIST_EVENTS",
    "DRAFT_SECTION",
    "AnswerKind",
    "Checklist",
    "ChecklistDraftSaved",
    "ChecklistForm",
    "ChecklistIncomplete",
    "ChecklistIssued",
    "ChecklistSubmitted",
    "FilledWorkbook",
    "FollowUpIncomplete",
    "IssuedQuestion",
    "QuestionBank",
    "Stakeholder",
    "WorkbookMeta",
    "default_bank",
]
