"""Steps of the country review lifecycle: its order, its rules and its deadlines.

Provisions: ToR 22, 24, 28 and 33, and guidelines paragraphs 12-34 (see
``features/country_review.feature``). A review is opened as the drawing of lots
would open it; each later ``Given`` records, through the mechanism, the steps that
must come first, on the dates the scenario gives.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import attrs
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.conftest import (
    FICTIONAL_STATES,
    Outcome,
    RegistryFile,
    code_of,
    names_in,
    state_party,
)
from tests.draw_mechanism import hold_ceremony, prepare
from untoc_adapters.clock import SimulatedClock
from untoc_core import Mechanism
from untoc_core.events import Event
from untoc_core.ports import NewEvents
from untoc_core.registry import NominateGovernmentalExpert
from untoc_core.reviews import (
    CountryReview,
    Deadline,
    DeadlineStatus,
    Performance,
    ReviewFacts,
    mechanism_performance,
)
from untoc_core.reviews import events as ev

scenarios("country_review.feature")

LATER = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)
"""The clock stands after every date of the scenarios, so none is in the future."""


def review_of(name: str) -> str:
    """The review id of a fictional State's review in cycle 1."""
    return f"cycle-1/{code_of(name)}"


def sha(text: str) -> str:
    """A draft's SHA-256, from a name for it."""
    return hashlib.sha256(text.encode()).hexdigest()


@attrs.define
class Review:
    """The review of the scenario and what was last recorded for it."""

    review: str = ""
    drawn_on: dt.date = dt.date(2000, 1, 1)
    draft: str = ""
    recorded: set[str] = attrs.Factory(set)
    timeline: tuple[Deadline, ...] = ()


@pytest.fixture
def current() -> Review:
    return Review()


def record(
    mechanism: Mechanism, current: Review, actor: str, step: Event, key: str = ""
) -> None:
    """Record a step once (``key`` names it, so prerequisites are not repeated)."""
    if key and key in current.recorded:
        return
    mechanism.record_step(current.review, step, actor=actor)
    if key:
        current.recorded.add(key)


def notified(mechanism: Mechanism, current: Review, on: dt.date) -> None:
    notice = ev.OfficiallyNotified(on=on, start_date=on, schedule=())
    record(mechanism, current, "secretariat", notice, "notified")


def checklist(mechanism: Mechanism, current: Review, on: dt.date) -> None:
    notified(mechanism, current, current.drawn_on)
    submitted = ev.ChecklistResponseSubmitted(on=on)
    record(mechanism, current, code_of_review(current), submitted, "checklist")


def desk_review(mechanism: Mechanism, current: Review, on: dt.date) -> None:
    checklist(mechanism, current, current.drawn_on)
    outcome = ev.DeskReviewOutcomeSubmitted(on=on)
    record(mechanism, current, "secretariat", outcome, "desk-review")


def code_of_review(current: Review) -> str:
    return current.review.rsplit("/", 1)[1]


# -- given -----------------------------------------------------------------------------


@given(
    parsers.parse("{first:w} and {second:w} review {under_review:w}, drawn on {drawn}")
)
def review_opened(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    clock: SimulatedClock,
    current: Review,
    first: str,
    second: str,
    under_review: str,
    drawn: str,
) -> None:
    """The review opened from the reviewers drawn, as the drawing of lots opens it."""
    clock.current = LATER
    current.review = review_of(under_review)
    current.drawn_on = dt.date.fromisoformat(drawn)
    opened = ev.ReviewOpened(
        review=current.review,
        cycle=1,
        year=1,
        party_under_review=code_of(under_review),
        reviewers=(code_of(first), code_of(second)),
        drawn_on=current.drawn_on,
    )
    mechanism.store.append(
        NewEvents(
            stream=ev.stream_of(current.review), expected_version=0, events=(opened,)
        ),
        recorded_at=LATER,
        actor="secretariat",
    )


@given(parsers.parse("{party:w} agreed to a country visit"))
def visit_agreed(mechanism: Mechanism, current: Review, party: str) -> None:
    agreed = ev.DirectDialogueAgreed(
        on=current.drawn_on, kind=ev.DirectDialogue.COUNTRY_VISIT
    )
    record(mechanism, current, code_of(party), agreed, "visit-agreed")


@given(parsers.parse("{party:w} held a country visit from {starts} to {ends}"))
def visit_held(
    mechanism: Mechanism, current: Review, party: str, starts: str, ends: str
) -> None:
    held = ev.DirectDialogueHeld(
        kind=ev.DirectDialogue.COUNTRY_VISIT,
        starts=dt.date.fromisoformat(starts),
        ends=dt.date.fromisoformat(ends),
        stakeholders=("civil society",),
    )
    record(mechanism, current, code_of(party), held)


@given(
    parsers.parse("the outcome of the desk review on {party:w} was submitted on {on}")
)
def desk_review_submitted(
    mechanism: Mechanism, current: Review, party: str, on: str
) -> None:
    assert current.review == review_of(party)
    desk_review(mechanism, current, dt.date.fromisoformat(on))


@given(parsers.parse("a draft report was sent to {party:w} on {on}"))
def draft_sent(mechanism: Mechanism, current: Review, party: str, on: str) -> None:
    assert current.review == review_of(party)
    desk_review(mechanism, current, current.drawn_on)
    current.draft = sha("draft 1")
    sent = ev.DraftReportSent(on=dt.date.fromisoformat(on), draft_sha256=current.draft)
    record(mechanism, current, "secretariat", sent)


@given(parsers.parse("a new draft report was sent to {party:w} on {on}"))
def new_draft_sent(mechanism: Mechanism, current: Review, party: str, on: str) -> None:
    assert current.review == review_of(party)
    current.draft = sha("draft 2")
    sent = ev.DraftReportSent(on=dt.date.fromisoformat(on), draft_sha256=current.draft)
    record(mechanism, current, "secretariat", sent)


@given(parsers.parse("{names} agreed to a draft report sent on {on}"))
def agreed_to_a_draft(
    mechanism: Mechanism, current: Review, names: str, on: str
) -> None:
    draft_sent(mechanism, current, code_to_name(current), on)
    agreed(mechanism, current, names)


def code_to_name(current: Review) -> str:
    code = code_of_review(current)
    return next(n for n, c in FICTIONAL_STATES.items() if c == code)


@given(parsers.parse("{names} agreed to that draft"))
def agreed(mechanism: Mechanism, current: Review, names: str) -> None:
    for name in names_in(names):
        code = code_of(name)
        agreement = ev.ReportAgreed(
            on=current.drawn_on + dt.timedelta(days=200),
            draft_sha256=current.draft,
            by=code,
        )
        record(mechanism, current, code, agreement)


@given(parsers.re(r"(?P<party>\w+) was officially notified on (?P<on>[\d-]+)$"))
def officially_notified(
    mechanism: Mechanism, current: Review, party: str, on: str
) -> None:
    assert current.review == review_of(party)
    notified(mechanism, current, dt.date.fromisoformat(on))


@given(
    parsers.parse("{party:w} was officially notified on {on}, for a start on {start}")
)
def notified_with_start(
    mechanism: Mechanism, current: Review, party: str, on: str, start: str
) -> None:
    assert current.review == review_of(party)
    notice = ev.OfficiallyNotified(
        on=dt.date.fromisoformat(on),
        start_date=dt.date.fromisoformat(start),
        schedule=(),
    )
    record(mechanism, current, "secretariat", notice, "notified")


@given(
    parsers.parse(
        "{party:w} submitted its checklist response on {on}, and more information "
        "on {later}"
    )
)
def checklist_and_more(
    mechanism: Mechanism, current: Review, party: str, on: str, later: str
) -> None:
    checklist_submitted(mechanism, current, party, on)
    more = ev.SupplementaryInformationProvided(on=dt.date.fromisoformat(later))
    record(mechanism, current, code_of(party), more)


@given(
    parsers.re(r"(?P<party>\w+) submitted its checklist response on (?P<on>[\d-]+)$")
)
def checklist_submitted(
    mechanism: Mechanism, current: Review, party: str, on: str
) -> None:
    assert current.review == review_of(party)
    checklist(mechanism, current, dt.date.fromisoformat(on))


@given(parsers.parse("the constructive dialogue on {party:w} opened on {on}"))
def dialogue_opened(mechanism: Mechanism, current: Review, party: str, on: str) -> None:
    assert current.review == review_of(party)
    desk_review(mechanism, current, current.drawn_on)
    opened = ev.DialogueOpened(on=dt.date.fromisoformat(on))
    record(mechanism, current, "secretariat", opened)


# -- when ------------------------------------------------------------------------------


def attempt(
    mechanism: Mechanism, outcome: Outcome, current: Review, actor: str, step: Event
) -> None:
    outcome.run(
        mechanism, lambda: mechanism.record_step(current.review, step, actor=actor)
    )


@when(parsers.parse("{who:w} submits the outcome of the desk review on {on}"))
def submits_desk_review(
    mechanism: Mechanism, outcome: Outcome, current: Review, who: str, on: str
) -> None:
    step = ev.DeskReviewOutcomeSubmitted(on=dt.date.fromisoformat(on))
    attempt(mechanism, outcome, current, code_of(who), step)


@when(parsers.parse("{who:w} holds a country visit from {starts} to {ends}"))
def holds_visit(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    who: str,
    starts: str,
    ends: str,
) -> None:
    step = ev.DirectDialogueHeld(
        kind=ev.DirectDialogue.COUNTRY_VISIT,
        starts=dt.date.fromisoformat(starts),
        ends=dt.date.fromisoformat(ends),
        stakeholders=(),
    )
    attempt(mechanism, outcome, current, code_of(who), step)


@when(
    parsers.parse(
        "{who:w} records a supplementary question to {party:w} sent by e-mail on {on}"
    )
)
def sends_question(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    who: str,
    party: str,
    on: str,
) -> None:
    assert current.review == review_of(party)
    step = ev.DialogueExchanged(
        on=dt.date.fromisoformat(on),
        kind=ev.ExchangeKind.SUPPLEMENTARY_QUESTION,
        channel=ev.Channel.EMAIL,
        by=code_of(who),
    )
    attempt(mechanism, outcome, current, code_of(who), step)


@when("the secretariat makes the report final")
def makes_final(mechanism: Mechanism, outcome: Outcome, current: Review) -> None:
    step = ev.ReportFinalised(
        on=current.drawn_on + dt.timedelta(days=250), draft_sha256=current.draft
    )
    attempt(mechanism, outcome, current, "secretariat", step)


@when("the secretariat prepares the executive summary")
def prepares_summary(mechanism: Mechanism, outcome: Outcome, current: Review) -> None:
    step = ev.ExecutiveSummaryPrepared(
        on=current.drawn_on + dt.timedelta(days=250), summary_sha256=sha("summary")
    )
    attempt(mechanism, outcome, current, "secretariat", step)


@when(parsers.parse("the secretariat reads the timeline of {party:w}'s review"))
def reads_timeline(mechanism: Mechanism, current: Review, party: str) -> None:
    assert current.review == review_of(party)
    current.timeline = mechanism.review_timeline(current.review, as_of=LATER.date())


# -- then ------------------------------------------------------------------------------


@then(parsers.parse("the {step} of {party:w}'s review is due on {due}"))
def is_due(current: Review, step: str, party: str, due: str) -> None:
    assert current.review == review_of(party)
    name = step.replace(" ", "_")
    (line,) = [d for d in current.timeline if d.step == name]
    assert line.due == dt.date.fromisoformat(due), line.describe()
    current.recorded.add(f"then:{name}")


@then(parsers.parse("on {on} it is overdue by {days:d} days"))
def overdue_by(mechanism: Mechanism, current: Review, on: str, days: int) -> None:
    (name,) = [k[5:] for k in current.recorded if k.startswith("then:")]
    lines = mechanism.review_timeline(current.review, as_of=dt.date.fromisoformat(on))
    (line,) = [d for d in lines if d.step == name]
    assert line.status is DeadlineStatus.OVERDUE, line.describe()
    assert line.days_late == days


# -- steps kept for the record ---------------------------------------------------------


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text.strip().rstrip(","))


@when(
    parsers.parse(
        "{party:w} submits its checklist response on {on}, naming {names} as consulted"
    )
)
def submits_checklist(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    party: str,
    on: str,
    names: str,
) -> None:
    consulted = tuple(n.strip() for n in names.replace(" and ", ",").split(","))
    step = ev.ChecklistResponseSubmitted(on=_date(on), stakeholders_consulted=consulted)
    attempt(mechanism, outcome, current, code_of(party), step)


@when(
    parsers.parse(
        "the secretariat records its assistance to {party:w} with the checklist on {on}"
    )
)
def assists(
    mechanism: Mechanism, outcome: Outcome, current: Review, party: str, on: str
) -> None:
    assert current.review == review_of(party)
    step = ev.ChecklistAssistanceProvided(on=_date(on))
    attempt(mechanism, outcome, current, "secretariat", step)


@when(
    parsers.parse(
        "{party:w} appoints its focal point and the secretariat assigns a staff "
        "member on {on}"
    )
)
def appoints(
    mechanism: Mechanism, outcome: Outcome, current: Review, party: str, on: str
) -> None:
    def run() -> None:
        mechanism.record_step(
            current.review,
            ev.FocalPointAppointed(on=_date(on), focal_point="Ms A. Focal"),
            actor=code_of(party),
        )
        mechanism.record_step(
            current.review,
            ev.StaffMemberAssigned(on=_date(on), staff_member="Mr B. Staff"),
            actor="secretariat",
        )

    outcome.run(mechanism, run)


@when(parsers.parse("{party:w} provides supplementary information on {on}"))
def provides_information(
    mechanism: Mechanism, outcome: Outcome, current: Review, party: str, on: str
) -> None:
    step = ev.SupplementaryInformationProvided(on=_date(on))
    attempt(mechanism, outcome, current, code_of(party), step)


@when(
    parsers.parse(
        "the secretariat records {who:w}'s request for clarification to {party:w} "
        "by video on {on}"
    )
)
def records_exchange(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    who: str,
    party: str,
    on: str,
) -> None:
    assert current.review == review_of(party)
    step = ev.DialogueExchanged(
        on=_date(on),
        kind=ev.ExchangeKind.REQUEST_FOR_CLARIFICATION,
        channel=ev.Channel.VIDEO,
        by=code_of(who),
    )
    attempt(mechanism, outcome, current, "secretariat", step)


@when(
    parsers.parse(
        "{who:w} records that the experts considered information from {organisation} "
        "on {on}"
    )
)
def considers(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    who: str,
    organisation: str,
    on: str,
) -> None:
    step = ev.OrganisationInformationConsidered(on=_date(on), organisation=organisation)
    attempt(mechanism, outcome, current, code_of(who), step)


@when(parsers.parse("{party:w} proposes to meet {names} on {on}"))
def proposes(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    party: str,
    names: str,
    on: str,
) -> None:
    stakeholders = tuple(n.strip() for n in names.split(" and "))
    step = ev.StakeholdersProposed(on=_date(on), stakeholders=stakeholders)
    attempt(mechanism, outcome, current, code_of(party), step)


@when(
    parsers.parse(
        "the secretariat records {first:w} and {second:w} as the working languages "
        "on {on}"
    )
)
def records_languages(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    first: str,
    second: str,
    on: str,
) -> None:
    step = ev.WorkingLanguagesAgreed(on=_date(on), languages=(first, second))
    attempt(mechanism, outcome, current, "secretariat", step)


@when(parsers.parse("{party:w} asks for translation into {language:w} on {on}"))
def asks_translation(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    party: str,
    language: str,
    on: str,
) -> None:
    step = ev.TranslationRequested(on=_date(on), language=language)
    attempt(mechanism, outcome, current, code_of(party), step)


@when(
    parsers.parse(
        "the secretariat records a contribution from {contributor:w} to the country "
        "visit, on condition that {condition}"
    )
)
def records_contribution(
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    contributor: str,
    condition: str,
) -> None:
    step = ev.VoluntaryContributionRecorded(
        on=current.drawn_on,
        purpose="country_visit",
        contributor=contributor,
        conditions=condition,
    )
    attempt(mechanism, outcome, current, "secretariat", step)


@when(
    parsers.parse(
        "{who:w} records that {first:w} takes articles 5 and 6 and {second:w} "
        "article 23, on {on}"
    )
)
def divides(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    who: str,
    first: str,
    second: str,
    on: str,
) -> None:
    step = ev.TasksDivided(
        on=_date(on),
        division=(
            ev.TaskShare(reviewer=code_of(first), issues=("UNTOC 5", "UNTOC 6")),
            ev.TaskShare(reviewer=code_of(second), issues=("UNTOC 23",)),
        ),
    )
    attempt(mechanism, outcome, current, code_of(who), step)


@when(
    parsers.parse(
        "{who:w} gives {party:w} explanations of how to address its challenges on {on}"
    )
)
def explains(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    who: str,
    party: str,
    on: str,
) -> None:
    assert current.review == review_of(party)
    step = ev.ExplanationProvided(on=_date(on))
    attempt(mechanism, outcome, current, code_of(who), step)


@given(parsers.parse("{party:w} has a governmental expert on the roster"))
def has_expert(
    mechanism: Mechanism,
    clock: SimulatedClock,
    registry_file: RegistryFile,
    party: str,
) -> None:
    clock.current = LATER
    state_party(mechanism, registry_file, party)
    mechanism.nominate_expert(
        NominateGovernmentalExpert(
            code=code_of(party), expert_id=f"{code_of(party)}-1", name="Dr C. Expert"
        )
    )


@when(
    parsers.parse(
        "the secretariat records a training course held on {on} attended by "
        "{party:w}'s expert"
    )
)
def records_training(
    mechanism: Mechanism, outcome: Outcome, on: str, party: str
) -> None:
    outcome.run(
        mechanism,
        lambda: mechanism.record_training_course(
            "Orientation on the guidelines", _date(on), [f"{code_of(party)}-1"]
        ),
    )


def _shown(mechanism: Mechanism, outcome: Outcome, current: Review) -> CountryReview:
    assert outcome.error is None, f"refused: {outcome.error}"
    return mechanism.country_review(current.review)


@then(
    parsers.parse(
        "{party:w}'s review shows a checklist response of {on} naming {count:d} "
        "stakeholders consulted"
    )
)
def shows_checklist(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    party: str,
    on: str,
    count: int,
) -> None:
    review = _shown(mechanism, outcome, current)
    assert review.party_under_review == code_of(party)
    (response,) = [
        r for r in review.records if isinstance(r, ev.ChecklistResponseSubmitted)
    ]
    assert response.on == _date(on)
    assert len(response.stakeholders_consulted) == count


@then(
    parsers.parse(
        "{party:w}'s review shows its focal point and staff member appointed on {on}"
    )
)
def shows_appointments(
    mechanism: Mechanism, outcome: Outcome, current: Review, party: str, on: str
) -> None:
    review = _shown(mechanism, outcome, current)
    assert review.party_under_review == code_of(party)
    assert review.steps["focal_point_appointed"] == _date(on)
    assert review.steps["staff_member_assigned"] == _date(on)


@then(parsers.parse("{party:w}'s review shows new information provided on {on}"))
def shows_information(
    mechanism: Mechanism, outcome: Outcome, current: Review, party: str, on: str
) -> None:
    _shown(mechanism, outcome, current)
    provided = [
        r.event
        for r in mechanism.store.read_stream(ev.stream_of(review_of(party)))
        if isinstance(r.event, ev.SupplementaryInformationProvided)
    ]
    assert [p.on for p in provided] == [_date(on)]


@then(
    parsers.parse(
        "{party:w}'s review shows one exchange: a request for clarification by video "
        "from {who:w}"
    )
)
def shows_exchange(
    mechanism: Mechanism, outcome: Outcome, current: Review, party: str, who: str
) -> None:
    review = _shown(mechanism, outcome, current)
    assert review.party_under_review == code_of(party)
    (exchange,) = review.exchanges
    assert exchange.kind is ev.ExchangeKind.REQUEST_FOR_CLARIFICATION
    assert exchange.channel is ev.Channel.VIDEO
    assert exchange.by == code_of(who)


@then(
    parsers.parse("{party:w}'s review lists {organisation} as a source of information")
)
def lists_source(
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    party: str,
    organisation: str,
) -> None:
    review = _shown(mechanism, outcome, current)
    assert review.party_under_review == code_of(party)
    sources = [
        r.organisation
        for r in review.records
        if isinstance(r, ev.OrganisationInformationConsidered)
    ]
    assert sources == [organisation]


@then(
    parsers.parse(
        "{party:w}'s review lists {count:d} stakeholders proposed for the visit"
    )
)
def lists_stakeholders(
    mechanism: Mechanism, outcome: Outcome, current: Review, party: str, count: int
) -> None:
    review = _shown(mechanism, outcome, current)
    assert review.party_under_review == code_of(party)
    (proposed,) = [r for r in review.records if isinstance(r, ev.StakeholdersProposed)]
    assert len(proposed.stakeholders) == count


@then(parsers.parse("{party:w}'s review is conducted in {first:w} and {second:w}"))
def conducted_in(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    party: str,
    first: str,
    second: str,
) -> None:
    _shown(mechanism, outcome, current)
    agreed = [
        r.event
        for r in mechanism.store.read_stream(ev.stream_of(review_of(party)))
        if isinstance(r.event, ev.WorkingLanguagesAgreed)
    ]
    assert [a.languages for a in agreed] == [(first, second)]


@then(
    parsers.parse(
        "{party:w}'s review shows a request for translation into {language:w}"
    )
)
def shows_translation(
    mechanism: Mechanism, outcome: Outcome, current: Review, party: str, language: str
) -> None:
    review = _shown(mechanism, outcome, current)
    assert review.party_under_review == code_of(party)
    asked = [
        r.language for r in review.records if isinstance(r, ev.TranslationRequested)
    ]
    assert asked == [language]


@then(
    parsers.parse("{party:w}'s review shows the tasks of {first:w} and of {second:w}")
)
def shows_tasks(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    current: Review,
    party: str,
    first: str,
    second: str,
) -> None:
    _shown(mechanism, outcome, current)
    (divided,) = [
        r.event
        for r in mechanism.store.read_stream(ev.stream_of(review_of(party)))
        if isinstance(r.event, ev.TasksDivided)
    ]
    assert [s.reviewer for s in divided.division] == [code_of(first), code_of(second)]


@then("the training courses show one course with one participant")
def shows_training(mechanism: Mechanism, outcome: Outcome) -> None:
    assert outcome.error is None, f"refused: {outcome.error}"
    (course,) = mechanism.training_courses()
    assert len(course.participants) == 1


# -- cycles and the mechanism's performance (ToR 13(a), 46) ----------------------------


@attrs.define
class Computed:
    """The performance figures of the scenario."""

    figures: Performance | None = None
    facts: tuple[ReviewFacts, ...] = ()


@pytest.fixture
def computed() -> Computed:
    return Computed()


@given("the reviewers of the first year of cycle 1 were drawn")
def first_year_drawn(mechanism: Mechanism, clock: SimulatedClock) -> None:
    clock.current = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
    prepare(mechanism)
    hold_ceremony(mechanism, clock, "cycle-1/years")
    mechanism.draw_review_years(1)
    hold_ceremony(mechanism, clock, "cycle-1/year-1/reviewers")
    mechanism.draw_reviewers(1, 1)


@given("the first review drawn was opened")
def first_opened(mechanism: Mechanism, current: Review) -> None:
    first = mechanism.reviewers(1, 1)[0]
    current.review = f"cycle-1/{first.under_review}"
    mechanism.open_review(current.review)


@when("the secretariat opens a review of cycle 2")
def opens_next_cycle(mechanism: Mechanism, outcome: Outcome, current: Review) -> None:
    code = current.review.rsplit("/", 1)[1]
    outcome.run(mechanism, lambda: mechanism.open_review(f"cycle-2/{code}"))


@given(
    parsers.parse(
        "six reviews of cycle 1 in two regional groups, notified on {on}, sent their "
        "draft reports after {low:d} to {high:d} days"
    )
)
def six_reviews(computed: Computed, on: str, low: int, high: int) -> None:
    start = _date(on)
    days = [low + (high - low) * i // 5 for i in range(6)]  # 120, 130, ... 170
    groups = ["group-a"] * 5 + ["group-b"]
    computed.facts = tuple(
        ReviewFacts(
            review=f"cycle-1/R{i:02d}",
            regional_group=group,
            recorded={
                "review_started": start,
                "draft_report_sent": start + dt.timedelta(days=d),
            },
        )
        for i, (d, group) in enumerate(zip(days, groups, strict=True))
    )


@when("the secretariat computes the performance of cycle 1")
def computes_performance(mechanism: Mechanism, computed: Computed) -> None:
    computed.figures = mechanism_performance(
        computed.facts, mechanism.rulebook, as_of=LATER.date()
    )


@then(
    parsers.parse(
        "the median time from the start of a review to its draft report is "
        "{days:d} days"
    )
)
def median_to_draft(computed: Computed, days: int) -> None:
    assert computed.figures is not None
    (stage,) = [
        s for s in computed.figures.whole_cycle.stages if s.provision == "GL-30"
    ]
    assert stage.median_days == days
    assert stage.reviews == 6


@then(
    "the figures of the group with fewer than five reviews are withheld, and no State "
    "is named"
)
def small_group_withheld(computed: Computed) -> None:
    assert computed.figures is not None
    by_group = {f.regional_group: f for f in computed.figures.regional_groups}
    (small,) = [s for s in by_group["group-b"].stages if s.provision == "GL-30"]
    assert small.suppressed
    assert small.median_days is None
    shown = repr(computed.figures)
    assert not any(f.review in shown or "R0" in shown for f in computed.facts)
