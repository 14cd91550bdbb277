"""The event catalogue: stable type names, the codec and upcasting of old payloads."""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from untoc_core.catalogue import EVENTS
from untoc_core.checklists.events import CHECKLIST_EVENTS
from untoc_core.conference.events import CONFERENCE_EVENTS
from untoc_core.confidentiality.events import ACCESS_EVENTS, Scope
from untoc_core.confidentiality.keys import (
    KEY_EVENTS,
    MATERIAL_EVENTS,
    STORE_EVENTS,
    MaterialFiled,
)
from untoc_core.dates import ApproxDate
from untoc_core.drawing.ceremony import CEREMONY_EVENTS
from untoc_core.drawing.events import DRAW_EVENTS
from untoc_core.errors import StoreError
from untoc_core.events import Event, EventCatalogue
from untoc_core.registry.events import REGISTRY_EVENTS, ExpertListCirculated
from untoc_core.reports.oversight import OVERSIGHT_EVENTS
from untoc_core.reports.publication import PUBLICATION_EVENTS
from untoc_core.reviews.events import REVIEW_EVENTS, TRAINING_EVENTS

# -- building any event of the catalogue ---------------------------------------------

approx_dates = st.dates().flatmap(
    lambda d: st.sampled_from(
        [
            ApproxDate(year=d.year),
            ApproxDate(year=d.year, month=d.month),
            ApproxDate(year=d.year, month=d.month, day=d.day),
        ]
    )
)

_SIMPLE: dict[object, st.SearchStrategy[Any]] = {
    str: st.text(max_size=20),
    bytes: st.binary(max_size=40),
    int: st.integers(),
    bool: st.booleans(),
    dt.date: st.dates(),
    dt.datetime: st.datetimes(timezones=st.just(dt.UTC)),
    types.NoneType: st.none(),
    ApproxDate: approx_dates,
}


def _material_filed() -> st.SearchStrategy[MaterialFiled]:
    """Filed material is sealed in its event or in one blob, never both."""
    common = {
        "review": st.text(max_size=20),
        "scope": st.sampled_from(list(Scope)),
        "epoch": st.integers(),
        "section": st.text(max_size=20),
        "filed_by": st.text(max_size=20),
    }
    inline = st.builds(MaterialFiled, sealed=st.binary(min_size=1), **common)
    in_blob = st.builds(
        MaterialFiled,
        sealed=st.just(b""),
        blob_sha256=st.text("0123456789abcdef", min_size=64, max_size=64),
        blob_size=st.integers(min_value=0),
        **common,
    )
    return st.one_of(inline, in_blob)


def strategy_for(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for an event field type; fails loudly on a type it cannot build."""
    if tp is MaterialFiled:
        return _material_filed()
    if tp in _SIMPLE:
        return _SIMPLE[tp]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if attrs.has(tp):
        attrs.resolve_types(tp)
        fields = {f.name: strategy_for(f.type) for f in attrs.fields(tp)}
        return st.builds(tp, **fields)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in {types.UnionType, typing.Union}:
        return st.one_of(*(strategy_for(a) for a in args))
    containers: dict[object, st.SearchStrategy[Any]] = {}
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        containers[tuple] = st.lists(strategy_for(args[0]), max_size=4).map(tuple)
    if origin is frozenset:
        containers[frozenset] = st.frozensets(strategy_for(args[0]), max_size=4)
    if origin is dict:
        keys, values = (strategy_for(a) for a in args)
        containers[dict] = st.dictionaries(keys, values, max_size=4)
    if origin in containers:
        return containers[origin]
    msg = f"no strategy for field type {tp!r}: extend strategy_for"
    raise TypeError(msg)


ALL_EVENT_CLASSES = (
    *REGISTRY_EVENTS,
    *CONFERENCE_EVENTS,
    *CEREMONY_EVENTS,
    *DRAW_EVENTS,
    *ACCESS_EVENTS,
    *KEY_EVENTS,
    *MATERIAL_EVENTS,
    *STORE_EVENTS,
    *REVIEW_EVENTS,
    *TRAINING_EVENTS,
    *CHECKLIST_EVENTS,
    *PUBLICATION_EVENTS,
    *OVERSIGHT_EVENTS,
)


def test_the_catalogue_holds_exactly_the_known_events() -> None:
    assert EVENTS.types() == sorted(cls.TYPE for cls in ALL_EVENT_CLASSES)
    assert len(EVENTS.types()) == len(ALL_EVENT_CLASSES)


def test_every_stable_type_name_is_prefixed_by_its_stream() -> None:
    for cls in REGISTRY_EVENTS:
        assert cls.TYPE.startswith("registry."), cls
    for cls in CONFERENCE_EVENTS:
        assert cls.TYPE.startswith("conference."), cls
    for cls in CEREMONY_EVENTS:
        assert cls.TYPE.startswith("ceremony."), cls
    for cls in DRAW_EVENTS:
        assert cls.TYPE.startswith("draw."), cls
    for cls in (*ACCESS_EVENTS, *KEY_EVENTS, *STORE_EVENTS):
        assert cls.TYPE.startswith("access."), cls
    for cls in MATERIAL_EVENTS:
        assert cls.TYPE.startswith("material."), cls
    for cls in (*REVIEW_EVENTS, *TRAINING_EVENTS):
        assert cls.TYPE.startswith("review."), cls


@pytest.mark.parametrize("cls", ALL_EVENT_CLASSES, ids=lambda c: c.TYPE)
@given(data=st.data())
def test_every_event_of_the_catalogue_survives_encode_json_and_decode(
    cls: type[Event], data: st.DataObject
) -> None:
    event = data.draw(strategy_for(cls))
    type_name, version, payload = EVENTS.encode(event)
    stored = json.loads(json.dumps(payload))  # what a store really keeps
    assert type_name == cls.TYPE
    assert version == cls.VERSION
    assert EVENTS.decode(type_name, version, stored) == event


def test_a_date_is_encoded_as_an_iso_string_and_a_frozenset_as_a_sorted_list() -> None:
    event = ExpertListCirculated(
        circulated_on=dt.date(2026, 3, 1), expert_ids=frozenset({"E2", "E1", "E3"})
    )
    assert EVENTS.encode(event) == (
        "registry.ExpertListCirculated",
        1,
        {"circulated_on": "2026-03-01", "expert_ids": ["E1", "E2", "E3"]},
    )


# -- the catalogue's own rules --------------------------------------------------------


@attrs.frozen(kw_only=True)
class Greeted(Event):
    TYPE: ClassVar[str] = "test.Greeted"

    name: str


@attrs.frozen(kw_only=True)
class GreetedAgain(Event):
    TYPE: ClassVar[str] = "test.Greeted"

    name: str


@attrs.frozen(kw_only=True)
class Untyped(Event):
    name: str


@attrs.frozen(kw_only=True)
class RenamedWithoutUpcaster(Event):
    TYPE: ClassVar[str] = "test.Renamed"
    VERSION: ClassVar[int] = 2

    full_name: str


@attrs.frozen(kw_only=True)
class Renamed(Event):
    """Version 1 had ``name``; version 2 splits it and version 3 adds a title."""

    TYPE: ClassVar[str] = "test.Renamed"
    VERSION: ClassVar[int] = 3

    given_name: str
    family_name: str
    title: str

    @staticmethod
    def upcast_v1(data: dict[str, Any]) -> dict[str, Any]:
        given_name, _, family_name = data.pop("name").partition(" ")
        return {**data, "given_name": given_name, "family_name": family_name}

    @staticmethod
    def upcast_v2(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "title": ""}


def test_a_second_class_under_a_taken_type_name_is_refused() -> None:
    catalogue = EventCatalogue([Greeted])
    with pytest.raises(TypeError, match=r"'test\.Greeted' is taken by Greeted"):
        catalogue.add(GreetedAgain)
    assert catalogue.types() == ["test.Greeted"]


def test_adding_the_same_class_twice_is_harmless() -> None:
    catalogue = EventCatalogue([Greeted, Greeted])
    assert catalogue.add(Greeted) is Greeted
    assert catalogue.types() == ["test.Greeted"]


def test_a_class_without_a_type_name_is_refused() -> None:
    with pytest.raises(TypeError, match="Untyped has no stable TYPE name"):
        EventCatalogue([Untyped])


def test_a_version_2_class_without_upcast_v1_is_refused() -> None:
    with pytest.raises(TypeError, match="RenamedWithoutUpcaster v2 lacks upcast_v1"):
        EventCatalogue([RenamedWithoutUpcaster])


def test_a_stored_version_1_payload_is_upcast_through_every_version() -> None:
    catalogue = EventCatalogue([Renamed])
    event = catalogue.decode("test.Renamed", 1, {"name": "Ada Lovelace"})
    assert event == Renamed(given_name="Ada", family_name="Lovelace", title="")


def test_a_stored_version_2_payload_runs_only_the_later_upcasters() -> None:
    catalogue = EventCatalogue([Renamed])
    event = catalogue.decode(
        "test.Renamed", 2, {"given_name": "Ada", "family_name": "Byron"}
    )
    assert event == Renamed(given_name="Ada", family_name="Byron", title="")


def test_a_new_event_is_encoded_at_the_current_version() -> None:
    catalogue = EventCatalogue([Renamed])
    event = Renamed(given_name="Ada", family_name="Lovelace", title="Countess")
    type_name, version, payload = catalogue.encode(event)
    assert (type_name, version) == ("test.Renamed", 3)
    assert catalogue.decode(type_name, version, payload) == event


def test_decoding_does_not_change_the_stored_payload() -> None:
    catalogue = EventCatalogue([Renamed])
    stored = {"name": "Ada Lovelace"}
    catalogue.decode("test.Renamed", 1, stored)
    assert stored == {"name": "Ada Lovelace"}


def test_an_unknown_type_name_in_the_store_is_a_store_error() -> None:
    with pytest.raises(StoreError, match=r"unknown event type 'registry\.Vanished'"):
        EVENTS.decode("registry.Vanished", 1, {})


def test_a_version_newer_than_the_library_is_a_store_error() -> None:
    payload = {"circulated_on": "2026-01-01", "expert_ids": []}
    with pytest.raises(StoreError, match="stored at version 2, newer than"):
        EVENTS.decode("registry.ExpertListCirculated", 2, payload)


@pytest.mark.parametrize(
    "payload",
    [
        {"circulated_on": "2026-13-01", "expert_ids": []},
        {"circulated_on": "2026-01-01"},
        {"circulated_on": "2026-01-01", "expert_ids": [], "extra": 1},
    ],
    ids=["bad-date", "missing-field", "extra-field"],
)
def test_a_payload_that_does_not_fit_its_class_is_a_store_error(
    payload: dict[str, Any],
) -> None:
    with pytest.raises(StoreError, match="cannot be read"):
        EVENTS.decode("registry.ExpertListCirculated", 1, payload)


def test_encoding_an_event_outside_the_catalogue_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="Greeted is not in the event catalogue"):
        EVENTS.encode(Greeted(name="x"))


def test_encoding_an_impostor_of_a_catalogued_type_name_is_a_store_error() -> None:
    catalogue = EventCatalogue([Greeted])
    with pytest.raises(StoreError, match="GreetedAgain is not in the event catalogue"):
        catalogue.encode(GreetedAgain(name="x"))


def test_a_stored_version_below_1_is_a_store_error() -> None:
    payload = {"circulated_on": "2026-01-01", "expert_ids": []}
    with pytest.raises(StoreError):
        EVENTS.decode("registry.ExpertListCirculated", 0, payload)


def test_an_old_payload_its_upcaster_cannot_read_is_a_store_error() -> None:
    catalogue = EventCatalogue([Renamed])
    with pytest.raises(StoreError):
        catalogue.decode("test.Renamed", 1, {"nom": "Ada Lovelace"})
