"""The country review aggregate: steps in order, who records them, and refusals.

A hypothesis state machine drives random sequences of steps, by random actors on
random dates, through the mechanism, and checks after each one that the invariants
hold, that every refusal is an ``UntocError`` (a ``DomainError`` citing a provision
of the catalogue for a rule), and that a refused command left every stored row
byte-for-byte as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from untoc_adapters.audit.rows import iter_rows
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.memory import open_memory_store
from untoc_core import Mechanism
from untoc_core.errors import DomainError, InvalidInput, UntocError
from untoc_core.events import Event
from untoc_core.ports import NewEvents
from untoc_core.reviews import events as ev
from untoc_core.reviews.model import CountryReview
from untoc_core.rules.provisions import provisions

REVIEW = "cycle-1/ARC"
DRAWN = dt.date(2026, 2, 2)
NOW = dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.UTC)
SHA = ["1" * 64, "2" * 64, "3" * 64]
PROVISIONS = set(provisions())


def opened_mechanism() -> tuple[Mechanism, SimulatedClock]:
    """A mechanism with Arcadia's review opened (reviewed by BRD and CRP)."""
    clock = SimulatedClock(NOW)
    mechanism = Mechanism(open_memory_store(), clock)
    opened = ev.ReviewOpened(
        review=REVIEW,
        cycle=1,
        year=1,
        party_under_review="ARC",
        reviewers=("BRD", "CRP"),
        drawn_on=DRAWN,
    )
    mechanism.store.append(
        NewEvents(stream=ev.stream_of(REVIEW), expected_version=0, events=(opened,)),
        recorded_at=NOW,
        actor="secretariat",
    )
    return mechanism, clock


@pytest.fixture
def world() -> Iterator[tuple[Mechanism, SimulatedClock]]:
    mechanism, clock = opened_mechanism()
    yield mechanism, clock
    mechanism.store.close()


def stored_bytes(mechanism: Mechanism) -> list[tuple[int, str, int, str, bytes]]:
    """Every stored row as the store holds it: position, place, type and bytes."""
    store = mechanism.store
    assert isinstance(store, RecorderEventStore)
    return [
        (row.position, row.stream, row.version, row.topic, row.state)
        for row in iter_rows(store)
    ]


def refused(mechanism: Mechanism, call: Callable[[], object]) -> UntocError:
    before = stored_bytes(mechanism)
    with pytest.raises(UntocError) as caught:
        call()
    assert stored_bytes(mechanism) == before
    return caught.value


def day(n: int) -> dt.date:
    return DRAWN + dt.timedelta(days=n)


def walk_to_final(mechanism: Mechanism, clock: SimulatedClock) -> None:
    """Record a whole review up to the final report, in order."""
    clock.advance(dt.timedelta(days=200))
    steps: list[tuple[str, Event]] = [
        (
            "secretariat",
            ev.OfficiallyNotified(on=day(10), start_date=day(14), schedule=()),
        ),
        ("ARC", ev.FocalPointAppointed(on=day(20), focal_point="Ms A. Focal")),
        ("secretariat", ev.OrientationCallHeld(on=day(30))),
        ("ARC", ev.ChecklistResponseSubmitted(on=day(60))),
        ("secretariat", ev.ChecklistResponseCirculated(on=day(70))),
        ("BRD", ev.DeskReviewOutcomeSubmitted(on=day(90))),
        ("secretariat", ev.DialogueOpened(on=day(95))),
        (
            "ARC",
            ev.DirectDialogueAgreed(on=day(100), kind=ev.DirectDialogue.COUNTRY_VISIT),
        ),
        (
            "ARC",
            ev.DirectDialogueHeld(
                kind=ev.DirectDialogue.COUNTRY_VISIT,
                starts=day(110),
                ends=day(112),
                stakeholders=("civil society",),
            ),
        ),
        ("CRP", ev.PreliminaryFindingsShared(on=day(120))),
        ("secretariat", ev.DraftReportSent(on=day(140), draft_sha256=SHA[0])),
    ]
    for actor, step in steps:
        mechanism.record_step(REVIEW, step, actor=actor)
    for state in ("ARC", "BRD", "CRP"):
        mechanism.record_step(
            REVIEW,
            ev.ReportAgreed(on=day(150), draft_sha256=SHA[0], by=state),
            actor=state,
        )
    mechanism.record_step(
        REVIEW,
        ev.ReportFinalised(on=day(151), draft_sha256=SHA[0]),
        actor="secretariat",
    )


def test_a_whole_review_is_recorded_in_order_and_completes(
    world: tuple[Mechanism, SimulatedClock],
) -> None:
    mechanism, clock = world
    walk_to_final(mechanism, clock)
    mechanism.record_step(
        REVIEW,
        ev.ExecutiveSummaryPrepared(on=day(155), summary_sha256=SHA[1]),
        actor="secretariat",
    )
    for state in ("ARC", "BRD", "CRP"):
        mechanism.record_step(
            REVIEW,
            ev.ExecutiveSummaryAgreed(on=day(160), summary_sha256=SHA[1], by=state),
            actor=state,
        )
    review = mechanism.country_review(REVIEW)
    assert review.completed
    assert review.steps["review_completed"] == day(160)
    assert review.steps["review_started"] == day(14)
    assert review.steps["visit_ended"] == day(112)
    assert review.final == SHA[0]


def test_a_desk_review_before_any_checklist_response_is_refused_citing_tor_22(
    world: tuple[Mechanism, SimulatedClock],
) -> None:
    mechanism, _ = world
    error = refused(
        mechanism,
        lambda: mechanism.record_step(
            REVIEW, ev.DeskReviewOutcomeSubmitted(on=DRAWN), actor="BRD"
        ),
    )
    assert isinstance(error, DomainError)
    assert error.provision == "ToR-22"


def test_a_visit_without_agreement_is_refused_citing_tor_28(
    world: tuple[Mechanism, SimulatedClock],
) -> None:
    mechanism, _ = world
    visit = ev.DirectDialogueHeld(
        kind=ev.DirectDialogue.JOINT_MEETING, starts=DRAWN, ends=DRAWN, stakeholders=()
    )
    error = refused(
        mechanism, lambda: mechanism.record_step(REVIEW, visit, actor="ARC")
    )
    assert isinstance(error, DomainError)
    assert error.provision == "ToR-28"
    mechanism.record_step(
        REVIEW,
        ev.DirectDialogueAgreed(on=DRAWN, kind=ev.DirectDialogue.COUNTRY_VISIT),
        actor="ARC",
    )
    error = refused(
        mechanism, lambda: mechanism.record_step(REVIEW, visit, actor="ARC")
    )
    assert isinstance(error, DomainError)
    assert error.provision == "ToR-28"  # agreed to a visit, not a joint meeting


def test_only_the_party_under_review_plans_the_visit_citing_gl_24(
    world: tuple[Mechanism, SimulatedClock],
) -> None:
    mechanism, _ = world
    mechanism.record_step(
        REVIEW,
        ev.DirectDialogueAgreed(on=DRAWN, kind=ev.DirectDialogue.COUNTRY_VISIT),
        actor="ARC",
    )
    visit = ev.DirectDialogueHeld(
        kind=ev.DirectDialogue.COUNTRY_VISIT, starts=DRAWN, ends=DRAWN, stakeholders=()
    )
    error = refused(
        mechanism, lambda: mechanism.record_step(REVIEW, visit, actor="BRD")
    )
    assert isinstance(error, DomainError)
    assert error.provision == "GL-24"


def test_an_exchange_not_recorded_through_the_secretariat_is_refused_citing_gl_18(
    world: tuple[Mechanism, SimulatedClock],
) -> None:
    mechanism, clock = world
    walk_to_final(mechanism, clock)  # the desk review is in
    exchange = ev.DialogueExchanged(
        on=day(96),
        kind=ev.ExchangeKind.SUPPLEMENTARY_QUESTION,
        channel=ev.Channel.EMAIL,
        by="BRD",
    )
    error = refused(
        mechanism, lambda: mechanism.record_step(REVIEW, exchange, actor="BRD")
    )
    assert isinstance(error, DomainError)
    assert error.provision == "GL-18"


def test_the_report_is_final_only_with_three_agreements_to_the_current_draft(
    world: tuple[Mechanism, SimulatedClock],
) -> None:
    mechanism, clock = world
    walk_to_final(mechanism, clock)
    review = mechanism.country_review(REVIEW)
    assert review.final == SHA[0]


def test_a_new_draft_voids_earlier_agreements_citing_tor_33(
    world: tuple[Mechanism, SimulatedClock],
) -> None:
    mechanism, clock = world
    clock.advance(dt.timedelta(days=200))
    for actor, step in (
        (
            "secretariat",
            ev.OfficiallyNotified(on=day(1), start_date=day(1), schedule=()),
        ),
        ("ARC", ev.ChecklistResponseSubmitted(on=day(2))),
        ("BRD", ev.DeskReviewOutcomeSubmitted(on=day(3))),
        ("secretariat", ev.DraftReportSent(on=day(4), draft_sha256=SHA[0])),
        ("ARC", ev.ReportAgreed(on=day(5), draft_sha256=SHA[0], by="ARC")),
        ("BRD", ev.ReportAgreed(on=day(5), draft_sha256=SHA[0], by="BRD")),
        ("CRP", ev.DisagreementRecorded(on=day(6), draft_sha256=SHA[0], by="CRP")),
        ("secretariat", ev.DraftReportSent(on=day(7), draft_sha256=SHA[1])),
        ("CRP", ev.ReportAgreed(on=day(8), draft_sha256=SHA[1], by="CRP")),
    ):
        mechanism.record_step(REVIEW, step, actor=actor)
    final = ev.ReportFinalised(on=day(9), draft_sha256=SHA[1])
    error = refused(
        mechanism, lambda: mechanism.record_step(REVIEW, final, actor="secretariat")
    )
    assert isinstance(error, DomainError)
    assert error.provision == "ToR-33"
    assert "ARC" in str(error)
    old = ev.ReportAgreed(on=day(9), draft_sha256=SHA[0], by="ARC")
    error = refused(mechanism, lambda: mechanism.record_step(REVIEW, old, actor="ARC"))
    assert isinstance(error, DomainError)
    assert error.provision == "ToR-33"


def test_the_executive_summary_follows_the_final_report_citing_gl_34(
    world: tuple[Mechanism, SimulatedClock],
) -> None:
    mechanism, clock = world
    clock.advance(dt.timedelta(days=10))
    summary = ev.ExecutiveSummaryPrepared(on=day(1), summary_sha256=SHA[2])
    error = refused(
        mechanism, lambda: mechanism.record_step(REVIEW, summary, actor="secretariat")
    )
    assert isinstance(error, DomainError)
    assert error.provision == "GL-34"


@pytest.mark.parametrize(
    ("actor", "step", "message"),
    [
        (
            "secretariat",
            ev.OrientationCallHeld(on=DRAWN + dt.timedelta(days=9)),
            "after today",
        ),
        (
            "secretariat",
            ev.OrientationCallHeld(on=DRAWN - dt.timedelta(days=1)),
            "before the reviewers",
        ),
        (
            "BRD",
            ev.OfficiallyNotified(on=DRAWN, start_date=DRAWN, schedule=()),
            "who does",
        ),
        (
            "secretariat",
            ev.OfficiallyNotified(
                on=DRAWN, start_date=DRAWN - dt.timedelta(days=1), schedule=()
            ),
            "start date",
        ),
        (
            "secretariat",
            ev.WorkingLanguagesAgreed(on=DRAWN, languages=("de",)),
            "working languages",
        ),
        (
            "secretariat",
            ev.WorkingLanguagesAgreed(on=DRAWN, languages=("en", "en")),
            "each once",
        ),
        (
            "ZZZ",
            ev.ReportAgreed(on=DRAWN, draft_sha256=SHA[0], by="ZZZ"),
            "three States",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    world: tuple[Mechanism, SimulatedClock], actor: str, step: Event, message: str
) -> None:
    mechanism, _ = world
    error = refused(mechanism, lambda: mechanism.record_step(REVIEW, step, actor=actor))
    assert isinstance(error, InvalidInput)
    assert message in str(error)


# -- the state machine -----------------------------------------------------------------

ACTORS = st.sampled_from(["ARC", "BRD", "CRP", "secretariat", "ELB"])
DAYS = st.integers(min_value=-2, max_value=40)


def _steps(on: dt.date) -> list[Event]:
    return [
        ev.OfficiallyNotified(on=on, start_date=on, schedule=()),
        ev.FocalPointAppointed(on=on, focal_point="focal"),
        ev.StaffMemberAssigned(on=on, staff_member="staff"),
        ev.WorkingLanguagesAgreed(on=on, languages=("en", "fr")),
        ev.OrientationCallHeld(on=on),
        ev.ChecklistResponseSubmitted(on=on),
        ev.ChecklistResponseCirculated(on=on),
        ev.SupplementaryInformationProvided(on=on),
        ev.TasksDivided(
            on=on, division=(ev.TaskShare(reviewer="BRD", issues=("art. 5",)),)
        ),
        ev.DeskReviewOutcomeSubmitted(on=on),
        ev.DialogueOpened(on=on),
        ev.DialogueExchanged(
            on=on, kind=ev.ExchangeKind.ANSWER, channel=ev.Channel.EMAIL, by="ARC"
        ),
        ev.DirectDialogueAgreed(on=on, kind=ev.DirectDialogue.COUNTRY_VISIT),
        ev.DirectDialogueHeld(
            kind=ev.DirectDialogue.COUNTRY_VISIT, starts=on, ends=on, stakeholders=()
        ),
        ev.PreliminaryFindingsShared(on=on),
        ev.DialogueClosed(on=on),
        ev.FindingRecorded(
            on=on,
            finding_id=f"f-{on.isoformat()}",
            kind=ev.FindingKind.CHALLENGE,
            article="UNTOC 5",
            aspect=ev.Aspect.LAW,
            stage=ev.Stage.DESK_REVIEW,
            section="desk-review",
        ),
        *(ev.DraftReportSent(on=on, draft_sha256=sha) for sha in SHA[:2]),
        *(
            cls(on=on, draft_sha256=sha, by=by)
            for cls in (ev.ReportAgreed, ev.DisagreementRecorded)
            for sha in SHA[:2]
            for by in ("ARC", "BRD", "CRP")
        ),
        *(ev.ReportFinalised(on=on, draft_sha256=sha) for sha in SHA[:2]),
        ev.ChecklistAssistanceRequested(on=on),
        ev.ChecklistAssistanceProvided(on=on),
        ev.ExplanationRequested(on=on),
        ev.ExplanationProvided(on=on),
        ev.TranslationRequested(on=on, language="pt"),
        ev.StakeholdersProposed(on=on, stakeholders=("civil society",)),
        ev.OrganisationInformationConsidered(on=on, organisation="a regional body"),
        ev.VoluntaryContributionRecorded(
            on=on, purpose="country_visit", contributor="Utopia"
        ),
        ev.VoluntaryContributionRecorded(
            on=on, purpose="translation", contributor="Utopia", conditions="a seat"
        ),
        ev.ExecutiveSummaryPrepared(on=on, summary_sha256=SHA[2]),
        *(
            ev.ExecutiveSummaryAgreed(on=on, summary_sha256=SHA[2], by=by)
            for by in ("ARC", "BRD", "CRP")
        ),
    ]


STEP_COUNT = len(_steps(DRAWN))
PATH: list[tuple[str, Event]] = [
    ("secretariat", ev.OfficiallyNotified(on=day(1), start_date=day(2), schedule=())),
    ("ARC", ev.ChecklistResponseSubmitted(on=day(3))),
    ("BRD", ev.DeskReviewOutcomeSubmitted(on=day(4))),
    ("secretariat", ev.DialogueOpened(on=day(5))),
    ("secretariat", ev.DraftReportSent(on=day(6), draft_sha256=SHA[0])),
    ("ARC", ev.ReportAgreed(on=day(7), draft_sha256=SHA[0], by="ARC")),
    ("BRD", ev.ReportAgreed(on=day(7), draft_sha256=SHA[0], by="BRD")),
    ("CRP", ev.ReportAgreed(on=day(7), draft_sha256=SHA[0], by="CRP")),
    ("secretariat", ev.ReportFinalised(on=day(8), draft_sha256=SHA[0])),
    ("secretariat", ev.ExecutiveSummaryPrepared(on=day(9), summary_sha256=SHA[2])),
    *(
        (by, ev.ExecutiveSummaryAgreed(on=day(10), summary_sha256=SHA[2], by=by))
        for by in ("ARC", "BRD", "CRP")
    ),
]
"""An orderly review; the machine interleaves it with random steps."""


class ReviewMachine(RuleBasedStateMachine):
    """Random steps by random actors on random dates against one review."""

    def __init__(self) -> None:
        super().__init__()
        self.mechanism, self.clock = opened_mechanism()
        self.clock.advance(dt.timedelta(days=45))
        self.recorded: list[Event] = []
        self.next_on_path = 0

    @rule()
    def advance(self) -> None:
        """Record the next step of an orderly review, so that runs go deep."""
        if self.next_on_path >= len(PATH):
            return
        actor, step = PATH[self.next_on_path]
        self.next_on_path += 1
        self._record(step, actor)

    @rule(index=st.integers(0, STEP_COUNT - 1), actor=ACTORS, offset=DAYS)
    def record(self, index: int, actor: str, offset: int) -> None:
        """Record any step, by any actor, on any date near the review's."""
        self._record(_steps(DRAWN + dt.timedelta(days=offset))[index], actor)

    def _record(self, step: Event, actor: str) -> None:
        before = stored_bytes(self.mechanism)
        refusal: UntocError | None = None
        try:
            recorded = self.mechanism.record_step(REVIEW, step, actor=actor)
        except UntocError as caught:
            refusal = caught
        if refusal is None:
            assert [r.event for r in recorded] == [step]
            self.recorded.append(step)
            event(f"recorded {type(step).__name__}")
            return
        event(f"refused {type(refusal).__name__}")
        if isinstance(refusal, DomainError):
            assert refusal.provision in PROVISIONS, refusal.provision
            assert str(refusal).startswith(f"[{refusal.provision}] ")
        assert stored_bytes(self.mechanism) == before

    @invariant()
    def the_review_keeps_its_rules(self) -> None:
        review: CountryReview = self.mechanism.country_review(REVIEW)
        assert review.agreements <= review.states
        assert review.summary_agreements <= review.states
        assert all(day >= DRAWN for day in review.steps.values())
        kinds = {type(e) for e in self.recorded}
        if ev.DirectDialogueHeld in kinds:
            assert ev.DirectDialogueAgreed in kinds
        if review.final:
            agreed = {
                e.by
                for e in self.recorded
                if isinstance(e, ev.ReportAgreed) and e.draft_sha256 == review.final
            }
            assert agreed >= review.states
        if review.summary:
            assert review.final
        if ev.DeskReviewOutcomeSubmitted in kinds:
            assert "checklist_response_submitted" in review.steps
        if review.completed:
            assert review.final
            assert review.summary
        assert all(x.by in review.states for x in review.exchanges)


ReviewMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_random_sequences_keep_the_rules = ReviewMachine.TestCase
