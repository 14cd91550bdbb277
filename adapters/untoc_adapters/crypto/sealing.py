"""Sealed values: AES-256-GCM under a one-use key, bound to a context, committed.

Construction (format 1, ADR 0008), for a 32-byte data key ``DK`` of a review's
scope and epoch:

* ``salt`` = 32 random bytes, ``nonce`` = 12 random bytes;
* ``k`` = HKDF-SHA256(ikm=DK, salt=salt, info="untoc/seal/v1/enc"), 32 bytes;
* ``commitment`` = HKDF-SHA256(ikm=DK, salt=salt, info="untoc/seal/v1/commit");
* ``aad`` = ``"untoc/seal/v1" 0x00`` + the canonical JSON of the
  :class:`~untoc_core.confidentiality.SealContext`;
* ``ciphertext`` = AES-256-GCM(k).encrypt(nonce, plaintext, aad).

Opening checks the format, the epoch, the sizes, that the data key exists, the
commitment (in constant time, before any decryption), then the GCM tag. Each
failure raises the same :class:`~untoc_core.confidentiality.AccessDenied`; the
reason goes only to the denial hook. This is the committing construction of the AWS
Encryption SDK's committing suites (key derivation and commitment from the data key
and a per-message salt): one ciphertext cannot open to two plaintexts under two
keys, and each AES-GCM key encrypts exactly one message.
"""

from __future__ import annotations

import hmac
import os
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, Protocol

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

from untoc_adapters.crypto.denials import ignore_denial, refuse
from untoc_core.confidentiality import (
    SEALED_FORMAT,
    DataKeyId,
    DenialHook,
    SealContext,
    SealedValue,
    canonical_json,
)
from untoc_core.errors import InvalidInput, UntocError
from untoc_core.ports import KeyService, Sealer

DATA_KEY_BYTES: Final = 32
SALT_BYTES: Final = 32
NONCE_BYTES: Final = 12
COMMITMENT_BYTES: Final = 32
TAG_BYTES: Final = 16
DEFAULT_MAX_PLAINTEXT: Final = 16 * 1024 * 1024
"""The largest value sealed in one piece (16 MiB); larger needs a streaming AEAD."""

_ENC_INFO: Final = b"untoc/seal/v1/enc"
_COMMIT_INFO: Final = b"untoc/seal/v1/commit"
_AAD_PREFIX: Final = b"untoc/seal/v1\x00"
_CUSTODIAL_PURPOSE: Final = "untoc-custodial-data-key/v1"
_RECENT_SALTS: Final = 65536
_SHA256: Final = SHA256()


class RandomnessRepeated(UntocError):
    """The random source gave the same salt twice: it is broken; nothing sealed."""


def new_data_key(random: Callable[[int], bytes] = os.urandom) -> bytes:
    """A fresh 32-byte data key for one scope and epoch of a review."""
    key = random(DATA_KEY_BYTES)
    if len(key) != DATA_KEY_BYTES:
        msg = "the random source returned a key of the wrong size"
        raise RandomnessRepeated(msg)
    return key


class DataKeys(Protocol):
    """Where a sealer finds the data key of a review's scope and epoch."""

    def data_key(self, key_id: DataKeyId) -> bytes | None:
        """The 32-byte data key, or ``None`` if this holder has none."""
        ...


@attrs.define
class DataKeyring:
    """Data keys held in memory, by review, scope and epoch.

    Fill it from grants (:func:`untoc_adapters.crypto.grants.open_grant`) or from
    custodial copies (:func:`unwrap_custodial`); it never writes keys anywhere.
    """

    _keys: dict[DataKeyId, bytes] = attrs.field(factory=dict, repr=False)

    def add(self, key_id: DataKeyId, key: bytes) -> None:
        """Hold ``key`` as the data key ``key_id``."""
        if len(key) != DATA_KEY_BYTES:
            msg = f"a data key has {DATA_KEY_BYTES} bytes"
            raise InvalidInput(msg)
        self._keys[key_id] = bytes(key)

    def forget(self, key_id: DataKeyId) -> None:
        """Drop the data key ``key_id``, if held."""
        self._keys.pop(key_id, None)

    def data_key(self, key_id: DataKeyId) -> bytes | None:
        """The data key, or ``None``."""
        return self._keys.get(key_id)


def _extract(data_key: bytes, salt: bytes) -> bytes:
    """HKDF-SHA256-Extract (RFC 5869): the pseudorandom key of one value's salt.

    The message key and the commitment are both expanded from it, so the data key
    is extracted once per value, not once per derived key; together they are
    ``HKDF(SHA256, 32, salt, info)`` of the data key, byte for byte.
    """
    return HKDF.extract(_SHA256, salt, data_key)


def _expand(prk: bytes, info: bytes) -> bytes:
    """HKDF-SHA256-Expand (RFC 5869) of 32 bytes."""
    return HKDFExpand(algorithm=_SHA256, length=32, info=info).derive(prk)


def _aad(context: SealContext) -> bytes:
    return _AAD_PREFIX + context.canonical()


@attrs.define
class EnvelopeSealer:
    """The ``Sealer``: seals and opens values with the data keys it is given.

    Attributes:
        keys: Where the data keys are.
        on_denied: Receives the reason of each refused open (the access log).
        max_plaintext: The largest plaintext sealed, in bytes.
        random: The source of salts and nonces (``os.urandom``); a source that
            repeats a salt is detected and refused.
    """

    keys: DataKeys
    on_denied: DenialHook = ignore_denial
    max_plaintext: int = DEFAULT_MAX_PLAINTEXT
    random: Callable[[int], bytes] = os.urandom
    _recent: deque[bytes] = attrs.field(
        init=False, factory=lambda: deque(maxlen=_RECENT_SALTS), repr=False
    )
    _seen: set[bytes] = attrs.field(init=False, factory=set, repr=False)

    def seal(self, plaintext: bytes, context: SealContext) -> SealedValue:
        """Seal ``plaintext`` for exactly ``context`` (format 1).

        Raises:
            AccessDenied: no data key for the context's review, scope and epoch.
            InvalidInput: the plaintext is larger than ``max_plaintext``.
            RandomnessRepeated: the random source repeated itself.
        """
        if len(plaintext) > self.max_plaintext:
            msg = (
                f"a sealed value holds at most {self.max_plaintext} bytes, "
                f"not {len(plaintext)}"
            )
            raise InvalidInput(msg)
        data_key = self.keys.data_key(context.data_key_id)
        if data_key is None:
            raise refuse(self.on_denied, "seal", "unknown-data-key", context.describe())
        salt = self._fresh_salt()
        nonce = self.random(NONCE_BYTES)
        if len(nonce) != NONCE_BYTES:
            msg = "the random source returned a nonce of the wrong size"
            raise RandomnessRepeated(msg)
        prk = _extract(data_key, salt)
        return SealedValue(
            format=SEALED_FORMAT,
            epoch=context.epoch,
            salt=salt,
            nonce=nonce,
            commitment=_expand(prk, _COMMIT_INFO),
            ciphertext=AESGCM(_expand(prk, _ENC_INFO)).encrypt(
                nonce, plaintext, _aad(context)
            ),
        )

    def open(self, sealed: SealedValue, context: SealContext) -> bytes:
        """Return the plaintext of a value found at ``context``.

        Raises:
            AccessDenied: for every failure, with one fixed message.
        """
        reason = _malformed(sealed, context)
        data_key = None
        if reason is None:
            data_key = self.keys.data_key(context.data_key_id)
            if data_key is None:
                reason = "unknown-data-key"
        if reason is not None or data_key is None:
            raise refuse(
                self.on_denied, "open", reason or "unknown", context.describe()
            )
        prk = _extract(data_key, sealed.salt)
        if not hmac.compare_digest(_expand(prk, _COMMIT_INFO), sealed.commitment):
            raise refuse(
                self.on_denied, "open", "commitment-mismatch", context.describe()
            )
        key = _expand(prk, _ENC_INFO)
        try:
            return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, _aad(context))
        except InvalidTag:
            raise refuse(
                self.on_denied, "open", "aead-failed", context.describe()
            ) from None

    def open_bytes(self, data: bytes, context: SealContext) -> bytes:
        """Open a value stored in its binary form (:meth:`SealedValue.to_bytes`).

        Raises:
            AccessDenied: for every failure, including data too short to parse.
        """
        try:
            sealed = SealedValue.from_bytes(data)
        except InvalidInput:
            raise refuse(
                self.on_denied, "open", "truncated", context.describe()
            ) from None
        return self.open(sealed, context)

    def _fresh_salt(self) -> bytes:
        salt = self.random(SALT_BYTES)
        if len(salt) != SALT_BYTES or salt in self._seen:
            msg = "the random source repeated itself; nothing was sealed"
            raise RandomnessRepeated(msg)
        if len(self._recent) == self._recent.maxlen:
            self._seen.discard(self._recent[0])
        self._recent.append(salt)
        self._seen.add(salt)
        return salt


def _malformed(sealed: SealedValue, context: SealContext) -> str | None:
    if sealed.format != SEALED_FORMAT:
        return "unknown-format"
    if sealed.epoch != context.epoch:
        return "epoch-mismatch"
    parts = (sealed.salt, sealed.nonce, sealed.commitment, sealed.ciphertext)
    if not all(isinstance(part, bytes) for part in parts):
        return "malformed"
    if (
        len(sealed.salt) != SALT_BYTES
        or len(sealed.nonce) != NONCE_BYTES
        or len(sealed.commitment) != COMMITMENT_BYTES
        or len(sealed.ciphertext) < TAG_BYTES
    ):
        return "malformed"
    return None


def message_key(data_key: bytes, sealed: SealedValue) -> bytes:
    """The one-use key of one sealed value, to release it alone (ToR 36).

    Every sealed value has its own key, derived from the data key with the value's
    random salt, so releasing it opens that value and no other (research case T22).

    Raises:
        AccessDenied: the data key is not the one the value was sealed with.
    """
    prk = _extract(data_key, sealed.salt)
    if not hmac.compare_digest(_expand(prk, _COMMIT_INFO), sealed.commitment):
        raise refuse(ignore_denial, "release", "commitment-mismatch", "message key")
    return _expand(prk, _ENC_INFO)


def open_with_message_key(
    sealed: SealedValue,
    context: SealContext,
    key: bytes,
    *,
    on_denied: DenialHook = ignore_denial,
) -> bytes:
    """Open one sealed value with its released one-use key (:func:`message_key`).

    Raises:
        AccessDenied: for every failure: a key released for another value, another
            context, tampered bytes.
    """
    reason = _malformed(sealed, context)
    if reason is None and len(key) != DATA_KEY_BYTES:
        reason = "malformed-message-key"
    if reason is not None:
        raise refuse(on_denied, "open_released", reason, context.describe())
    try:
        return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, _aad(context))
    except InvalidTag:
        raise refuse(
            on_denied, "open_released", "aead-failed", context.describe()
        ) from None


def _custodial_aad(key_id: DataKeyId) -> bytes:
    return canonical_json(
        {
            "epoch": key_id.epoch,
            "purpose": _CUSTODIAL_PURPOSE,
            "review": key_id.review,
            "scope": key_id.scope,
        }
    )


def wrap_custodial(
    service: KeyService, kek_id: str, data_key: bytes, key_id: DataKeyId
) -> bytes:
    """Wrap a data key under a key service's key, bound to the data key's name.

    The custodial copy lets the secretariat's key service open the scope; destroying
    the key-encryption key (``destroy_key``) shreds every custodial copy under it.
    """
    return service.wrap(kek_id, data_key, aad=_custodial_aad(key_id))


def unwrap_custodial(
    service: KeyService, kek_id: str, wrapped: bytes, key_id: DataKeyId
) -> bytes:
    """Unwrap a custodial copy made by :func:`wrap_custodial` for the same name.

    Raises:
        AccessDenied: for every failure (the key service logs the reason).
    """
    return service.unwrap(kek_id, wrapped, aad=_custodial_aad(key_id))


if TYPE_CHECKING:  # mypy checks that the adapter keeps the port's contract
    _PORT: type[Sealer] = EnvelopeSealer
