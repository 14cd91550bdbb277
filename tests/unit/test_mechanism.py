"""The application service on a memory store: refusals and bad files record nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from untoc_adapters.clock import SimulatedClock
from untoc_adapters.storage.memory import open_memory_store
from untoc_core import Mechanism
from untoc_core.conference import (
    Decision,
    DefineThematicCluster,
    EstablishCycle,
    EstablishPhase,
)
from untoc_core.errors import (
    ConferenceDecisionRefused,
    ExpertLimitReached,
    FileRefused,
    InvalidInput,
    SignatoryCannotReview,
    ThematicScopeRefused,
)
from untoc_core.instruments import ArticleRef
from untoc_core.ports import EventStore
from untoc_core.registry import (
    AppointFocalPoint,
    NominateGovernmentalExpert,
    WithdrawGovernmentalExpert,
)
from untoc_core.registry.events import (
    ExpertListCirculated,
    GovernmentalExpertNominated,
    ReferenceDataImported,
)

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
DECISION = Decision(symbol="resolution 5/5", adopted_on=dt.date(2010, 10, 22))
STATES_CSV = (
    "iso3,name_en,untoc_status,tip,untoc_date\n"
    "ARC,Arcadia,party,party,2003-09-29\n"
    "BRD,Borduria,party,,2004-01-15\n"
    "SIG,Signatoria,signatory,,\n"
)


@pytest.fixture
def memory() -> EventStore:
    return open_memory_store()


@pytest.fixture
def mechanism(memory: EventStore) -> Mechanism:
    return Mechanism(memory, SimulatedClock(NOW))


@pytest.fixture
def with_states(mechanism: Mechanism) -> Mechanism:
    mechanism.import_registry(STATES_CSV, source="states.csv")
    return mechanism


def nominate(code: str, expert_id: str) -> NominateGovernmentalExpert:
    return NominateGovernmentalExpert(
        code=code, expert_id=expert_id, name=f"Expert {expert_id}"
    )


# -- importing the registry -----------------------------------------------------------


def test_an_import_records_the_marker_then_the_changes(
    mechanism: Mechanism, memory: EventStore
) -> None:
    result = mechanism.import_registry(
        STATES_CSV, source="states.csv", actor="officer-1"
    )
    records = memory.read_stream("registry")
    assert result.rows == 3
    assert result.changes == len(records) - 1
    assert result.registry_version == len(records)
    marker = records[0].event
    assert isinstance(marker, ReferenceDataImported)
    assert (marker.source, marker.rows, marker.changes) == (
        "states.csv",
        3,
        result.changes,
    )
    assert len(marker.sha256) == 64
    assert {(r.actor, r.recorded_at) for r in records} == {("officer-1", NOW)}


def test_the_same_file_imported_again_records_nothing(
    with_states: Mechanism, memory: EventStore
) -> None:
    before = memory.last_position()
    result = with_states.import_registry(STATES_CSV, source="states.csv")
    assert (result.changes, result.rows, result.registry_version) == (0, 3, before)
    assert memory.last_position() == before


def test_a_bad_file_records_nothing(mechanism: Mechanism, memory: EventStore) -> None:
    bad = STATES_CSV + "BRD,Borduria again,party,,\nXX,Nowhere,party,,\n"
    with pytest.raises(FileRefused) as caught:
        mechanism.import_registry(bad, source="bad.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (5, "iso3"),
        (6, "iso3"),
    ]
    assert memory.last_position() == 0
    assert mechanism.registry().entries == {}


def test_a_bad_file_after_a_good_one_leaves_the_registry_as_it_was(
    with_states: Mechanism, memory: EventStore
) -> None:
    before = memory.last_position()
    with pytest.raises(FileRefused):
        with_states.import_registry(
            STATES_CSV.replace("2004-01-15", "2004-02-30"), source="b"
        )
    assert memory.last_position() == before
    assert [e.code for e in with_states.registry().parties()] == ["ARC", "BRD"]


# -- registry commands ----------------------------------------------------------------


def test_a_nomination_is_recorded_at_the_next_registry_version(
    with_states: Mechanism, memory: EventStore
) -> None:
    version = with_states.registry().version
    (record,) = with_states.nominate_expert(nominate("ARC", "ARC-1"), actor="ARC")
    assert (record.stream, record.version, record.actor) == (
        "registry",
        version + 1,
        "ARC",
    )
    assert isinstance(record.event, GovernmentalExpertNominated)
    assert [x.expert_id for x in with_states.registry().experts()] == ["ARC-1"]
    assert memory.last_position() == record.position


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        (nominate("SIG", "SIG-1"), SignatoryCannotReview),
        (nominate("ARC", " "), InvalidInput),
        (WithdrawGovernmentalExpert(code="ARC", expert_id="ARC-9"), InvalidInput),
        (
            AppointFocalPoint(code="ARC", name="Ann", email="not-an-address"),
            InvalidInput,
        ),
    ],
)
def test_a_refused_command_records_nothing(
    with_states: Mechanism,
    memory: EventStore,
    command: NominateGovernmentalExpert
    | WithdrawGovernmentalExpert
    | AppointFocalPoint,
    refusal: type[Exception],
) -> None:
    before = memory.last_position()
    registry = with_states.registry()
    run = {
        NominateGovernmentalExpert: with_states.nominate_expert,
        WithdrawGovernmentalExpert: with_states.withdraw_expert,
        AppointFocalPoint: with_states.appoint_focal_point,
    }[type(command)]
    with pytest.raises(refusal):
        run(command)
    assert memory.last_position() == before
    assert with_states.registry() == registry


def test_the_21st_expert_is_refused_and_not_recorded(
    with_states: Mechanism, memory: EventStore
) -> None:
    for n in range(1, 21):
        with_states.nominate_expert(nominate("ARC", f"ARC-{n}"))
    before = memory.last_position()
    with pytest.raises(ExpertLimitReached, match=r"^\[ToR-21\]"):
        with_states.nominate_expert(nominate("ARC", "ARC-21"))
    assert memory.last_position() == before
    assert len(with_states.registry().experts(party="ARC")) == 20


def test_the_expert_list_is_circulated_on_the_clock_date_by_default(
    with_states: Mechanism,
) -> None:
    with_states.nominate_expert(nominate("ARC", "ARC-1"))
    (record,) = with_states.circulate_expert_list()
    assert record.event == ExpertListCirculated(
        circulated_on=NOW.date(), expert_ids=frozenset({"ARC-1"})
    )


def test_the_registry_can_be_read_as_it_stood_at_an_earlier_version(
    with_states: Mechanism,
) -> None:
    imported_at = with_states.registry().version
    with_states.nominate_expert(nominate("ARC", "ARC-1"))
    with_states.appoint_focal_point(
        AppointFocalPoint(code="ARC", name="Ann", email="ann@arc.example")
    )
    then = with_states.registry(at_version=imported_at)
    now = with_states.registry()
    assert then.version == imported_at
    assert then.experts() == []
    assert then.entry("ARC").focal_point is None
    assert now.version == imported_at + 2
    assert [x.expert_id for x in now.experts()] == ["ARC-1"]
    assert with_states.registry(at_version=1).entries == {}  # only the import marker
    assert len(with_states.registry(at_version=1).imports) == 1


def test_the_reference_snapshot_loads_once(
    mechanism: Mechanism, memory: EventStore
) -> None:
    first = mechanism.load_reference_snapshot()
    assert first.rows == 198
    assert len(mechanism.registry().parties()) == 193
    position = memory.last_position()
    second = mechanism.load_reference_snapshot()
    assert second.changes == 0
    assert memory.last_position() == position


# -- decisions of the Conference ------------------------------------------------------


CLUSTER = DefineThematicCluster(
    cluster_id="c1",
    title="Criminalization",
    articles=(ArticleRef.parse("UNTOC 5"),),
    decision=DECISION,
)
PHASE = EstablishPhase(phase=1, title="First", decision=DECISION)


def cycle(clusters: tuple[str, ...]) -> EstablishCycle:
    return EstablishCycle(
        phase=1,
        cycle=1,
        starts_on=dt.date(2026, 1, 1),
        years=5,
        clusters=clusters,
        decision=DECISION,
    )


def test_later_decisions_of_one_call_may_use_what_earlier_ones_defined(
    mechanism: Mechanism,
) -> None:
    records = mechanism.record_conference([CLUSTER, PHASE, cycle(("c1",))])
    assert [(r.stream, r.version) for r in records] == [
        ("conference", 1),
        ("conference", 2),
        ("conference", 3),
    ]
    assert mechanism.conference().cycle(1).clusters == ("c1",)


def test_a_bad_decision_later_in_the_list_records_none_of_the_earlier_ones(
    mechanism: Mechanism, memory: EventStore
) -> None:
    with pytest.raises(ConferenceDecisionRefused, match="no such thematic cluster: c2"):
        mechanism.record_conference([CLUSTER, PHASE, cycle(("c2",))])
    assert memory.last_position() == 0
    assert mechanism.conference().clusters == {}
    assert mechanism.conference().phases == {}


def test_the_default_distribution_is_recorded_in_one_write(
    mechanism: Mechanism, memory: EventStore
) -> None:
    records = mechanism.establish_default_distribution(
        decision=DECISION, starts_on=dt.date(2026, 1, 1)
    )
    assert len(records) == 8
    assert memory.last_position() == records[-1].position
    conference = mechanism.conference()
    assert conference.phases[1].cycles == (1, 2)
    with pytest.raises(ThematicScopeRefused, match="already defined"):
        mechanism.establish_default_distribution(
            decision=DECISION, starts_on=dt.date(2031, 1, 1)
        )
    assert memory.last_position() == records[-1].position


def test_no_decision_records_nothing(mechanism: Mechanism, memory: EventStore) -> None:
    assert mechanism.record_conference([]) == []
    assert memory.last_position() == 0
