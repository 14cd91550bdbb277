"""Decisions of the Conference of the Parties: phases, cycles, scope, exceptions.

The mechanism runs under the authority of the Conference (ToR 10). Its decisions on
phases and cycles, their duration and thematic scope and the number of parties per
year (ToR 45, RES 8(d), AX2), and the exceptions it grants, are recorded as events on
the ``conference`` stream and drive the rest of the mechanism.
"""

from __future__ import annotations

from untoc_core.conference.commands import (
    DefineThematicCluster,
    EstablishCycle,
    EstablishPhase,
    GrantException,
    RecordDecision,
    decide,
    default_distribution,
)
from untoc_core.conference.events import (
    CONFERENCE_EVENTS,
    ConferenceDecisionRecorded,
    CycleEstablished,
    Decision,
    ExceptionGranted,
    ExceptionKind,
    PhaseEstablished,
    ThematicClusterDefined,
)
from untoc_core.conference.model import (
    Conference,
    Cycle,
    Phase,
    phase_remaining,
    replay,
)

__all__ = [
    "CONFERENCE_EVENTS",
    "Conference",
    "ConferenceDecisionRecorded",
    "Cycle",
    "CycleEstablished",
    "Decision",
    "DefineThematicCluster",
    "EstablishCycle",
    "EstablishPhase",
    "ExceptionGranted",
    "ExceptionKind",
    "GrantException",
    "Phase",
    "PhaseEstablished",
    "RecordDecision",
    "ThematicClusterDefined",
    "decide",
    "default_distribution",
    "phase_remaining",
    "replay",
]
