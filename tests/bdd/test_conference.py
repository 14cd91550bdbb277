"""Steps of the Conference's decisions: phases, cycles, thematic scope, a phase's end.

Provisions: ToR 9, 10, 12 and 45 of the terms of reference, paragraph 8 (d) of
resolution 5/5 and its annex II (see ``features/conference.feature``).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

# pytest (--import-mode=importlib) has already imported the conftest under the name its
# path gives, tests.bdd.conftest: this import finds that very module, steps and all.
from tests.bdd.conftest import (
    Outcome,
    code_of,
    day_in,
    names_in,
)
from untoc_core import Mechanism
from untoc_core.conference import (
    Conference,
    Decision,
    DefineThematicCluster,
    EstablishCycle,
    EstablishPhase,
    ExceptionKind,
    GrantException,
    phase_remaining,
)
from untoc_core.instruments import ArticleRef
from untoc_core.registry import RegistryEntry

scenarios("conference.feature")

ORDINALS = {"first": 1, "second": 2, "third": 3}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}

_CYCLE = re.compile(
    r"cycle (?P<cycle>\d+) of phase (?P<phase>\d+), lasting (?P<years>-?\d+) years "
    r"from (?P<start>\d{1,2} \w+ \d{4}), "
    r'on (?P<clusters>the clusters? "[^"]+"(?: and "[^"]+")*)'
    r"(?:, reviewing (?P<numbers>.+) States parties in its successive years)?"
)


@pytest.fixture
def decision() -> Decision:
    """The Conference decision a scenario's records rest on, unless it names one."""
    return Decision(symbol="decision of the scenario", adopted_on=dt.date(2025, 10, 17))


@pytest.fixture
def completed() -> dict[str, set[int]]:
    """For each State code, the cycles in which its review was completed."""
    return {}


def _articles(text: str) -> tuple[ArticleRef, ...]:
    return tuple(ArticleRef.parse(a) for a in names_in(text))


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in names_in(text))


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")


def _cluster_id(conference: Conference, title: str) -> str:
    ids = [cid for cid, c in conference.clusters.items() if c.title == title]
    assert len(ids) == 1, f"the Conference has no single thematic cluster {title!r}"
    return ids[0]


def _cycle_of(conference: Conference, ordinal: str) -> int:
    number = ORDINALS[ordinal]
    assert number in conference.cycles, f"no {ordinal} cycle was established"
    return number


# -- annex II: the default thematic distribution ---------------------------------------


@given("the Conference has established no review phase")
def no_phase(mechanism: Mechanism) -> None:
    assert not mechanism.conference().phases


@given(
    parsers.parse(
        "the Conference recorded the default thematic distribution of annex II, "
        "starting on {day}"
    )
)
def default_distribution_recorded(
    mechanism: Mechanism, decision: Decision, day: str
) -> None:
    mechanism.establish_default_distribution(decision=decision, starts_on=day_in(day))


@when(
    parsers.parse(
        "the Conference records the default thematic distribution of annex II, "
        "starting on {day}"
    )
)
def record_default_distribution(
    mechanism: Mechanism, outcome: Outcome, decision: Decision, day: str
) -> None:
    outcome.run(
        mechanism,
        lambda: mechanism.establish_default_distribution(
            decision=decision, starts_on=day_in(day)
        ),
    )


@then(parsers.parse("the {ordinal} cycle lasts {years} years and covers:"))
def cycle_covers(
    mechanism: Mechanism, ordinal: str, years: str, datatable: list[list[str]]
) -> None:
    conference = mechanism.conference()
    cycle = conference.cycle(_cycle_of(conference, ordinal))
    assert cycle.years == NUMBERS[years]
    titles = [conference.clusters[cid].title for cid in cycle.clusters]
    assert titles == [row[0].strip() for row in datatable]


@then(parsers.parse("the {ordinal} cycle runs from {start} to {end}"))
def cycle_runs(mechanism: Mechanism, ordinal: str, start: str, end: str) -> None:
    conference = mechanism.conference()
    cycle = conference.cycle(_cycle_of(conference, ordinal))
    assert (cycle.starts_on, cycle.ends_on) == (day_in(start), day_in(end))


# -- clusters, phases and cycles (ToR 9, 10, 45; RES 8(d)) -----------------------------


def _define_cluster(
    title: str, articles: str, decision: Decision
) -> DefineThematicCluster:
    return DefineThematicCluster(
        cluster_id=_slug(title),
        title=title,
        articles=_articles(articles),
        decision=decision,
    )


@given(
    parsers.parse(
        'the Conference defined the thematic cluster "{title}" grouping {articles}'
    )
)
def cluster_defined(
    mechanism: Mechanism, decision: Decision, title: str, articles: str
) -> None:
    mechanism.record_conference([_define_cluster(title, articles, decision)])


@when(
    parsers.parse(
        'the Conference defines the thematic cluster "{title}" grouping {articles}'
    )
)
def define_cluster(
    mechanism: Mechanism,
    outcome: Outcome,
    decision: Decision,
    title: str,
    articles: str,
) -> None:
    command = _define_cluster(title, articles, decision)
    outcome.run(mechanism, lambda: mechanism.record_conference([command]))


@given(parsers.parse("the Conference established review phase {phase:d}"))
def phase_established(mechanism: Mechanism, decision: Decision, phase: int) -> None:
    command = EstablishPhase(
        phase=phase, title=f"Review phase {phase}", decision=decision
    )
    mechanism.record_conference([command])


@when(
    parsers.parse(
        'the Conference establishes review phase {phase:d} by its decision "{symbol}" '
        "of {day}"
    )
)
def establish_phase(
    mechanism: Mechanism, outcome: Outcome, phase: int, symbol: str, day: str
) -> None:
    command = EstablishPhase(
        phase=phase,
        title=f"Review phase {phase}",
        decision=Decision(symbol=symbol, adopted_on=day_in(day)),
    )
    outcome.run(mechanism, lambda: mechanism.record_conference([command]))


def _establish_cycle(
    mechanism: Mechanism, decision: Decision, wording: str
) -> EstablishCycle:
    parts = _CYCLE.fullmatch(wording)
    assert parts is not None, f"{wording!r} is not a decision establishing a cycle"
    conference = mechanism.conference()
    titles = re.findall(r'"([^"]+)"', parts["clusters"])
    return EstablishCycle(
        phase=int(parts["phase"]),
        cycle=int(parts["cycle"]),
        starts_on=day_in(parts["start"]),
        years=int(parts["years"]),
        clusters=tuple(_cluster_id(conference, t) for t in titles),
        parties_per_year=_numbers(parts["numbers"]) if parts["numbers"] else (),
        decision=decision,
    )


@given(parsers.re(r"the Conference established (?P<wording>cycle .+)"))
def cycle_established(mechanism: Mechanism, decision: Decision, wording: str) -> None:
    mechanism.record_conference([_establish_cycle(mechanism, decision, wording)])


@when(parsers.re(r"the Conference establishes (?P<wording>cycle .+)"))
def establish_cycle(
    mechanism: Mechanism, outcome: Outcome, decision: Decision, wording: str
) -> None:
    command = _establish_cycle(mechanism, decision, wording)
    outcome.run(mechanism, lambda: mechanism.record_conference([command]))


@then(parsers.parse("review phase {phase:d} is divided into cycles {cycles}"))
def phase_divided(mechanism: Mechanism, phase: int, cycles: str) -> None:
    conference = mechanism.conference()
    expected = _numbers(cycles)
    assert conference.phases[phase].cycles == expected
    assert all(conference.cycle(c).phase == phase for c in expected)


@then(parsers.parse("the articles under review in cycle {cycle:d} are {articles}"))
def cycle_scope(mechanism: Mechanism, cycle: int, articles: str) -> None:
    expected = _articles(articles)
    assert sorted(mechanism.conference().scope(cycle)) == sorted(expected)


@then(
    parsers.parse(
        'review phase {phase:d} is recorded as resting on decision "{symbol}" of {day}'
    )
)
def phase_decision(mechanism: Mechanism, phase: int, symbol: str, day: str) -> None:
    recorded = mechanism.conference().phases[phase].decision
    assert (recorded.symbol, recorded.adopted_on) == (symbol, day_in(day))


@then(
    parsers.parse(
        "cycle {cycle:d} reviews {numbers} States parties in its successive years"
    )
)
def parties_per_year(mechanism: Mechanism, cycle: int, numbers: str) -> None:
    assert mechanism.conference().cycle(cycle).parties_per_year == _numbers(numbers)


@given(
    parsers.parse(
        "the Conference granted an exception for cycle {cycle:d} to begin before "
        "cycle {previous:d} ends"
    )
)
def early_cycle_granted(
    mechanism: Mechanism, decision: Decision, cycle: int, previous: int
) -> None:
    assert previous == cycle - 1
    mechanism.record_conference(
        [
            GrantException(
                kind=ExceptionKind.EARLY_CYCLE,
                cycle=cycle,
                reason="reviews of the previous cycle are running late",
                decision=decision,
            )
        ]
    )


@then(parsers.parse("the Conference's record holds {count:d} review cycles"))
def cycle_count_now(mechanism: Mechanism, count: int) -> None:
    assert sorted(mechanism.conference().cycles) == list(range(1, count + 1))


@then("the Conference's record holds no review cycle")
def no_cycle(mechanism: Mechanism) -> None:
    assert not mechanism.conference().cycles


@then(parsers.parse("the Conference's record still holds {count:d} review cycles"))
def cycle_count(mechanism: Mechanism, count: int) -> None:
    assert sorted(mechanism.conference().cycles) == list(range(1, count + 1))


@then(
    parsers.parse('the Conference\'s record holds only the thematic cluster "{title}"')
)
def only_cluster(mechanism: Mechanism, title: str) -> None:
    clusters = mechanism.conference().clusters.values()
    assert [c.title for c in clusters] == [title]


# -- ToR 12: the States parties at the start of a cycle --------------------------------


@when(
    parsers.parse(
        "the secretariat lists the States parties at the start of cycle {cycle:d}"
    ),
    target_fixture="listed",
)
def parties_at_start(mechanism: Mechanism, cycle: int) -> list[RegistryEntry]:
    return mechanism.parties_at_start(cycle)


@then(parsers.parse("the list names {names}"))
def list_names(listed: list[RegistryEntry], names: str) -> None:
    assert sorted(e.name() for e in listed) == sorted(names_in(names))


# -- ToR 45: when a phase is finalized -------------------------------------------------


@given(
    parsers.parse(
        "the reviews of {names} were completed in cycles {cycles}, "
        "and that of {other:w} in cycle {other_cycles}"
    )
)
def reviews_completed_apart(
    completed: dict[str, set[int]],
    names: str,
    cycles: str,
    other: str,
    other_cycles: str,
) -> None:
    reviews_completed(completed, names, cycles)
    reviews_completed(completed, other, other_cycles)


@given(parsers.parse("the reviews of {names} were completed in cycles {cycles}"))
@given(parsers.parse("the review of {names} was completed in cycle {cycles}"))
def reviews_completed(completed: dict[str, set[int]], names: str, cycles: str) -> None:
    for name in names_in(names):
        completed.setdefault(code_of(name), set()).update(_numbers(cycles))


@when(
    parsers.parse("the secretariat checks whether review phase {phase:d} is complete"),
    target_fixture="remaining",
)
def check_phase(
    mechanism: Mechanism, completed: dict[str, set[int]], phase: int
) -> dict[str, tuple[ArticleRef, ...]]:
    return phase_remaining(
        mechanism.conference(), phase, mechanism.registry(), completed
    )


@then(parsers.parse("review phase {phase:d} is complete"))
def phase_complete(remaining: dict[str, tuple[ArticleRef, ...]], phase: int) -> None:
    assert remaining == {}, f"phase {phase} still has articles to review: {remaining}"


@then(
    parsers.parse(
        "only {name:w} still has to be reviewed, on the articles of cycle {cycle:d} "
        "that apply to it"
    )
)
def still_to_review(
    mechanism: Mechanism,
    remaining: dict[str, tuple[ArticleRef, ...]],
    name: str,
    cycle: int,
) -> None:
    code = code_of(name)
    covered = set(mechanism.registry().instruments_under_review(code))
    expected = {
        a for a in mechanism.conference().scope(cycle) if a.instrument in covered
    }
    assert expected, f"cycle {cycle} has no article that applies to {name}"
    assert set(remaining) == {code}
    assert set(remaining[code]) == expected
