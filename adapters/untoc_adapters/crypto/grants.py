"""Grants: a data key wrapped for one principal with HPKE (RFC 9180).

The default suite is post-quantum hybrid: ``Suite(KEM.MLKEM768_X25519,
KDF.HKDF_SHA256, AEAD.AES_256_GCM)`` (``mlkem768-x25519``). ``x25519``
(``Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)``) remains an option for a
principal whose software has no ML-KEM.

HPKE's ``info`` is the canonical JSON of the grant's labels: purpose, review, scope,
epoch, principal, the principal key's fingerprint (``kid``) and the suite. A grant
relabelled for another principal, review, scope or epoch therefore fails to open.
"""

from __future__ import annotations

import enum
import hashlib
from typing import Final

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519

from untoc_adapters.crypto.denials import ignore_denial, refuse
from untoc_adapters.crypto.sealing import DATA_KEY_BYTES
from untoc_core.confidentiality import DataKeyId, DenialHook, Grant, canonical_json
from untoc_core.errors import InvalidInput

_MLKEM768_PUBLIC: Final = 1184
_MLKEM768_SEED: Final = 64
_X25519_BYTES: Final = 32
_PURPOSE: Final = "untoc-grant/v1"


class GrantSuite(enum.StrEnum):
    """The HPKE suites a grant may use."""

    MLKEM768_X25519 = "mlkem768-x25519"
    """ML-KEM-768 + X25519 hybrid KEM, HKDF-SHA256, AES-256-GCM: the default."""
    X25519 = "x25519"
    """X25519 KEM, HKDF-SHA256, AES-256-GCM: for a partner without ML-KEM."""


DEFAULT_SUITE: Final = GrantSuite.MLKEM768_X25519


def _suite(suite: GrantSuite) -> hpke.Suite:
    kem = (
        hpke.KEM.MLKEM768_X25519
        if suite is GrantSuite.MLKEM768_X25519
        else (hpke.KEM.X25519)
    )
    return hpke.Suite(kem, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


@attrs.frozen
class PrincipalPublicKey:
    """A principal's public encryption key, in its raw form.

    ``raw`` is the ML-KEM-768 public key (1184 bytes) followed by the X25519 public
    key (32 bytes) for ``mlkem768-x25519``, or the X25519 public key alone.
    """

    suite: GrantSuite
    raw: bytes

    @property
    def kid(self) -> str:
        """The fingerprint: the first 16 bytes of SHA-256 of ``raw``, in hex."""
        return hashlib.sha256(self.raw).digest()[:16].hex()

    def hpke_key(self) -> hpke.MLKEM768X25519PublicKey | x25519.X25519PublicKey:
        """The key as ``cryptography`` takes it.

        Raises:
            InvalidInput: ``raw`` is not a key of the suite.
        """
        try:
            if self.suite is GrantSuite.X25519:
                return x25519.X25519PublicKey.from_public_bytes(self.raw)
            if len(self.raw) != _MLKEM768_PUBLIC + _X25519_BYTES:
                raise ValueError(self.suite)  # noqa: TRY301 - one error path
            return hpke.MLKEM768X25519PublicKey(
                mlkem.MLKEM768PublicKey.from_public_bytes(self.raw[:_MLKEM768_PUBLIC]),
                x25519.X25519PublicKey.from_public_bytes(self.raw[_MLKEM768_PUBLIC:]),
            )
        except ValueError:
            msg = f"not a {self.suite} public key"
            raise InvalidInput(msg) from None


@attrs.frozen
class PrincipalPrivateKey:
    """A principal's private decryption key. Its repr shows no key material.

    The raw form is the ML-KEM-768 seed (64 bytes) followed by the X25519 private
    key (32 bytes), or the X25519 private key alone.
    """

    suite: GrantSuite
    raw: bytes = attrs.field(repr=False)

    @classmethod
    def generate(cls, suite: GrantSuite = DEFAULT_SUITE) -> PrincipalPrivateKey:
        """A new random key for ``suite``."""
        x = x25519.X25519PrivateKey.generate().private_bytes_raw()
        if suite is GrantSuite.X25519:
            return cls(suite, x)
        seed = mlkem.MLKEM768PrivateKey.generate().private_bytes_raw()
        return cls(suite, seed + x)

    def _parts(self) -> tuple[mlkem.MLKEM768PrivateKey | None, x25519.X25519PrivateKey]:
        try:
            if self.suite is GrantSuite.X25519:
                return None, x25519.X25519PrivateKey.from_private_bytes(self.raw)
            if len(self.raw) != _MLKEM768_SEED + _X25519_BYTES:
                raise ValueError(self.suite)  # noqa: TRY301 - one error path
            return (
                mlkem.MLKEM768PrivateKey.from_seed_bytes(self.raw[:_MLKEM768_SEED]),
                x25519.X25519PrivateKey.from_private_bytes(self.raw[_MLKEM768_SEED:]),
            )
        except ValueError:
            msg = f"not a {self.suite} private key"
            raise InvalidInput(msg) from None

    def hpke_key(self) -> hpke.MLKEM768X25519PrivateKey | x25519.X25519PrivateKey:
        """The key as ``cryptography`` takes it."""
        ml, x = self._parts()
        return x if ml is None else hpke.MLKEM768X25519PrivateKey(ml, x)

    def public_key(self) -> PrincipalPublicKey:
        """The matching public key."""
        ml, x = self._parts()
        raw_x = x.public_key().public_bytes_raw()
        if ml is None:
            return PrincipalPublicKey(self.suite, raw_x)
        return PrincipalPublicKey(
            self.suite, ml.public_key().public_bytes_raw() + raw_x
        )


def _info(key_id: DataKeyId, principal: str, kid: str, suite: str) -> bytes:
    return canonical_json(
        {
            "epoch": key_id.epoch,
            "kid": kid,
            "principal": principal,
            "purpose": _PURPOSE,
            "review": key_id.review,
            "scope": key_id.scope,
            "suite": suite,
        }
    )


def grant_data_key(
    data_key: bytes,
    public_key: PrincipalPublicKey,
    *,
    key_id: DataKeyId,
    principal: str,
) -> Grant:
    """Wrap the data key ``key_id`` for one principal: the grant to record.

    Raises:
        InvalidInput: the data key is not 32 bytes, or the public key is malformed.
    """
    if len(data_key) != DATA_KEY_BYTES:
        msg = f"a data key has {DATA_KEY_BYTES} bytes"
        raise InvalidInput(msg)
    kid = public_key.kid
    suite = public_key.suite.value
    info = _info(key_id, principal, kid, suite)
    enc = _suite(public_key.suite).encrypt(data_key, public_key.hpke_key(), info=info)
    return Grant(
        review=key_id.review,
        scope=key_id.scope,
        epoch=key_id.epoch,
        principal=principal,
        suite=suite,
        kid=kid,
        enc=enc,
    )


def open_grant(
    grant: Grant,
    private_key: PrincipalPrivateKey,
    *,
    on_denied: DenialHook = ignore_denial,
) -> bytes:
    """Unwrap the data key of a grant with the principal's private key.

    Raises:
        AccessDenied: for every failure (another principal's key, a relabelled or
            tampered grant, another suite), with one fixed message.
    """
    subject = (
        f"grant {grant.review} {grant.scope}#{grant.epoch} to {grant.principal} "
        f"kid {grant.kid}"
    )
    reason = None
    if grant.suite != private_key.suite.value:
        reason = "suite-mismatch"
    else:
        try:
            public = private_key.public_key()
        except InvalidInput:
            reason = "malformed-private-key"
        else:
            if public.kid != grant.kid:
                reason = "kid-mismatch"
    if reason is not None:
        raise refuse(on_denied, "open_grant", reason, subject)
    info = _info(grant.data_key_id, grant.principal, grant.kid, grant.suite)
    try:
        data_key = _suite(private_key.suite).decrypt(
            grant.enc, private_key.hpke_key(), info=info
        )
    except (InvalidTag, ValueError):
        raise refuse(on_denied, "open_grant", "hpke-failed", subject) from None
    if len(data_key) != DATA_KEY_BYTES:
        raise refuse(on_denied, "open_grant", "wrong-key-size", subject)
    return data_key
