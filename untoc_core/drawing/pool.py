"""The pool of a draw: each State's facts that the rules of the draw look at."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from untoc_core.registry.model import Registry, RegistryEntry
from untoc_core.terms import Instrument, TreatyStatus


@attrs.frozen(kw_only=True)
class DrawParty:
    """A State as the drawing of lots sees it.

    Attributes:
        code: ISO 3166 alpha-3 code.
        regional_group: The regional group's name, or ``None`` for an entity outside
            the groups (see ADR 0004).
        legal_traditions: "Similar legal system" means two sets intersect (ToR 19).
        protocols: The Protocols it is a party to (ToR 13, 18 bis).
        status: ``party`` or ``signatory``; a signatory is reviewed on the Convention
            only and never reviews (ToR 57).
    """

    code: str
    regional_group: str | None
    legal_traditions: frozenset[str]
    protocols: frozenset[Instrument]
    status: TreatyStatus

    @property
    def can_review(self) -> bool:
        """Only States parties serve as reviewing States (ToR 57)."""
        return self.status is TreatyStatus.PARTY

    @classmethod
    def from_entry(cls, entry: RegistryEntry) -> DrawParty:
        """The draw's view of a registry entry (a party or a signatory)."""
        return cls(
            code=entry.code,
            regional_group=entry.regional_group.value if entry.regional_group else None,
            legal_traditions=frozenset(t.value for t in entry.legal_traditions),
            protocols=frozenset(entry.protocols()) if entry.is_party else frozenset(),
            status=entry.convention_status,
        )


def pool_from_registry(
    registry: Registry, codes: Iterable[str] | None = None
) -> tuple[DrawParty, ...]:
    """The pool for a draw: the given States, or every State party, in code order."""
    if codes is None:
        entries = registry.parties()
    else:
        entries = [registry.entry(c) for c in sorted(set(codes))]
    return tuple(DrawParty.from_entry(e) for e in entries)
