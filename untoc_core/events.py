"""Stored events: the base class, the catalogue of stable type names, and their codec.

A stored event is never renamed or changed. Each event class declares a stable
``TYPE`` and a ``VERSION``; a later shape of the same event bumps ``VERSION`` and adds
an ``upcast_vN`` static method that turns a version-N payload into version N+1. The
catalogue is explicit: moving a class to another module never breaks replay.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeVar

import attrs
import cattrs

from untoc_core.errors import StoreError


@attrs.frozen(kw_only=True)
class Event:
    """Base of every domain event. Subclasses are frozen attrs classes."""

    TYPE: ClassVar[str] = ""
    VERSION: ClassVar[int] = 1


E = TypeVar("E", bound=type[Event])

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def _bytes_from_text(value: object, _: object) -> bytes:
    """Bytes are stored as standard base64 text; anything else is refused."""
    if not isinstance(value, str):
        msg = f"expected base64 text, not {type(value).__name__}"
        raise TypeError(msg)
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        msg = f"not base64 text: {exc}"
        raise ValueError(msg) from exc


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_structure_hook(dt.date, lambda v, _: dt.date.fromisoformat(v))
    conv.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
    conv.register_structure_hook(dt.datetime, lambda v, _: dt.datetime.fromisoformat(v))
    conv.register_unstructure_hook(bytes, lambda b: base64.b64encode(b).decode())
    conv.register_structure_hook(bytes, _bytes_from_text)
    conv.register_unstructure_hook_func(
        lambda t: t is frozenset or getattr(t, "__origin__", None) is frozenset,
        lambda s: sorted(conv.unstructure(x) for x in s),
    )
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum),
        lambda e: e.value,
    )
    return conv


converter = _make_converter()
"""The one cattrs converter for events and value objects (dates as ISO strings)."""


class EventCatalogue:
    """The explicit list of event classes that may be stored, by stable type name."""

    def __init__(self, classes: Iterable[type[Event]] = ()) -> None:
        self._by_type: dict[str, type[Event]] = {}
        for cls in classes:
            self.add(cls)

    def add(self, cls: E) -> E:
        """Add an event class; its ``TYPE`` must be set and not yet taken."""
        if not cls.TYPE:
            msg = f"{cls.__qualname__} has no stable TYPE name"
            raise TypeError(msg)
        taken = self._by_type.get(cls.TYPE)
        if taken is not None and taken is not cls:
            msg = f"event type {cls.TYPE!r} is taken by {taken.__qualname__}"
            raise TypeError(msg)
        for version in range(1, cls.VERSION):
            if not callable(getattr(cls, f"upcast_v{version}", None)):
                msg = f"{cls.__qualname__} v{cls.VERSION} lacks upcast_v{version}"
                raise TypeError(msg)
        self._by_type[cls.TYPE] = cls
        return cls

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._by_type

    def types(self) -> list[str]:
        """All stable type names, sorted."""
        return sorted(self._by_type)

    def encode(self, event: Event) -> tuple[str, int, dict[str, Any]]:
        """Return ``(type name, version, payload)`` for an event of the catalogue."""
        cls = type(event)
        if self._by_type.get(cls.TYPE) is not cls:
            msg = f"{cls.__qualname__} is not in the event catalogue"
            raise StoreError(msg)
        payload: dict[str, Any] = converter.unstructure(event)
        return cls.TYPE, cls.VERSION, payload

    def decode(self, type_name: str, version: int, payload: Mapping[str, Any]) -> Event:
        """Rebuild an event, upcasting an older payload to the current version."""
        cls = self._by_type.get(type_name)
        if cls is None:
            msg = f"unknown event type {type_name!r} in the store"
            raise StoreError(msg)
        if version < 1:
            msg = f"event {type_name!r} is stored at version {version}, below 1"
            raise StoreError(msg)
        if version > cls.VERSION:
            msg = (
                f"event {type_name!r} is stored at version {version}, newer than this "
                f"library knows ({cls.VERSION}); upgrade untoc"
            )
            raise StoreError(msg)
        try:
            data = dict(payload)
            for v in range(version, cls.VERSION):
                upcast: Upcaster = getattr(cls, f"upcast_v{v}")
                data = upcast(data)
            return converter.structure(data, cls)
        except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
            msg = f"stored event {type_name!r} v{version} cannot be read: {exc}"
            raise StoreError(msg) from exc
