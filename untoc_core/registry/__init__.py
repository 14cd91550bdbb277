"""The registry of States parties and signatories (ToR 8-21, 57; RES 8(e))."""

from __future__ import annotations

from untoc_core.registry.commands import (
    AppointFocalPoint,
    CirculateExpertList,
    NominateGovernmentalExpert,
    WithdrawGovernmentalExpert,
    decide,
)
from untoc_core.registry.model import (
    Circulation,
    FocalPoint,
    GovernmentalExpert,
    LegalTradition,
    Registry,
    RegistryEntry,
    Standing,
    replay,
)
from untoc_core.registry.reference import (
    ParsedEntry,
    ReferenceSnapshot,
    parse_registry_csv,
    plan_import,
    reference_snapshot,
)

__all__ = [
    "AppointFocalPoint",
    "CirculateExpertList",
    "Circulation",
    "FocalPoint",
    "GovernmentalExpert",
    "LegalTradition",
    "NominateGovernmentalExpert",
    "ParsedEntry",
    "ReferenceSnapshot",
    "Registry",
    "RegistryEntry",
    "Standing",
    "WithdrawGovernmentalExpert",
    "decide",
    "parse_registry_csv",
    "plan_import",
    "reference_snapshot",
    "replay",
]
