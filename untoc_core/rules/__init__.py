"""Rulebooks (resolution 5/5 as data) and the catalogue of provisions."""

from __future__ import annotations

from untoc_core.rules.provisions import Provision, ProvisionKind, provisions
from untoc_core.rules.rulebook import (
    ClusterSpec,
    CycleSpec,
    DeadlineRule,
    DeadlineStrength,
    DrawRules,
    Rulebook,
    default_rulebook,
)

__all__ = [
    "ClusterSpec",
    "CycleSpec",
    "DeadlineRule",
    "DeadlineStrength",
    "DrawRules",
    "Provision",
    "ProvisionKind",
    "Rulebook",
    "default_rulebook",
    "provisions",
]
