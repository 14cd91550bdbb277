"""Plain values of confidentiality: where a sealed value belongs, and what is stored.

These are data only. Sealing, opening and wrapping are done by adapters behind the
``Sealer`` and ``KeyService`` ports (:mod:`untoc_core.ports`); the core never sees a
key or runs a cipher.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Final

import attrs

from untoc_core.canonical import json_string
from untoc_core.errors import InvalidInput

SEALED_FORMAT: Final = 1
"""The format of :class:`SealedValue` this version writes (see ADR 0008)."""

_EPOCH_BYTES: Final = 4
_SALT_BYTES: Final = 32
_NONCE_BYTES: Final = 12
_COMMITMENT_BYTES: Final = 32
_HEADER_BYTES: Final = 1 + _EPOCH_BYTES + _SALT_BYTES + _NONCE_BYTES + _COMMITMENT_BYTES
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")


def _name(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not _NAME.fullmatch(value):
        msg = f"{attribute.name} {value!r} is not a name: letters, digits, ._:/-"
        raise InvalidInput(msg)


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 1:  # not a bool, a float or a text
        msg = f"{attribute.name} must be a whole number of at least 1, not {value!r}"
        raise InvalidInput(msg)


def _not_negative(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 0:  # not a bool, a float or a text
        msg = f"{attribute.name} must be a whole number of at least 0, not {value!r}"
        raise InvalidInput(msg)


@attrs.frozen(kw_only=True)
class DataKeyId:
    """Names one data key: a review's key scope at one epoch.

    Attributes:
        review: The country review, for example ``cycle-2/ARG``.
        scope: The key scope: ``dossier`` or ``final``.
        epoch: The epoch within the scope, from 1.
    """

    review: str = attrs.field(validator=_name)
    scope: str = attrs.field(validator=_name)
    epoch: int = attrs.field(validator=_positive)

    def describe(self) -> str:
        """A one-line description, for example ``cycle-2/ARG dossier#1``."""
        return f"{self.review} {self.scope}#{self.epoch}"


@functools.lru_cache(maxsize=1024, typed=True)
def _data_key_id(review: str, scope: str, epoch: int) -> DataKeyId:
    """The (immutable) name of a data key, made once for every value sealed with it.

    Every value sealed or opened asks its context for it; a refused name raises
    and is not kept.
    """
    return DataKeyId(review=review, scope=scope, epoch=epoch)


@attrs.frozen(kw_only=True)
class SealContext:
    """Where a sealed value belongs: every part of it is bound to the ciphertext.

    A value sealed for one context opens only for exactly the same context, so a
    ciphertext copied to another review, scope, epoch, aggregate, version or field
    is refused.

    Attributes:
        review: The country review, for example ``cycle-2/ARG``.
        scope: The key scope: ``dossier`` or ``final`` (see the threat model).
        epoch: The data key's epoch within the scope, from 1; a new epoch starts
            whenever the principals allowed to read the scope change.
        aggregate: The stream or record that holds the value.
        version: The version of that stream the value is written at.
        field: The field of the event or record that holds the value.
    """

    review: str = attrs.field(validator=_name)
    scope: str = attrs.field(validator=_name)
    epoch: int = attrs.field(validator=_positive)
    aggregate: str = attrs.field(validator=_name)
    version: int = attrs.field(validator=_not_negative)
    field: str = attrs.field(validator=_name)

    def canonical(self) -> bytes:
        """The canonical encoding used as associated data (sorted-key JSON).

        :meth:`document` in :func:`canonical_json`, written out: it is made for
        every value sealed or opened.
        """
        return (
            f'{{"aggregate":{json_string(self.aggregate)},"epoch":{self.epoch},'
            f'"field":{json_string(self.field)},"review":{json_string(self.review)},'
            f'"scope":{json_string(self.scope)},"version":{self.version}}}'
        ).encode()

    def document(self) -> dict[str, str | int]:
        """The context as a JSON document: what :meth:`canonical` encodes."""
        return {
            "aggregate": self.aggregate,
            "epoch": self.epoch,
            "field": self.field,
            "review": self.review,
            "scope": self.scope,
            "version": self.version,
        }

    @property
    def data_key_id(self) -> DataKeyId:
        """The data key a value at this context is sealed with."""
        return _data_key_id(self.review, self.scope, self.epoch)

    def describe(self) -> str:
        """A one-line description for the access log (names only, no content)."""
        return (
            f"{self.review} {self.scope}#{self.epoch} "
            f"{self.aggregate}@{self.version}.{self.field}"
        )


@attrs.frozen(kw_only=True)
class SealedValue:
    """A confidential value as stored: opaque to the core.

    Attributes:
        format: The format version (:data:`SEALED_FORMAT`).
        epoch: The epoch of the data key it was sealed with; with the review and
            scope of its context this names the key.
        salt: 32 random bytes from which the one-use message key is derived.
        nonce: The 12-byte AEAD nonce.
        commitment: 32 bytes committing to the data key (see ADR 0008).
        ciphertext: The AEAD ciphertext with its 16-byte tag.
    """

    format: int
    epoch: int
    salt: bytes
    nonce: bytes
    commitment: bytes
    ciphertext: bytes

    def to_bytes(self) -> bytes:
        """The binary form: format, epoch, salt, nonce, commitment, ciphertext."""
        return (
            bytes([self.format])
            + self.epoch.to_bytes(_EPOCH_BYTES, "big")
            + self.salt
            + self.nonce
            + self.commitment
            + self.ciphertext
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> SealedValue:
        """Split the binary form; does not check that the value opens.

        Raises:
            InvalidInput: the data is shorter than the fixed header.
        """
        if len(data) < _HEADER_BYTES:
            msg = f"a sealed value has at least {_HEADER_BYTES} bytes"
            raise InvalidInput(msg)
        at = 1 + _EPOCH_BYTES
        salt_end = at + _SALT_BYTES
        nonce_end = salt_end + _NONCE_BYTES
        commitment_end = nonce_end + _COMMITMENT_BYTES
        return cls(
            format=data[0],
            epoch=int.from_bytes(data[1:at], "big"),
            salt=bytes(data[at:salt_end]),
            nonce=bytes(data[salt_end:nonce_end]),
            commitment=bytes(data[nonce_end:commitment_end]),
            ciphertext=bytes(data[commitment_end:]),
        )


@attrs.frozen(kw_only=True)
class Grant:
    """A data key wrapped for one principal, readable by auditors, not secret.

    Attributes:
        review: The country review.
        scope: The key scope.
        epoch: The data key's epoch.
        principal: Who may unwrap it: a State code or ``secretariat``.
        suite: The HPKE suite: ``mlkem768-x25519`` (default) or ``x25519``.
        kid: The fingerprint of the principal's public key (hex).
        enc: The HPKE output: encapsulated key and wrapped data key.
    """

    review: str
    scope: str
    epoch: int
    principal: str
    suite: str
    kid: str
    enc: bytes

    @property
    def data_key_id(self) -> DataKeyId:
        """The data key this grant wraps."""
        return DataKeyId(review=self.review, scope=self.scope, epoch=self.epoch)


@attrs.frozen(kw_only=True)
class KeyShredded:
    """The record of a key-encryption key destroyed by a key service.

    Every data key wrapped only under that key can no longer be opened by the
    operator (crypto-shredding). The caller stores this as a fact of the history.

    Attributes:
        key_id: The id the key had in its key service.
        key_service: The key service's entry-point name, for example ``localkeys``.
        kid: The key's fingerprint (hex), which reveals nothing of the key.
        method: How it was destroyed, in words.
    """

    key_id: str
    key_service: str
    kid: str
    method: str


@attrs.frozen(kw_only=True)
class Denial:
    """Why an open was refused: for the access log only, never for the caller.

    It holds names and reasons, never plaintext or key material.

    Attributes:
        operation: What was refused: ``open``, ``open_grant``, ``unwrap`` ...
        reason: A short code, for example ``commitment-mismatch``.
        subject: What it was about: a context, grant or key id, as names.
    """

    operation: str
    reason: str
    subject: str


DenialHook = Callable[[Denial], None]
"""Receives the reason of every refused open, for the access log."""
