"""Key material as events: data keys, wrapped grants, key releases, shredding.

These events join the access decisions of :mod:`.events` to the keys that enforce
them. Every one holds key material only wrapped (for a principal's public key, or
under a key service's key-encryption key) or, for a section the party under review
published (ToR 36), the one-use key of that section alone. None holds a data key in
clear or any plaintext. They are recorded on the review's access stream in the same
transaction as the decision they serve, so a grant never exists without its
wrapped key, nor a wrapped key without its grant.

Review material (documents of the dossier, sections of the final report, the
executive summary) is filed sealed on the stream ``material/<review id>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import ClassVar, Final

import attrs

from untoc_core.confidentiality.events import Basis, Scope, parse_review
from untoc_core.errors import InvalidInput
from untoc_core.events import Event

MATERIAL_PREFIX: Final = "material/"
"""Every stream of review material starts with this."""

_SHA256 = re.compile(r"[0-9a-f]{64}")


def material_stream(review: str) -> str:
    """The stream that holds the sealed material of ``review``."""
    parse_review(review)
    return f"{MATERIAL_PREFIX}{review}"


@attrs.frozen(kw_only=True)
class DataKeyCreated(Event):
    """A scope's data key for a new epoch was made; only its custodial copy is kept.

    The data key itself is wrapped under the key-encryption key ``kek_id`` of the
    key service ``key_service``; destroying that key shreds this copy.
    """

    TYPE: ClassVar[str] = "access.DataKeyCreated"

    review: str
    scope: Scope
    epoch: int
    key_service: str
    kek_id: str
    wrapped: bytes


@attrs.frozen(kw_only=True)
class GrantWrapped(Event):
    """A scope's data key at an epoch, wrapped (HPKE) for one principal's key."""

    TYPE: ClassVar[str] = "access.GrantWrapped"

    review: str
    scope: Scope
    epoch: int
    principal: str
    suite: str
    """The HPKE suite: ``mlkem768-x25519`` (default) or ``x25519``."""
    kid: str
    """The fingerprint of the public key the data key is wrapped for."""
    enc: bytes
    """The HPKE output: the encapsulated key and the wrapped data key."""


@attrs.frozen(kw_only=True)
class KeyReleased(Event):
    """The custodial copy of a data key was unwrapped by the key service, and why.

    It happens when a principal is granted a scope after its epoch began, and when
    the party under review publishes sections of its report.
    """

    TYPE: ClassVar[str] = "access.KeyReleased"

    review: str
    scope: Scope
    epoch: int
    purpose: str
    """``grant to <principal>`` or ``publication``."""
    basis: Basis


@attrs.frozen(kw_only=True)
class SectionKeyReleased(Event):
    """The one-use key of a published section, released to everyone (ToR 36).

    The key opens that sealed section and nothing else: every sealed value has its
    own key, derived from the data key with its own random salt.
    """

    TYPE: ClassVar[str] = "access.SectionKeyReleased"

    review: str
    section: str
    material_version: int
    """The version of the material stream the section was filed at."""
    message_key: bytes


@attrs.frozen(kw_only=True)
class CustodialKeyShredded(Event):
    """The key-encryption key of a review's custodial copies was destroyed."""

    TYPE: ClassVar[str] = "access.CustodialKeyShredded"

    review: str
    key_service: str
    kek_id: str
    kid: str
    """The destroyed key's fingerprint, which reveals nothing of the key."""
    method: str


@attrs.frozen(kw_only=True)
class MaterialFiled(Event):
    """A piece of review material was filed, sealed for its scope's current epoch.

    The sealed value is bound to this stream, its version and the section, so it
    opens nowhere else. A large value is kept in the blob store and referenced by
    the SHA-256 of its sealed bytes.
    """

    TYPE: ClassVar[str] = "material.MaterialFiled"

    review: str
    scope: Scope
    epoch: int
    section: str
    """The document of the dossier or the section of the report filed."""
    filed_by: str
    sealed: bytes
    """The sealed value's binary form; empty when it is in the blob store."""
    blob_sha256: str = ""
    blob_size: int = 0

    def __attrs_post_init__(self) -> None:
        """Exactly one of ``sealed`` and a blob reference."""
        if bool(self.sealed) == bool(self.blob_sha256):
            msg = "filed material is either sealed in the event or in one blob"
            raise InvalidInput(msg)
        if self.blob_sha256 and not _SHA256.fullmatch(self.blob_sha256):
            msg = "a blob is named by 64 lowercase hex digits"
            raise InvalidInput(msg)


@attrs.frozen(kw_only=True)
class MaterialPurged(Event):
    """The sealed bytes of filed material were purged from the blob store."""

    TYPE: ClassVar[str] = "material.MaterialPurged"

    review: str
    material_version: int
    blob_sha256: str
    reason: str


STORE_STREAM: Final = "access/store"
"""The stream recording refusals of stored rows."""


@attrs.frozen(kw_only=True)
class StoredRowRefused(Event):
    """A stored row was refused on read: it does not belong where it was found.

    Someone with write access to the database moved, downgraded or altered it
    (research case T07). The entry names the row; it holds none of its content.
    """

    TYPE: ClassVar[str] = "access.StoredRowRefused"

    stream: str
    version: int
    position: int
    reason: str


KEY_EVENTS: tuple[type[Event], ...] = (
    DataKeyCreated,
    GrantWrapped,
    KeyReleased,
    SectionKeyReleased,
    CustodialKeyShredded,
)
MATERIAL_EVENTS: tuple[type[Event], ...] = (MaterialFiled, MaterialPurged)
STORE_EVENTS: tuple[type[Event], ...] = (StoredRowRefused,)


@attrs.frozen(kw_only=True)
class Filed:
    """One filed piece of material and where it sits."""

    version: int
    event: MaterialFiled
    purged: bool = False


@attrs.frozen(kw_only=True)
class ReviewMaterial:
    """The material filed for one review, from its stream ``material/<review>``."""

    review: str
    version: int = 0
    filed: tuple[Filed, ...] = ()

    def latest(self, scope: Scope, section: str) -> Filed | None:
        """The last filing of ``section`` in ``scope``, or ``None``."""
        for item in reversed(self.filed):
            if item.event.scope is scope and item.event.section == section:
                return item
        return None

    def sections(self, scope: Scope) -> list[str]:
        """The sections filed in ``scope``, in the order first filed."""
        seen: dict[str, None] = {}
        for item in self.filed:
            if item.event.scope is scope:
                seen.setdefault(item.event.section, None)
        return list(seen)


def evolve_material(
    state: ReviewMaterial, event: Event, version: int
) -> ReviewMaterial:
    """The material after ``event`` at stream ``version``.

    A filing, the most common event by far, builds the next state directly
    rather than through ``attrs.evolve``, which inspects the class on every call.
    """
    if isinstance(event, MaterialFiled):
        filed = (*state.filed, Filed(version=version, event=event))
        return ReviewMaterial(review=state.review, version=version, filed=filed)
    if isinstance(event, MaterialPurged):
        filed = tuple(
            attrs.evolve(f, purged=True) if f.version == event.material_version else f
            for f in state.filed
        )
        return attrs.evolve(state, version=version, filed=filed)
    return attrs.evolve(state, version=version)


def replay_material(review: str, events: Iterable[tuple[int, Event]]) -> ReviewMaterial:
    """The material of ``review`` from its stream's ``(version, event)`` pairs."""
    state = ReviewMaterial(review=review)
    for version, event in events:
        state = evolve_material(state, event, version)
    return state


@attrs.frozen(kw_only=True)
class ReviewKeys:
    """The key material recorded for one review: custodial copies, grants, releases."""

    data_keys: Mapping[tuple[Scope, int], DataKeyCreated] = attrs.field(factory=dict)
    grants: Mapping[tuple[Scope, int, str], GrantWrapped] = attrs.field(factory=dict)
    section_keys: Mapping[str, SectionKeyReleased] = attrs.field(factory=dict)
    shredded: tuple[CustodialKeyShredded, ...] = ()

    def evolve(self, event: Event) -> ReviewKeys:
        """The key material after ``event``; other events change nothing."""
        match event:
            case DataKeyCreated():
                key = (event.scope, event.epoch)
                return attrs.evolve(self, data_keys={**self.data_keys, key: event})
            case GrantWrapped():
                at = (event.scope, event.epoch, event.principal)
                return attrs.evolve(self, grants={**self.grants, at: event})
            case SectionKeyReleased():
                released = {**self.section_keys, event.section: event}
                return attrs.evolve(self, section_keys=released)
            case CustodialKeyShredded():
                return attrs.evolve(self, shredded=(*self.shredded, event))
        return self
