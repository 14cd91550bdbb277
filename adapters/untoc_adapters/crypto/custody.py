"""The ``KeyCustody``: data keys, custodial copies and wrapped grants, as events.

When the mechanism records a command of access, :class:`Custody` adds the key
material that makes the decision real, in the same transaction:

* a scope opened, or turned to a new epoch: a fresh 32-byte data key, kept only as
  a custodial copy wrapped under the review's key-encryption key in the key service
  (``DataKeyCreated``);
* a grant: the scope's data keys wrapped with HPKE for the principal's registered
  public key (``GrantWrapped``), for every epoch up to the current one that the
  principal does not hold yet. A continuing reviewer thus keeps reading what was
  sealed before a rotation; a replaced reviewer is granted nothing new;
* a data key needed again (a later grant, a publication): the custodial copy is
  unwrapped and the release recorded (``KeyReleased``);
* sections published by the party under review: the one-use key of each section
  as last filed (``SectionKeyReleased``), which opens that section and nothing else.

A principal registered with fingerprints only (no public key) is granted by the
rules but receives no wrapped key: it can read nothing until it registers a key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs

from untoc_adapters.crypto.grants import GrantSuite, PrincipalPublicKey, grant_data_key
from untoc_adapters.crypto.sealing import (
    message_key,
    new_data_key,
    unwrap_custodial,
    wrap_custodial,
)
from untoc_core.confidentiality import (
    AccessGranted,
    AccessState,
    Basis,
    DataKeyId,
    EpochRotated,
    Scope,
    ScopeOpened,
    SealedValue,
    SectionsPublished,
)
from untoc_core.confidentiality.keys import (
    DataKeyCreated,
    GrantWrapped,
    KeyReleased,
    ReviewMaterial,
    SectionKeyReleased,
)
from untoc_core.errors import InvalidInput
from untoc_core.events import Event
from untoc_core.ports import KeyService

if TYPE_CHECKING:
    from untoc_core.ports import KeyCustody


def kek_id_of(review: str) -> str:
    """The id of a review's key-encryption key: ``review-cycle-1-arc``."""
    return "review-" + re.sub(r"[^a-z0-9]", "-", review.lower())


@attrs.define
class Custody:
    """Keeps data keys under a key service and wraps them for principals.

    Attributes:
        keys: The key service holding one key-encryption key per review.
        read_blob: Returns the sealed bytes of a blob by its SHA-256, to release
            the key of a published section kept in the blob store.
        random: The source of data keys.
    """

    keys: KeyService
    read_blob: Callable[[str, int], bytes] | None = None
    random: Callable[[int], bytes] | None = None

    def key_events(
        self,
        state: AccessState,
        events: Sequence[Event],
        material: ReviewMaterial,
    ) -> tuple[Event, ...]:
        """The key events to record with ``events`` (see the module docstring)."""
        work = _Work(self, state)
        for event in events:
            match event:
                case ScopeOpened() | EpochRotated():
                    work.new_data_key(event.scope, event.epoch)
                case AccessGranted():
                    work.wrap_for(event)
                case SectionsPublished():
                    work.release_sections(event, material)
        return tuple(work.out)


@attrs.define
class _Work:
    """The key events of one batch, with the data keys it has at hand."""

    custody: Custody
    state: AccessState
    out: list[Event] = attrs.field(factory=list)
    at_hand: dict[tuple[Scope, int], bytes] = attrs.field(factory=dict, repr=False)
    released: set[tuple[Scope, int]] = attrs.field(factory=set)

    @property
    def review(self) -> str:
        return self.state.review.review

    def new_data_key(self, scope: Scope, epoch: int) -> None:
        keys = self.custody.keys
        kek_id = kek_id_of(self.review)
        if any(s.kek_id == kek_id for s in self.state.review.keys.shredded):
            msg = (
                f"the custodial key of {self.review} was destroyed; no new data key "
                "can be kept for it"
            )
            raise InvalidInput(msg)
        if kek_id not in keys.key_ids():
            keys.create_key(kek_id)
        key_id = DataKeyId(review=self.review, scope=scope.value, epoch=epoch)
        data_key = (
            new_data_key(self.custody.random) if self.custody.random else new_data_key()
        )
        self.at_hand[(scope, epoch)] = data_key
        self.out.append(
            DataKeyCreated(
                review=self.review,
                scope=scope,
                epoch=epoch,
                key_service=keys.name,
                kek_id=kek_id,
                wrapped=wrap_custodial(keys, kek_id, data_key, key_id),
            )
        )

    def data_key(self, scope: Scope, epoch: int, purpose: str, basis: Basis) -> bytes:
        found = self.at_hand.get((scope, epoch))
        if found is not None:
            return found
        created = self.state.review.keys.data_keys.get((scope, epoch))
        if created is None:
            msg = f"no data key was kept for the {scope.value} of {self.review}"
            raise InvalidInput(msg)
        key_id = DataKeyId(review=self.review, scope=scope.value, epoch=epoch)
        data_key = unwrap_custodial(
            self.custody.keys, created.kek_id, created.wrapped, key_id
        )
        self.at_hand[(scope, epoch)] = data_key
        if (scope, epoch) not in self.released:
            self.released.add((scope, epoch))
            self.out.append(
                KeyReleased(
                    review=self.review,
                    scope=scope,
                    epoch=epoch,
                    purpose=purpose,
                    basis=basis,
                )
            )
        return data_key

    def wrap_for(self, granted: AccessGranted) -> None:
        principal = self.state.principals.get(granted.principal)
        if principal is None or not principal.encryption_key:
            return
        public = PrincipalPublicKey(
            GrantSuite(principal.encryption_suite), principal.encryption_key
        )
        held = self.state.review.keys.grants
        for epoch in range(1, granted.epoch + 1):
            if (granted.scope, epoch, granted.principal) in held:
                continue
            if (
                epoch != granted.epoch
                and (granted.scope, epoch) not in self.state.review.keys.data_keys
            ):
                continue
            data_key = self.data_key(
                granted.scope, epoch, f"grant to {granted.principal}", granted.basis
            )
            key_id = DataKeyId(
                review=self.review, scope=granted.scope.value, epoch=epoch
            )
            grant = grant_data_key(
                data_key, public, key_id=key_id, principal=granted.principal
            )
            self.out.append(
                GrantWrapped(
                    review=self.review,
                    scope=granted.scope,
                    epoch=epoch,
                    principal=granted.principal,
                    suite=grant.suite,
                    kid=grant.kid,
                    enc=grant.enc,
                )
            )

    def release_sections(
        self, published: SectionsPublished, material: ReviewMaterial
    ) -> None:
        for section in published.sections:
            filed = material.latest(Scope.FINAL_REPORT, section)
            if filed is None:
                msg = f"section {section!r} of the final report was never filed"
                raise InvalidInput(msg)
            event = filed.event
            sealed_bytes = event.sealed
            if not sealed_bytes:
                if self.custody.read_blob is None:
                    msg = "publishing a section kept in the blob store needs the store"
                    raise InvalidInput(msg)
                sealed_bytes = self.custody.read_blob(
                    event.blob_sha256, event.blob_size
                )
            data_key = self.data_key(
                Scope.FINAL_REPORT, event.epoch, "publication", Basis.PUBLISHED
            )
            key = message_key(data_key, SealedValue.from_bytes(sealed_bytes))
            self.out.append(
                SectionKeyReleased(
                    review=self.review,
                    section=section,
                    material_version=filed.version,
                    message_key=key,
                )
            )


if TYPE_CHECKING:  # mypy checks that the adapter keeps the port's contract
    _PORT: type[KeyCustody] = Custody
