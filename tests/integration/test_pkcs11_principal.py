"""Principal keys held in a PKCS#11 token (P-256), against SoftHSM2.

Each token test gets its own token in ``tmp_path`` (its own ``SOFTHSM2_CONF``), as
in ``test_pkcs11_softhsm.py``. Without SoftHSM2 or python-pkcs11 those tests skip,
except under CI (the ``CI`` environment variable), where they fail: install both
with ``bash .ci/softhsm``. The software half of the P-256 suite (the RFC 9180 key
schedule) is checked against ``cryptography``'s HPKE without a token.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import ec

from tests.softhsm import (
    MODULE,
    PIN,
    TOKEN,
    init_token,
)
from untoc_adapters.crypto.grants import (
    DecryptionKey,
    GrantSuite,
    PrincipalPrivateKey,
    PrincipalPublicKey,
    grant_data_key,
    open_grant,
    open_p256,
    p256_point,
)
from untoc_adapters.crypto.sealing import new_data_key
from untoc_core.confidentiality import (
    ACCESS_DENIED_MESSAGE,
    AccessDenied,
    DataKeyId,
    Denial,
    PrincipalKind,
    PrincipalRegistered,
    Principals,
    RegisterPrincipal,
    canonical_json,
)
from untoc_core.confidentiality.commands import register
from untoc_core.errors import ConfigurationError, InvalidInput

if TYPE_CHECKING:
    from untoc_adapters.crypto.pkcs11 import Pkcs11Keys
    from untoc_adapters.crypto.pkcs11_principal import Pkcs11DecryptionKey

KEY_ID = DataKeyId(review="cycle-2/ARG", scope="dossier", epoch=1)
P256_PRIME = 2**256 - 2**224 + 2**192 + 2**96 - 1
SUITE = hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


@attrs.define
class Token:
    """A fresh SoftHSM2 token, a key service logged in to it, and the modules."""

    p11: ModuleType
    """python-pkcs11."""
    adapter: ModuleType
    """untoc_adapters.crypto.pkcs11_principal."""
    keys: Pkcs11Keys

    def session(self) -> Any:
        """The key service's session (for inspecting the token)."""
        session = self.keys._session
        assert session is not None
        return session

    def objects(self, principal: str, kind: str) -> list[Any]:
        """The token objects of a principal's key pair, of class ``kind``."""
        attribute = self.p11.Attribute
        return list(
            self.session().get_objects(
                {
                    attribute.CLASS: getattr(self.p11.ObjectClass, kind),
                    attribute.LABEL: "untoc/principal/" + principal,
                }
            )
        )


@pytest.fixture
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Token]:
    _, p11 = init_token(tmp_path, monkeypatch)
    service = importlib.import_module("untoc_adapters.crypto.pkcs11")
    adapter = importlib.import_module("untoc_adapters.crypto.pkcs11_principal")
    keys: Pkcs11Keys = service.Pkcs11Keys(MODULE, TOKEN, PIN)
    yield Token(p11=p11, adapter=adapter, keys=keys)
    keys.close()
    p11.unload(MODULE)


@pytest.fixture
def key(token: Token) -> Pkcs11DecryptionKey:
    created: Pkcs11DecryptionKey = token.adapter.Pkcs11DecryptionKey.create(
        token.keys, "ARG"
    )
    return created


def refused(
    grant: Any, private_key: DecryptionKey, denials: list[Denial] | None = None
) -> str:
    """Open ``grant``; it must raise the generic refusal. Return the logged reason."""
    log: list[Denial] = [] if denials is None else denials
    before = len(log)
    with pytest.raises(AccessDenied) as caught:
        open_grant(grant, private_key, on_denied=log.append)
    assert str(caught.value) == f"[ToR-30] {ACCESS_DENIED_MESSAGE}"
    assert caught.value.__cause__ is None
    assert len(log) == before + 1
    return log[-1].reason


def flip(data: bytes, index: int) -> bytes:
    mutable = bytearray(data)
    mutable[index] ^= 0x01
    return bytes(mutable)


# -- the software P-256 suite ----------------------------------------------------------


def test_a_software_p256_key_round_trips_a_grant() -> None:
    data_key = new_data_key()
    private = PrincipalPrivateKey.generate(GrantSuite.P256)
    assert len(private.raw) == 32
    assert private.raw.hex() not in repr(private)
    public = private.public_key()
    assert public.suite is GrantSuite.P256
    assert len(public.raw) == 65
    assert public.raw[0] == 0x04
    assert PrincipalPrivateKey(GrantSuite.P256, private.raw).public_key() == public
    grant = grant_data_key(data_key, public, key_id=KEY_ID, principal="ARG")
    assert grant.suite == "p256"
    assert len(grant.enc) == 65 + 32 + 16
    assert open_grant(grant, private) == data_key
    other = PrincipalPrivateKey.generate(GrantSuite.P256)
    assert refused(grant, other) == "kid-mismatch"
    assert refused(grant, PrincipalPrivateKey.generate(GrantSuite.X25519)) == (
        "suite-mismatch"
    )


@pytest.mark.parametrize(
    "raw",
    [b"", bytes(32), b"\xff" * 32, bytes(31) + b"\x01" + b"\x00", b"\x01" * 33],
    ids=["empty", "zero", "above-order", "33-bytes-low", "33-bytes"],
)
def test_a_malformed_p256_private_key_is_refused(raw: bytes) -> None:
    with pytest.raises(InvalidInput):
        PrincipalPrivateKey(GrantSuite.P256, raw).public_key()
    grant = grant_data_key(
        new_data_key(),
        PrincipalPrivateKey.generate(GrantSuite.P256).public_key(),
        key_id=KEY_ID,
        principal="ARG",
    )
    assert refused(grant, PrincipalPrivateKey(GrantSuite.P256, raw)) == (
        "malformed-private-key"
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"\x04" + bytes(64),  # not on the curve
        b"\x02" + bytes(32),  # compressed
        b"\x04" * 64,  # too short
    ],
)
def test_a_malformed_p256_public_key_is_invalid_input(raw: bytes) -> None:
    with pytest.raises(InvalidInput):
        grant_data_key(
            new_data_key(),
            PrincipalPublicKey(GrantSuite.P256, raw),
            key_id=KEY_ID,
            principal="ARG",
        )


def _software_open(
    private: ec.EllipticCurvePrivateKey, enc: bytes, info: bytes
) -> bytes:
    """Open with the hand-written schedule, the ECDH done by ``cryptography``."""
    ephemeral = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), enc[:65])
    dh = private.exchange(ec.ECDH(), ephemeral)
    return open_p256(dh, enc, p256_point(private.public_key()), info)


@pytest.mark.parametrize("size", [0, 1, 32, 100])
def test_the_p256_key_schedule_agrees_with_cryptographys_hpke(size: int) -> None:
    for _ in range(10):
        private = ec.generate_private_key(ec.SECP256R1())
        plaintext = os.urandom(size)
        info = os.urandom(size % 40)
        enc = SUITE.encrypt(plaintext, private.public_key(), info=info)
        assert _software_open(private, enc, info) == plaintext
        assert SUITE.decrypt(enc, private, info=info) == plaintext


def test_the_p256_key_schedule_refuses_what_cryptography_refuses() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    enc = SUITE.encrypt(b"data key", private.public_key(), info=b"labels")
    with pytest.raises(InvalidTag):
        _software_open(private, enc, b"other labels")
    with pytest.raises(InvalidTag):
        _software_open(private, flip(enc, 70), b"labels")
    with pytest.raises(InvalidTag):
        _software_open(private, flip(enc, -1), b"labels")
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(InvalidTag):
        _software_open(other, enc, b"labels")
    with pytest.raises(ValueError, match="too short"):
        open_p256(bytes(32), enc[:80], p256_point(private.public_key()), b"labels")


# -- the key in the token --------------------------------------------------------------


def test_a_grant_for_the_token_key_opens_in_the_token(
    token: Token, key: Pkcs11DecryptionKey
) -> None:
    public = key.public_key()
    assert public.suite is GrantSuite.P256
    assert len(public.raw) == 65
    assert key.suite is GrantSuite.P256
    assert key.principal == "ARG"
    assert key.label == "untoc/principal/ARG"
    assert public.kid in repr(key)
    # the public key is the token's CKA_EC_POINT, a DER OCTET STRING
    (public_object,) = token.objects("ARG", "PUBLIC_KEY")
    assert public_object[token.p11.Attribute.EC_POINT] == b"\x04\x41" + public.raw
    for _ in range(5):
        data_key = new_data_key()
        grant = grant_data_key(data_key, public, key_id=KEY_ID, principal="ARG")
        assert open_grant(grant, key) == data_key
    # the derived ECDH values did not stay in the token
    session = token.session()
    secrets = session.get_objects(
        {token.p11.Attribute.CLASS: token.p11.ObjectClass.SECRET_KEY}
    )
    assert list(secrets) == []


def test_the_key_survives_a_new_session(token: Token, key: Pkcs11DecryptionKey) -> None:
    data_key = new_data_key()
    grant = grant_data_key(data_key, key.public_key(), key_id=KEY_ID, principal="ARG")
    token.keys.close()
    service = importlib.import_module("untoc_adapters.crypto.pkcs11")
    with service.Pkcs11Keys(MODULE, TOKEN, PIN) as again:
        loaded = token.adapter.Pkcs11DecryptionKey.load(again, "ARG")
        assert loaded.public_key() == key.public_key()
        assert open_grant(grant, loaded) == data_key
        # a python-pkcs11 session works as well as a key service
        session = again._session
        loaded = token.adapter.Pkcs11DecryptionKey.load(session, "ARG")
        assert open_grant(grant, loaded) == data_key


def test_the_private_key_stays_in_the_token(
    token: Token, key: Pkcs11DecryptionKey
) -> None:
    (private,) = token.objects("ARG", "PRIVATE_KEY")
    attribute = token.p11.Attribute
    with pytest.raises(token.p11.exceptions.AttributeSensitive):
        _ = private[attribute.VALUE]
    assert private[attribute.SENSITIVE] is True
    assert private[attribute.EXTRACTABLE] is False
    assert private[attribute.ALWAYS_SENSITIVE] is True
    assert private[attribute.NEVER_EXTRACTABLE] is True
    assert private[attribute.TOKEN] is True
    assert private[attribute.PRIVATE] is True
    assert private[attribute.KEY_TYPE] == token.p11.KeyType.EC
    assert private[attribute.EC_PARAMS] == token.adapter.P256_EC_PARAMS
    assert private[attribute.DERIVE] is True
    for capability in ("SIGN", "DECRYPT", "UNWRAP"):
        assert private[getattr(attribute, capability)] is False
    # nor made extractable, or wrapped out under another key
    with pytest.raises(token.p11.exceptions.PKCS11Error):
        private[attribute.EXTRACTABLE] = True
    with pytest.raises(token.p11.exceptions.PKCS11Error):
        private.copy({attribute.EXTRACTABLE: True})
    flags = token.p11.MechanismFlag
    wrapper = token.session().generate_key(
        token.p11.KeyType.AES,
        256,
        label="exporter",
        capabilities=flags.WRAP | flags.UNWRAP | flags.ENCRYPT | flags.DECRYPT,
    )
    with pytest.raises(token.p11.exceptions.KeyUnextractable):
        wrapper.wrap_key(private, mechanism=token.p11.Mechanism.AES_KEY_WRAP_PAD)


def test_grants_for_another_key_tampered_or_relabelled_are_refused(
    token: Token, key: Pkcs11DecryptionKey
) -> None:
    denials: list[Denial] = []
    public = key.public_key()
    grant = grant_data_key(new_data_key(), public, key_id=KEY_ID, principal="ARG")
    # a grant for another principal's key
    bra = token.adapter.Pkcs11DecryptionKey.create(token.keys, "BRA")
    for_bra = grant_data_key(
        new_data_key(), bra.public_key(), key_id=KEY_ID, principal="BRA"
    )
    assert refused(for_bra, key, denials) == "kid-mismatch"
    assert refused(attrs.evolve(for_bra, kid=public.kid), key, denials) == (
        "hpke-failed"
    )
    # a tampered enc: the ephemeral point (no longer on the curve, or another
    # point), the ciphertext, the tag, or cut short
    for index in (1, 40, 64, 65, 80, -1):
        assert refused(attrs.evolve(grant, enc=flip(grant.enc, index)), key) == (
            "hpke-failed"
        )
    assert refused(attrs.evolve(grant, enc=grant.enc[:70]), key) == "hpke-failed"
    # another valid ephemeral point reaches the token, and fails the AEAD: a fresh
    # one, and the negation of the sender's (same ECDH value, other KEM context)
    fresh = p256_point(ec.generate_private_key(ec.SECP256R1()).public_key())
    numbers = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), grant.enc[:65]
    ).public_numbers()
    negated = ec.EllipticCurvePublicNumbers(
        numbers.x, P256_PRIME - numbers.y, ec.SECP256R1()
    ).public_key()
    assert key._token_ecdh(p256_point(negated)) == key._token_ecdh(grant.enc[:65])
    for point in (fresh, p256_point(negated)):
        swapped = attrs.evolve(grant, enc=point + grant.enc[65:])
        assert refused(swapped, key) == "hpke-failed"
    assert refused(attrs.evolve(grant, enc=grant.enc + b"\x00"), key) == "hpke-failed"
    # a relabelled grant
    for relabelled in (
        attrs.evolve(grant, principal="BRA"),
        attrs.evolve(grant, review="cycle-2/BRA"),
        attrs.evolve(grant, scope="final"),
        attrs.evolve(grant, epoch=2),
    ):
        assert refused(relabelled, key) == "hpke-failed"
    # another suite
    assert refused(attrs.evolve(grant, suite="x25519"), key) == "suite-mismatch"
    assert {d.operation for d in denials} == {"open_grant"}


def test_a_token_that_cannot_be_used_is_refused_with_the_reason(
    token: Token, key: Pkcs11DecryptionKey
) -> None:
    grant = grant_data_key(
        new_data_key(), key.public_key(), key_id=KEY_ID, principal="ARG"
    )
    for private in token.objects("ARG", "PRIVATE_KEY"):
        private.destroy()
    assert refused(grant, key) == "unknown-key"
    token.keys.close()
    assert refused(grant, key) == "service-closed"


def test_a_key_planted_from_known_bytes_is_refused(token: Token) -> None:
    scalar = PrincipalPrivateKey.generate(GrantSuite.P256)
    attribute = token.p11.Attribute
    label = "untoc/principal/ARG"
    session = token.session()
    session.create_object(
        {
            attribute.CLASS: token.p11.ObjectClass.PRIVATE_KEY,
            attribute.KEY_TYPE: token.p11.KeyType.EC,
            attribute.EC_PARAMS: token.adapter.P256_EC_PARAMS,
            attribute.VALUE: scalar.raw,
            attribute.LABEL: label,
            attribute.TOKEN: True,
            attribute.PRIVATE: True,
            attribute.SENSITIVE: True,
            attribute.EXTRACTABLE: False,
            attribute.DERIVE: True,
        }
    )
    session.create_object(
        {
            attribute.CLASS: token.p11.ObjectClass.PUBLIC_KEY,
            attribute.KEY_TYPE: token.p11.KeyType.EC,
            attribute.EC_PARAMS: token.adapter.P256_EC_PARAMS,
            attribute.EC_POINT: b"\x04\x41" + scalar.public_key().raw,
            attribute.LABEL: label,
            attribute.TOKEN: True,
        }
    )
    with pytest.raises(ConfigurationError, match="key-not-always-sensitive"):
        token.adapter.Pkcs11DecryptionKey.load(token.keys, "ARG")
    with pytest.raises(InvalidInput, match="holds a key"):
        token.adapter.Pkcs11DecryptionKey.create(token.keys, "ARG")
    # nor is it used once the key was loaded
    planted = token.adapter.Pkcs11DecryptionKey(
        token.keys, "ARG", scalar.public_key().raw
    )
    grant = grant_data_key(
        new_data_key(), scalar.public_key(), key_id=KEY_ID, principal="ARG"
    )
    assert refused(grant, planted) == "key-not-always-sensitive"


def test_load_refuses_a_missing_key_an_invalid_id_and_a_mismatched_public_key(
    token: Token, key: Pkcs11DecryptionKey
) -> None:
    cls = token.adapter.Pkcs11DecryptionKey
    with pytest.raises(InvalidInput, match="no key pair"):
        cls.load(token.keys, "BRA")
    for bad in ("", "../ARG", "A B", "a" * 65):
        with pytest.raises(InvalidInput):
            cls.load(token.keys, bad)
        with pytest.raises(InvalidInput):
            cls.create(token.keys, bad)
    # the public key on the token swapped for another one
    other = PrincipalPrivateKey.generate(GrantSuite.P256).public_key()
    (public_object,) = token.objects("ARG", "PUBLIC_KEY")
    public_object.destroy()
    attribute = token.p11.Attribute
    token.session().create_object(
        {
            attribute.CLASS: token.p11.ObjectClass.PUBLIC_KEY,
            attribute.KEY_TYPE: token.p11.KeyType.EC,
            attribute.EC_PARAMS: token.adapter.P256_EC_PARAMS,
            attribute.EC_POINT: b"\x04\x41" + other.raw,
            attribute.LABEL: key.label,
            attribute.TOKEN: True,
        }
    )
    with pytest.raises(ConfigurationError, match="does not match"):
        cls.load(token.keys, "ARG")
    token.keys.close()
    with pytest.raises(ConfigurationError, match="closed"):
        cls.load(token.keys, "ARG")


def test_the_token_ecdh_agrees_with_a_software_ecdh(
    token: Token, key: Pkcs11DecryptionKey
) -> None:
    """The token's ECDH value is the x-coordinate RFC 9180 DH() expects."""
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    expected = ephemeral.exchange(
        ec.ECDH(),
        ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), key.public_key().raw
        ),
    )
    assert key._token_ecdh(p256_point(ephemeral.public_key())) == expected
    info = canonical_json({"purpose": "test"})
    enc = SUITE.encrypt(b"plain", key.public_key().hpke_key(), info=info)
    assert key.decrypt(enc, info) == b"plain"


def test_a_principal_with_a_p256_key_can_be_registered(
    key: Pkcs11DecryptionKey,
) -> None:
    public = key.public_key()
    command = RegisterPrincipal(
        principal="ARG",
        kind=PrincipalKind.STATE_FOCAL_POINT,
        state="ARG",
        encryption_kid=public.kid,
        signing_kid="0" * 32,
        encryption_suite="p256",
        encryption_key=public.raw,
    )
    (event,) = register(Principals(), command)
    assert isinstance(event, PrincipalRegistered)
    assert event.encryption_suite == "p256"
    assert event.encryption_key == public.raw
    with pytest.raises(InvalidInput, match="65 bytes"):
        register(Principals(), attrs.evolve(command, encryption_key=public.raw[:33]))


def test_a_software_p256_principal_can_be_registered() -> None:
    public = PrincipalPrivateKey.generate(GrantSuite.P256).public_key()
    (event,) = register(
        Principals(),
        RegisterPrincipal(
            principal="secretariat",
            kind=PrincipalKind.SECRETARIAT,
            encryption_kid=public.kid,
            signing_kid="0" * 32,
            encryption_suite="p256",
            encryption_key=public.raw,
        ),
    )
    assert isinstance(event, PrincipalRegistered)
    assert event.encryption_suite == "p256"


def test_a_key_pair_that_fails_its_check_is_not_left_in_the_token(
    token: Token, monkeypatch: pytest.MonkeyPatch
) -> None:
    def mismatch(private: object, point: bytes) -> None:
        msg = "the public key on the token does not match its private key"
        raise ConfigurationError(msg)

    monkeypatch.setattr(token.adapter, "_check_pair", mismatch)
    with pytest.raises(ConfigurationError, match="does not match"):
        token.adapter.Pkcs11DecryptionKey.create(token.keys, "ARG")
    assert token.objects("ARG", "PRIVATE_KEY") == []
    assert token.objects("ARG", "PUBLIC_KEY") == []
    monkeypatch.undo()
    created = token.adapter.Pkcs11DecryptionKey.create(token.keys, "ARG")
    grant = grant_data_key(
        new_data_key(), created.public_key(), key_id=KEY_ID, principal="ARG"
    )
    assert len(open_grant(grant, created)) == 32
