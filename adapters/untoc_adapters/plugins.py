"""Adapters found by name under entry-point groups ``untoc.<port>``.

Selection is explicit: an unknown name is an error that lists the known ones, never
a silent fallback.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Final

from untoc_core.errors import ConfigurationError

EVENT_STORE_GROUP: Final = "untoc.event_store"
KEY_SERVICE_GROUP: Final = "untoc.key_service"


def known_adapters(group: str) -> list[str]:
    """The names registered under an entry-point group, sorted."""
    return sorted({ep.name for ep in entry_points(group=group)})


def load_adapter(group: str, name: str) -> Callable[..., Any]:
    """Load the factory registered as ``name`` in ``group``.

    Raises:
        ConfigurationError: no adapter has that name; the message lists the known ones.
    """
    for ep in entry_points(group=group):
        if ep.name == name:
            factory = ep.load()
            if not callable(factory):
                msg = f"adapter {name!r} of {group} is not callable"
                raise ConfigurationError(msg)
            return factory  # type: ignore[no-any-return]
    known = ", ".join(known_adapters(group)) or "none installed"
    msg = f"unknown {group} adapter {name!r}; known: {known}"
    raise ConfigurationError(msg)
