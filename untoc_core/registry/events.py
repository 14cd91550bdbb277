"""Events of the registry of States parties (ToR 8, 12, 13, 17, 21, 57; RES 8(e))."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from untoc_core.dates import ApproxDate
from untoc_core.events import Event
from untoc_core.terms import (
    EntityType,
    Instrument,
    Language,
    RegionalGroup,
    TreatyStatus,
)


@attrs.frozen(kw_only=True)
class Provenance:
    """Where a recorded fact comes from and how current it is."""

    as_of: str = ""
    """How current the fact is, as the source states it (``2014-01-27``, ``c.2023``)."""
    basis: str = ""
    """What kind of source it rests on (snapshot, dated source, inference)."""
    source: str = ""


@attrs.frozen(kw_only=True)
class StateEntered(Event):
    """A State or organisation was entered in the registry."""

    TYPE: ClassVar[str] = "registry.StateEntered"

    code: str
    m49: int | None
    entity_type: EntityType
    names: dict[Language, str]


@attrs.frozen(kw_only=True)
class StateNamesCorrected(Event):
    """The names of an entry in the six languages were corrected."""

    TYPE: ClassVar[str] = "registry.StateNamesCorrected"

    code: str
    names: dict[Language, str]


@attrs.frozen(kw_only=True)
class StateIdentityCorrected(Event):
    """The M49 number or the kind of entity of an entry was corrected."""

    TYPE: ClassVar[str] = "registry.StateIdentityCorrected"

    code: str
    m49: int | None
    entity_type: EntityType


@attrs.frozen(kw_only=True)
class InstrumentSigned(Event):
    """A State signed an instrument without (yet) being bound by it."""

    TYPE: ClassVar[str] = "registry.InstrumentSigned"

    code: str
    instrument: Instrument
    signed: ApproxDate | None
    provenance: Provenance


@attrs.frozen(kw_only=True)
class InstrumentDeposited(Event):
    """A State deposited its instrument of ratification, accession, etc."""

    TYPE: ClassVar[str] = "registry.InstrumentDeposited"

    code: str
    instrument: Instrument
    signed: ApproxDate | None
    deposited: ApproxDate | None
    action: str
    provenance: Provenance


@attrs.frozen(kw_only=True)
class InstrumentStandingCorrected(Event):
    """Reference data corrected a State's standing towards an instrument."""

    TYPE: ClassVar[str] = "registry.InstrumentStandingCorrected"

    code: str
    instrument: Instrument
    status: TreatyStatus
    signed: ApproxDate | None
    deposited: ApproxDate | None
    action: str
    provenance: Provenance


@attrs.frozen(kw_only=True)
class RegionalGroupAssigned(Event):
    """A State's UN regional group was set (``None``: outside the groups)."""

    TYPE: ClassVar[str] = "registry.RegionalGroupAssigned"

    code: str
    group: RegionalGroup | None
    note: str


@attrs.frozen(kw_only=True)
class LegalTraditionsRecorded(Event):
    """A State's legal traditions were recorded (ToR 8), with the text they rest on."""

    TYPE: ClassVar[str] = "registry.LegalTraditionsRecorded"

    code: str
    traditions: frozenset[str]
    evidence: str


@attrs.frozen(kw_only=True)
class FocalPointAppointed(Event):
    """A State appointed its focal point for the review (ToR 17)."""

    TYPE: ClassVar[str] = "registry.FocalPointAppointed"

    code: str
    name: str
    email: str
    expertise: str


@attrs.frozen(kw_only=True)
class GovernmentalExpertNominated(Event):
    """A State nominated a governmental expert (ToR 21)."""

    TYPE: ClassVar[str] = "registry.GovernmentalExpertNominated"

    code: str
    expert_id: str
    name: str
    background: str
    position: str
    offices: str
    expertise: tuple[str, ...]
    instruments: frozenset[Instrument]


@attrs.frozen(kw_only=True)
class GovernmentalExpertWithdrawn(Event):
    """A State withdrew one of its governmental experts."""

    TYPE: ClassVar[str] = "registry.GovernmentalExpertWithdrawn"

    code: str
    expert_id: str
    reason: str


@attrs.frozen(kw_only=True)
class ExpertListCirculated(Event):
    """The secretariat circulated the list of governmental experts (ToR 21)."""

    TYPE: ClassVar[str] = "registry.ExpertListCirculated"

    circulated_on: dt.date
    expert_ids: frozenset[str]


@attrs.frozen(kw_only=True)
class ReferenceDataImported(Event):
    """A registry file was imported; its changes follow in the same append."""

    TYPE: ClassVar[str] = "registry.ReferenceDataImported"

    source: str
    sha256: str
    rows: int
    changes: int


REGISTRY_EVENTS: tuple[type[Event], ...] = (
    StateEntered,
    StateNamesCorrected,
    StateIdentityCorrected,
    InstrumentSigned,
    InstrumentDeposited,
    InstrumentStandingCorrected,
    RegionalGroupAssigned,
    LegalTraditionsRecorded,
    FocalPointAppointed,
    GovernmentalExpertNominated,
    GovernmentalExpertWithdrawn,
    ExpertListCirculated,
    ReferenceDataImported,
)
