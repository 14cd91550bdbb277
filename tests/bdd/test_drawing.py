"""Steps of the recorded drawing of lots: review years, reviewers, redraws, deferrals.

Provisions: ToR 3(a), 5, 8, 12, 13(b)-(c), 14, 18-21, 45 and 57 of the terms of
reference (see ``features/drawing.feature`` and ``features/reviewers.feature``).

The seed ceremony of a draw is not the subject of these scenarios: a step that draws
announces the draw's inputs (as ``untoc draw announce`` does) and fixes its seed from
a made-up public value first, unless the scenario has said something about that
ceremony. Refusals found while computing a draw's inputs are the draw's refusals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable

import attrs
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

# pytest (--import-mode=importlib) has already imported the conftest under the name its
# path gives, tests.bdd.conftest: this import finds that very module, steps and all.
from tests.bdd.conftest import (
    PARTY_SINCE,
    Outcome,
    RegistryFile,
    code_of,
    day_in,
    instruments_in,
    names_in,
    tradition_tags,
)
from tests.draw_mechanism import (
    announce,
    establish_cycle,
    expert_id,
    hold_ceremony,
    nominate_expert,
)
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.solvers import CpSatSolver
from untoc_core import Instrument, Mechanism
from untoc_core.drawing.ceremony import Status
from untoc_core.drawing.events import (
    ExclusionReason,
    ReviewYearsDrawn,
    ServingExclusion,
    SlotPick,
)
from untoc_core.drawing.inputs import reviewers_draw_id, years_draw_id
from untoc_core.drawing.model import CycleDraws
from untoc_core.drawing.randomness import derive_seed
from untoc_core.drawing.refusals import StaleRegistry
from untoc_core.drawing.stream import LotStream
from untoc_core.drawing.verify import Discrepancy
from untoc_core.drawing.years import draw_years
from untoc_core.registry import WithdrawGovernmentalExpert
from untoc_core.registry.reference import reference_snapshot

scenarios("drawing.feature", "reviewers.feature")

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
PROTOCOL_COLUMNS = {
    Instrument.TIP: "tip",
    Instrument.SOM: "som",
    Instrument.FIREARMS: "firearms",
}
_CYCLE = (
    r"a review cycle of (?P<years>\w+) years? from (?P<day>\d{1,2} \w+ \d{4})"
    r"(?:, reviewing (?P<numbers>.+) States parties in its successive years,)?"
    r" for these States parties(?P<experts>, each with a governmental expert on the "
    r"circulated list|, with no list of governmental experts circulated yet):"
)
_REPEATED = (
    r"the first State party under review in year (?P<year>\d+) had the drawing of "
    r"its reviewers repeated twice"
    r'(?:, and a third repeat was authorised as exceptional by "(?P<decision>.+)")?'
)


@attrs.define
class Cast:
    """The States a scenario's table names, and those its steps single out."""

    names: list[str] = attrs.Factory(list)
    chosen: str = ""
    """The State the steps call "that State party" or "it"."""
    first_years: tuple[tuple[str, ...], ...] = ()
    """The review years as first drawn."""
    history: list[tuple[str, ...]] = attrs.Factory(list)
    """The reviewers of the chosen State, before and after each repeated draw."""
    reviewed: list[str] = attrs.Factory(list)
    """The States the chosen State was drawn to review in a year."""
    discrepancies: list[Discrepancy] = attrs.Factory(list)


@pytest.fixture
def cast() -> Cast:
    return Cast()


# -- holding a draw: its ceremony, then the draw ---------------------------------------


def announced(mechanism: Mechanism, draw_id: str) -> bool:
    return mechanism.ceremony(draw_id).status is not Status.NOT_ANNOUNCED


def run_draw(
    mechanism: Mechanism,
    clock: SimulatedClock,
    outcome: Outcome,
    draw_id: str,
    draw: Callable[[], object],
) -> None:
    """Hold the draw's ceremony if none was announced, then draw; keep a refusal."""
    if not announced(mechanism, draw_id):
        outcome.run(mechanism, lambda: mechanism.draw_inputs(draw_id))
        if outcome.error is not None:
            return
        hold_ceremony(mechanism, clock, draw_id)
    outcome.run(mechanism, draw)


def draw_through(
    mechanism: Mechanism, clock: SimulatedClock, cycle: int, year: int
) -> None:
    """Draw whatever of the cycle is not drawn yet, up to the reviewers of ``year``."""
    if mechanism.cycle_draws(cycle).years is None:
        hold_ceremony(mechanism, clock, years_draw_id(cycle))
        mechanism.draw_review_years(cycle)
    for y in range(1, year + 1):
        if y not in mechanism.cycle_draws(cycle).drawn:
            hold_ceremony(mechanism, clock, reviewers_draw_id(cycle, y))
            mechanism.draw_reviewers(cycle, y)


def draws(mechanism: Mechanism, cycle: int = 1) -> CycleDraws:
    return mechanism.cycle_draws(cycle)


def first_under_review(mechanism: Mechanism, year: int) -> str:
    return draws(mechanism).review_years[year - 1][0]


# -- the States parties and the cycle --------------------------------------------------


def _rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    """The table as one row per State: name, group, Protocols, legal system."""
    if datatable[0][0].strip() == "State party":
        header = [h.strip() for h in datatable[0]]
        return [
            dict(zip(header, (c.strip() for c in row), strict=True))
            for row in datatable[1:]
        ]
    return [
        {"State party": name, "regional group": group.strip()}
        for group, names in datatable
        for name in names_in(names)
    ]


def _cells(row: dict[str, str]) -> dict[str, str]:
    cells = {
        "untoc_status": "party",
        "untoc_date": PARTY_SINCE,
        "un_regional_group": row["regional group"],
    }
    protocols = row.get("Protocols", "-")
    bound = frozenset() if protocols in {"", "-"} else instruments_in(protocols)
    for protocol, column in PROTOCOL_COLUMNS.items():
        cells[column] = "party" if protocol in bound else ""
    cells["legal_tags_derived"] = tradition_tags(row.get("legal system", "civil law"))
    return cells


@given(parsers.re(_CYCLE))
def cycle_for_states(  # noqa: PLR0917 - the step's parts
    mechanism: Mechanism,
    registry_file: RegistryFile,
    cast: Cast,
    years: str,
    day: str,
    numbers: str | None,
    experts: str,
    datatable: list[list[str]],
) -> None:
    rows = _rows(datatable)
    for row in rows:
        registry_file.describe(row["State party"], **_cells(row))
        cast.names.append(row["State party"])
    mechanism.import_registry(
        registry_file.text(*registry_file.rows.values()), source="fictional-states.csv"
    )
    starts_on = day_in(day)
    per_year = tuple(int(n) for n in names_in(numbers)) if numbers else ()
    establish_cycle(
        mechanism, starts_on=starts_on, years=NUMBERS[years], per_year=per_year
    )
    if experts.startswith(", each with"):
        for name in cast.names:
            nominate_expert(mechanism, code_of(name), name)
        mechanism.circulate_expert_list(on=starts_on - dt.timedelta(days=30))


@given("the registry is the reference snapshot shipped with untoc")
def shipped_snapshot(mechanism: Mechanism) -> None:
    mechanism.load_reference_snapshot()


@given(
    parsers.parse(
        "the Conference established cycle {cycle:d} of {years:w} years from {day}"
    )
)
def cycle_established(mechanism: Mechanism, cycle: int, years: str, day: str) -> None:
    assert cycle == 1, "the scenarios establish cycle 1"
    establish_cycle(mechanism, starts_on=day_in(day), years=NUMBERS[years])


# -- review years (ToR 12-14, 57) ------------------------------------------------------


@given(parsers.parse("the review years of cycle {cycle:d} have been drawn"))
def years_drawn(
    mechanism: Mechanism, clock: SimulatedClock, cast: Cast, cycle: int
) -> None:
    draw_through(mechanism, clock, cycle, 0)
    cast.first_years = mechanism.review_years(cycle)


@given(
    parsers.parse("the draw of the review years of cycle {cycle:d} has been announced")
)
def years_announced(mechanism: Mechanism, clock: SimulatedClock, cycle: int) -> None:
    announce(mechanism, clock, years_draw_id(cycle))


@when(
    parsers.parse(
        "the secretariat announces the draw of the review years of cycle {cycle:d} "
        "with the hash of other inputs"
    )
)
def announced_with_other_inputs(
    mechanism: Mechanism, clock: SimulatedClock, outcome: Outcome, cycle: int
) -> None:
    other = hashlib.sha256(b"another pool of States").hexdigest()
    outcome.run(
        mechanism, lambda: announce(mechanism, clock, years_draw_id(cycle), other)
    )


@then(
    parsers.parse("no seed ceremony has begun for the review years of cycle {cycle:d}")
)
def no_ceremony(mechanism: Mechanism, cycle: int) -> None:
    assert not announced(mechanism, years_draw_id(cycle))


@given(parsers.parse("{name:w} volunteered to be reviewed in cycle {cycle:d}"))
def volunteered(mechanism: Mechanism, name: str, cycle: int) -> None:
    mechanism.volunteer_for_review(cycle, code_of(name))


@when(parsers.parse("{name:w} volunteers to be reviewed in cycle {cycle:d}"))
def volunteers(mechanism: Mechanism, outcome: Outcome, name: str, cycle: int) -> None:
    outcome.run(mechanism, lambda: mechanism.volunteer_for_review(cycle, code_of(name)))


@when(parsers.parse("the secretariat draws the review years of cycle {cycle:d}"))
@when(parsers.parse("the secretariat draws the review years of cycle {cycle:d} again"))
def draw_the_years(
    mechanism: Mechanism, clock: SimulatedClock, outcome: Outcome, cycle: int
) -> None:
    run_draw(
        mechanism,
        clock,
        outcome,
        years_draw_id(cycle),
        lambda: mechanism.draw_review_years(cycle),
    )


@when(
    parsers.parse(
        "the secretariat draws the review years of cycle {cycle:d}, accepting the "
        "stale registry"
    )
)
def draw_the_years_on_stale_data(
    mechanism: Mechanism, clock: SimulatedClock, outcome: Outcome, cycle: int
) -> None:
    run_draw(
        mechanism,
        clock,
        outcome,
        years_draw_id(cycle),
        lambda: mechanism.draw_review_years(cycle, accept_stale_registry=True),
    )


@when(
    parsers.parse(
        "the secretariat draws the review years of cycle {cycle:d} before the seed of "
        "that draw is fixed"
    )
)
def draw_the_years_unseeded(mechanism: Mechanism, outcome: Outcome, cycle: int) -> None:
    outcome.run(mechanism, lambda: mechanism.draw_review_years(cycle))


@then(
    parsers.parse(
        "each of these States parties is scheduled for review in exactly one year of "
        "cycle {cycle:d}"
    )
)
def everyone_scheduled_once(mechanism: Mechanism, cast: Cast, cycle: int) -> None:
    scheduled = [c for codes in mechanism.review_years(cycle) for c in codes]
    assert sorted(scheduled) == sorted(code_of(n) for n in cast.names)


@then(parsers.parse("{name:w} is not scheduled for review in cycle {cycle:d}"))
def not_scheduled(mechanism: Mechanism, name: str, cycle: int) -> None:
    state = draws(mechanism, cycle)
    assert state.years is not None, "the review years were not drawn"
    assert state.year_of(code_of(name)) is None


@then(
    parsers.parse(
        "{name:w} is scheduled for review in cycle {cycle:d}, on the Convention only"
    )
)
def scheduled_on_the_convention(mechanism: Mechanism, name: str, cycle: int) -> None:
    state = draws(mechanism, cycle)
    assert state.year_of(code_of(name)) is not None
    assert state.instruments_of(code_of(name)) == (Instrument.UNTOC,)


@then(parsers.parse("the review years of cycle {cycle:d} are as first drawn"))
def years_unchanged(mechanism: Mechanism, cast: Cast, cycle: int) -> None:
    assert cast.first_years
    assert mechanism.review_years(cycle) == cast.first_years


@then(
    parsers.parse(
        "the States parties under review in each year of cycle {cycle:d} are, by "
        "regional group:"
    )
)
def counts_by_group(
    mechanism: Mechanism, cycle: int, datatable: list[list[str]]
) -> None:
    state = draws(mechanism, cycle)
    groups = [g.strip() for g in datatable[0][1:]]
    for row in datatable[1:]:
        year = int(row[0])
        counted = Counter(
            state.pool[c].regional_group for c in state.review_years[year - 1]
        )
        for group, expected in zip(groups, row[1:], strict=True):
            allowed = {int(n) for n in expected.split(" or ")}
            assert counted[group] in allowed, (year, group, counted)


@then(parsers.parse("the draw is refused, naming the stale parts of the registry"))
def refused_as_stale(mechanism: Mechanism, outcome: Outcome) -> None:
    error = outcome.refusal()
    assert isinstance(error, StaleRegistry), repr(error)
    stale = [b.name for b in reference_snapshot().stale_blocks]
    assert stale
    assert all(name in str(error) for name in stale), str(error)
    assert "--accept-stale-registry" in str(error)
    assert mechanism.store.last_position() == outcome.position


@then("the draw records that the stale parts of the registry were accepted")
def stale_accepted(mechanism: Mechanism) -> None:
    drawn = draws(mechanism).years
    assert drawn is not None
    assert drawn.stale_registry_accepted
    assert [b.split(" (as of")[0] for b in drawn.stale_blocks] == [
        b.name for b in reference_snapshot().stale_blocks
    ]


# -- deferring a review (ToR 14(c)) ---------------------------------------------------


@when(
    parsers.re(
        r"a State party drawn for year (?P<year>\d+) defers its review to the "
        r'following year, giving (?:as justification "(?P<reason>.*)"|no '
        r"justification)"
    )
)
def defer_review(
    mechanism: Mechanism, outcome: Outcome, cast: Cast, year: str, reason: str | None
) -> None:
    cast.chosen = first_under_review(mechanism, int(year))
    outcome.run(
        mechanism,
        lambda: mechanism.defer_review_year(1, cast.chosen, reason or ""),
    )


@then(parsers.parse("that State party is scheduled for review in year {year:d} only"))
def scheduled_in(mechanism: Mechanism, cast: Cast, year: int) -> None:
    state = draws(mechanism)
    years = [y for y, codes in enumerate(state.review_years, 1) if cast.chosen in codes]
    assert years == [year]


@then(parsers.parse('the deferral is recorded with its justification "{reason}"'))
def deferral_recorded(mechanism: Mechanism, cast: Cast, reason: str) -> None:
    assert draws(mechanism).year_deferrals[cast.chosen].justification == reason


# -- reviewers (ToR 18-21) -------------------------------------------------------------


@given(
    parsers.parse("the reviewers of year {year:d} of cycle {cycle:d} have been drawn")
)
def reviewers_drawn(
    mechanism: Mechanism, clock: SimulatedClock, cycle: int, year: int
) -> None:
    draw_through(mechanism, clock, cycle, year)


@when(parsers.parse("the reviewers of year {year:d} of cycle {cycle:d} are drawn"))
def reviewers_of_year_are_drawn(
    mechanism: Mechanism,
    clock: SimulatedClock,
    outcome: Outcome,
    cycle: int,
    year: int,
) -> None:
    outcome.run(mechanism, lambda: draw_through(mechanism, clock, cycle, year))


@when(parsers.parse("the reviewers of every year of cycle {cycle:d} are drawn"))
def all_reviewers_are_drawn(
    mechanism: Mechanism, clock: SimulatedClock, outcome: Outcome, cycle: int
) -> None:
    years = mechanism.conference().cycle(cycle).years
    outcome.run(mechanism, lambda: draw_through(mechanism, clock, cycle, years))


@when(
    parsers.parse(
        "the secretariat draws the reviewers of year {year:d} of cycle {cycle:d}"
    )
)
@when(
    parsers.parse(
        "the secretariat draws the reviewers of year {year:d} of cycle {cycle:d} again"
    )
)
def draw_the_reviewers(
    mechanism: Mechanism,
    clock: SimulatedClock,
    outcome: Outcome,
    cycle: int,
    year: int,
) -> None:
    run_draw(
        mechanism,
        clock,
        outcome,
        reviewers_draw_id(cycle, year),
        lambda: mechanism.draw_reviewers(cycle, year),
    )


@when(
    parsers.parse(
        "the secretariat draws the reviewers of year {year:d} of cycle {cycle:d} "
        "before the seed of that draw is fixed"
    )
)
def draw_the_reviewers_unseeded(
    mechanism: Mechanism, outcome: Outcome, cycle: int, year: int
) -> None:
    outcome.run(mechanism, lambda: mechanism.draw_reviewers(cycle, year))


@then(
    parsers.parse(
        "each State party under review in year {year:d} has two reviewing States "
        "parties, neither of them itself"
    )
)
def two_reviewers_each(mechanism: Mechanism, year: int) -> None:
    state = draws(mechanism)
    reviews = state.reviews(year)
    assert reviews
    for review in reviews:
        assert len(set(review.reviewers)) == 2, review
        assert review.under_review not in review.reviewers
        assert all(state.pool[r].can_review for r in review.reviewers)


@then(parsers.parse("no State party under review in year {year:d} has reviewers yet"))
def no_reviewers_yet(mechanism: Mechanism, year: int) -> None:
    reviews = draws(mechanism).reviews(year)
    assert reviews
    assert all(not r.reviewers for r in reviews)


@then(
    parsers.parse(
        "each State party under review in year {year:d} has a reviewer from its own "
        "regional group"
    )
)
def same_region_reviewer(mechanism: Mechanism, year: int) -> None:
    state = draws(mechanism)
    for review in state.reviews(year):
        same = review.same_region_reviewer
        assert same in review.reviewers
        assert (
            state.pool[same].regional_group
            == state.pool[review.under_review].regional_group
        )


@then(parsers.parse("no two States parties review each other in cycle {cycle:d}"))
def no_mutual_reviews(mechanism: Mechanism, cycle: int) -> None:
    pairs = {(r, pur) for (_, pur, _), r in draws(mechanism, cycle).filled.items()}
    assert pairs
    assert not any((pur, r) in pairs for r, pur in pairs)


@then(
    parsers.parse(
        "each State party reviews between one and three States parties in cycle "
        "{cycle:d}"
    )
)
def one_to_three_reviews(mechanism: Mechanism, cycle: int) -> None:
    state = draws(mechanism, cycle)
    assert state.next_year_to_draw() is None, "not every year is drawn"
    load = Counter(state.filled.values())
    for party in state.pool.values():
        assert 1 <= load[party.code] <= 3, (party.code, load[party.code])


@then(
    parsers.parse(
        "{name:w} has two reviewing States parties and reviews no State in cycle "
        "{cycle:d}"
    )
)
def reviewed_but_never_reviews(mechanism: Mechanism, name: str, cycle: int) -> None:
    state = draws(mechanism, cycle)
    code = code_of(name)
    year = state.year_of(code)
    assert year is not None
    assert len(state.reviewers_of(year, code).reviewers) == 2
    assert state.reviewed_by(code) == []


@then(parsers.parse("the review of {name:w} covers {instruments}"))
def review_covers(mechanism: Mechanism, name: str, instruments: str) -> None:
    covered = draws(mechanism).instruments_of(code_of(name))
    assert frozenset(covered) == instruments_in(instruments)
    assert covered[0] is Instrument.UNTOC


@then(parsers.parse("both reviewers of {name:w} are parties to {instruments}"))
def reviewers_are_parties(mechanism: Mechanism, name: str, instruments: str) -> None:
    state = draws(mechanism)
    code = code_of(name)
    year = state.year_of(code)
    assert year is not None
    reviewers = state.reviewers_of(year, code).reviewers
    assert len(reviewers) == 2
    needed = instruments_in(instruments)
    assert all(needed <= state.pool[r].protocols for r in reviewers)


@then(
    parsers.parse(
        "{first:w} or {second:w}, whose legal systems are similar, has the other as "
        "its same-region reviewer"
    )
)
def similar_same_region(mechanism: Mechanism, first: str, second: str) -> None:
    state = draws(mechanism)
    a, b = code_of(first), code_of(second)
    same = {
        code: state.reviewers_of(state.year_of(code) or 0, code).same_region_reviewer
        for code in (a, b)
    }
    assert same[a] == b or same[b] == a, same


@given(
    parsers.parse(
        "{name:w}'s governmental expert was withdrawn and the list circulated again"
    )
)
def expert_withdrawn(mechanism: Mechanism, name: str) -> None:
    code = code_of(name)
    mechanism.withdraw_expert(
        WithdrawGovernmentalExpert(
            code=code, expert_id=expert_id(code), reason="retired"
        )
    )
    mechanism.circulate_expert_list()


@then(parsers.parse("{name:w} reviews no State party in year {year:d}"))
def reviews_none(mechanism: Mechanism, name: str, year: int) -> None:
    state = draws(mechanism)
    assert year in state.drawn
    assert [p for y, p in state.reviewed_by(code_of(name)) if y == year] == []


@then(
    parsers.parse(
        "the draw records that {name:w} did not serve in year {year:d} for lack of a "
        "governmental expert on the list"
    )
)
def excluded_for_lack_of_expert(mechanism: Mechanism, name: str, year: int) -> None:
    drawn = draws(mechanism).drawn[year]
    expected = ServingExclusion(
        code=code_of(name), reason=ExclusionReason.NO_GOVERNMENTAL_EXPERT
    )
    assert expected in drawn.excluded


# -- deferring service (ToR 20) --------------------------------------------------------


@given(
    parsers.parse(
        "the first State party under review in year {year:d} deferred serving as a "
        "reviewer in year {serving:d}"
    )
)
def deferred_serving(mechanism: Mechanism, cast: Cast, year: int, serving: int) -> None:
    cast.chosen = first_under_review(mechanism, year)
    mechanism.defer_serving(1, serving, cast.chosen, "hosting a summit")


@when(
    parsers.parse(
        "the first State party under review in year {year:d} defers serving as a "
        "reviewer in year {serving:d}"
    )
)
def defers_serving(
    mechanism: Mechanism, outcome: Outcome, cast: Cast, year: int, serving: int
) -> None:
    cast.chosen = first_under_review(mechanism, year)
    outcome.run(mechanism, lambda: mechanism.defer_serving(1, serving, cast.chosen))


@when(parsers.parse("{name:w} defers serving as a reviewer in year {year:d}"))
def state_defers_serving(
    mechanism: Mechanism, outcome: Outcome, name: str, year: int
) -> None:
    outcome.run(mechanism, lambda: mechanism.defer_serving(1, year, code_of(name)))


@when(
    parsers.parse(
        "a State party drawn to review in year {year:d} defers serving that year"
    )
)
def reviewer_defers(
    mechanism: Mechanism, outcome: Outcome, cast: Cast, year: int
) -> None:
    state = draws(mechanism)
    cast.chosen = state.reviews(year)[0].reviewers[0]
    cast.reviewed = [p for y, p in state.reviewed_by(cast.chosen) if y == year]
    outcome.run(
        mechanism,
        lambda: mechanism.defer_serving(1, year, cast.chosen, "a national emergency"),
    )


@then(parsers.parse("that State party reviews no State party in year {year:d}"))
def chosen_reviews_none(mechanism: Mechanism, cast: Cast, year: int) -> None:
    state = draws(mechanism)
    assert year in state.drawn
    assert [p for y, p in state.reviewed_by(cast.chosen) if y == year] == []


@then("each State party it was to review has two reviewers again, drawn by lot")
def replaced_by_lot(mechanism: Mechanism, cast: Cast) -> None:
    state = draws(mechanism)
    assert cast.reviewed
    labels = [p.label for p in state.transcript if isinstance(p, SlotPick)]
    for pur in cast.reviewed:
        year = state.year_of(pur)
        assert year is not None
        reviewers = state.reviewers_of(year, pur).reviewers
        assert len(set(reviewers)) == 2
        assert cast.chosen not in reviewers
        assert any(
            label.startswith(f"reviewers/{year}/{pur}/")
            and label.endswith("/deferral1")
            for label in labels
        ), labels


# -- repeated draws (ToR 19(d)) --------------------------------------------------------


def _redraw(mechanism: Mechanism, cast: Cast) -> None:
    mechanism.redraw(1, 1, cast.chosen)
    cast.history.append(_current(mechanism, cast))


def _current(mechanism: Mechanism, cast: Cast) -> tuple[str, ...]:
    return draws(mechanism).reviewers_of(1, cast.chosen).reviewers


@given(parsers.re(_REPEATED))
def repeated_twice(
    mechanism: Mechanism, cast: Cast, year: str, decision: str | None
) -> None:
    assert year == "1"
    cast.chosen = first_under_review(mechanism, 1)
    cast.history = [_current(mechanism, cast)]
    _redraw(mechanism, cast)
    _redraw(mechanism, cast)
    if decision is not None:
        mechanism.authorise_exceptional_redraw(
            1,
            1,
            cast.chosen,
            "the reviewers drawn withdrew from the mechanism",
            decision,
        )


@when(
    parsers.parse(
        "the first State party under review in year {year:d} asks twice for the "
        "drawing of its reviewers to be repeated"
    )
)
def asks_twice(mechanism: Mechanism, outcome: Outcome, cast: Cast, year: int) -> None:
    assert year == 1
    cast.chosen = first_under_review(mechanism, 1)
    cast.history = [_current(mechanism, cast)]
    outcome.run(mechanism, lambda: (_redraw(mechanism, cast), _redraw(mechanism, cast)))


@when("it asks for the drawing of its reviewers to be repeated a third time")
def asks_a_third_time(mechanism: Mechanism, outcome: Outcome, cast: Cast) -> None:
    outcome.run(mechanism, lambda: _redraw(mechanism, cast))


def _all_new(history: list[tuple[str, ...]]) -> None:
    assert len(history) >= 2, history
    for k in range(1, len(history)):
        earlier = {code for pair in history[:k] for code in pair}
        assert len(history[k]) == 2, history
        assert not set(history[k]) & earlier, history


@then("each repeat gave it reviewers it had not had before")
def each_repeat_new(cast: Cast) -> None:
    assert len(cast.history) == 3
    _all_new(cast.history)


@then("the drawing of its reviewers has been repeated twice")
def repeated_twice_recorded(mechanism: Mechanism, cast: Cast) -> None:
    assert mechanism.redraw_counts(1, 1)[cast.chosen] == 2


@then(
    parsers.parse(
        'it has reviewers it had not had before, and the repeat records the decision "'
        '{decision}"'
    )
)
def third_repeat(mechanism: Mechanism, cast: Cast, decision: str) -> None:
    assert len(cast.history) == 4
    _all_new(cast.history)
    last = draws(mechanism).redraws[(1, cast.chosen)][-1]
    assert last.redraw == 3
    assert last.authorised_by == decision


# -- replay by an observer (ToR 3(a)) -------------------------------------------------


@when(
    parsers.parse(
        "an observer replays the draws of cycle {cycle:d} from their published seeds "
        "and inputs"
    )
)
def observer_replays(mechanism: Mechanism, cast: Cast, cycle: int) -> None:
    # Another exact solver than the one that drew: every exact solver gives the same.
    cast.discrepancies = mechanism.verify_draws(cycle, solver=CpSatSolver())


def _replays_years(mechanism: Mechanism, drawn: ReviewYearsDrawn) -> None:
    """The observer's own replay of the review years, from the published values."""
    ceremony = mechanism.ceremony(drawn.draw_id)
    assert ceremony.fixed is not None
    seed = derive_seed(drawn.inputs_sha256, ceremony.fixed.value, {})
    assert seed.hex() == drawn.seed
    again = draw_years(drawn.pool, drawn.years, LotStream(seed), drawn.parties_per_year)
    assert again.review_years == drawn.review_years
    assert again.lots == drawn.lots


@then("the replay gives every review year and every lot recorded")
def replay_gives_the_years(mechanism: Mechanism, cast: Cast) -> None:
    assert cast.discrepancies == []
    drawn = draws(mechanism).years
    assert drawn is not None
    _replays_years(mechanism, drawn)


@then("the replay gives every review year, every reviewer and every lot recorded")
def replay_gives_everything(mechanism: Mechanism, cast: Cast) -> None:
    assert cast.discrepancies == []
    state = draws(mechanism)
    assert state.years is not None
    _replays_years(mechanism, state.years)
    assert state.drawn, "no reviewers were drawn"
    picks = [p for p in state.transcript if isinstance(p, SlotPick)]
    assert len(picks) == 2 * len(state.review_years[0])
