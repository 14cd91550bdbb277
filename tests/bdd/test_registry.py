"""Steps of the registry: legal traditions, coverage, focal points, experts.

Provisions: ToR 8, 13(c), 17, 21 and 57 of the terms of reference, and paragraph 8 (e)
of resolution 5/5 (see ``features/registry.feature``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import attrs
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

# pytest (--import-mode=importlib) has already imported the conftest under the name its
# path gives, tests.bdd.conftest: this import finds that very module, steps and all.
from tests.bdd.conftest import (
    Outcome,
    RegistryFile,
    code_of,
    day_in,
    instruments_in,
    names_in,
    tradition_tags,
    traditions_in,
)
from untoc_core import FileRefused, Instrument, Mechanism, RegionalGroup
from untoc_core.registry import (
    AppointFocalPoint,
    GovernmentalExpert,
    NominateGovernmentalExpert,
    WithdrawGovernmentalExpert,
)

scenarios("registry.feature")

_SEARCH = re.compile(
    r"(?:with expertise in (?P<expertise>.+?))?\s*"
    r"(?:on (?P<instrument>the .+?))?\s*"
    r"(?:from the group of (?P<group>.+))?"
)


@attrs.define
class Appointments:
    """Ids of the governmental experts a scenario appoints, and what it said of them."""

    ids: Iterator[int] = attrs.Factory(lambda: itertools.count(1))
    described: dict[str, dict[str, str]] = attrs.Factory(dict)

    def expert(self, state: str, **details: str) -> NominateGovernmentalExpert:
        """A nomination by ``state``, with details from the scenario's table."""
        number = next(self.ids)
        return NominateGovernmentalExpert(
            code=code_of(state),
            expert_id=f"{code_of(state)}-{number:03d}",
            name=details.get("name", f"Expert {number} of {state}"),
            background=details.get("professional background", ""),
            position=details.get("current position", ""),
            offices=details.get("offices held", ""),
            expertise=tuple(
                x.strip() for x in details.get("areas of expertise", "").split(";")
            ),
            instruments=instruments_in(details.get("instruments", "the Convention")),
        )


@pytest.fixture
def appointments() -> Appointments:
    return Appointments()


def _email(person: str) -> str:
    return ".".join(person.casefold().split()) + "@focal-point.example.org"


def _roster(mechanism: Mechanism, name: str) -> list[GovernmentalExpert]:
    return mechanism.registry().experts(party=code_of(name))


# -- ToR 8: legal traditions -----------------------------------------------------------


@when(
    parsers.parse(
        "the secretariat imports a registry file giving {name:w}'s legal system as "
        "{traditions}"
    )
)
def import_traditions(
    mechanism: Mechanism,
    registry_file: RegistryFile,
    outcome: Outcome,
    name: str,
    traditions: str,
) -> None:
    row = {**registry_file.rows[name], "legal_tags_derived": tradition_tags(traditions)}
    text = registry_file.text(row)
    outcome.run(
        mechanism, lambda: mechanism.import_registry(text, source="registry-update.csv")
    )


@then(parsers.parse("the registry shows {name:w}'s legal traditions as {traditions}"))
@then(
    parsers.parse(
        "the registry still shows {name:w}'s legal traditions as {traditions}"
    )
)
def legal_traditions_shown(mechanism: Mechanism, name: str, traditions: str) -> None:
    entry = mechanism.registry().entry(code_of(name))
    assert entry.legal_traditions == traditions_in(traditions)


@then(
    parsers.parse(
        "the registry as it stood before the import shows {name:w}'s legal traditions "
        "as {traditions}"
    )
)
def legal_traditions_before(
    mechanism: Mechanism, outcome: Outcome, name: str, traditions: str
) -> None:
    earlier = mechanism.registry(at_version=outcome.registry_version)
    assert earlier.version < mechanism.registry().version, "nothing was recorded"
    assert earlier.entry(code_of(name)).legal_traditions == traditions_in(traditions)


@then(parsers.parse('the file is refused, naming row {row:d} and column "{column}"'))
def file_refused(mechanism: Mechanism, outcome: Outcome, row: int, column: str) -> None:
    error = outcome.refusal()
    assert isinstance(error, FileRefused), repr(error)
    assert [(p.row, p.column) for p in error.problems] == [(row, column)], str(error)
    assert f"row {row}, column {column!r}" in str(error)
    assert mechanism.registry().version == outcome.registry_version


# -- ToR 13(c), ToR 57: what a review covers, who may review ---------------------------


@when(
    parsers.parse("the secretariat determines what a review of {name:w} covers"),
    target_fixture="coverage",
)
def review_coverage(mechanism: Mechanism, name: str) -> tuple[Instrument, ...]:
    return mechanism.registry().instruments_under_review(code_of(name))


@then(parsers.parse("the review covers {instruments}"))
def review_covers(coverage: tuple[Instrument, ...], instruments: str) -> None:
    assert sorted(coverage) == sorted(instruments_in(instruments))
    assert coverage[0] is Instrument.UNTOC


@when(parsers.parse("{name:w} is proposed as a reviewing State party"))
def propose_reviewer(mechanism: Mechanism, outcome: Outcome, name: str) -> None:
    outcome.run(mechanism, lambda: mechanism.registry().require_reviewer(code_of(name)))


@then(
    parsers.parse(
        "{name:w} is not among the States that may serve as reviewing States parties"
    )
)
def cannot_review(mechanism: Mechanism, name: str) -> None:
    assert not mechanism.registry().can_review(code_of(name))


# -- ToR 17: focal points --------------------------------------------------------------


@given(parsers.parse("{name:w} appointed {person} as its focal point"))
def focal_point_appointed(mechanism: Mechanism, name: str, person: str) -> None:
    mechanism.appoint_focal_point(
        AppointFocalPoint(code=code_of(name), name=person, email=_email(person))
    )


@when(
    parsers.parse(
        "{name:w} appoints {person} as its focal point, with expertise in {expertise}"
    )
)
def appoint_focal_point(
    mechanism: Mechanism, outcome: Outcome, name: str, person: str, expertise: str
) -> None:
    command = AppointFocalPoint(
        code=code_of(name), name=person, email=_email(person), expertise=expertise
    )
    outcome.run(mechanism, lambda: mechanism.appoint_focal_point(command))


@then(
    parsers.parse(
        "the registry shows {person} as the focal point of {name:w}, "
        "with expertise in {expertise}"
    )
)
def focal_point_shown(
    mechanism: Mechanism, name: str, person: str, expertise: str
) -> None:
    focal = mechanism.registry().entry(code_of(name)).focal_point
    assert focal is not None, f"{name} has no focal point"
    assert (focal.name, focal.email, focal.expertise) == (
        person,
        _email(person),
        expertise,
    )


@then(
    parsers.parse(
        "the registry as it stood before that appointment shows {person} as the focal "
        "point of {name:w}"
    )
)
def focal_point_before(
    mechanism: Mechanism, outcome: Outcome, name: str, person: str
) -> None:
    earlier = mechanism.registry(at_version=outcome.registry_version)
    assert earlier.version < mechanism.registry().version, "nothing was recorded"
    focal = earlier.entry(code_of(name)).focal_point
    assert focal is not None, f"{name} had no focal point"
    assert focal.name == person


# -- ToR 21: governmental experts and their list ---------------------------------------


@given(parsers.parse("{name:w} has appointed {count:d} governmental experts"))
def experts_appointed(
    mechanism: Mechanism, appointments: Appointments, name: str, count: int
) -> None:
    for _ in range(count):
        mechanism.nominate_expert(appointments.expert(name))


@given(parsers.parse("{name:w} has appointed the governmental expert:"))
def expert_described(
    mechanism: Mechanism,
    appointments: Appointments,
    name: str,
    datatable: list[list[str]],
) -> None:
    details = {key.strip(): value.strip() for key, value in datatable}
    appointments.described[details["name"]] = details
    mechanism.nominate_expert(appointments.expert(name, **details))


@given(parsers.parse("{names} have appointed these governmental experts:"))
def experts_listed(
    mechanism: Mechanism,
    appointments: Appointments,
    names: str,
    datatable: list[list[str]],
) -> None:
    header, *rows = datatable
    for row in rows:
        details = dict(zip(header, (cell.strip() for cell in row), strict=True))
        state = details.pop("State")
        assert state in names_in(names), f"{state} is not among {names}"
        mechanism.nominate_expert(appointments.expert(state, **details))


@given(parsers.parse("{name:w} has withdrawn one of its governmental experts"))
def expert_withdrawn(mechanism: Mechanism, name: str) -> None:
    first = _roster(mechanism, name)[0]
    mechanism.withdraw_expert(
        WithdrawGovernmentalExpert(
            code=code_of(name), expert_id=first.expert_id, reason="retired"
        )
    )


@when(parsers.parse("{name:w} appoints a governmental expert"))
def appoint_expert(
    mechanism: Mechanism, outcome: Outcome, appointments: Appointments, name: str
) -> None:
    command = appointments.expert(name)
    outcome.run(mechanism, lambda: mechanism.nominate_expert(command))


@then(parsers.parse("the roster lists {count:d} governmental experts of {name:w}"))
@then(
    parsers.parse("the roster still lists {count:d} governmental experts of {name:w}")
)
def roster_count(mechanism: Mechanism, count: int, name: str) -> None:
    roster = _roster(mechanism, name)
    assert len(roster) == count
    assert len({x.expert_id for x in roster}) == count


@then(parsers.parse("the roster lists no governmental expert of {name:w}"))
def roster_empty(mechanism: Mechanism, name: str) -> None:
    assert _roster(mechanism, name) == []


@when(
    parsers.parse(
        "the secretariat circulates the list of governmental experts on {day}"
    )
)
def circulate(mechanism: Mechanism, outcome: Outcome, day: str) -> None:
    outcome.run(mechanism, lambda: mechanism.circulate_expert_list(day_in(day)))


@then(
    parsers.parse(
        "the list circulated on {day} names the {count:d} governmental experts of "
        "{names}"
    )
)
def circulated_list(mechanism: Mechanism, day: str, count: int, names: str) -> None:
    circulated = mechanism.registry().last_circulation()
    assert circulated is not None, "no list has been circulated"
    assert circulated.circulated_on == day_in(day)
    expected = {
        x.expert_id for name in names_in(names) for x in _roster(mechanism, name)
    }
    assert len(expected) == count
    assert circulated.expert_ids == expected


@then(
    parsers.parse(
        "the list circulated on {day} gives the professional background, current "
        "position, offices held and areas of expertise of {person}"
    )
)
def circulated_details(
    mechanism: Mechanism, appointments: Appointments, day: str, person: str
) -> None:
    registry = mechanism.registry()
    circulated = registry.last_circulation()
    assert circulated is not None, "no list has been circulated"
    assert circulated.circulated_on == day_in(day)
    listed = [
        x
        for x in registry.experts()
        if x.expert_id in circulated.expert_ids and x.name == person
    ]
    assert len(listed) == 1, f"{person} is not on the circulated list"
    said = appointments.described[person]
    expert = listed[0]
    assert expert.background == said["professional background"]
    assert expert.position == said["current position"]
    assert expert.offices == said["offices held"]
    assert expert.expertise == tuple(
        x.strip() for x in said["areas of expertise"].split(";")
    )


# -- RES 8(e): searching the roster ----------------------------------------------------


@when(
    parsers.parse(
        "the secretariat searches the roster for governmental experts {criteria}"
    ),
    target_fixture="found",
)
def search_roster(mechanism: Mechanism, criteria: str) -> list[GovernmentalExpert]:
    match = _SEARCH.fullmatch(criteria)
    assert match is not None, f"{criteria!r} is not a search of the roster"
    assert any(match.groupdict().values()), f"{criteria!r} searches for nothing"
    instrument: Instrument | None = None
    if match["instrument"]:
        (instrument,) = instruments_in(match["instrument"])
    return mechanism.registry().experts(
        expertise=match["expertise"],
        instrument=instrument,
        group=RegionalGroup(match["group"]) if match["group"] else None,
    )


@then(parsers.parse("the roster shows {experts}"))
def roster_shows(found: list[GovernmentalExpert], experts: str) -> None:
    expected = [] if experts == "no governmental expert" else names_in(experts)
    assert sorted(x.name for x in found) == sorted(expected)
