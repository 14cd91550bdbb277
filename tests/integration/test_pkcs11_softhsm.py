"""The ``pkcs11`` key service against SoftHSM2, a software PKCS#11 token.

Each test gets its own token in ``tmp_path`` (its own ``SOFTHSM2_CONF``). Test names
follow the research's SoftHSM2 experiment and attack cases (section 4; T18-T20)
where a case applies. Every refusal is the same ``AccessDenied`` (ToR 30); the exact
reason goes only to the denial hook. Without SoftHSM2 or python-pkcs11 the tests
skip, except under CI (the ``CI`` environment variable), where they fail: install
both with ``bash .ci/softhsm``.
"""

# ruff: noqa: N802 - test names carry the research's case ids (T19 ...)

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import tomllib
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.softhsm import (
    MODULE,
    PIN,
    TOKEN,
    init_token,
)
from untoc_adapters.crypto.localkeys import LocalKeys
from untoc_adapters.crypto.sealing import (
    new_data_key,
    unwrap_custodial,
    wrap_custodial,
)
from untoc_adapters.plugins import KEY_SERVICE_GROUP
from untoc_adapters.settings import Settings
from untoc_core.confidentiality import (
    ACCESS_DENIED_MESSAGE,
    AccessDenied,
    DataKeyId,
    Denial,
    KeyShredded,
)
from untoc_core.errors import ConfigurationError, InvalidInput
from untoc_core.ports import KeyService

if TYPE_CHECKING:
    from untoc_adapters.crypto.pkcs11 import Pkcs11Keys

ROOT = Path(__file__).resolve().parents[2]
KEY_ID = DataKeyId(review="cycle-2/ARG", scope="dossier", epoch=1)
DATA_KEY = bytes(range(32))


@attrs.define
class Token:
    """A fresh SoftHSM2 token and the modules to reach it."""

    conf: Path
    p11: ModuleType
    """python-pkcs11."""
    adapter: ModuleType
    """untoc_adapters.crypto.pkcs11."""


@pytest.fixture
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Token]:
    conf, p11 = init_token(tmp_path, monkeypatch)
    adapter = importlib.import_module("untoc_adapters.crypto.pkcs11")
    yield Token(conf=conf, p11=p11, adapter=adapter)
    p11.unload(MODULE)


@pytest.fixture
def denials() -> list[Denial]:
    return []


@pytest.fixture
def keys(token: Token, denials: list[Denial]) -> Iterator[Pkcs11Keys]:
    service: Pkcs11Keys = token.adapter.Pkcs11Keys(
        MODULE, TOKEN, PIN, on_denied=denials.append
    )
    yield service
    service.close()


def refused(denials: list[Denial], action: Callable[[], object]) -> str:
    """Run ``action``; it must raise the generic refusal. Return the logged reason."""
    before = len(denials)
    with pytest.raises(AccessDenied) as caught:
        action()
    assert str(caught.value) == f"[ToR-30] {ACCESS_DENIED_MESSAGE}"
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ or caught.value.__context__ is None
    assert len(denials) == before + 1
    return denials[-1].reason


def flip(data: bytes, index: int) -> bytes:
    mutable = bytearray(data)
    mutable[index] ^= 0x01
    return bytes(mutable)


def kek(token: Token, keys: Pkcs11Keys, key_id: str) -> Any:
    """The token object of a key, through the service's own session."""
    session = keys._session
    assert session is not None
    found = list(
        session.get_objects(
            {token.p11.Attribute.LABEL: token.adapter.LABEL_PREFIX + key_id}
        )
    )
    assert len(found) == 1
    return found[0]


def plant(token: Token, keys: Pkcs11Keys, key_id: str, value: bytes) -> Any:
    """Import a key from known bytes under the service's label for ``key_id``."""
    attribute = token.p11.Attribute
    session = keys._session
    assert session is not None
    return session.create_object(
        {
            attribute.CLASS: token.p11.ObjectClass.SECRET_KEY,
            attribute.KEY_TYPE: token.p11.KeyType.AES,
            attribute.VALUE: value,
            attribute.LABEL: token.adapter.LABEL_PREFIX + key_id,
            attribute.TOKEN: True,
            attribute.PRIVATE: True,
            attribute.SENSITIVE: True,
            attribute.EXTRACTABLE: False,
            attribute.ENCRYPT: True,
            attribute.DECRYPT: True,
        }
    )


# -- the adapter, its registration and its configuration ------------------------------


def test_the_pkcs11_adapter_satisfies_the_port(keys: Pkcs11Keys) -> None:
    service: KeyService = keys
    assert service.name == "pkcs11"
    assert service.key_ids() == []


def test_pkcs11_is_declared_under_the_key_service_entry_points(
    token: Token,
) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = project["project"]["entry-points"][KEY_SERVICE_GROUP]
    assert declared["pkcs11"] == "untoc_adapters.crypto.pkcs11:open_pkcs11_keys"
    entry = EntryPoint(name="pkcs11", value=declared["pkcs11"], group=KEY_SERVICE_GROUP)
    assert entry.load() is token.adapter.open_pkcs11_keys


def test_open_pkcs11_keys_reads_module_token_and_pin_from_the_environment(
    token: Token, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNTOC_PKCS11_MODULE", MODULE)
    monkeypatch.setenv("UNTOC_PKCS11_TOKEN", TOKEN)
    monkeypatch.setenv("UNTOC_PKCS11_PIN", PIN)
    with token.adapter.open_pkcs11_keys(Settings(data_dir=tmp_path)) as service:
        assert service.name == "pkcs11"
        assert service.token_label == TOKEN
        service.create_key("kek")
        assert service.key_ids() == ["kek"]


def test_open_pkcs11_keys_names_the_missing_variables_but_never_the_pin(
    token: Token, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("UNTOC_PKCS11_MODULE", "UNTOC_PKCS11_TOKEN", "UNTOC_PKCS11_PIN"):
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(ConfigurationError) as caught:
        token.adapter.open_pkcs11_keys(pin=PIN)
    message = str(caught.value)
    assert "UNTOC_PKCS11_MODULE" in message
    assert "UNTOC_PKCS11_TOKEN" in message
    assert "UNTOC_PKCS11_PIN" not in message
    assert PIN not in message


def test_a_wrong_pin_token_or_module_is_a_configuration_error(token: Token) -> None:
    wrong_pin = "wrong-pin-31337"
    with pytest.raises(ConfigurationError, match="UNTOC_PKCS11_PIN") as caught:
        token.adapter.Pkcs11Keys(MODULE, TOKEN, wrong_pin)
    assert wrong_pin not in str(caught.value)
    assert caught.value.__cause__ is None
    with pytest.raises(ConfigurationError, match="no single PKCS#11 token"):
        token.adapter.Pkcs11Keys(MODULE, "no-such-token", PIN)
    with pytest.raises(ConfigurationError, match="cannot load"):
        token.adapter.Pkcs11Keys("/nonexistent/libnothing.so", TOKEN, PIN)


def test_the_pin_never_appears_in_repr_or_in_the_object(keys: Pkcs11Keys) -> None:
    assert PIN not in repr(keys)
    assert TOKEN in repr(keys)
    assert all(PIN not in repr(value) for value in vars(keys).values())
    keys.close()
    assert "closed" in repr(keys)
    assert PIN not in repr(keys)


def test_a_closed_service_refuses_every_use(
    keys: Pkcs11Keys, denials: list[Denial]
) -> None:
    keys.create_key("kek")
    wrapped = keys.wrap("kek", DATA_KEY, aad=b"")
    keys.close()
    keys.close()  # idempotent
    assert refused(denials, lambda: keys.wrap("kek", DATA_KEY, aad=b"")) == (
        "service-closed"
    )
    assert refused(denials, lambda: keys.unwrap("kek", wrapped, aad=b"")) == (
        "service-closed"
    )
    for action in (
        lambda: keys.create_key("other"),
        lambda: keys.destroy_key("kek"),
        keys.key_ids,
    ):
        with pytest.raises(ConfigurationError, match="closed"):
            action()


# -- wrapping ------------------------------------------------------------------------


def test_pkcs11_wraps_and_unwraps_bound_to_the_key_and_the_aad(
    token: Token, keys: Pkcs11Keys, denials: list[Denial]
) -> None:
    keys.create_key("kek-a")
    keys.create_key("kek-b")
    wrapped = keys.wrap("kek-a", DATA_KEY, aad=b"context")
    assert len(wrapped) == 1 + 12 + len(DATA_KEY) + 16
    assert wrapped[0] == 1
    assert DATA_KEY not in wrapped
    assert keys.unwrap("kek-a", wrapped, aad=b"context") == DATA_KEY
    keys.close()
    # another process: the keys live on the token, not in this object
    with token.adapter.Pkcs11Keys(
        MODULE, TOKEN, PIN, on_denied=denials.append
    ) as again:
        assert again.unwrap("kek-a", wrapped, aad=b"context") == DATA_KEY
        for key_id, aad, data in [
            ("kek-a", b"other", wrapped),
            ("kek-b", b"context", wrapped),
            ("kek-a", b"context", flip(wrapped, 20)),
            ("kek-a", b"context", wrapped[:10]),
            ("missing", b"context", wrapped),
            ("../escape", b"context", wrapped),
        ]:
            with pytest.raises(AccessDenied):
                again.unwrap(key_id, data, aad=aad)
    assert [d.reason for d in denials] == [
        "aead-failed",
        "aead-failed",
        "aead-failed",
        "malformed",
        "unknown-key",
        "unknown-key",
    ]
    assert {d.operation for d in denials} == {"unwrap"}
    assert denials[0].subject == "key kek-a"


def test_wrapping_with_one_aad_and_unwrapping_with_another_is_refused(
    keys: Pkcs11Keys, denials: list[Denial]
) -> None:
    keys.create_key("kek")
    wrapped = keys.wrap("kek", DATA_KEY, aad=b"review cycle-2/ARG")
    for other in (b"review cycle-2/BRA", b"", b"review cycle-2/ARG\x00"):
        assert (
            refused(denials, lambda aad=other: keys.unwrap("kek", wrapped, aad=aad))
            == "aead-failed"
        )
    assert keys.unwrap("kek", wrapped, aad=b"review cycle-2/ARG") == DATA_KEY


def test_wrap_is_aes_gcm_in_the_token_with_the_documented_aad(
    token: Token, keys: Pkcs11Keys
) -> None:
    keys.create_key("kek")
    wrapped = keys.wrap("kek", DATA_KEY, aad=b"context")
    iv, sealed = wrapped[1:13], wrapped[13:]
    params = token.p11.GCMParams(iv, b"untoc/pkcs11/wrap/v1\x00kek\x00context")
    opened = kek(token, keys, "kek").decrypt(
        sealed, mechanism=token.p11.Mechanism.AES_GCM, mechanism_param=params
    )
    assert opened == DATA_KEY


def test_wrap_never_repeats_an_iv_and_never_uses_the_fingerprint_iv(
    token: Token, denials: list[Denial]
) -> None:
    draws = iter([bytes(12), bytes(12), b"\x01" * 12])
    with token.adapter.Pkcs11Keys(
        MODULE, TOKEN, PIN, random=lambda n: next(draws)[:n]
    ) as scripted:
        scripted.create_key("kek")
        wrapped = scripted.wrap("kek", DATA_KEY, aad=b"")
        assert wrapped[1:13] == b"\x01" * 12
        assert scripted.unwrap("kek", wrapped, aad=b"") == DATA_KEY
    with token.adapter.Pkcs11Keys(MODULE, TOKEN, PIN) as service:
        ivs = {service.wrap("kek", DATA_KEY, aad=b"")[1:13] for _ in range(500)}
        assert len(ivs) == 500
        with (
            token.adapter.Pkcs11Keys(
                MODULE, TOKEN, PIN, random=lambda _n: b"short"
            ) as broken,
            pytest.raises(ConfigurationError, match="wrong size"),
        ):
            broken.wrap("kek", DATA_KEY, aad=b"")


# -- T19: the key-encryption key stays in the token ---------------------------------


def test_T19_the_key_encryption_key_value_cannot_be_read(
    token: Token, keys: Pkcs11Keys
) -> None:
    keys.create_key("kek")
    key = kek(token, keys, "kek")
    attribute = token.p11.Attribute
    with pytest.raises(token.p11.exceptions.AttributeSensitive):
        _ = key[attribute.VALUE]
    assert key[attribute.SENSITIVE] is True
    assert key[attribute.EXTRACTABLE] is False
    assert key[attribute.ALWAYS_SENSITIVE] is True
    assert key[attribute.NEVER_EXTRACTABLE] is True
    assert key[attribute.TOKEN] is True
    assert key[attribute.PRIVATE] is True
    assert key[attribute.KEY_TYPE] == token.p11.KeyType.AES
    assert key[attribute.VALUE_LEN] == 32
    for capability in ("WRAP", "UNWRAP", "SIGN", "VERIFY", "DERIVE"):
        assert key[getattr(attribute, capability)] is False
    assert key[attribute.ENCRYPT] is True
    assert key[attribute.DECRYPT] is True


def test_T19_the_key_encryption_key_cannot_be_wrapped_out(
    token: Token, keys: Pkcs11Keys
) -> None:
    keys.create_key("kek")
    key = kek(token, keys, "kek")
    session = keys._session
    assert session is not None
    flags = token.p11.MechanismFlag
    wrapper = session.generate_key(
        token.p11.KeyType.AES,
        256,
        label="exporter",
        capabilities=flags.WRAP | flags.UNWRAP | flags.ENCRYPT | flags.DECRYPT,
    )
    for mechanism in (
        token.p11.Mechanism.AES_KEY_WRAP,
        token.p11.Mechanism.AES_KEY_WRAP_PAD,
    ):
        with pytest.raises(token.p11.exceptions.KeyUnextractable):
            wrapper.wrap_key(key, mechanism=mechanism)
    attribute = token.p11.Attribute
    # nor made extractable, copied into an extractable key, or relabelled
    with pytest.raises(token.p11.exceptions.PKCS11Error):
        key[attribute.EXTRACTABLE] = True
    with pytest.raises(token.p11.exceptions.PKCS11Error):
        key.copy({attribute.EXTRACTABLE: True})
    with pytest.raises(token.p11.exceptions.PKCS11Error):
        key[attribute.LABEL] = token.adapter.LABEL_PREFIX + "stolen"
    assert key[attribute.EXTRACTABLE] is False


def test_a_key_planted_from_known_bytes_under_the_label_is_refused(
    token: Token, keys: Pkcs11Keys, denials: list[Denial]
) -> None:
    plant(token, keys, "planted", bytes(32))
    assert keys.key_ids() == ["planted"]
    assert refused(denials, lambda: keys.wrap("planted", DATA_KEY, aad=b"")) == (
        "key-not-always-sensitive"
    )
    keys.create_key("kek")
    plant(token, keys, "kek", bytes(32))
    assert refused(denials, lambda: keys.wrap("kek", DATA_KEY, aad=b"")) == (
        "duplicate-key"
    )
    record = keys.destroy_key("kek")  # destroys every object with the label
    assert record.kid == ""
    assert keys.key_ids() == ["planted"]


# -- T20: refusals of the HSM --------------------------------------------------------


def test_T20_unwrap_with_the_wrong_key_encryption_key_is_refused(
    token: Token, keys: Pkcs11Keys, denials: list[Denial]
) -> None:
    keys.create_key("kek-a")
    keys.create_key("kek-b")
    wrapped = keys.wrap("kek-a", DATA_KEY, aad=b"context")
    assert refused(denials, lambda: keys.unwrap("kek-b", wrapped, aad=b"context")) == (
        "aead-failed"
    )
    # in the token itself, the other key's GCM check fails too
    params = token.p11.GCMParams(
        wrapped[1:13], b"untoc/pkcs11/wrap/v1\x00kek-a\x00context"
    )
    with pytest.raises(token.p11.exceptions.PKCS11Error):
        kek(token, keys, "kek-b").decrypt(
            wrapped[13:], mechanism=token.p11.Mechanism.AES_GCM, mechanism_param=params
        )


@pytest.mark.parametrize(
    ("index", "reason"),
    [
        (0, "malformed"),  # the format byte
        (1, "aead-failed"),  # the IV
        (12, "aead-failed"),
        (13, "aead-failed"),  # the ciphertext
        (44, "aead-failed"),
        (45, "aead-failed"),  # the tag
        (-1, "aead-failed"),
    ],
)
def test_T20_a_tampered_wrapped_key_is_refused(
    keys: Pkcs11Keys, denials: list[Denial], index: int, reason: str
) -> None:
    keys.create_key("kek")
    wrapped = keys.wrap("kek", DATA_KEY, aad=b"context")
    assert refused(
        denials, lambda: keys.unwrap("kek", flip(wrapped, index), aad=b"context")
    ) == (reason)


@pytest.mark.parametrize("keep", [0, 1, 13, 28, 59])
def test_T20_a_truncated_or_extended_wrapped_key_is_refused(
    keys: Pkcs11Keys, denials: list[Denial], keep: int
) -> None:
    keys.create_key("kek")
    wrapped = keys.wrap("kek", DATA_KEY, aad=b"context")
    assert refused(
        denials, lambda: keys.unwrap("kek", wrapped[:keep], aad=b"context")
    ) in {"malformed", "aead-failed"}
    assert (
        refused(denials, lambda: keys.unwrap("kek", wrapped + b"\x00", aad=b"context"))
        == "aead-failed"
    )


def test_T20_gcm_with_the_wrong_associated_data_is_refused(
    token: Token, keys: Pkcs11Keys, denials: list[Denial]
) -> None:
    keys.create_key("custodian")
    custodial = wrap_custodial(keys, "custodian", DATA_KEY, KEY_ID)
    assert unwrap_custodial(keys, "custodian", custodial, KEY_ID) == DATA_KEY
    for other in (
        attrs.evolve(KEY_ID, review="cycle-2/BRA"),
        attrs.evolve(KEY_ID, scope="final"),
        attrs.evolve(KEY_ID, epoch=2),
    ):
        assert (
            refused(
                denials,
                lambda moved=other: unwrap_custodial(
                    keys, "custodian", custodial, moved
                ),
            )
            == "aead-failed"
        )
    # in the token itself: GCM with another associated data fails
    key = kek(token, keys, "custodian")
    sealed = key.encrypt(
        DATA_KEY,
        mechanism=token.p11.Mechanism.AES_GCM,
        mechanism_param=token.p11.GCMParams(b"\x07" * 12, b"aggregate review/ARG"),
    )
    with pytest.raises(token.p11.exceptions.PKCS11Error):
        key.decrypt(
            sealed,
            mechanism=token.p11.Mechanism.AES_GCM,
            mechanism_param=token.p11.GCMParams(b"\x07" * 12, b"aggregate review/BRA"),
        )


# -- fingerprints, ids, destruction ---------------------------------------------------


def test_the_kid_is_the_documented_known_answer(token: Token, keys: Pkcs11Keys) -> None:
    value = bytes(range(100, 132))
    planted = plant(token, keys, "known", value)
    answer = AESGCM(value).encrypt(bytes(12), bytes(32), b"untoc/pkcs11/kid/v1")
    expected = hashlib.sha256(b"untoc/pkcs11/kid/v1\x00" + answer).digest()[:16]
    assert token.adapter._kid(planted) == expected.hex()

    first = keys.create_key("kek-a")
    second = keys.create_key("kek-b")
    assert len(bytes.fromhex(first)) == 16
    assert first != second
    assert token.adapter._kid(kek(token, keys, "kek-a")) == first  # stable


def test_pkcs11_refuses_an_existing_or_invalid_key_id(
    keys: Pkcs11Keys, denials: list[Denial]
) -> None:
    keys.create_key("kek")
    with pytest.raises(InvalidInput, match="exists"):
        keys.create_key("kek")
    for bad in ("", "../kek", "KEK", ".hidden", "a" * 65, "kék"):
        with pytest.raises(InvalidInput):
            keys.create_key(bad)
        with pytest.raises(InvalidInput):
            keys.destroy_key(bad)
        assert refused(denials, lambda key_id=bad: keys.wrap(key_id, b"", aad=b"")) == (
            "unknown-key"
        )
    assert keys.key_ids() == ["kek"]


def test_key_ids_lists_this_services_keys_only_and_forgets_destroyed_ones(
    token: Token, keys: Pkcs11Keys
) -> None:
    keys.create_key("kek-b")
    keys.create_key("kek-a")
    session = keys._session
    assert session is not None
    session.generate_key(
        token.p11.KeyType.AES, 256, label="someone-elses-key", store=True
    )
    session.generate_key(
        token.p11.KeyType.AES, 256, label=token.adapter.LABEL_PREFIX + "BAD", store=True
    )
    assert keys.key_ids() == ["kek-a", "kek-b"]
    keys.destroy_key("kek-a")
    assert keys.key_ids() == ["kek-b"]


def test_T18_destroy_key_shreds_the_key_in_the_token(
    token: Token, keys: Pkcs11Keys, denials: list[Denial]
) -> None:
    kid = keys.create_key("custodian-cycle-2")
    data_key = new_data_key()
    custodial = wrap_custodial(keys, "custodian-cycle-2", data_key, KEY_ID)
    assert unwrap_custodial(keys, "custodian-cycle-2", custodial, KEY_ID) == data_key

    record = keys.destroy_key("custodian-cycle-2")

    assert record == KeyShredded(
        key_id="custodian-cycle-2",
        key_service="pkcs11",
        kid=kid,
        method=token.adapter.SHREDDING_METHOD,
    )
    assert "C_DestroyObject" in record.method
    assert keys.key_ids() == []
    session = keys._session
    assert session is not None
    assert (
        list(
            session.get_objects(
                {token.p11.Attribute.LABEL: "untoc/kek/custodian-cycle-2"}
            )
        )
        == []
    )
    assert (
        refused(
            denials,
            lambda: unwrap_custodial(keys, "custodian-cycle-2", custodial, KEY_ID),
        )
        == "unknown-key"
    )
    # a new key under the same id does not bring the data back
    assert keys.create_key("custodian-cycle-2") != kid
    assert (
        refused(
            denials,
            lambda: unwrap_custodial(keys, "custodian-cycle-2", custodial, KEY_ID),
        )
        == "aead-failed"
    )
    with pytest.raises(InvalidInput, match="no key"):
        keys.destroy_key("never-created")


# -- the checks every key service passes: localkeys and pkcs11 alike -------------------


@pytest.fixture(params=["localkeys", "pkcs11"])
def service(
    request: pytest.FixtureRequest, tmp_path: Path, denials: list[Denial]
) -> Iterator[KeyService]:
    if request.param == "localkeys":
        yield LocalKeys(tmp_path / "keys", on_denied=denials.append)
        return
    token: Token = request.getfixturevalue("token")
    with token.adapter.Pkcs11Keys(MODULE, TOKEN, PIN, on_denied=denials.append) as keys:
        yield keys


def test_every_key_service_round_trips_and_refuses_alike(
    service: KeyService, denials: list[Denial]
) -> None:
    kid = service.create_key("kek")
    assert len(kid) == 32
    assert service.create_key("other") != kid
    wrapped = service.wrap("kek", DATA_KEY, aad=b"context")
    assert service.wrap("kek", DATA_KEY, aad=b"context") != wrapped
    assert service.unwrap("kek", wrapped, aad=b"context") == DATA_KEY
    assert service.unwrap("kek", service.wrap("kek", b"", aad=b""), aad=b"") == b""
    cases = [
        ("kek", b"other", wrapped, "aead-failed"),
        ("other", b"context", wrapped, "aead-failed"),
        ("kek", b"context", flip(wrapped, 20), "aead-failed"),
        ("kek", b"context", flip(wrapped, 0), "malformed"),
        ("kek", b"context", wrapped[:10], "malformed"),
        ("missing", b"context", wrapped, "unknown-key"),
        ("../escape", b"context", wrapped, "unknown-key"),
    ]
    for key_id, aad, data, reason in cases:
        assert (
            refused(
                denials,
                lambda k=key_id, a=aad, d=data: service.unwrap(k, d, aad=a),
            )
            == reason
        )
    assert refused(denials, lambda: service.wrap("missing", DATA_KEY, aad=b"")) == (
        "unknown-key"
    )
    assert service.key_ids() == ["kek", "other"]


def test_every_key_service_shreds_alike(
    service: KeyService, denials: list[Denial]
) -> None:
    kid = service.create_key("kek")
    wrapped = service.wrap("kek", DATA_KEY, aad=b"")
    record = service.destroy_key("kek")
    assert record.key_id == "kek"
    assert record.key_service == service.name
    assert record.kid == kid
    assert record.method
    assert service.key_ids() == []
    assert refused(denials, lambda: service.unwrap("kek", wrapped, aad=b"")) == (
        "unknown-key"
    )
    with pytest.raises(InvalidInput):
        service.destroy_key("kek")
    with pytest.raises(InvalidInput):
        service.create_key("Not Valid")
    service.create_key("kek")
    with pytest.raises(InvalidInput):
        service.create_key("kek")
