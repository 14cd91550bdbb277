"""The composition root: builds a Mechanism from settings, choosing adapters by name."""

from __future__ import annotations

from untoc_adapters.clock import SystemClock
from untoc_adapters.plugins import EVENT_STORE_GROUP, load_adapter
from untoc_adapters.settings import Settings
from untoc_core.mechanism import Mechanism
from untoc_core.ports import Clock, EventStore


def open_store(settings: Settings) -> EventStore:
    """Open the event store named by ``settings.store``."""
    factory = load_adapter(EVENT_STORE_GROUP, settings.store)
    store: EventStore = factory(settings)
    return store


def open_mechanism(
    settings: Settings | None = None, clock: Clock | None = None
) -> Mechanism:
    """Open the mechanism on the configured store (``Settings.load()`` by default).

    Close it with ``mechanism.store.close()`` when done.
    """
    resolved = settings or Settings.load()
    return Mechanism(open_store(resolved), clock or SystemClock())
