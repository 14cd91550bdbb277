"""Grants: a data key wrapped for one principal with HPKE (RFC 9180).

The default suite is post-quantum hybrid: ``Suite(KEM.MLKEM768_X25519,
KDF.HKDF_SHA256, AEAD.AES_256_GCM)`` (``mlkem768-x25519``). ``x25519``
(``Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)``) remains an option for a
principal whose software has no ML-KEM. ``p256`` (``Suite(KEM.P256,
KDF.HKDF_SHA256, AEAD.AES_256_GCM)``) is for a principal key held in an HSM: SoftHSM2
and many tokens have no X25519, but every one has P-256 and ``CKM_ECDH1_DERIVE``.

HPKE's ``info`` is the canonical JSON of the grant's labels: purpose, review, scope,
epoch, principal, the principal key's fingerprint (``kid``) and the suite. A grant
relabelled for another principal, review, scope or epoch therefore fails to open.

A grant is opened with a :class:`DecryptionKey`: a :class:`PrincipalPrivateKey` in
memory, or a key that never leaves a token
(:class:`untoc_adapters.crypto.pkcs11_principal.Pkcs11DecryptionKey`). A token gives
only the P-256 Diffie-Hellman value; :func:`open_p256` does the rest of the HPKE
base-mode open (RFC 9180 sections 4.1, 5.1 and 5.2) in software.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from typing import TYPE_CHECKING, Final, Protocol, TypeAlias

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hpke, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from untoc_adapters.crypto.denials import ignore_denial, refuse
from untoc_adapters.crypto.sealing import DATA_KEY_BYTES
from untoc_core.confidentiality import DataKeyId, DenialHook, Grant, canonical_json
from untoc_core.errors import InvalidInput

_MLKEM768_PUBLIC: Final = 1184
_MLKEM768_SEED: Final = 64
_X25519_BYTES: Final = 32
P256_POINT_BYTES: Final = 65
"""An uncompressed SEC1 P-256 point: ``0x04 || x (32) || y (32)``; also HPKE's enc."""
P256_SCALAR_BYTES: Final = 32
"""A P-256 private scalar, big-endian."""
_PURPOSE: Final = "untoc-grant/v1"


class GrantSuite(enum.StrEnum):
    """The HPKE suites a grant may use."""

    MLKEM768_X25519 = "mlkem768-x25519"
    """ML-KEM-768 + X25519 hybrid KEM, HKDF-SHA256, AES-256-GCM: the default."""
    X25519 = "x25519"
    """X25519 KEM, HKDF-SHA256, AES-256-GCM: for a partner without ML-KEM."""
    P256 = "p256"
    """DHKEM(P-256), HKDF-SHA256, AES-256-GCM: for a principal key held in an HSM."""


DEFAULT_SUITE: Final = GrantSuite.MLKEM768_X25519

_KEMS: Final = {
    GrantSuite.MLKEM768_X25519: hpke.KEM.MLKEM768_X25519,
    GrantSuite.X25519: hpke.KEM.X25519,
    GrantSuite.P256: hpke.KEM.P256,
}

HpkePublicKey: TypeAlias = (
    hpke.MLKEM768X25519PublicKey | x25519.X25519PublicKey | ec.EllipticCurvePublicKey
)
"""A public key as ``cryptography``'s HPKE takes it."""
HpkePrivateKey: TypeAlias = (
    hpke.MLKEM768X25519PrivateKey | x25519.X25519PrivateKey | ec.EllipticCurvePrivateKey
)
"""A private key as ``cryptography``'s HPKE takes it."""


def _suite(suite: GrantSuite) -> hpke.Suite:
    return hpke.Suite(_KEMS[suite], hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


def p256_public_key(raw: bytes) -> ec.EllipticCurvePublicKey:
    """A P-256 public key from its uncompressed SEC1 point (65 bytes).

    Raises:
        ValueError: not 65 bytes, not uncompressed, or not a point of the curve.
    """
    if len(raw) != P256_POINT_BYTES or raw[0] != 0x04:  # noqa: PLR2004 - SEC1 tag
        msg = "not an uncompressed P-256 point"
        raise ValueError(msg)
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


def p256_point(key: ec.EllipticCurvePublicKey) -> bytes:
    """The uncompressed SEC1 point of a P-256 public key (65 bytes)."""
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@attrs.frozen
class PrincipalPublicKey:
    """A principal's public encryption key, in its raw form.

    ``raw`` is the ML-KEM-768 public key (1184 bytes) followed by the X25519 public
    key (32 bytes) for ``mlkem768-x25519``, the X25519 public key alone for
    ``x25519``, or the uncompressed SEC1 point (65 bytes, ``0x04 || x || y``) for
    ``p256``.
    """

    suite: GrantSuite
    raw: bytes

    @property
    def kid(self) -> str:
        """The fingerprint: the first 16 bytes of SHA-256 of ``raw``, in hex."""
        return hashlib.sha256(self.raw).digest()[:16].hex()

    def hpke_key(self) -> HpkePublicKey:
        """The key as ``cryptography`` takes it.

        Raises:
            InvalidInput: ``raw`` is not a key of the suite.
        """
        try:
            if self.suite is GrantSuite.X25519:
                return x25519.X25519PublicKey.from_public_bytes(self.raw)
            if self.suite is GrantSuite.P256:
                return p256_public_key(self.raw)
            if len(self.raw) != _MLKEM768_PUBLIC + _X25519_BYTES:
                raise ValueError(self.suite)  # noqa: TRY301 - one error path
            return hpke.MLKEM768X25519PublicKey(
                mlkem.MLKEM768PublicKey.from_public_bytes(self.raw[:_MLKEM768_PUBLIC]),
                x25519.X25519PublicKey.from_public_bytes(self.raw[_MLKEM768_PUBLIC:]),
            )
        except ValueError:
            msg = f"not a {self.suite} public key"
            raise InvalidInput(msg) from None


class DecryptionKey(Protocol):
    """A principal's private key, able to open what HPKE sealed for it.

    :class:`PrincipalPrivateKey` holds the key in memory;
    :class:`untoc_adapters.crypto.pkcs11_principal.Pkcs11DecryptionKey` keeps it in
    a PKCS#11 token. :func:`open_grant` takes either.
    """

    @property
    def suite(self) -> GrantSuite:
        """The HPKE suite of the key."""
        ...

    def public_key(self) -> PrincipalPublicKey:
        """The matching public key.

        Raises:
            InvalidInput: the key is malformed.
        """
        ...

    def decrypt(self, enc: bytes, info: bytes) -> bytes:
        """HPKE base-mode single-shot open, with empty associated data.

        Args:
            enc: What ``Suite.encrypt`` returned: the encapsulated key followed by
                the ciphertext and its tag (a grant's ``enc``).
            info: HPKE's ``info``; it must be what the sender used.

        Raises:
            InvalidTag: the bytes or ``info`` were changed, or were sealed for
                another key.
            ValueError: ``enc`` is malformed (too short, not a key of the suite).
            DecryptionRefused: the key cannot be used now (for example its token
                refused); the argument is the reason for the access log.
        """
        ...


class DecryptionRefused(Exception):
    """A decryption key could not be used; the argument is the denial reason.

    Raised by a :class:`DecryptionKey` whose key lives elsewhere (a closed key
    service, a missing or unprotected token key, an error of the token).
    :func:`open_grant` turns it into ``AccessDenied`` with that reason.
    """


@attrs.frozen
class PrincipalPrivateKey:
    """A principal's private decryption key. Its repr shows no key material.

    The raw form is the ML-KEM-768 seed (64 bytes) followed by the X25519 private
    key (32 bytes), the X25519 private key alone, or the P-256 private scalar
    (32 bytes, big-endian).
    """

    suite: GrantSuite
    raw: bytes = attrs.field(repr=False)

    @classmethod
    def generate(cls, suite: GrantSuite = DEFAULT_SUITE) -> PrincipalPrivateKey:
        """A new random key for ``suite``."""
        if suite is GrantSuite.P256:
            scalar = ec.generate_private_key(ec.SECP256R1()).private_numbers()
            return cls(suite, scalar.private_value.to_bytes(P256_SCALAR_BYTES, "big"))
        x = x25519.X25519PrivateKey.generate().private_bytes_raw()
        if suite is GrantSuite.X25519:
            return cls(suite, x)
        seed = mlkem.MLKEM768PrivateKey.generate().private_bytes_raw()
        return cls(suite, seed + x)

    def _p256(self) -> ec.EllipticCurvePrivateKey:
        try:
            if len(self.raw) != P256_SCALAR_BYTES:
                raise ValueError(self.suite)  # noqa: TRY301 - one error path
            return ec.derive_private_key(
                int.from_bytes(self.raw, "big"), ec.SECP256R1()
            )
        except ValueError:
            msg = f"not a {self.suite} private key"
            raise InvalidInput(msg) from None

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

    def hpke_key(self) -> HpkePrivateKey:
        """The key as ``cryptography`` takes it.

        Raises:
            InvalidInput: ``raw`` is not a key of the suite.
        """
        if self.suite is GrantSuite.P256:
            return self._p256()
        ml, x = self._parts()
        return x if ml is None else hpke.MLKEM768X25519PrivateKey(ml, x)

    def public_key(self) -> PrincipalPublicKey:
        """The matching public key.

        Raises:
            InvalidInput: ``raw`` is not a key of the suite.
        """
        if self.suite is GrantSuite.P256:
            return PrincipalPublicKey(self.suite, p256_point(self._p256().public_key()))
        ml, x = self._parts()
        raw_x = x.public_key().public_bytes_raw()
        if ml is None:
            return PrincipalPublicKey(self.suite, raw_x)
        return PrincipalPublicKey(
            self.suite, ml.public_key().public_bytes_raw() + raw_x
        )

    def decrypt(self, enc: bytes, info: bytes) -> bytes:
        """HPKE base-mode single-shot open with empty associated data.

        Raises:
            InvalidTag: the bytes or ``info`` were changed, or are for another key.
            ValueError: ``enc`` is malformed.
            InvalidInput: ``raw`` is not a key of the suite.
        """
        return _suite(self.suite).decrypt(enc, self.hpke_key(), info=info)


# -- RFC 9180 for DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM ------------------

_HPKE_VERSION: Final = b"HPKE-v1"
_KEM_P256: Final = 0x0010
_KDF_HKDF_SHA256: Final = 0x0001
_AEAD_AES_256_GCM: Final = 0x0002
_MODE_BASE: Final = 0x00
_HASH_BYTES: Final = 32  # Nh of HKDF-SHA256
_SECRET_BYTES: Final = 32  # Nsecret of DHKEM(P-256)
_KEY_BYTES: Final = 32  # Nk of AES-256-GCM
_NONCE_BYTES: Final = 12  # Nn of AES-256-GCM
_TAG_BYTES: Final = 16  # Nt of AES-256-GCM


def _i2osp(value: int, length: int) -> bytes:
    return value.to_bytes(length, "big")


_KEM_SUITE_ID: Final = b"KEM" + _i2osp(_KEM_P256, 2)
_HPKE_SUITE_ID: Final = (
    b"HPKE"
    + _i2osp(_KEM_P256, 2)
    + _i2osp(_KDF_HKDF_SHA256, 2)
    + _i2osp(_AEAD_AES_256_GCM, 2)
)


def _labeled_extract(suite_id: bytes, salt: bytes, label: bytes, ikm: bytes) -> bytes:
    """RFC 9180 LabeledExtract: HKDF-Extract (HMAC-SHA256) of the labelled ikm."""
    key = salt or bytes(_HASH_BYTES)  # RFC 5869: an absent salt is Nh zero bytes
    return hmac.digest(key, _HPKE_VERSION + suite_id + label + ikm, "sha256")


def _labeled_expand(
    suite_id: bytes, prk: bytes, label: bytes, info: bytes, length: int
) -> bytes:
    """RFC 9180 LabeledExpand: HKDF-Expand of the labelled info."""
    labeled_info = _i2osp(length, 2) + _HPKE_VERSION + suite_id + label + info
    return HKDFExpand(hashes.SHA256(), length, labeled_info).derive(prk)


def p256_shared_secret(dh: bytes, enc: bytes, recipient: bytes) -> bytes:
    """DHKEM(P-256, HKDF-SHA256) ``ExtractAndExpand`` (RFC 9180 section 4.1).

    Args:
        dh: The ECDH value: the x-coordinate (32 bytes) of the recipient's private
            scalar times the sender's ephemeral point.
        enc: The sender's ephemeral public key, as an uncompressed point.
        recipient: The recipient's public key, as an uncompressed point (``pkRm``).

    Returns:
        The KEM shared secret (32 bytes).
    """
    eae_prk = _labeled_extract(_KEM_SUITE_ID, b"", b"eae_prk", dh)
    return _labeled_expand(
        _KEM_SUITE_ID, eae_prk, b"shared_secret", enc + recipient, _SECRET_BYTES
    )


def base_key_schedule(shared_secret: bytes, info: bytes) -> tuple[bytes, bytes]:
    """The base-mode key schedule (RFC 9180 section 5.1) of the ``p256`` suite.

    Returns:
        The AES-256-GCM key and the base nonce.
    """
    psk_id_hash = _labeled_extract(_HPKE_SUITE_ID, b"", b"psk_id_hash", b"")
    info_hash = _labeled_extract(_HPKE_SUITE_ID, b"", b"info_hash", info)
    context = _i2osp(_MODE_BASE, 1) + psk_id_hash + info_hash
    secret = _labeled_extract(_HPKE_SUITE_ID, shared_secret, b"secret", b"")
    key = _labeled_expand(_HPKE_SUITE_ID, secret, b"key", context, _KEY_BYTES)
    nonce = _labeled_expand(
        _HPKE_SUITE_ID, secret, b"base_nonce", context, _NONCE_BYTES
    )
    return key, nonce


def split_p256(enc: bytes) -> tuple[bytes, bytes]:
    """Split what ``p256`` HPKE sealed into the ephemeral point and the ciphertext.

    Raises:
        ValueError: too short, or the ephemeral key is not a point of the curve.
    """
    if len(enc) < P256_POINT_BYTES + _TAG_BYTES:
        msg = "too short for p256 HPKE"
        raise ValueError(msg)
    ephemeral = enc[:P256_POINT_BYTES]
    p256_public_key(ephemeral)
    return ephemeral, enc[P256_POINT_BYTES:]


def open_p256(dh: bytes, enc: bytes, recipient: bytes, info: bytes) -> bytes:
    """HPKE base-mode single-shot open of the ``p256`` suite, given the ECDH value.

    For a private key that stays in a token: the token computes ``dh`` from its
    private scalar and the ephemeral point ``enc[:65]``, the rest is done here.
    The associated data is empty and the sequence number 0, as in
    ``Suite.decrypt``.

    Args:
        dh: The ECDH x-coordinate (32 bytes) for the ephemeral point.
        enc: What ``Suite.encrypt`` returned: ephemeral point then ciphertext.
        recipient: The recipient's public key, as an uncompressed point.
        info: HPKE's ``info``.

    Raises:
        ValueError: ``enc`` is malformed.
        InvalidTag: the bytes or ``info`` were changed, or ``dh`` is not the
            recipient's.
    """
    ephemeral, ciphertext = split_p256(enc)
    key, nonce = base_key_schedule(p256_shared_secret(dh, ephemeral, recipient), info)
    return AESGCM(key).decrypt(nonce, ciphertext, b"")


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
    private_key: DecryptionKey,
    *,
    on_denied: DenialHook = ignore_denial,
) -> bytes:
    """Unwrap the data key of a grant with the principal's private key.

    Args:
        grant: The grant recorded for the principal.
        private_key: The principal's key: in memory (:class:`PrincipalPrivateKey`)
            or in a token (any :class:`DecryptionKey`).
        on_denied: Receives the reason of a refusal (access log).

    Raises:
        AccessDenied: for every failure (another principal's key, a relabelled or
            tampered grant, another suite, a key that cannot be used), with one
            fixed message.
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
        data_key = private_key.decrypt(grant.enc, info)
    except (InvalidTag, ValueError):
        raise refuse(on_denied, "open_grant", "hpke-failed", subject) from None
    except DecryptionRefused as exc:
        reason = str(exc) or "key-refused"
        raise refuse(on_denied, "open_grant", reason, subject) from None
    if len(data_key) != DATA_KEY_BYTES:
        raise refuse(on_denied, "open_grant", "wrong-key-size", subject)
    return data_key


if TYPE_CHECKING:  # mypy checks that the in-memory key keeps the protocol
    _KEY: type[DecryptionKey] = PrincipalPrivateKey
