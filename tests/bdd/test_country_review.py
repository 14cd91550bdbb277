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

from tests.bdd.conftest import FICTIONAL_STATES, Outcome, code_of, names_in
from untoc_adapters.clock import SimulatedClock
from untoc_core import Mechanism
from untoc_core.events import Event
from untoc_core.ports import NewEvents
from untoc_core.reviews import Deadline, DeadlineStatus
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


@given(parsers.parse("{party:w} submitted its checklist response on {on}"))
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
