"""The EventStore contract, run against every adapter: memory, SQLite and PostgreSQL."""

# ruff: noqa: N802 - test names carry the research's case ids (T43)

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest

from untoc_core.errors import ConcurrencyConflict, InvalidInput, StoreError
from untoc_core.events import Event
from untoc_core.ports import EventStore, NewEvents
from untoc_core.registry.events import ExpertListCirculated, GovernmentalExpertWithdrawn

T0 = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def circulated(n: int) -> ExpertListCirculated:
    return ExpertListCirculated(
        circulated_on=dt.date(2026, 1, n), expert_ids=frozenset({f"x{n}", "y"})
    )


def withdrawn(n: int) -> GovernmentalExpertWithdrawn:
    return GovernmentalExpertWithdrawn(code="ARC", expert_id=f"x{n}", reason="moved on")


def append(store: EventStore, stream: str, expected: int, *events: Event) -> list[int]:
    recorded = store.append(
        NewEvents(stream=stream, expected_version=expected, events=events),
        recorded_at=T0,
        actor="secretariat",
    )
    return [r.position for r in recorded]


def test_an_empty_store_has_no_events(store: EventStore) -> None:
    assert store.stream_version("registry") == 0
    assert store.last_position() == 0
    assert store.read_all() == []
    assert store.read_stream("registry") == []


def test_appended_events_read_back_equal_with_versions_and_metadata(
    store: EventStore,
) -> None:
    append(store, "registry", 0, circulated(1), withdrawn(2))
    records = store.read_stream("registry")
    assert [r.event for r in records] == [circulated(1), withdrawn(2)]
    assert [r.version for r in records] == [1, 2]
    assert all(r.stream == "registry" for r in records)
    assert all(r.recorded_at == T0 and r.actor == "secretariat" for r in records)
    assert records[0].position < records[1].position
    assert store.stream_version("registry") == 2
    assert store.last_position() == records[1].position


def test_positions_returned_by_append_match_those_read_back(store: EventStore) -> None:
    positions = append(store, "a", 0, circulated(1))
    positions += append(store, "b", 0, circulated(2), circulated(3))
    assert [r.position for r in store.read_all()] == positions
    assert [r.position for r in store.read_stream("b")] == positions[1:]


def test_a_multi_stream_append_is_recorded_together(store: EventStore) -> None:
    store.append(
        NewEvents(stream="registry", expected_version=0, events=(circulated(1),)),
        NewEvents(
            stream="conference", expected_version=0, events=(withdrawn(1), withdrawn(2))
        ),
        recorded_at=T0,
        actor="secretariat",
    )
    assert [(r.stream, r.version) for r in store.read_all()] == [
        ("registry", 1),
        ("conference", 1),
        ("conference", 2),
    ]


def test_a_stale_write_is_refused_and_nothing_is_written(store: EventStore) -> None:
    append(store, "registry", 0, circulated(1), circulated(2))
    before = store.last_position()
    with pytest.raises(ConcurrencyConflict, match="expected version 1") as caught:
        append(store, "registry", 1, circulated(3))
    assert caught.value.actual == 2
    assert store.last_position() == before
    assert store.stream_version("registry") == 2


def test_a_write_ahead_of_the_stream_is_refused_so_no_gap_appears(
    store: EventStore,
) -> None:
    append(store, "registry", 0, circulated(1))
    with pytest.raises(ConcurrencyConflict):
        append(store, "registry", 5, circulated(2))
    assert [r.version for r in store.read_stream("registry")] == [1]


def test_a_conflict_on_one_stream_writes_nothing_to_the_others(
    store: EventStore,
) -> None:
    append(store, "conference", 0, withdrawn(1))
    with pytest.raises(ConcurrencyConflict, match="conference"):
        store.append(
            NewEvents(stream="registry", expected_version=0, events=(circulated(1),)),
            NewEvents(stream="conference", expected_version=0, events=(withdrawn(2),)),
            recorded_at=T0,
            actor="secretariat",
        )
    assert store.read_stream("registry") == []
    assert store.last_position() == store.read_stream("conference")[0].position


def test_an_unstorable_event_in_a_later_batch_writes_nothing(store: EventStore) -> None:
    class Stray(Event):
        TYPE = "test.Stray"

    with pytest.raises(StoreError, match="not in the event catalogue"):
        store.append(
            NewEvents(stream="registry", expected_version=0, events=(circulated(1),)),
            NewEvents(stream="other", expected_version=0, events=(Stray(),)),
            recorded_at=T0,
            actor="secretariat",
        )
    assert store.last_position() == 0


def test_of_two_writers_expecting_the_same_version_only_one_wins(
    store_factory: Callable[[], EventStore],
) -> None:
    first, second = store_factory(), store_factory()
    append(first, "registry", 0, circulated(1))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def write(target: EventStore, n: int) -> None:
        barrier.wait()
        try:
            append(target, "registry", 1, circulated(n))
            outcomes.append("written")
        except ConcurrencyConflict:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=write, args=(s, n))
        for s, n in ((first, 2), (second, 3))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "written"]
    assert [r.version for r in first.read_stream("registry")] == [1, 2]


def test_a_stream_can_be_read_as_it_stood_at_a_version(store: EventStore) -> None:
    append(store, "registry", 0, circulated(1), circulated(2), circulated(3))
    assert [r.version for r in store.read_stream("registry", to_version=2)] == [1, 2]
    assert [r.version for r in store.read_stream("registry", after_version=1)] == [2, 3]
    assert [
        r.version for r in store.read_stream("registry", after_version=1, to_version=2)
    ] == [2]


def test_the_whole_history_is_read_in_pages(store: EventStore) -> None:
    for n in range(1, 8):
        append(store, f"s{n % 3}", store.stream_version(f"s{n % 3}"), circulated(n))
    pages: list[int] = []
    after = 0
    while page := store.read_all(after_position=after, limit=3):
        assert len(page) <= 3
        pages.extend(r.position for r in page)
        after = page[-1].position
    assert len(pages) == 7
    assert pages == sorted(pages)


def test_events_survive_reopening_the_store(
    store_factory: Callable[[], EventStore],
) -> None:
    writer = store_factory()
    append(writer, "registry", 0, circulated(1))
    reader = store_factory()
    assert [r.event for r in reader.read_stream("registry")] == [circulated(1)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"recorded_at": dt.datetime(2026, 1, 1)}, "timezone-aware"),  # noqa: DTZ001 - the point
        ({"stream": ""}, "may not be empty"),
    ],
)
def test_bad_appends_are_refused(
    store: EventStore, kwargs: dict[str, object], message: str
) -> None:
    stream = str(kwargs.get("stream", "registry"))
    at = kwargs.get("recorded_at", T0)
    assert isinstance(at, dt.datetime)
    with pytest.raises(InvalidInput, match=message):
        store.append(
            NewEvents(stream=stream, expected_version=0, events=(circulated(1),)),
            recorded_at=at,
            actor="secretariat",
        )
    assert store.last_position() == 0


def test_a_stream_named_twice_in_one_append_is_refused(store: EventStore) -> None:
    batch = NewEvents(stream="registry", expected_version=0, events=(circulated(1),))
    with pytest.raises(InvalidInput, match="only once"):
        store.append(batch, batch, recorded_at=T0, actor="secretariat")
    assert store.last_position() == 0


def test_read_all_refuses_a_limit_below_one(store: EventStore) -> None:
    with pytest.raises(InvalidInput):
        store.read_all(limit=0)


def test_T43_a_time_with_another_offset_is_recorded_in_utc(store: EventStore) -> None:
    """Research case T43: non-UTC timestamps are normalised to UTC."""
    geneva = dt.timezone(dt.timedelta(hours=1))
    (recorded,) = store.append(
        NewEvents(stream="registry", expected_version=0, events=(circulated(1),)),
        recorded_at=dt.datetime(2026, 3, 1, 10, 30, tzinfo=geneva),
        actor="secretariat",
    )
    (read,) = store.read_stream("registry")
    assert read.recorded_at == T0
    assert read.recorded_at.utcoffset() == dt.timedelta(0)
    assert recorded.recorded_at == read.recorded_at


def test_T43_a_clock_going_backwards_is_refused_and_nothing_written(
    store: EventStore,
) -> None:
    """Research case T43: a time before the last recorded one is refused."""
    append(store, "registry", 0, circulated(1))
    with pytest.raises(InvalidInput, match="clock went backwards"):
        store.append(
            NewEvents(stream="experts", expected_version=0, events=(circulated(2),)),
            recorded_at=T0 - dt.timedelta(seconds=1),
            actor="secretariat",
        )
    assert store.last_position() == 1
    append(store, "experts", 0, circulated(2))  # the same time again is fine
    assert store.stream_version("experts") == 1


def test_T43_a_naive_time_is_refused(store: EventStore) -> None:
    """Research case T43: a time without a zone cannot be placed; refused."""
    with pytest.raises(InvalidInput, match="timezone-aware"):
        store.append(
            NewEvents(stream="registry", expected_version=0, events=(circulated(1),)),
            recorded_at=dt.datetime(2026, 3, 1, 9, 30),  # noqa: DTZ001 - the point
            actor="secretariat",
        )
    assert store.last_position() == 0
