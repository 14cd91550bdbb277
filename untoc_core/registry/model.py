"""The registry of States parties as state, built from its events.

``evolve`` folds one event into the state; queries answer what the rest of the
mechanism needs: who is a party on a date (ToR 12), which instruments a review
covers (ToR 13, 57), who may review (ToR 57), and the roster of experts (RES 8(e)).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from untoc_core.dates import ApproxDate
from untoc_core.errors import NotInMechanism, SignatoryCannotReview, UnknownParty
from untoc_core.events import Event
from untoc_core.registry.events import (
    ExpertListCirculated,
    FocalPointAppointed,
    GovernmentalExpertNominated,
    GovernmentalExpertWithdrawn,
    InstrumentDeposited,
    InstrumentSigned,
    InstrumentStandingCorrected,
    LegalTraditionsRecorded,
    Provenance,
    ReferenceDataImported,
    RegionalGroupAssigned,
    StateEntered,
    StateIdentityCorrected,
    StateNamesCorrected,
)
from untoc_core.terms import (
    EntityType,
    Instrument,
    Language,
    RegionalGroup,
    TreatyStatus,
)

IN_FORCE_AFTER = dt.timedelta(days=30)
"""An instrument enters into force for a State 30 days after its deposit."""


class LegalTradition(enum.StrEnum):
    """Families of legal systems used to find "a legal system similar" (ToR 19)."""

    CIVIL_LAW = "civil_law"
    COMMON_LAW = "common_law"
    CUSTOMARY_LAW = "customary_law"
    ISLAMIC_LAW = "islamic_law"
    RELIGIOUS_LAW = "religious_law"
    SOCIALIST_LAW = "socialist_law"


@attrs.frozen(kw_only=True)
class Standing:
    """A State's standing towards one instrument."""

    status: TreatyStatus = TreatyStatus.NONE
    signed: ApproxDate | None = None
    deposited: ApproxDate | None = None
    action: str = ""
    provenance: Provenance = attrs.field(factory=Provenance)

    def bound_on(self, day: dt.date, instrument: Instrument) -> bool:
        """True if the instrument is in force for this State on ``day``.

        It enters into force for a State on the thirtieth day after its deposit
        (Convention, art. 38(2); each Protocol likewise), never before the
        instrument's own entry into force. A deposit known only to the year or month
        counts from its first day. A party whose deposit date is unknown counts as
        bound: the registry says it is a party, as of its provenance date.
        """
        if self.status is not TreatyStatus.PARTY:
            return False
        if self.deposited is None:
            return True
        d = self.deposited
        earliest = dt.date(d.year, d.month or 1, d.day or 1)
        in_force = max(instrument.entered_into_force, earliest + IN_FORCE_AFTER)
        return in_force <= day


@attrs.frozen(kw_only=True)
class FocalPoint:
    """The person a State appointed to coordinate its participation (ToR 17)."""

    name: str
    email: str
    expertise: str
    appointed_at: int
    """Registry version at which the appointment was recorded."""


@attrs.frozen(kw_only=True)
class GovernmentalExpert:
    """One governmental expert on the roster (ToR 21)."""

    expert_id: str
    code: str
    name: str
    background: str
    position: str
    offices: str
    expertise: tuple[str, ...]
    instruments: frozenset[Instrument]


@attrs.frozen(kw_only=True)
class RegistryEntry:
    """A State or organisation in the registry, party to the Convention or not."""

    code: str
    m49: int | None
    entity_type: EntityType
    names: Mapping[Language, str]
    regional_group: RegionalGroup | None = None
    regional_group_note: str = ""
    legal_traditions: frozenset[LegalTradition] = frozenset()
    legal_system_evidence: str = ""
    standings: Mapping[Instrument, Standing] = attrs.field(factory=dict)
    focal_point: FocalPoint | None = None
    experts: tuple[GovernmentalExpert, ...] = ()

    def name(self, language: Language = Language.EN) -> str:
        """The entry's name in ``language``, or in English if that one is unknown."""
        return self.names.get(language) or self.names.get(Language.EN) or self.code

    def standing(self, instrument: Instrument) -> Standing:
        """The standing towards ``instrument`` (``NONE`` if nothing is recorded)."""
        return self.standings.get(instrument, Standing())

    @property
    def convention_status(self) -> TreatyStatus:
        """Party, signatory or neither, towards the Convention itself."""
        return self.standing(Instrument.UNTOC).status

    @property
    def is_party(self) -> bool:
        """True for a State party to the Convention."""
        return self.convention_status is TreatyStatus.PARTY

    @property
    def is_signatory(self) -> bool:
        """True for a signatory that is not (yet) a party."""
        return self.convention_status is TreatyStatus.SIGNATORY

    def protocols(self) -> tuple[Instrument, ...]:
        """The Protocols this party is a party to."""
        return tuple(
            p
            for p in Instrument.protocols()
            if self.standing(p).status is TreatyStatus.PARTY
        )


@attrs.frozen(kw_only=True)
class Circulation:
    """One circulation of the list of governmental experts (ToR 21)."""

    circulated_on: dt.date
    expert_ids: frozenset[str]
    version: int
    """Registry version of the circulation event."""


@attrs.frozen(kw_only=True)
class Registry:
    """The whole registry at one version of its stream."""

    version: int = 0
    entries: Mapping[str, RegistryEntry] = attrs.field(factory=dict)
    circulations: tuple[Circulation, ...] = ()
    imports: tuple[ReferenceDataImported, ...] = ()

    def entry(self, code: str) -> RegistryEntry:
        """The entry for ``code`` (ISO 3166 alpha-3); ``UnknownParty`` if absent."""
        found = self.entries.get(code.upper())
        if found is None:
            raise UnknownParty(code)
        return found

    def parties(self, on: dt.date | None = None) -> list[RegistryEntry]:
        """States parties to the Convention, in code order; on a date if one is given.

        ToR 12 applies the mechanism to all States parties; ToR 13 counts those that
        are parties "at the start of a review cycle": pass that date as ``on``.
        """
        return [
            e
            for e in self._sorted()
            if e.is_party
            and (
                on is None
                or e.standing(Instrument.UNTOC).bound_on(on, Instrument.UNTOC)
            )
        ]

    def signatories(self) -> list[RegistryEntry]:
        """Signatories of the Convention that are not parties (ToR 57)."""
        return [e for e in self._sorted() if e.is_signatory]

    def instruments_under_review(self, code: str) -> tuple[Instrument, ...]:
        """The instruments a review of ``code`` covers (ToR 13, ToR 57).

        A party is reviewed on the Convention and every Protocol it is a party to; a
        signatory that volunteers is reviewed on the Convention only.
        """
        entry = self.entry(code)
        if entry.is_party:
            return (Instrument.UNTOC, *entry.protocols())
        if entry.is_signatory:
            return (Instrument.UNTOC,)
        raise NotInMechanism(entry.name())

    def can_review(self, code: str) -> bool:
        """True if ``code`` may serve as a reviewing State: parties only (ToR 57)."""
        return self.entry(code).is_party

    def require_reviewer(self, code: str) -> RegistryEntry:
        """Return the entry if it may review; refuse anyone else (ToR 57)."""
        entry = self.entry(code)
        if not entry.is_party:
            msg = (
                f"{entry.name()} is not a State party to the Convention and cannot "
                "serve as a reviewing State"
            )
            raise SignatoryCannotReview(msg)
        return entry

    def experts(
        self,
        *,
        party: str | None = None,
        expertise: str | None = None,
        instrument: Instrument | None = None,
        group: RegionalGroup | None = None,
    ) -> list[GovernmentalExpert]:
        """Search the roster of governmental experts (ToR 21, RES 8(e)).

        Args:
            party: Only experts of this State (code).
            expertise: Only experts whose areas of expertise contain this text
                (case-insensitive).
            instrument: Only experts with expertise on this instrument.
            group: Only experts of States in this regional group.

        Returns:
            Matching experts, grouped by State code, in nomination order. The order
            carries no judgement (ToR 3(b)).
        """
        needle = expertise.casefold() if expertise else None
        found: list[GovernmentalExpert] = []
        for entry in self._sorted():
            if party is not None and entry.code != party.upper():
                continue
            if group is not None and entry.regional_group is not group:
                continue
            for expert in entry.experts:
                if instrument is not None and instrument not in expert.instruments:
                    continue
                if needle and not any(needle in x.casefold() for x in expert.expertise):
                    continue
                found.append(expert)
        return found

    def last_circulation(self) -> Circulation | None:
        """The latest circulation of the list of experts, if any."""
        return self.circulations[-1] if self.circulations else None

    def _sorted(self) -> list[RegistryEntry]:
        return [self.entries[c] for c in sorted(self.entries)]


def _with_entry(state: Registry, entry: RegistryEntry, version: int) -> Registry:
    return attrs.evolve(
        state, version=version, entries={**state.entries, entry.code: entry}
    )


def _with_standing(
    state: Registry, code: str, instrument: Instrument, standing: Standing, version: int
) -> Registry:
    entry = state.entry(code)
    entry = attrs.evolve(entry, standings={**entry.standings, instrument: standing})
    return _with_entry(state, entry, version)


def evolve(  # noqa: C901, PLR0911, PLR0912 - one branch per event type
    state: Registry, event: Event, version: int
) -> Registry:
    """Return the registry after ``event``, recorded at stream ``version``."""
    match event:
        case StateEntered():
            entry = RegistryEntry(
                code=event.code,
                m49=event.m49,
                entity_type=event.entity_type,
                names=dict(event.names),
            )
            return _with_entry(state, entry, version)
        case StateNamesCorrected():
            entry = attrs.evolve(state.entry(event.code), names=dict(event.names))
            return _with_entry(state, entry, version)
        case StateIdentityCorrected():
            entry = attrs.evolve(
                state.entry(event.code), m49=event.m49, entity_type=event.entity_type
            )
            return _with_entry(state, entry, version)
        case InstrumentSigned():
            standing = Standing(
                status=TreatyStatus.SIGNATORY,
                signed=event.signed,
                provenance=event.provenance,
            )
            return _with_standing(
                state, event.code, event.instrument, standing, version
            )
        case InstrumentDeposited():
            standing = Standing(
                status=TreatyStatus.PARTY,
                signed=event.signed,
                deposited=event.deposited,
                action=event.action,
                provenance=event.provenance,
            )
            return _with_standing(
                state, event.code, event.instrument, standing, version
            )
        case InstrumentStandingCorrected():
            standing = Standing(
                status=event.status,
                signed=event.signed,
                deposited=event.deposited,
                action=event.action,
                provenance=event.provenance,
            )
            return _with_standing(
                state, event.code, event.instrument, standing, version
            )
        case RegionalGroupAssigned():
            entry = attrs.evolve(
                state.entry(event.code),
                regional_group=event.group,
                regional_group_note=event.note,
            )
            return _with_entry(state, entry, version)
        case LegalTraditionsRecorded():
            entry = attrs.evolve(
                state.entry(event.code),
                legal_traditions=frozenset(LegalTradition(t) for t in event.traditions),
                legal_system_evidence=event.evidence,
            )
            return _with_entry(state, entry, version)
        case FocalPointAppointed():
            focal = FocalPoint(
                name=event.name,
                email=event.email,
                expertise=event.expertise,
                appointed_at=version,
            )
            entry = attrs.evolve(state.entry(event.code), focal_point=focal)
            return _with_entry(state, entry, version)
        case GovernmentalExpertNominated():
            expert = GovernmentalExpert(
                expert_id=event.expert_id,
                code=event.code,
                name=event.name,
                background=event.background,
                position=event.position,
                offices=event.offices,
                expertise=event.expertise,
                instruments=event.instruments,
            )
            entry = state.entry(event.code)
            entry = attrs.evolve(entry, experts=(*entry.experts, expert))
            return _with_entry(state, entry, version)
        case GovernmentalExpertWithdrawn():
            entry = state.entry(event.code)
            kept = tuple(x for x in entry.experts if x.expert_id != event.expert_id)
            return _with_entry(state, attrs.evolve(entry, experts=kept), version)
        case ExpertListCirculated():
            circulation = Circulation(
                circulated_on=event.circulated_on,
                expert_ids=event.expert_ids,
                version=version,
            )
            return attrs.evolve(
                state, version=version, circulations=(*state.circulations, circulation)
            )
        case ReferenceDataImported():
            return attrs.evolve(state, version=version, imports=(*state.imports, event))
    return attrs.evolve(state, version=version)


def replay(events: Iterable[tuple[int, Event]]) -> Registry:
    """Build the registry from ``(version, event)`` pairs in version order."""
    state = Registry()
    for version, event in events:
        state = evolve(state, event, version)
    return state
