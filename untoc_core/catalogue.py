"""The catalogue of every event type the core may store."""

from __future__ import annotations

from untoc_core.checklists.events import CHECKLIST_EVENTS
from untoc_core.conference.events import CONFERENCE_EVENTS
from untoc_core.confidentiality.events import ACCESS_EVENTS
from untoc_core.confidentiality.keys import (
    KEY_EVENTS,
    MATERIAL_EVENTS,
    STORE_EVENTS,
)
from untoc_core.drawing.ceremony import CEREMONY_EVENTS
from untoc_core.drawing.events import DRAW_EVENTS
from untoc_core.events import EventCatalogue
from untoc_core.registry.events import REGISTRY_EVENTS
from untoc_core.reports.oversight import OVERSIGHT_EVENTS
from untoc_core.reports.publication import PUBLICATION_EVENTS
from untoc_core.reviews.events import REVIEW_EVENTS, TRAINING_EVENTS

EVENTS = EventCatalogue(
    (
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
)
"""Stable type name -> event class, for every event the store may hold."""
