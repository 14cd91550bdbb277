"""untoc_core: the pure domain of the UNTOC implementation review mechanism.

It depends only on the standard library, attrs and cattrs. Technology (storage,
cryptography, rendering, the command line) lives in ``untoc_adapters`` behind the
ports of :mod:`untoc_core.ports`.
"""

from __future__ import annotations

from untoc_core.catalogue import EVENTS
from untoc_core.errors import (
    ConcurrencyConflict,
    DomainError,
    FileRefused,
    InvalidInput,
    StoreError,
    UntocError,
)
from untoc_core.mechanism import Mechanism
from untoc_core.ports import Clock, EventStore, NewEvents, Recorded
from untoc_core.terms import Instrument, Language, RegionalGroup

__all__ = [
    "EVENTS",
    "Clock",
    "ConcurrencyConflict",
    "DomainError",
    "EventStore",
    "FileRefused",
    "Instrument",
    "InvalidInput",
    "Language",
    "Mechanism",
    "NewEvents",
    "Recorded",
    "RegionalGroup",
    "StoreError",
    "UntocError",
]
