"""A principal's P-256 decryption key held in a PKCS#11 token (an HSM).

Grants for such a principal use the ``p256`` suite (DHKEM(P-256, HKDF-SHA256),
HKDF-SHA256, AES-256-GCM): SoftHSM2, like many tokens, has no X25519, but every
token has P-256 and ``CKM_ECDH1_DERIVE``.

The key pair is generated in the token and stored on it, both halves labelled
``"untoc/principal/" + principal``. The private key is ``CKA_SENSITIVE=TRUE``,
``CKA_EXTRACTABLE=FALSE``, ``CKA_PRIVATE=TRUE``, ``CKA_MODIFIABLE=FALSE``,
``CKA_COPYABLE=FALSE``, and may only derive (no sign, decrypt or unwrap). A private
key is used only if the token reports it an EC key on P-256,
``CKA_ALWAYS_SENSITIVE``, ``CKA_NEVER_EXTRACTABLE`` and able to derive, so a key
imported from known bytes under the label is refused. The public key is the
uncompressed point read from ``CKA_EC_POINT``.

Opening (:meth:`Pkcs11DecryptionKey.decrypt`) splits the HPKE work in two:

1. In the token: ``CKM_ECDH1_DERIVE`` (``CKD_NULL``, no shared data) of the private
   key with the sender's ephemeral point (the first 65 bytes of the grant's
   ``enc``, checked to be a point of the curve first). The result is the ECDH
   x-coordinate, derived into a 32-byte generic secret session object
   (``CKA_TOKEN=FALSE``) that is *not* sensitive and is extractable: untoc reads
   its ``CKA_VALUE`` and destroys the object at once. Tokens (SoftHSM2 among
   them) only reveal the value of a key made that way, and the rest of the HPKE
   schedule is not a PKCS#11 mechanism, so this value has to leave the token.
2. In software (:func:`untoc_adapters.crypto.grants.open_p256`): RFC 9180
   ``ExtractAndExpand``, the base-mode key schedule and AES-256-GCM.

What leaves the token is therefore the ECDH value of one grant, never the private
scalar. That value opens only the grant with that ephemeral key, exactly as the data
key it unwraps would; like the data key, it lives for a moment in the memory of the
process that asked (Python cannot wipe it). Whoever has the user PIN and can reach
the token can ask it for ECDH values, which is the same power as opening grants.

Sessions: a :class:`Pkcs11DecryptionKey` borrows a logged-in session from a
:class:`~untoc_adapters.crypto.pkcs11.Pkcs11Keys` (its
:meth:`~untoc_adapters.crypto.pkcs11.Pkcs11Keys.locked_session`), so that one
process keeps one login, or uses a python-pkcs11 session it is given (then keep
that session to one thread, or to one key).
"""

from __future__ import annotations

import contextlib
import hmac
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Final, Protocol

from cryptography.hazmat.primitives.asymmetric import ec

from untoc_adapters.crypto.grants import (
    P256_POINT_BYTES,
    DecryptionKey,
    DecryptionRefused,
    GrantSuite,
    PrincipalPublicKey,
    open_p256,
    p256_point,
    p256_public_key,
    split_p256,
)
from untoc_core.confidentiality.commands import check_principal_id
from untoc_core.errors import ConfigurationError, InvalidInput

try:
    from pkcs11 import (
        KDF,
        Attribute,
        KeyType,
        Mechanism,
        MechanismFlag,
        ObjectClass,
    )
    from pkcs11.exceptions import PKCS11Error
    from pkcs11.types import DeriveMixin, Object, Session
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    msg = (
        "principal keys in a PKCS#11 token need python-pkcs11: install the extra "
        "with pip install 'untoc[pkcs11]'"
    )
    raise ConfigurationError(msg) from exc

LABEL_PREFIX: Final = "untoc/principal/"
P256_EC_PARAMS: Final = bytes.fromhex("06082a8648ce3d030107")
"""DER of the named curve ``prime256v1`` (OID 1.2.840.10045.3.1.7)."""
DH_BYTES: Final = 32
"""The size of a P-256 ECDH value (the x-coordinate)."""

_DER_OCTET_STRING: Final = 0x04
_PUBLIC_TEMPLATE: Final = {
    Attribute.TOKEN: True,
    Attribute.PRIVATE: False,
    Attribute.MODIFIABLE: False,
    Attribute.COPYABLE: False,
    Attribute.EC_PARAMS: P256_EC_PARAMS,
    Attribute.ENCRYPT: False,
    Attribute.WRAP: False,
    Attribute.VERIFY: False,
    Attribute.DERIVE: False,
}
_PRIVATE_TEMPLATE: Final = {
    Attribute.TOKEN: True,
    Attribute.PRIVATE: True,
    Attribute.SENSITIVE: True,
    Attribute.EXTRACTABLE: False,
    Attribute.MODIFIABLE: False,
    Attribute.COPYABLE: False,
    Attribute.DERIVE: True,
    Attribute.SIGN: False,
    Attribute.DECRYPT: False,
    Attribute.UNWRAP: False,
}
_SHARED_SECRET_TEMPLATE: Final = {
    # A session object whose value may be read: see the module docstring.
    Attribute.TOKEN: False,
    Attribute.PRIVATE: True,
    Attribute.SENSITIVE: False,
    Attribute.EXTRACTABLE: True,
}


class SessionSource(Protocol):
    """Lends a logged-in read/write session, for example a ``Pkcs11Keys``."""

    def locked_session(self) -> AbstractContextManager[Session]:
        """The session, reserved for the block."""
        ...


class _OwnSession:
    """A python-pkcs11 session given directly, used under a lock of its own."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def locked_session(self) -> Iterator[Session]:
        with self._lock:
            yield self._session


def _source(source: SessionSource | Session) -> SessionSource:
    return _OwnSession(source) if isinstance(source, Session) else source


def _label(principal: str) -> str:
    return LABEL_PREFIX + check_principal_id(principal)


def _find(session: Session, label: str, kind: ObjectClass) -> list[Object]:
    return list(
        session.get_objects(
            {Attribute.CLASS: kind, Attribute.LABEL: label, Attribute.TOKEN: True}
        )
    )


def decode_ec_point(value: bytes) -> bytes:
    """The uncompressed P-256 point of a ``CKA_EC_POINT`` value.

    PKCS#11 stores the point as a DER OCTET STRING (``04 41 || point``); a few
    tokens store the bare point, which is accepted too.

    Raises:
        ValueError: neither form of an uncompressed point of the curve.
    """
    if (
        len(value) == P256_POINT_BYTES + 2
        and value[0] == _DER_OCTET_STRING
        and value[1] == P256_POINT_BYTES
    ):
        value = value[2:]
    p256_public_key(value)
    return value


def _protection_problem(key: Object) -> str:
    values = key.get_attributes(
        [
            Attribute.KEY_TYPE,
            Attribute.EC_PARAMS,
            Attribute.ALWAYS_SENSITIVE,
            Attribute.NEVER_EXTRACTABLE,
            Attribute.DERIVE,
        ]
    )
    if values.get(Attribute.KEY_TYPE) != KeyType.EC:
        return "wrong-key-type"
    if values.get(Attribute.EC_PARAMS) != P256_EC_PARAMS:
        return "wrong-curve"
    if values.get(Attribute.ALWAYS_SENSITIVE) is not True:
        return "key-not-always-sensitive"
    if values.get(Attribute.NEVER_EXTRACTABLE) is not True:
        return "key-not-never-extractable"
    if values.get(Attribute.DERIVE) is not True or not isinstance(key, DeriveMixin):
        return "key-cannot-derive"
    return ""


def _ecdh(key: Object, point: bytes) -> bytes:
    """The ECDH value of the token's private key with ``point``, via a session key.

    Raises:
        DecryptionRefused: the key cannot derive, or the token gave no 32 bytes.
        PKCS11Error: the token refused.
    """
    if not isinstance(key, DeriveMixin):
        raise DecryptionRefused("key-cannot-derive")
    secret = key.derive_key(
        KeyType.GENERIC_SECRET,
        DH_BYTES * 8,
        store=False,
        capabilities=MechanismFlag(0),
        mechanism=Mechanism.ECDH1_DERIVE,
        mechanism_param=(KDF.NULL, None, point),
        template=dict(_SHARED_SECRET_TEMPLATE),
    )
    try:
        value = secret[Attribute.VALUE]
    finally:
        secret.destroy()
    if not isinstance(value, bytes) or len(value) != DH_BYTES:
        raise DecryptionRefused("unexpected-output")
    return value


def _check_pair(private: Object, point: bytes) -> None:
    """Check that the token's private key matches ``point`` with one test ECDH.

    Raises:
        ConfigurationError: it does not.
        PKCS11Error: the token refused.
    """
    probe = ec.generate_private_key(ec.SECP256R1())
    expected = probe.exchange(ec.ECDH(), p256_public_key(point))
    try:
        got = _ecdh(private, p256_point(probe.public_key()))
    except DecryptionRefused as exc:
        msg = f"the token's principal key cannot be used: {exc}"
        raise ConfigurationError(msg) from None
    if not hmac.compare_digest(got, expected):
        msg = "the public key on the token does not match its private key"
        raise ConfigurationError(msg)


class Pkcs11DecryptionKey:
    """A principal's ``p256`` decryption key that never leaves a PKCS#11 token.

    Make one with :meth:`create` or :meth:`load`; pass it to
    :func:`~untoc_adapters.crypto.grants.open_grant` like a
    :class:`~untoc_adapters.crypto.grants.PrincipalPrivateKey`. It implements
    :class:`~untoc_adapters.crypto.grants.DecryptionKey`.

    Args:
        source: Where to get a logged-in session: a ``Pkcs11Keys`` or a
            python-pkcs11 session.
        principal: The principal's id.
        point: The public key, as an uncompressed point, read from the token.
    """

    def __init__(
        self, source: SessionSource | Session, principal: str, point: bytes
    ) -> None:
        self._source = _source(source)
        self._principal = check_principal_id(principal)
        self._public = PrincipalPublicKey(GrantSuite.P256, point)

    def __repr__(self) -> str:
        return f"Pkcs11DecryptionKey({self._principal!r}, kid {self._public.kid})"

    @classmethod
    def create(
        cls, source: SessionSource | Session, principal: str
    ) -> Pkcs11DecryptionKey:
        """Generate the principal's P-256 key pair in the token.

        Register the principal with the ``p256`` suite and
        ``public_key().raw`` as its encryption key.

        Raises:
            InvalidInput: the principal id is not valid, or the token already
                holds a key labelled for it.
            ConfigurationError: the source is closed or the token refused.
        """
        label = _label(principal)
        own = _source(source)
        with own.locked_session() as session:
            try:
                if any(
                    _find(session, label, kind)
                    for kind in (ObjectClass.PRIVATE_KEY, ObjectClass.PUBLIC_KEY)
                ):
                    msg = f"the token holds a key for principal {principal!r}"
                    raise InvalidInput(msg)
                public, private = session.generate_keypair(
                    KeyType.EC,
                    label=label,
                    store=True,
                    capabilities=MechanismFlag.DERIVE,
                    mechanism=Mechanism.EC_KEY_PAIR_GEN,
                    public_template=dict(_PUBLIC_TEMPLATE),
                    private_template=dict(_PRIVATE_TEMPLATE),
                )
                try:
                    point = decode_ec_point(bytes(public[Attribute.EC_POINT]))
                    _check_pair(private, point)
                except (PKCS11Error, ValueError, ConfigurationError):
                    for made in (private, public):  # leave no unusable pair behind
                        with contextlib.suppress(PKCS11Error):
                            made.destroy()
                    raise
            except (PKCS11Error, ValueError) as exc:
                msg = (
                    f"the token refused to create the key of principal "
                    f"{principal!r}: {exc!r}"
                )
                raise ConfigurationError(msg) from exc
        return cls(own, principal, point)

    @classmethod
    def load(
        cls, source: SessionSource | Session, principal: str
    ) -> Pkcs11DecryptionKey:
        """The principal's key pair already in the token.

        The private key must be protected (see the module docstring) and match the
        public key, which one test ECDH checks.

        Raises:
            InvalidInput: the principal id is not valid, or no key is labelled for
                it.
            ConfigurationError: the source is closed, the key is duplicated,
                unprotected or does not match its public key, or the token
                refused.
        """
        label = _label(principal)
        own = _source(source)
        with own.locked_session() as session:
            try:
                privates = _find(session, label, ObjectClass.PRIVATE_KEY)
                publics = _find(session, label, ObjectClass.PUBLIC_KEY)
                if not privates or not publics:
                    msg = f"the token holds no key pair for principal {principal!r}"
                    raise InvalidInput(msg)
                if len(privates) > 1 or len(publics) > 1:
                    problem = "duplicate-key"
                else:
                    problem = _protection_problem(privates[0])
                if problem:
                    msg = f"the key of principal {principal!r} is unusable: {problem}"
                    raise ConfigurationError(msg)
                point = decode_ec_point(bytes(publics[0][Attribute.EC_POINT]))
                _check_pair(privates[0], point)
            except (PKCS11Error, ValueError) as exc:
                msg = f"the token refused the key of principal {principal!r}: {exc!r}"
                raise ConfigurationError(msg) from exc
        return cls(own, principal, point)

    @property
    def suite(self) -> GrantSuite:
        """``p256``."""
        return GrantSuite.P256

    @property
    def principal(self) -> str:
        """The principal whose key this is."""
        return self._principal

    @property
    def label(self) -> str:
        """The label of both halves of the key pair on the token."""
        return LABEL_PREFIX + self._principal

    def public_key(self) -> PrincipalPublicKey:
        """The public key, as read from the token when the key was made or loaded."""
        return self._public

    def decrypt(self, enc: bytes, info: bytes) -> bytes:
        """HPKE base-mode single-shot open, the ECDH done in the token.

        Args:
            enc: What ``Suite.encrypt`` returned: the ephemeral point (65 bytes)
                followed by the ciphertext and its tag.
            info: HPKE's ``info``.

        Raises:
            ValueError: ``enc`` is too short or its ephemeral key is not a point of
                the curve (the token is not asked).
            InvalidTag: the bytes or ``info`` were changed, or are for another key.
            DecryptionRefused: the source is closed, the key is missing,
                duplicated or unprotected, or the token refused; the argument is
                the reason.
        """
        ephemeral, _ = split_p256(enc)
        dh = self._token_ecdh(ephemeral)
        return open_p256(dh, enc, self._public.raw, info)

    def _token_ecdh(self, point: bytes) -> bytes:
        try:
            with self._source.locked_session() as session:
                found = _find(session, self.label, ObjectClass.PRIVATE_KEY)
                if not found:
                    raise DecryptionRefused("unknown-key")
                if len(found) > 1:
                    raise DecryptionRefused("duplicate-key")
                problem = _protection_problem(found[0])
                if problem:
                    raise DecryptionRefused(problem)
                return _ecdh(found[0], point)
        except ConfigurationError:
            raise DecryptionRefused("service-closed") from None
        except PKCS11Error as exc:
            raise DecryptionRefused(f"pkcs11-{type(exc).__name__}") from None


if TYPE_CHECKING:  # mypy checks that the classes keep the protocols
    from untoc_adapters.crypto.pkcs11 import Pkcs11Keys

    _KEY: type[DecryptionKey] = Pkcs11DecryptionKey
    _SOURCE: type[SessionSource] = Pkcs11Keys
