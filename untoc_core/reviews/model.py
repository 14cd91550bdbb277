"""The state of a country review, folded from its events, and its decisions.

:class:`CountryReview` is what a command is decided on. :func:`decide` takes the
step a participant wants to record and either returns the events to record or
raises the refusal that applies, naming its provision; nothing is recorded then.
Lateness is never a reason to refuse (GL 9): the deadlines are indicative and
reported by :mod:`untoc_core.reviews.deadlines`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from untoc_core.errors import InvalidInput
from untoc_core.events import Event
from untoc_core.reviews.events import (
    ChecklistAssistanceProvided,
    ChecklistAssistanceRequested,
    ChecklistResponseCirculated,
    ChecklistResponseSubmitted,
    CommentsReceived,
    DeskReviewOutcomeSubmitted,
    DialogueClosed,
    DialogueExchanged,
    DialogueOpened,
    DirectDialogue,
    DirectDialogueAgreed,
    DirectDialogueHeld,
    DisagreementRecorded,
    DraftReportSent,
    ExecutiveSummaryAgreed,
    ExecutiveSummaryPrepared,
    ExplanationProvided,
    ExplanationRequested,
    FindingRecorded,
    FocalPointAppointed,
    OfficiallyNotified,
    OrganisationInformationConsidered,
    OrientationCallHeld,
    PreliminaryFindingsShared,
    ReportAgreed,
    ReportFinalised,
    ReviewOpened,
    StaffMemberAssigned,
    StakeholdersProposed,
    SupplementaryInformationProvided,
    TasksDivided,
    TranslationRequested,
    VoluntaryContributionRecorded,
    WorkingLanguagesAgreed,
)
from untoc_core.reviews.refusals import (
    CommunicationNotShared,
    ContributionWithConditions,
    DirectDialogueNotAgreed,
    DirectDialogueNotPlannedByParty,
    ReportNotAgreed,
    SummaryProcedureBroken,
    out_of_order,
)

SECRETARIAT: Final = "secretariat"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

STEP_OF: Final[Mapping[type[Event], str]] = {
    OfficiallyNotified: "official_notification",
    FocalPointAppointed: "focal_point_appointed",
    StaffMemberAssigned: "staff_member_assigned",
    WorkingLanguagesAgreed: "working_languages_agreed",
    OrientationCallHeld: "orientation_call",
    ChecklistResponseSubmitted: "checklist_response_submitted",
    ChecklistResponseCirculated: "checklist_response_circulated",
    TasksDivided: "tasks_divided",
    DeskReviewOutcomeSubmitted: "desk_review_outcome_submitted",
    DialogueOpened: "dialogue_opened",
    PreliminaryFindingsShared: "preliminary_findings_shared",
    DialogueClosed: "dialogue_closed",
    DraftReportSent: "draft_report_sent",
    ReportFinalised: "report_finalised",
    ExecutiveSummaryPrepared: "executive_summary_prepared",
}
"""The step each event records the first date of, as the rulebook names steps."""


@attrs.frozen(kw_only=True)
class CountryReview:
    """Everything recorded about one country review.

    Attributes:
        review: The review id, ``cycle-<n>/<CODE>``.
        version: The version of its stream.
        opened: The opening, with the party under review and its reviewers.
        steps: The first date of each step recorded, by the rulebook's step names
            (``reviewers_drawn``, ``official_notification``, ``review_started`` ...),
            and ``checklist_information_received``, the last date information came
            for the desk review (the response, or supplementary information before
            the desk review outcome).
        last_step: The type name of the last event recorded.
        agreed_to: The direct dialogue the party under review agreed to.
        draft: The SHA-256 of the current draft report (empty before one).
        agreements: The States that agreed to the current draft.
        final: The SHA-256 of the final report (empty before it).
        summary: The SHA-256 of the executive summary prepared (empty before).
        summary_agreements: The States that agreed to that summary.
        findings: The findings recorded, by stable id.
        exchanges: The exchanges of the constructive dialogue, in order.
        requested: What the party under review asked for and awaits.
        records: Facts kept for the record (see the attribute).
    """

    review: str
    version: int = 0
    opened: ReviewOpened | None = None
    steps: Mapping[str, dt.date] = attrs.field(factory=dict)
    last_step: str = ""
    agreed_to: frozenset[DirectDialogue] = frozenset()
    draft: str = ""
    agreements: frozenset[str] = frozenset()
    final: str = ""
    summary: str = ""
    summary_agreements: frozenset[str] = frozenset()
    findings: Mapping[str, FindingRecorded] = attrs.field(factory=dict)
    exchanges: tuple[DialogueExchanged, ...] = ()
    requested: frozenset[str] = frozenset()
    """What the party under review asked for: ``assistance``, ``explanation``."""
    records: tuple[Event, ...] = ()
    """The facts recorded for the record only: stakeholders consulted or proposed,
    organisations' information, translations asked, contributions, assistance and
    explanations given."""

    @property
    def party_under_review(self) -> str:
        """The State party under review ('' before the review opened)."""
        return self.opened.party_under_review if self.opened else ""

    @property
    def reviewers(self) -> tuple[str, ...]:
        """The two reviewing States parties, the same-region reviewer first."""
        return self.opened.reviewers if self.opened else ()

    @property
    def states(self) -> frozenset[str]:
        """The three States whose agreement makes the report final (ToR 33)."""
        return frozenset({self.party_under_review, *self.reviewers})

    @property
    def completed(self) -> bool:
        """Whether the executive summary was agreed by all three States."""
        return "review_completed" in self.steps


def _first(steps: Mapping[str, dt.date], step: str, on: dt.date) -> dict[str, dt.date]:
    out = dict(steps)
    out.setdefault(step, on)
    return out


def evolve(  # noqa: C901, PLR0911, PLR0912 - one case per event
    state: CountryReview, event: Event, version: int
) -> CountryReview:
    """The review after ``event`` at stream ``version``."""
    state = attrs.evolve(state, version=version, last_step=type(event).TYPE)
    step = STEP_OF.get(type(event))
    on = getattr(event, "on", None)
    if step is not None and isinstance(on, dt.date):
        state = attrs.evolve(state, steps=_first(state.steps, step, on))
    match event:
        case ReviewOpened():
            steps = _first(state.steps, "reviewers_drawn", event.drawn_on)
            return attrs.evolve(state, opened=event, steps=steps)
        case OfficiallyNotified():
            steps = _first(state.steps, "review_started", event.start_date)
            return attrs.evolve(state, steps=steps)
        case ChecklistResponseSubmitted() | SupplementaryInformationProvided():
            if isinstance(event, ChecklistResponseSubmitted):
                state = attrs.evolve(state, records=(*state.records, event))
            if "desk_review_outcome_submitted" in state.steps:
                return state
            steps = {**state.steps, "checklist_information_received": event.on}
            return attrs.evolve(state, steps=steps)
        case DialogueExchanged():
            return attrs.evolve(state, exchanges=(*state.exchanges, event))
        case ChecklistAssistanceRequested() | ExplanationRequested():
            kind = (
                "assistance"
                if isinstance(event, ChecklistAssistanceRequested)
                else "explanation"
            )
            return attrs.evolve(state, requested=state.requested | {kind})
        case ChecklistAssistanceProvided() | ExplanationProvided():
            kind = (
                "assistance"
                if isinstance(event, ChecklistAssistanceProvided)
                else "explanation"
            )
            return attrs.evolve(
                state,
                requested=state.requested - {kind},
                records=(*state.records, event),
            )
        case (
            StakeholdersProposed()
            | OrganisationInformationConsidered()
            | TranslationRequested()
            | VoluntaryContributionRecorded()
        ):
            return attrs.evolve(state, records=(*state.records, event))
        case DirectDialogueAgreed():
            return attrs.evolve(state, agreed_to=state.agreed_to | {event.kind})
        case DirectDialogueHeld():
            steps = {**state.steps, "visit_ended": event.ends}
            return attrs.evolve(state, steps=steps)
        case FindingRecorded():
            findings = {**state.findings, event.finding_id: event}
            return attrs.evolve(state, findings=findings)
        case DraftReportSent():
            return attrs.evolve(state, draft=event.draft_sha256, agreements=frozenset())
        case ReportAgreed():
            return attrs.evolve(state, agreements=state.agreements | {event.by})
        case DisagreementRecorded():
            return attrs.evolve(state, agreements=state.agreements - {event.by})
        case ReportFinalised():
            return attrs.evolve(state, final=event.draft_sha256)
        case ExecutiveSummaryPrepared():
            return attrs.evolve(
                state, summary=event.summary_sha256, summary_agreements=frozenset()
            )
        case ExecutiveSummaryAgreed():
            agreed = state.summary_agreements | {event.by}
            state = attrs.evolve(state, summary_agreements=agreed)
            if agreed >= state.states:
                steps = _first(state.steps, "review_completed", event.on)
                return attrs.evolve(state, steps=steps)
            return state
    return state


def replay(review: str, events: Iterable[tuple[int, Event]]) -> CountryReview:
    """A review from its stream's ``(version, event)`` pairs."""
    state = CountryReview(review=review)
    for version, event in events:
        state = evolve(state, event, version)
    return state


# -- deciding --------------------------------------------------------------------------

_SECRETARIAT_STEPS: Final = (
    OfficiallyNotified,
    StaffMemberAssigned,
    WorkingLanguagesAgreed,
    OrientationCallHeld,
    ChecklistResponseCirculated,
    ChecklistAssistanceProvided,
    DialogueOpened,
    DialogueClosed,
    DraftReportSent,
    ReportFinalised,
    ExecutiveSummaryPrepared,
    VoluntaryContributionRecorded,
)
_PARTY_STEPS: Final = (
    FocalPointAppointed,
    ChecklistAssistanceRequested,
    ChecklistResponseSubmitted,
    SupplementaryInformationProvided,
    StakeholdersProposed,
    TranslationRequested,
    ExplanationRequested,
    CommentsReceived,
)
_EXPERT_STEPS: Final = (
    TasksDivided,
    OrganisationInformationConsidered,
    DeskReviewOutcomeSubmitted,
    PreliminaryFindingsShared,
    FindingRecorded,
    ExplanationProvided,
)
_CONTRIBUTION_PURPOSES: Final = frozenset(
    {"country_visit", "joint_meeting", "translation"}
)
_AGREEMENTS: Final = (ReportAgreed, DisagreementRecorded, ExecutiveSummaryAgreed)


def decide(  # noqa: C901, PLR0912, PLR0915 - one check per kind of step
    state: CountryReview,
    step: Event,
    *,
    actor: str,
    today: dt.date,
    languages: Iterable[str] = ("ar", "zh", "en", "fr", "ru", "es"),
) -> tuple[Event, ...]:
    """The events recording ``step`` by ``actor``, or the refusal that applies.

    Args:
        state: The review as recorded.
        step: The step to record: one of the events of
            :mod:`untoc_core.reviews.events` other than ``ReviewOpened``.
        actor: Who records it: a State's code or ``secretariat``.
        today: The current date: a step cannot be dated later.
        languages: The working languages of the mechanism (ToR 48).

    Raises:
        InvalidInput: the review is not opened or is completed, a date in the
            future or before the step it follows, an actor with no part in the
            step, malformed hashes or ids.
        DomainError: a step out of order, naming the provision that orders it.
    """
    if state.opened is None:
        msg = f"the country review {state.review} has not been opened"
        raise InvalidInput(msg)
    if isinstance(step, ReviewOpened):
        msg = f"the country review {state.review} is already open"
        raise InvalidInput(msg)
    if state.completed:
        msg = f"the country review {state.review} is completed"
        raise InvalidInput(msg)
    _check_dates(state, step, today)
    _check_actor(state, step, actor)
    match step:
        case OfficiallyNotified():
            _once(state, "official_notification")
        case FocalPointAppointed() | OrientationCallHeld():
            provision = "GL-13" if isinstance(step, FocalPointAppointed) else "GL-16"
            _after(state, "official_notification", provision, step)
        case WorkingLanguagesAgreed():
            _check_languages(step, languages)
        case ChecklistResponseSubmitted():
            _after(state, "official_notification", "GL-15a", step)
        case ChecklistResponseCirculated():
            _after(state, "checklist_response_submitted", "GL-15b", step)
        case DeskReviewOutcomeSubmitted():
            _after(state, "checklist_response_submitted", "ToR-22", step)
        case DialogueOpened():
            _after(state, "desk_review_outcome_submitted", "GL-23", step)
        case DialogueClosed():
            _after(state, "dialogue_opened", "GL-23", step)
        case DialogueExchanged():
            _after(state, "desk_review_outcome_submitted", "ToR-23", step)
        case DirectDialogueAgreed():
            if actor != state.party_under_review:
                msg = (
                    f"only the party under review, {state.party_under_review}, agrees "
                    f"to a {step.kind.value.replace('_', ' ')}"
                )
                raise DirectDialogueNotAgreed(msg)
        case DirectDialogueHeld():
            _check_direct_dialogue(state, step, actor)
        case PreliminaryFindingsShared():
            _after(state, "visit_ended", "GL-29", step)
        case FindingRecorded():
            _check_finding(state, step)
        case ChecklistAssistanceProvided():
            if "assistance" not in state.requested:
                raise out_of_order(
                    "ToR-16",
                    "the secretariat assists the party under review with its answers "
                    "when it asks; no request is open",
                )
        case ExplanationProvided():
            if "explanation" not in state.requested:
                raise out_of_order(
                    "GL-33",
                    "explanations of how to address the challenges are given at the "
                    "request of the party under review; none is open",
                )
        case VoluntaryContributionRecorded():
            _check_contribution(step)
        case TranslationRequested():
            if step.language in set(languages) or not step.language.strip():
                msg = (
                    f"{step.language!r} is not a language beyond the six working "
                    "languages, which the secretariat provides (ToR 49)"
                )
                raise InvalidInput(msg)
        case StakeholdersProposed() | OrganisationInformationConsidered():
            _check_texts(step)
        case DraftReportSent():
            _after(state, "desk_review_outcome_submitted", "GL-30", step)
            _check_sha256(step.draft_sha256, "draft")
            if step.draft_sha256 in {state.draft, state.final}:
                msg = "that draft was sent already"
                raise InvalidInput(msg)
            if state.final:
                msg = "the report is final; no new draft is sent"
                raise InvalidInput(msg)
        case CommentsReceived() | ReportAgreed() | DisagreementRecorded():
            _check_on_current_draft(state, step)
        case ReportFinalised():
            _check_final(state, step)
        case ExecutiveSummaryPrepared():
            if not state.final:
                msg = "an executive summary is prepared once the report is final"
                raise SummaryProcedureBroken(msg)
            _check_sha256(step.summary_sha256, "executive summary")
        case ExecutiveSummaryAgreed():
            if not state.summary or step.summary_sha256 != state.summary:
                msg = "agree to the executive summary prepared, by its SHA-256"
                raise SummaryProcedureBroken(msg)
    return (step,)


def _check_dates(state: CountryReview, step: Event, today: dt.date) -> None:
    dates = [getattr(step, name, None) for name in ("on", "starts", "ends")]
    known = [d for d in dates if isinstance(d, dt.date)]
    if not known:
        msg = f"{type(step).__name__} has no date"
        raise InvalidInput(msg)
    if any(d > today for d in known):
        msg = f"a step cannot be dated after today ({today.isoformat()})"
        raise InvalidInput(msg)
    drawn = state.steps.get("reviewers_drawn")
    if drawn is not None and any(d < drawn for d in known):
        msg = f"a step cannot be dated before the reviewers were drawn ({drawn})"
        raise InvalidInput(msg)
    if isinstance(step, OfficiallyNotified) and step.start_date < step.on:
        msg = "the start date of the review cannot precede its notification"
        raise InvalidInput(msg)
    if isinstance(step, DirectDialogueHeld) and step.ends < step.starts:
        msg = "a visit or meeting cannot end before it starts"
        raise InvalidInput(msg)


def _check_actor(state: CountryReview, step: Event, actor: str) -> None:
    if isinstance(step, _SECRETARIAT_STEPS):
        allowed = {SECRETARIAT}
    elif isinstance(step, _PARTY_STEPS):
        allowed = {state.party_under_review, SECRETARIAT}
    elif isinstance(step, _EXPERT_STEPS):
        allowed = {*state.reviewers, SECRETARIAT}
    elif isinstance(step, _AGREEMENTS):
        by = str(getattr(step, "by", ""))
        if by not in state.states:
            msg = f"{by} is not one of the three States of {state.review}"
            raise InvalidInput(msg)
        allowed = {by}
    elif isinstance(step, DialogueExchanged):
        if step.by not in state.states:
            msg = f"{step.by} is not one of the three States of {state.review}"
            raise InvalidInput(msg)
        allowed = {SECRETARIAT}
    else:
        allowed = {*state.states, SECRETARIAT}
    if actor not in allowed:
        if isinstance(step, DialogueExchanged):
            msg = (
                "an exchange of the dialogue is recorded through the secretariat, "
                f"which keeps abreast of every communication; {actor} cannot record "
                "it directly"
            )
            raise CommunicationNotShared(msg)
        msg = (
            f"{actor} does not record a {type(step).__name__} in {state.review}; "
            f"who does: {', '.join(sorted(allowed))}"
        )
        raise InvalidInput(msg)


def _once(state: CountryReview, step: str) -> None:
    if step in state.steps:
        msg = f"the {step.replace('_', ' ')} of {state.review} is already recorded"
        raise InvalidInput(msg)


def _after(state: CountryReview, earlier: str, provision: str, step: Event) -> None:
    recorded = state.steps.get(earlier)
    if recorded is None:
        msg = (
            f"{type(step).__name__} comes after the {earlier.replace('_', ' ')}, "
            f"which is not recorded for {state.review}"
        )
        raise out_of_order(provision, msg)
    on = getattr(step, "on", None) or getattr(step, "starts", None)
    if isinstance(on, dt.date) and on < recorded:
        msg = (
            f"{type(step).__name__} cannot be dated before the "
            f"{earlier.replace('_', ' ')} ({recorded.isoformat()})"
        )
        raise InvalidInput(msg)


def _check_languages(step: WorkingLanguagesAgreed, languages: Iterable[str]) -> None:
    known = tuple(languages)
    chosen = step.languages
    if not chosen or len(set(chosen)) != len(chosen) or set(chosen) - set(known):
        msg = (
            f"the working languages are one or more of {', '.join(known)}, each once, "
            f"not {list(chosen)}"
        )
        raise InvalidInput(msg)


def _check_direct_dialogue(
    state: CountryReview, step: DirectDialogueHeld, actor: str
) -> None:
    if actor not in {state.party_under_review, SECRETARIAT}:
        msg = (
            f"the party under review, {state.party_under_review}, plans the "
            f"{step.kind.value.replace('_', ' ')}, with the secretariat's help; not "
            f"{actor}"
        )
        raise DirectDialogueNotPlannedByParty(msg)
    if step.kind not in state.agreed_to:
        msg = (
            f"no {step.kind.value.replace('_', ' ')} without the agreement of the "
            f"party under review, {state.party_under_review}"
        )
        raise DirectDialogueNotAgreed(msg)


def _check_finding(state: CountryReview, step: FindingRecorded) -> None:
    if not _ID.fullmatch(step.finding_id) or not _ID.fullmatch(step.section):
        msg = "a finding's id and section are letters, digits and ._:- (at most 64)"
        raise InvalidInput(msg)
    if step.finding_id in state.findings:
        msg = f"finding {step.finding_id!r} is already recorded; ids are stable"
        raise InvalidInput(msg)
    if not step.article.strip():
        msg = "a finding names the article it is about"
        raise InvalidInput(msg)
    _after(state, "checklist_response_submitted", "ToR-22", step)


def _check_contribution(step: VoluntaryContributionRecorded) -> None:
    if step.purpose not in _CONTRIBUTION_PURPOSES:
        msg = (
            f"a voluntary contribution funds one of "
            f"{', '.join(sorted(_CONTRIBUTION_PURPOSES))}, not {step.purpose!r}"
        )
        raise InvalidInput(msg)
    if not step.contributor.strip():
        msg = "a voluntary contribution names its contributor"
        raise InvalidInput(msg)
    if step.conditions.strip():
        msg = (
            "voluntary contributions to the mechanism are free of conditions and "
            f"influence; this one comes with: {step.conditions.strip()}"
        )
        raise ContributionWithConditions(msg)


def _check_texts(
    step: StakeholdersProposed | OrganisationInformationConsidered,
) -> None:
    texts = (
        step.stakeholders
        if isinstance(step, StakeholdersProposed)
        else (step.organisation,)
    )
    if not texts or not all(t.strip() for t in texts):
        msg = f"{type(step).__name__} names at least one, none blank"
        raise InvalidInput(msg)


def _check_sha256(value: str, what: str) -> None:
    if not _SHA256.fullmatch(value):
        msg = f"the {what} is named by its SHA-256: 64 lowercase hex digits"
        raise InvalidInput(msg)


def _check_on_current_draft(state: CountryReview, step: Event) -> None:
    sha = str(getattr(step, "draft_sha256", ""))
    _check_sha256(sha, "draft")
    if not state.draft:
        raise out_of_order(
            "GL-30", f"no draft report of {state.review} has been sent yet"
        )
    if sha != state.draft:
        msg = (
            "that is not the current draft: a new draft voids agreements to "
            "earlier ones"
        )
        raise ReportNotAgreed(msg)
    if state.final:
        msg = "the report is final already"
        raise InvalidInput(msg)


def _check_final(state: CountryReview, step: ReportFinalised) -> None:
    _check_sha256(step.draft_sha256, "draft")
    if state.final:
        msg = "the report is final already"
        raise InvalidInput(msg)
    if step.draft_sha256 != state.draft:
        msg = "only the current draft can become the final report"
        raise ReportNotAgreed(msg)
    missing = sorted(state.states - state.agreements)
    if missing:
        msg = (
            f"the report is final only when the party under review and both "
            f"reviewing States agreed to it; not yet: {', '.join(missing)}"
        )
        raise ReportNotAgreed(msg)
