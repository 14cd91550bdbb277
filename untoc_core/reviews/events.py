"""Events of a country review (guidelines paras 12-34; ToR 13-35): one per step.

Every step of a review is recorded on the stream ``review/<review id>``, for
example ``review/cycle-1/ARC``, with the date it happened (``on``). Deadlines are
computed from those dates (:mod:`untoc_core.reviews.deadlines`). Confidential
content (the checklist response, the desk review, the reports) is never in these
events: it is filed sealed through the vault, on ``material/<review id>``; these
events record that a step happened, when, by whom, and hashes of drafts.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import ClassVar, Final

import attrs

from untoc_core.events import Event

STREAM_PREFIX: Final = "review/"


class ExchangeKind(enum.StrEnum):
    """What one exchange of the constructive dialogue is (ToR 23, GL 21-23)."""

    REQUEST_FOR_CLARIFICATION = "request_for_clarification"
    REQUEST_FOR_ADDITIONAL_INFORMATION = "request_for_additional_information"
    SUPPLEMENTARY_QUESTION = "supplementary_question"
    ANSWER = "answer"
    """An answer of the party under review."""


class Channel(enum.StrEnum):
    """The means of dialogue (ToR 24, GL 23)."""

    CALL = "call"
    VIDEO = "video"
    EMAIL = "email"
    COUNTRY_VISIT = "country_visit"
    JOINT_MEETING = "joint_meeting"


class DirectDialogue(enum.StrEnum):
    """The further means of direct dialogue the party under review may agree to."""

    COUNTRY_VISIT = "country_visit"
    JOINT_MEETING = "joint_meeting"
    """A joint meeting at the United Nations Office at Vienna."""


class FindingKind(enum.StrEnum):
    """The structured records the experts make (ToR 32, GL 31-32, BP 12-16)."""

    OBSERVATION = "observation"
    GOOD_PRACTICE = "good_practice"
    CHALLENGE = "challenge"
    TECHNICAL_ASSISTANCE_NEED = "technical_assistance_need"


class Aspect(enum.StrEnum):
    """Whether a finding is about national law or its application in practice."""

    LAW = "law"
    PRACTICE = "practice"


class Stage(enum.StrEnum):
    """When a finding was made."""

    DESK_REVIEW = "desk_review"
    DRAFT_REPORT = "draft_report"


@attrs.frozen(kw_only=True)
class ScheduledStep:
    """One step of a provisional schedule and its planned date."""

    step: str
    on: dt.date


@attrs.frozen(kw_only=True)
class TaskShare:
    """The issues one reviewing State's experts take on (GL 17)."""

    reviewer: str
    issues: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ReviewOpened(Event):
    """A country review opened from the reviewers drawn for its year (ToR 19)."""

    TYPE: ClassVar[str] = "review.ReviewOpened"

    review: str
    cycle: int
    year: int
    party_under_review: str
    reviewers: tuple[str, ...]
    """The two reviewing States parties, the same-region reviewer first."""
    drawn_on: dt.date


@attrs.frozen(kw_only=True)
class OfficiallyNotified(Event):
    """The secretariat informed the three States of the start date (GL 12)."""

    TYPE: ClassVar[str] = "review.OfficiallyNotified"

    on: dt.date
    start_date: dt.date
    schedule: tuple[ScheduledStep, ...]
    """The provisional schedule of the review."""


@attrs.frozen(kw_only=True)
class FocalPointAppointed(Event):
    """The party under review appointed its focal point (ToR 17, GL 13)."""

    TYPE: ClassVar[str] = "review.FocalPointAppointed"

    on: dt.date
    focal_point: str


@attrs.frozen(kw_only=True)
class StaffMemberAssigned(Event):
    """The secretariat assigned a staff member to the review (GL 13)."""

    TYPE: ClassVar[str] = "review.StaffMemberAssigned"

    on: dt.date
    staff_member: str


@attrs.frozen(kw_only=True)
class WorkingLanguagesAgreed(Event):
    """The working languages of the review were chosen (ToR 49, GL 14)."""

    TYPE: ClassVar[str] = "review.WorkingLanguagesAgreed"

    on: dt.date
    languages: tuple[str, ...]


@attrs.frozen(kw_only=True)
class OrientationCallHeld(Event):
    """The orientation call or videoconference took place (GL 16)."""

    TYPE: ClassVar[str] = "review.OrientationCallHeld"

    on: dt.date


@attrs.frozen(kw_only=True)
class ChecklistAssistanceRequested(Event):
    """The party under review asked the secretariat for help with its answers."""

    TYPE: ClassVar[str] = "review.ChecklistAssistanceRequested"

    on: dt.date


@attrs.frozen(kw_only=True)
class ChecklistAssistanceProvided(Event):
    """The secretariat helped the party under review with its answers (ToR 16)."""

    TYPE: ClassVar[str] = "review.ChecklistAssistanceProvided"

    on: dt.date


@attrs.frozen(kw_only=True)
class ChecklistResponseSubmitted(Event):
    """The party under review submitted its self-assessment checklist response.

    ToR 15, GL 15: the content is filed sealed in the dossier.
    """

    TYPE: ClassVar[str] = "review.ChecklistResponseSubmitted"

    on: dt.date
    stakeholders_consulted: tuple[str, ...] = ()
    """The national stakeholders the answers name as consulted (ToR 27)."""


@attrs.frozen(kw_only=True)
class ChecklistResponseCirculated(Event):
    """The secretariat circulated the response, translated, to the experts (GL 15)."""

    TYPE: ClassVar[str] = "review.ChecklistResponseCirculated"

    on: dt.date


@attrs.frozen(kw_only=True)
class SupplementaryInformationProvided(Event):
    """The party under review provided new information (ToR 13(b), 26), any time."""

    TYPE: ClassVar[str] = "review.SupplementaryInformationProvided"

    on: dt.date


@attrs.frozen(kw_only=True)
class OrganisationInformationConsidered(Event):
    """The experts took into account information from an organisation (ToR 26, GL 6).

    The organisation is a competent regional or international one of which the
    party under review is a member; the experts still make their own analysis.
    """

    TYPE: ClassVar[str] = "review.OrganisationInformationConsidered"

    on: dt.date
    organisation: str


@attrs.frozen(kw_only=True)
class TasksDivided(Event):
    """The reviewing States' experts divided the tasks among themselves (GL 17)."""

    TYPE: ClassVar[str] = "review.TasksDivided"

    on: dt.date
    division: tuple[TaskShare, ...]


@attrs.frozen(kw_only=True)
class DeskReviewOutcomeSubmitted(Event):
    """The experts submitted the outcome of the desk review (ToR 22, GL 21)."""

    TYPE: ClassVar[str] = "review.DeskReviewOutcomeSubmitted"

    on: dt.date


@attrs.frozen(kw_only=True)
class DialogueOpened(Event):
    """The call opening the constructive dialogue took place (GL 23)."""

    TYPE: ClassVar[str] = "review.DialogueOpened"

    on: dt.date


@attrs.frozen(kw_only=True)
class DialogueExchanged(Event):
    """One exchange of the constructive dialogue, known to the secretariat (GL 18)."""

    TYPE: ClassVar[str] = "review.DialogueExchanged"

    on: dt.date
    kind: ExchangeKind
    channel: Channel
    by: str
    """The State (or ``secretariat``) that sent it."""


@attrs.frozen(kw_only=True)
class DirectDialogueAgreed(Event):
    """The party under review agreed to a country visit or joint meeting (ToR 28)."""

    TYPE: ClassVar[str] = "review.DirectDialogueAgreed"

    on: dt.date
    kind: DirectDialogue


@attrs.frozen(kw_only=True)
class StakeholdersProposed(Event):
    """Before a visit, the party under review proposed whom to meet (ToR 29)."""

    TYPE: ClassVar[str] = "review.StakeholdersProposed"

    on: dt.date
    stakeholders: tuple[str, ...]
    """Each stakeholder and its relevance, in words."""


@attrs.frozen(kw_only=True)
class DirectDialogueHeld(Event):
    """A country visit or joint meeting in Vienna took place (ToR 24, 28; GL 24)."""

    TYPE: ClassVar[str] = "review.DirectDialogueHeld"

    kind: DirectDialogue
    starts: dt.date
    ends: dt.date
    stakeholders: tuple[str, ...]
    """Who the experts met, by kind (for example ``civil society``)."""


@attrs.frozen(kw_only=True)
class PreliminaryFindingsShared(Event):
    """The experts shared preliminary findings in writing (GL 29)."""

    TYPE: ClassVar[str] = "review.PreliminaryFindingsShared"

    on: dt.date


@attrs.frozen(kw_only=True)
class DialogueClosed(Event):
    """The constructive dialogue ended (GL 23)."""

    TYPE: ClassVar[str] = "review.DialogueClosed"

    on: dt.date


@attrs.frozen(kw_only=True)
class FindingRecorded(Event):
    """An observation, good practice, challenge or assistance need (ToR 32, GL 31-32).

    Its text is filed sealed in the dossier under ``section``; this records its
    stable id, what it is about and when it was made.
    """

    TYPE: ClassVar[str] = "review.FindingRecorded"

    on: dt.date
    finding_id: str
    kind: FindingKind
    article: str
    aspect: Aspect
    stage: Stage
    section: str


@attrs.frozen(kw_only=True)
class TranslationRequested(Event):
    """The party under review asked for a language beyond the six (ToR 50).

    The secretariat then seeks voluntary contributions to pay for it.
    """

    TYPE: ClassVar[str] = "review.TranslationRequested"

    on: dt.date
    language: str


@attrs.frozen(kw_only=True)
class VoluntaryContributionRecorded(Event):
    """A voluntary contribution funding part of the review (ToR 53).

    It is recorded only if free of conditions and influence.
    """

    TYPE: ClassVar[str] = "review.VoluntaryContributionRecorded"

    on: dt.date
    purpose: str
    """What it funds: ``country_visit``, ``joint_meeting`` or ``translation``."""
    contributor: str
    conditions: str = ""
    """Any condition attached; a contribution with one is refused."""


@attrs.frozen(kw_only=True)
class ExplanationRequested(Event):
    """The party under review asked how to address the challenges found (GL 33)."""

    TYPE: ClassVar[str] = "review.ExplanationRequested"

    on: dt.date


@attrs.frozen(kw_only=True)
class ExplanationProvided(Event):
    """The experts explained how the challenges could be addressed (GL 33)."""

    TYPE: ClassVar[str] = "review.ExplanationProvided"

    on: dt.date


@attrs.frozen(kw_only=True)
class DraftReportSent(Event):
    """The secretariat sent a draft report to the party under review (ToR 33)."""

    TYPE: ClassVar[str] = "review.DraftReportSent"

    on: dt.date
    draft_sha256: str
    """The SHA-256 of the draft's sealed text: agreements name it."""


@attrs.frozen(kw_only=True)
class CommentsReceived(Event):
    """The party under review commented on the draft (GL 30)."""

    TYPE: ClassVar[str] = "review.CommentsReceived"

    on: dt.date
    draft_sha256: str


@attrs.frozen(kw_only=True)
class DisagreementRecorded(Event):
    """A State disagreed with the draft; a dialogue follows (GL 34)."""

    TYPE: ClassVar[str] = "review.DisagreementRecorded"

    on: dt.date
    draft_sha256: str
    by: str


@attrs.frozen(kw_only=True)
class ReportAgreed(Event):
    """One of the three States agreed to one exact draft (ToR 33)."""

    TYPE: ClassVar[str] = "review.ReportAgreed"

    on: dt.date
    draft_sha256: str
    by: str


@attrs.frozen(kw_only=True)
class ReportFinalised(Event):
    """The draft all three States agreed to became the final report (ToR 33)."""

    TYPE: ClassVar[str] = "review.ReportFinalised"

    on: dt.date
    draft_sha256: str


@attrs.frozen(kw_only=True)
class ExecutiveSummaryPrepared(Event):
    """The executive summary was prepared from the final report (ToR 33, GL 34)."""

    TYPE: ClassVar[str] = "review.ExecutiveSummaryPrepared"

    on: dt.date
    summary_sha256: str


@attrs.frozen(kw_only=True)
class ExecutiveSummaryAgreed(Event):
    """One of the three States agreed to the executive summary (GL 34)."""

    TYPE: ClassVar[str] = "review.ExecutiveSummaryAgreed"

    on: dt.date
    summary_sha256: str
    by: str


REVIEW_EVENTS: tuple[type[Event], ...] = (
    ReviewOpened,
    OfficiallyNotified,
    FocalPointAppointed,
    StaffMemberAssigned,
    WorkingLanguagesAgreed,
    OrientationCallHeld,
    ChecklistAssistanceRequested,
    ChecklistAssistanceProvided,
    ChecklistResponseSubmitted,
    ChecklistResponseCirculated,
    SupplementaryInformationProvided,
    OrganisationInformationConsidered,
    TasksDivided,
    DeskReviewOutcomeSubmitted,
    DialogueOpened,
    DialogueExchanged,
    DirectDialogueAgreed,
    StakeholdersProposed,
    DirectDialogueHeld,
    PreliminaryFindingsShared,
    DialogueClosed,
    FindingRecorded,
    TranslationRequested,
    VoluntaryContributionRecorded,
    ExplanationRequested,
    ExplanationProvided,
    DraftReportSent,
    CommentsReceived,
    DisagreementRecorded,
    ReportAgreed,
    ReportFinalised,
    ExecutiveSummaryPrepared,
    ExecutiveSummaryAgreed,
)


def stream_of(review: str) -> str:
    """The stream of a country review: ``review/<review id>``."""
    return f"{STREAM_PREFIX}{review}"


@attrs.frozen(kw_only=True)
class TrainingCourseHeld(Event):
    """A training course for governmental experts took place (ToR 31, GL 11).

    Recorded on the stream ``training``, not on a review: courses serve every
    review.
    """

    TYPE: ClassVar[str] = "review.TrainingCourseHeld"

    on: dt.date
    course: str
    participants: tuple[str, ...]
    """The governmental experts who attended, by their ids in the roster."""


TRAINING_STREAM: Final = "training"
TRAINING_EVENTS: tuple[type[Event], ...] = (TrainingCourseHeld,)
