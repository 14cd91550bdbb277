"""Event stores on eventsourcing's recorders: ``memory``, ``sqlite``, ``postgres``."""

from __future__ import annotations

from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.mapper import AttrsMapper, PlainRows, RowLocation, RowSealer

__all__ = ["AttrsMapper", "PlainRows", "RecorderEventStore", "RowLocation", "RowSealer"]
