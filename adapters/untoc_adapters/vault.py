"""The vault: confidential review material filed, read and published by principals.

:class:`Vault` joins the access decisions of the mechanism to the keys that enforce
them. Every call acts as a named principal, whose private keys this installation
holds (:class:`~untoc_adapters.crypto.principals.PrincipalKeys`):

* :meth:`Vault.file` decides and logs the right to file, then seals the material
  with the scope's data key, taken from the principal's own wrapped grant, for
  exactly where it will be stored; a large sealed value goes to the blob store;
* :meth:`Vault.read` decides and logs the read, unwraps the principal's grant of
  the epoch the material was sealed at with its private key, and opens it. A key
  that does not open is refused with the one ``AccessDenied`` (ToR-30) and its
  reason logged;
* :meth:`Vault.publish` records the sections the party under review publishes and
  releases the one-use key of each (ToR 36); anyone then reads those sections, and
  no other;
* :meth:`Vault.consent` signs the party under review's consent (ToR 37);
* :meth:`Vault.shred` destroys a review's custodial key and records it.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Final

import attrs

from untoc_adapters.crypto.custody import kek_id_of
from untoc_adapters.crypto.grants import DEFAULT_SUITE, GrantSuite, open_grant
from untoc_adapters.crypto.principals import PrincipalIdentity, PrincipalKeys
from untoc_adapters.crypto.sealing import (
    DataKeyring,
    EnvelopeSealer,
    open_with_message_key,
)
from untoc_core.blobs import BlobRef, BlobStore
from untoc_core.confidentiality import (
    AccessDenied,
    DataKeyId,
    Denial,
    DenialHook,
    Grant,
    PrincipalKind,
    Scope,
    SealContext,
    SealedValue,
)
from untoc_core.confidentiality.commands import consent_message, register
from untoc_core.confidentiality.keys import GrantWrapped, SectionKeyReleased
from untoc_core.errors import InvalidInput
from untoc_core.mechanism import MaterialToRead, Mechanism
from untoc_core.ports import KeyService, Recorded

INLINE_LIMIT: Final = 64 * 1024
"""Sealed values larger than this (in bytes) go to the blob store."""


@attrs.define
class Vault:
    """Files, reads and publishes sealed review material as named principals.

    Attributes:
        mechanism: The mechanism, configured with a key custody.
        principals: The private keys of the principals acting from here.
        keys: The key service holding the reviews' custodial keys.
        blobs: Where large sealed values are kept; without it every value is
            kept in its event.
        inline_limit: The largest sealed value kept in its event.
    """

    mechanism: Mechanism
    principals: PrincipalKeys
    keys: KeyService
    blobs: BlobStore | None = None
    inline_limit: int = INLINE_LIMIT
    _identities: dict[str, PrincipalIdentity] = attrs.field(
        factory=dict, init=False, repr=False
    )
    _data_keys: dict[tuple[str, str, Scope, int], bytes] = attrs.field(
        factory=dict, init=False, repr=False
    )

    def register(
        self,
        principal: str,
        kind: PrincipalKind,
        state: str | None = None,
        *,
        suite: GrantSuite = DEFAULT_SUITE,
        actor: str = "secretariat",
    ) -> PrincipalIdentity:
        """Make keys for a principal, keep them here, and register its public keys.

        The registration is checked before any key file is written, so a refused
        one leaves nothing behind.

        Raises:
            InvalidInput: a malformed id, or a principal with that id exists.
            UnknownParty: a focal point's State is not in the registry.
        """
        if self.mechanism.principals().get(principal) is not None:
            msg = f"principal {principal!r} is already registered"
            raise InvalidInput(msg)
        identity = self.principals.generate(principal, suite)
        command = identity.registration(kind, state)
        if state is not None:
            self.mechanism.registry().entry(state)
        register(self.mechanism.principals(), command)  # refuses before any file
        self.principals.keep(identity)
        self.mechanism.register_principal(command, actor=actor)
        return identity

    def file(
        self,
        as_principal: str,
        review: str,
        scope: Scope,
        section: str,
        content: bytes,
    ) -> Recorded:
        """File ``content`` as ``section`` of a review's scope, sealed.

        Raises:
            AccessDenied: the principal may not file in that scope (ToR-30).
            InvalidInput: the content is too large, or a malformed id.
        """
        seal = self.sealer(as_principal, review, scope, content)
        return self.mechanism.file_material(as_principal, review, scope, section, seal)

    def sealer(
        self, as_principal: str, review: str, scope: Scope, content: bytes
    ) -> Callable[[SealContext], tuple[bytes, str, int]]:
        """What seals ``content`` for a filing, as the mechanism's ``seal`` takes.

        The data key comes from the principal's own wrapped grant of the epoch
        the mechanism names; a large sealed value goes to the blob store.

        The sealer is made once per call, not once per value: its keys are only
        those of ``review``'s ``scope`` from the principal's own grants (a context
        naming another review or scope finds no key and is refused), and it
        watches every value it seals for a repeated salt.
        """
        sealer = EnvelopeSealer(
            _GrantedKeys(self, self._identity(as_principal), review, scope)
        )

        def seal(context: SealContext) -> tuple[bytes, str, int]:
            sealed = sealer.seal(content, context).to_bytes()
            if self.blobs is not None and len(sealed) > self.inline_limit:
                ref = self.blobs.put(sealed)
                return b"", ref.sha256, ref.size
            return sealed, "", 0

        return seal

    def read(self, as_principal: str, review: str, scope: Scope, section: str) -> bytes:
        """The content of ``section`` of a review's scope, as ``as_principal``.

        A published section of the final report (ToR 36) is read by anyone.

        Raises:
            AccessDenied: for every refusal (ToR-30); the reason is in the log.
            InvalidInput: nothing is filed under that section.
        """
        found = self.mechanism.material_to_read(as_principal, review, scope, section)
        reasons: list[Denial] = []
        try:
            return self._open(found, as_principal, reasons.append)
        except AccessDenied:
            reason = reasons[-1].reason if reasons else "key-does-not-open"
            self.mechanism.record_denial(as_principal, review, scope, reason)
            raise

    def read_text(
        self, as_principal: str, review: str, scope: Scope, section: str
    ) -> str:
        """:meth:`read`, as UTF-8 text (a byte that is not UTF-8 becomes U+FFFD)."""
        return self.read(as_principal, review, scope, section).decode(
            "utf-8", errors="replace"
        )

    def read_published(
        self, review: str, section: str, *, reader: str = "public"
    ) -> bytes:
        """A section of a final report its party under review published (ToR 36).

        Raises:
            AccessDenied: the section is not published (ToR-30).
        """
        return self.read(reader, review, Scope.FINAL_REPORT, section)

    def publish(
        self, as_principal: str, review: str, sections: Sequence[str]
    ) -> list[Recorded]:
        """Publish sections of the final report and release their keys (ToR 36).

        Raises:
            PublicationRefused: ``as_principal`` is not the party under review.
            InvalidInput: a section was never filed, or was published already.
        """
        return self.mechanism.publish_sections(review, sections, as_principal)

    def request(self, as_principal: str, review: str) -> list[Recorded]:
        """Ask for another State's final report (ToR 37)."""
        return self.mechanism.request_report(review, as_principal)

    def consent(self, as_principal: str, review: str, requester: str) -> list[Recorded]:
        """Consent, signed, to a request for the final report (ToR 37).

        Raises:
            ReportAccessRefused: ``as_principal`` is not the party under review, or
                the requester asked for nothing.
        """
        identity = self._identity(as_principal)
        signature = identity.sign(consent_message(review, requester, as_principal))
        return self.mechanism.give_consent(
            review,
            requester,
            as_principal,
            base64.b64encode(signature).decode("ascii"),
        )

    def sign(self, as_principal: str, message: bytes) -> str:
        """``message`` signed with the principal's Ed25519 key, in base64."""
        signature = self._identity(as_principal).sign(message)
        return base64.b64encode(signature).decode("ascii")

    def shred(self, review: str, *, actor: str = "secretariat") -> list[Recorded]:
        """Destroy the review's custodial key and record it (crypto-shredding).

        Principals keep their own grants; only the operator's copies are gone.

        Raises:
            InvalidInput: the review has no custodial key here.
        """
        shredded = self.keys.destroy_key(kek_id_of(review))
        return self.mechanism.record_shredding(review, shredded, actor=actor)

    # -- keys and opening --------------------------------------------------------------

    def _identity(self, principal: str) -> PrincipalIdentity:
        """The principal's keys, unwrapped once per vault and kept in memory."""
        found = self._identities.get(principal)
        if found is None:
            found = self.principals.load(principal)
            self._identities[principal] = found
        return found

    def _data_key(
        self, identity: PrincipalIdentity, review: str, scope: Scope, epoch: int
    ) -> bytes:
        """The data key of a scope's epoch, from the principal's own grant.

        A data key never changes for its epoch (revoking a grant turns the scope
        to a new epoch), so each is unwrapped once per vault.
        """
        held = (identity.principal, review, scope, epoch)
        found = self._data_keys.get(held)
        if found is not None:
            return found
        keys = self.mechanism.review_access(review).keys
        wrapped = keys.grants.get((scope, epoch, identity.principal))
        if wrapped is None:
            raise AccessDenied
        found = open_grant(_grant(wrapped), identity.decryption_key)
        self._data_keys[held] = found
        return found

    def _open(
        self,
        found: MaterialToRead,
        as_principal: str,
        on_denied: DenialHook,
    ) -> bytes:
        event = found.filed.event
        if event.sealed:
            data = event.sealed
        else:
            if self.blobs is None:
                msg = "this material is kept in a blob store, and none is configured"
                raise InvalidInput(msg)
            data = self.blobs.get(
                BlobRef(sha256=event.blob_sha256, size=event.blob_size)
            )
        try:
            sealed = SealedValue.from_bytes(data)
        except InvalidInput:
            on_denied(Denial(operation="open", reason="truncated", subject=""))
            raise AccessDenied from None
        if isinstance(found.key, SectionKeyReleased):
            return open_with_message_key(
                sealed, found.context, found.key.message_key, on_denied=on_denied
            )
        identity = self._identity(as_principal)
        data_key = open_grant(
            _grant(found.key), identity.decryption_key, on_denied=on_denied
        )
        ring = DataKeyring()
        ring.add(
            DataKeyId(review=event.review, scope=event.scope.value, epoch=event.epoch),
            data_key,
        )
        return EnvelopeSealer(ring, on_denied=on_denied).open(sealed, found.context)


@attrs.frozen
class _GrantedKeys:
    """The data keys of one review's scope, from one principal's own grants.

    What :meth:`Vault.sealer` seals with: any epoch the principal holds a grant
    of, unwrapped once per vault (:meth:`Vault._data_key`), and nothing else.
    """

    vault: Vault
    identity: PrincipalIdentity
    review: str
    scope: Scope

    def data_key(self, key_id: DataKeyId) -> bytes | None:
        """The data key ``key_id``; ``AccessDenied`` if the principal has no grant.

        ``None`` for another review's or scope's key.
        """
        if key_id.review != self.review or key_id.scope != self.scope.value:
            return None
        return self.vault._data_key(  # noqa: SLF001 - the vault's own cache
            self.identity, self.review, self.scope, key_id.epoch
        )


def _grant(wrapped: GrantWrapped) -> Grant:
    return Grant(
        review=wrapped.review,
        scope=wrapped.scope.value,
        epoch=wrapped.epoch,
        principal=wrapped.principal,
        suite=wrapped.suite,
        kid=wrapped.kid,
        enc=wrapped.enc,
    )
