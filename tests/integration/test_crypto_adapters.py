"""The cryptography adapters: sealing, HPKE grants and the ``localkeys`` key service.

Test names follow the attack and bad-input cases of the confidentiality research
(section 3, T01-T44) where a case applies to this slice. Every refusal is the same
``AccessDenied`` (ToR 30); the exact reason goes only to the denial hook.
"""

# ruff: noqa: N802 - test names carry the research's case ids (T01 ...)
# ruff: noqa: S106 - test passphrases

from __future__ import annotations

import hashlib
import inspect
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from untoc_adapters.crypto.grants import (
    DEFAULT_SUITE,
    GrantSuite,
    PrincipalPrivateKey,
    PrincipalPublicKey,
    grant_data_key,
    open_grant,
)
from untoc_adapters.crypto.localkeys import (
    Argon2Parameters,
    LocalKeys,
    open_local_keys,
)
from untoc_adapters.crypto.sealing import (
    DataKeyring,
    EnvelopeSealer,
    RandomnessRepeated,
    message_key,
    new_data_key,
    unwrap_custodial,
    wrap_custodial,
)
from untoc_adapters.plugins import KEY_SERVICE_GROUP, known_adapters, load_adapter
from untoc_adapters.settings import Settings
from untoc_core.confidentiality import (
    ACCESS_DENIED_MESSAGE,
    AccessDenied,
    DataKeyId,
    Denial,
    Grant,
    SealContext,
    SealedValue,
)
from untoc_core.errors import ConfigurationError, InvalidInput
from untoc_core.ports import KeyService, Sealer

REVIEW = "cycle-2/ARG"
KEY_ID = DataKeyId(review=REVIEW, scope="dossier", epoch=1)
CONTEXT = SealContext(
    review=REVIEW,
    scope="dossier",
    epoch=1,
    aggregate="review/cycle-2/ARG",
    version=7,
    field="checklist_response",
)
PLAINTEXT = b"Article 5: offences established; answers of the State under review."
FAST_ARGON2 = Argon2Parameters(iterations=1, lanes=1, memory_cost=8)


@attrs.define
class Kit:
    """A sealer with one data key and the denials it logged."""

    data_key: bytes
    keyring: DataKeyring
    sealer: EnvelopeSealer
    denials: list[Denial]


def make_kit(data_key: bytes | None = None, **options: object) -> Kit:
    key = data_key or new_data_key()
    keyring = DataKeyring()
    keyring.add(KEY_ID, key)
    denials: list[Denial] = []
    sealer = EnvelopeSealer(keyring, on_denied=denials.append, **options)  # type: ignore[arg-type]
    return Kit(key, keyring, sealer, denials)


@pytest.fixture
def kit() -> Kit:
    return make_kit()


def refused(kit: Kit, action: Callable[[], object]) -> str:
    """Run ``action``; it must raise the generic refusal. Return the logged reason."""
    before = len(kit.denials)
    with pytest.raises(AccessDenied) as caught:
        action()
    assert str(caught.value) == f"[ToR-30] {ACCESS_DENIED_MESSAGE}"
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ or caught.value.__context__ is None
    assert len(kit.denials) == before + 1
    return kit.denials[-1].reason


def flip(data: bytes, index: int) -> bytes:
    mutable = bytearray(data)
    mutable[index] ^= 0x01
    return bytes(mutable)


# -- sealing: round trips and the documented construction ---------------------------


def test_the_adapters_satisfy_the_ports(tmp_path: Path, kit: Kit) -> None:
    sealer: Sealer = kit.sealer
    keys: KeyService = LocalKeys(tmp_path / "keys")
    assert callable(sealer.seal)
    assert keys.name == "localkeys"


def test_a_sealed_value_opens_at_its_context(kit: Kit) -> None:
    sealed = kit.sealer.seal(PLAINTEXT, CONTEXT)
    assert PLAINTEXT not in sealed.to_bytes()
    assert kit.sealer.open(sealed, CONTEXT) == PLAINTEXT
    assert kit.sealer.open_bytes(sealed.to_bytes(), CONTEXT) == PLAINTEXT
    assert kit.denials == []


def test_the_same_plaintext_sealed_twice_gives_different_ciphertexts(
    kit: Kit,
) -> None:
    first = kit.sealer.seal(PLAINTEXT, CONTEXT)
    second = kit.sealer.seal(PLAINTEXT, CONTEXT)
    assert first.ciphertext != second.ciphertext
    assert first.salt != second.salt
    assert first.nonce != second.nonce
    assert first.commitment != second.commitment


def test_format_1_is_the_construction_documented_in_adr_0008() -> None:
    data_key = bytes(range(32))
    stream = iter([bytes(range(32, 64)), bytes(range(64, 76))])
    kit = make_kit(data_key, random=lambda n: next(stream)[:n])
    sealed = kit.sealer.seal(b"hello", CONTEXT)

    salt, nonce = bytes(range(32, 64)), bytes(range(64, 76))

    def hkdf(info: bytes) -> bytes:
        return HKDF(algorithm=SHA256(), length=32, salt=salt, info=info).derive(
            data_key
        )

    aad = b"untoc/seal/v1\x00" + CONTEXT.canonical()
    expected_ct = AESGCM(hkdf(b"untoc/seal/v1/enc")).encrypt(nonce, b"hello", aad)
    assert sealed == SealedValue(
        format=1,
        epoch=1,
        salt=salt,
        nonce=nonce,
        commitment=hkdf(b"untoc/seal/v1/commit"),
        ciphertext=expected_ct,
    )


@pytest.mark.parametrize("seed", range(8))
def test_the_message_key_and_commitment_are_hkdf_sha256_of_the_data_key(
    seed: int,
) -> None:
    data_key = hashlib.sha256(b"data key %d" % seed).digest()
    salt = hashlib.sha256(b"salt %d" % seed).digest()
    sealed = SealedValue(
        format=1,
        epoch=1,
        salt=salt,
        nonce=bytes(12),
        commitment=HKDF(
            algorithm=SHA256(), length=32, salt=salt, info=b"untoc/seal/v1/commit"
        ).derive(data_key),
        ciphertext=bytes(16),
    )
    expected = HKDF(
        algorithm=SHA256(), length=32, salt=salt, info=b"untoc/seal/v1/enc"
    ).derive(data_key)
    assert message_key(data_key, sealed) == expected


def test_T23_empty_and_large_values_round_trip_and_too_large_is_refused() -> None:
    kit = make_kit(max_plaintext=6 * 1024 * 1024)
    for plaintext in (b"", os.urandom(5 * 1024 * 1024)):
        assert kit.sealer.open(kit.sealer.seal(plaintext, CONTEXT), CONTEXT) == (
            plaintext
        )
    with pytest.raises(InvalidInput):
        kit.sealer.seal(b"x" * (6 * 1024 * 1024 + 1), CONTEXT)


# -- T01-T11: tampering, moving and wrong keys ----------------------------------------


@pytest.mark.parametrize("index", [0, 5])
def test_T01_a_flipped_bit_in_the_ciphertext_body_is_refused(
    kit: Kit, index: int
) -> None:
    sealed = kit.sealer.seal(PLAINTEXT, CONTEXT)
    tampered = attrs.evolve(sealed, ciphertext=flip(sealed.ciphertext, index))
    assert refused(kit, lambda: kit.sealer.open(tampered, CONTEXT)) == "aead-failed"


@pytest.mark.parametrize("index", [-1, -16])
def test_T02_a_flipped_bit_in_the_tag_is_refused(kit: Kit, index: int) -> None:
    sealed = kit.sealer.seal(PLAINTEXT, CONTEXT)
    tampered = attrs.evolve(sealed, ciphertext=flip(sealed.ciphertext, index))
    assert refused(kit, lambda: kit.sealer.open(tampered, CONTEXT)) == "aead-failed"


@pytest.mark.parametrize("keep", [0, 1, 50, 81, 96])
def test_T03_a_truncated_value_is_refused_without_leaking_an_exception(
    kit: Kit, keep: int
) -> None:
    data = kit.sealer.seal(PLAINTEXT, CONTEXT).to_bytes()[:keep]
    assert refused(kit, lambda: kit.sealer.open_bytes(data, CONTEXT)) in {
        "truncated",
        "malformed",
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("review", "cycle-2/BRA"),
        ("scope", "final"),
        ("epoch", 2),
        ("aggregate", "review/cycle-2/BRA"),
        ("version", 8),
        ("field", "supplementary_information"),
    ],
)
def test_T04_a_value_opened_at_a_changed_context_is_refused(
    kit: Kit, name: str, value: object
) -> None:
    for key_id in (
        attrs.evolve(KEY_ID, review="cycle-2/BRA"),
        attrs.evolve(KEY_ID, scope="final"),
        attrs.evolve(KEY_ID, epoch=2),
    ):
        kit.keyring.add(key_id, kit.data_key)  # even the same key does not help
    sealed = kit.sealer.seal(PLAINTEXT, CONTEXT)
    moved = attrs.evolve(CONTEXT, **{name: value})
    refused(kit, lambda: kit.sealer.open(sealed, moved))


@pytest.mark.parametrize(
    "name", ["format", "epoch", "salt", "nonce", "commitment", "ciphertext"]
)
def test_T04_a_changed_header_field_is_refused(kit: Kit, name: str) -> None:
    sealed = kit.sealer.seal(PLAINTEXT, CONTEXT)
    value = getattr(sealed, name)
    changed = value + 1 if isinstance(value, int) else flip(value, 0)
    tampered = attrs.evolve(sealed, **{name: changed})
    refused(kit, lambda: kit.sealer.open(tampered, CONTEXT))


def test_T05_a_value_pasted_from_another_aggregate_is_refused(kit: Kit) -> None:
    other = attrs.evolve(CONTEXT, aggregate="review/cycle-2/ARG/visit")
    sealed = kit.sealer.seal(PLAINTEXT, other)
    assert refused(kit, lambda: kit.sealer.open(sealed, CONTEXT)) == "aead-failed"


def test_T06_an_old_value_replayed_at_a_later_version_is_refused(kit: Kit) -> None:
    old = kit.sealer.seal(b"first answer", CONTEXT)
    later = attrs.evolve(CONTEXT, version=CONTEXT.version + 1)
    kit.sealer.seal(b"second answer", later)
    assert refused(kit, lambda: kit.sealer.open(old, later)) == "aead-failed"


def test_T07_values_swapped_between_fields_and_rows_are_refused(kit: Kit) -> None:
    response = kit.sealer.seal(b"response", CONTEXT)
    other_field = attrs.evolve(CONTEXT, field="supplementary_information")
    information = kit.sealer.seal(b"information", other_field)
    other_row = attrs.evolve(CONTEXT, version=CONTEXT.version + 3)
    row = kit.sealer.seal(b"a later row", other_row)
    refused(kit, lambda: kit.sealer.open(information, CONTEXT))
    refused(kit, lambda: kit.sealer.open(response, other_field))
    refused(kit, lambda: kit.sealer.open(row, CONTEXT))
    refused(kit, lambda: kit.sealer.open(response, other_row))


def test_T08_plaintext_injected_in_place_of_a_sealed_value_is_refused(
    kit: Kit,
) -> None:
    injected = b"\x00" + PLAINTEXT * 3
    assert (
        refused(kit, lambda: kit.sealer.open_bytes(injected, CONTEXT))
        == "unknown-format"
    )


def test_T04_a_value_with_fields_of_the_wrong_type_is_refused(kit: Kit) -> None:
    sealed = kit.sealer.seal(PLAINTEXT, CONTEXT)
    odd = attrs.evolve(sealed, commitment=sealed.commitment.hex()[:32])
    assert refused(kit, lambda: kit.sealer.open(odd, CONTEXT)) == "malformed"


@pytest.mark.parametrize("version", [0, 2, 255])
def test_T09_an_unknown_or_downgraded_format_is_refused(kit: Kit, version: int) -> None:
    sealed = attrs.evolve(kit.sealer.seal(PLAINTEXT, CONTEXT), format=version)
    assert refused(kit, lambda: kit.sealer.open(sealed, CONTEXT)) == "unknown-format"


def test_T10_another_reviews_data_key_is_refused_at_the_commitment(
    kit: Kit,
) -> None:
    sealed = kit.sealer.seal(PLAINTEXT, CONTEXT)
    other = make_kit()  # same review, scope and epoch; another key
    assert refused(other, lambda: other.sealer.open(sealed, CONTEXT)) == (
        "commitment-mismatch"
    )


def test_T10_a_scope_without_a_data_key_is_refused(kit: Kit) -> None:
    final = attrs.evolve(CONTEXT, scope="final")
    assert refused(kit, lambda: kit.sealer.seal(PLAINTEXT, final)) == (
        "unknown-data-key"
    )


# GF(2^128) arithmetic of GCM (SP 800-38D), to build an "invisible salamander".
_R = 0xE1 << 120


def _gf_mul(x: int, y: int) -> int:
    z, v = 0, y
    for i in range(127, -1, -1):
        if (x >> i) & 1:
            z ^= v
        v = (v >> 1) ^ _R if v & 1 else v >> 1
    return z


def _gf_pow(x: int, e: int) -> int:
    result = 1 << 127  # the element 1 in GCM's bit order
    while e:
        if e & 1:
            result = _gf_mul(result, x)
        x = _gf_mul(x, x)
        e >>= 1
    return result


def _blocks(data: bytes) -> list[int]:
    padded = data + b"\x00" * (-len(data) % 16)
    return [
        int.from_bytes(padded[i : i + 16], "big") for i in range(0, len(padded), 16)
    ]


def _ghash(h: int, aad: bytes, ciphertext: bytes) -> int:
    length = (len(aad) * 8) << 64 | len(ciphertext) * 8
    y = 0
    for block in [*_blocks(aad), *_blocks(ciphertext), length]:
        y = _gf_mul(y ^ block, h)
    return y


def _aes_block(key: bytes, block: bytes) -> int:
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305 - one block, GCM's own H and J0
    return int.from_bytes(encryptor.update(block) + encryptor.finalize(), "big")


def _two_key_ciphertext(k1: bytes, k2: bytes, nonce: bytes, aad: bytes) -> bytes:
    """A GCM ciphertext and tag valid under both ``k1`` and ``k2``."""
    h1, h2 = _aes_block(k1, bytes(16)), _aes_block(k2, bytes(16))
    j0 = nonce + b"\x00\x00\x00\x01"
    mask = _aes_block(k1, j0) ^ _aes_block(k2, j0)
    first = os.urandom(16)
    base = first + bytes(16)  # the second block is solved for
    # coefficient of the second ciphertext block: H^2 (then only the length block)
    difference = _ghash(h1, aad, base) ^ _ghash(h2, aad, base) ^ mask
    scale = _gf_pow(h1, 2) ^ _gf_pow(h2, 2)
    second = _gf_mul(difference, _gf_pow(scale, 2**128 - 2))
    ciphertext = first + second.to_bytes(16, "big")
    tag = _ghash(h1, aad, ciphertext) ^ _aes_block(k1, j0)
    return ciphertext + tag.to_bytes(16, "big")


def test_T11_one_ciphertext_cannot_open_to_two_plaintexts_under_two_keys() -> None:
    dk1, dk2 = new_data_key(), new_data_key()
    salt, nonce = os.urandom(32), os.urandom(12)

    def derive(dk: bytes, info: bytes) -> bytes:
        return HKDF(algorithm=SHA256(), length=32, salt=salt, info=info).derive(dk)

    aad = b"untoc/seal/v1\x00" + CONTEXT.canonical()
    k1, k2 = derive(dk1, b"untoc/seal/v1/enc"), derive(dk2, b"untoc/seal/v1/enc")
    both = _two_key_ciphertext(k1, k2, nonce, aad)
    # AES-GCM alone is not committing: the same bytes open under both keys ...
    p1 = AESGCM(k1).decrypt(nonce, both, aad)
    p2 = AESGCM(k2).decrypt(nonce, both, aad)
    assert p1 != p2
    sealed = SealedValue(
        format=1,
        epoch=1,
        salt=salt,
        nonce=nonce,
        commitment=derive(dk1, b"untoc/seal/v1/commit"),
        ciphertext=both,
    )
    holder1, holder2 = make_kit(dk1), make_kit(dk2)
    # ... but a sealed value opens only under the key it commits to.
    assert holder1.sealer.open(sealed, CONTEXT) == p1
    assert refused(holder2, lambda: holder2.sealer.open(sealed, CONTEXT)) == (
        "commitment-mismatch"
    )
    substituted = attrs.evolve(sealed, commitment=derive(dk2, b"untoc/seal/v1/commit"))
    assert refused(holder1, lambda: holder1.sealer.open(substituted, CONTEXT)) == (
        "commitment-mismatch"
    )


# -- T21: salts and nonces ---------------------------------------------------------


def test_T21_twenty_thousand_seals_repeat_no_salt_and_no_nonce(kit: Kit) -> None:
    sealed = [kit.sealer.seal(b"x", CONTEXT) for _ in range(20_000)]
    assert len({s.salt for s in sealed}) == 20_000
    assert len({s.nonce for s in sealed}) == 20_000


def test_T21_a_stuck_random_source_is_detected_and_nothing_is_sealed() -> None:
    kit = make_kit(random=lambda n: b"\x07" * n)
    kit.sealer.seal(b"first", CONTEXT)
    with pytest.raises(RandomnessRepeated):
        kit.sealer.seal(b"second", CONTEXT)


def test_T21_the_api_takes_no_nonce_or_salt_from_the_caller() -> None:
    assert list(inspect.signature(EnvelopeSealer.seal).parameters) == [
        "self",
        "plaintext",
        "context",
    ]


# -- T42: refusals reveal nothing, the log holds no secret ----------------------------


def test_T42_every_refusal_is_identical_and_the_log_holds_no_secret(
    kit: Kit,
) -> None:
    sealed = kit.sealer.seal(PLAINTEXT, CONTEXT)
    attempts: list[Callable[[], object]] = [
        lambda: kit.sealer.open(attrs.evolve(sealed, format=9), CONTEXT),
        lambda: kit.sealer.open(sealed, attrs.evolve(CONTEXT, version=1)),
        lambda: kit.sealer.open(
            attrs.evolve(sealed, ciphertext=flip(sealed.ciphertext, 0)), CONTEXT
        ),
        lambda: kit.sealer.open(attrs.evolve(sealed, commitment=bytes(32)), CONTEXT),
        lambda: kit.sealer.open_bytes(b"short", CONTEXT),
    ]
    messages = set()
    for attempt in attempts:
        with pytest.raises(AccessDenied) as caught:
            attempt()
        messages.add((type(caught.value), str(caught.value), caught.value.args))
    assert len(messages) == 1
    logged = repr(kit.denials)
    assert [d.reason for d in kit.denials] == [
        "unknown-format",
        "aead-failed",
        "aead-failed",
        "commitment-mismatch",
        "truncated",
    ]
    for secret in (PLAINTEXT, kit.data_key):
        assert secret.hex() not in logged
        assert repr(secret)[2:-1] not in logged
    assert "Article 5" not in logged
    assert kit.data_key.hex() not in repr(kit.keyring)


# -- grants: HPKE for principals (T12-T14, T16) ---------------------------------------


@pytest.fixture(params=list(GrantSuite), ids=lambda s: s.value)
def suite(request: pytest.FixtureRequest) -> GrantSuite:
    chosen: GrantSuite = request.param
    return chosen


def test_the_default_grant_suite_is_the_post_quantum_hybrid() -> None:
    assert DEFAULT_SUITE is GrantSuite.MLKEM768_X25519
    assert PrincipalPrivateKey.generate().suite is GrantSuite.MLKEM768_X25519


def test_a_grant_round_trips_for_each_suite(suite: GrantSuite) -> None:
    data_key = new_data_key()
    private = PrincipalPrivateKey.generate(suite)
    public = private.public_key()
    grant = grant_data_key(data_key, public, key_id=KEY_ID, principal="ARG")
    assert grant.data_key_id == KEY_ID
    assert grant.suite == suite.value
    assert grant.kid == hashlib.sha256(public.raw).digest()[:16].hex()
    sizes = {
        GrantSuite.X25519: 32 + 48,
        GrantSuite.MLKEM768_X25519: 1120 + 48,
        GrantSuite.P256: 65 + 48,  # uncompressed ephemeral point, key and tag
    }
    assert len(grant.enc) == sizes[suite]
    assert data_key not in grant.enc
    assert open_grant(grant, private) == data_key


def test_principal_keys_survive_their_raw_form(suite: GrantSuite) -> None:
    private = PrincipalPrivateKey.generate(suite)
    again = PrincipalPrivateKey(suite, private.raw)
    assert again.public_key() == private.public_key()
    assert private.raw.hex() not in repr(private)
    public = PrincipalPublicKey(suite, private.public_key().raw)
    grant = grant_data_key(new_data_key(), public, key_id=KEY_ID, principal="ARG")
    open_grant(grant, again)


def test_a_malformed_public_key_is_invalid_input(suite: GrantSuite) -> None:
    with pytest.raises(InvalidInput):
        grant_data_key(
            new_data_key(),
            PrincipalPublicKey(suite, b"\x01" * 31),
            key_id=KEY_ID,
            principal="ARG",
        )


def _grant_and_key(suite: GrantSuite) -> tuple[Grant, PrincipalPrivateKey]:
    private = PrincipalPrivateKey.generate(suite)
    grant = grant_data_key(
        new_data_key(), private.public_key(), key_id=KEY_ID, principal="ARG"
    )
    return grant, private


def test_T12_a_grant_opened_with_another_principals_key_is_refused(
    suite: GrantSuite,
) -> None:
    grant, _ = _grant_and_key(suite)
    denials: list[Denial] = []
    other = PrincipalPrivateKey.generate(suite)
    with pytest.raises(AccessDenied):
        open_grant(grant, other, on_denied=denials.append)
    relabelled = attrs.evolve(grant, kid=other.public_key().kid)
    with pytest.raises(AccessDenied):
        open_grant(relabelled, other, on_denied=denials.append)
    wrong_suite = PrincipalPrivateKey.generate(
        GrantSuite.X25519
        if suite is GrantSuite.MLKEM768_X25519
        else GrantSuite.MLKEM768_X25519
    )
    with pytest.raises(AccessDenied):
        open_grant(grant, wrong_suite, on_denied=denials.append)
    assert [d.reason for d in denials] == [
        "kid-mismatch",
        "hpke-failed",
        "suite-mismatch",
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [("principal", "BRA"), ("review", "cycle-2/BRA"), ("scope", "final"), ("epoch", 2)],
)
def test_T13_a_relabelled_grant_is_refused(
    suite: GrantSuite, name: str, value: object
) -> None:
    grant, private = _grant_and_key(suite)
    denials: list[Denial] = []
    with pytest.raises(AccessDenied):
        open_grant(
            attrs.evolve(grant, **{name: value}), private, on_denied=denials.append
        )
    assert [d.reason for d in denials] == ["hpke-failed"]


@pytest.mark.parametrize("index", [0, 40, -1])
def test_T14_a_tampered_grant_is_refused(suite: GrantSuite, index: int) -> None:
    grant, private = _grant_and_key(suite)
    with pytest.raises(AccessDenied):
        open_grant(attrs.evolve(grant, enc=flip(grant.enc, index)), private)
    with pytest.raises(AccessDenied):
        open_grant(attrs.evolve(grant, enc=grant.enc[:20]), private)


def test_T16_a_principal_without_a_grant_for_the_new_epoch_cannot_read_it() -> None:
    epoch1, epoch2 = new_data_key(), new_data_key()
    epoch2_id = attrs.evolve(KEY_ID, epoch=2)
    stays = PrincipalPrivateKey.generate()
    revoked = PrincipalPrivateKey.generate()
    old_grant = grant_data_key(
        epoch1, revoked.public_key(), key_id=KEY_ID, principal="BRA"
    )
    new_grant = grant_data_key(
        epoch2, stays.public_key(), key_id=epoch2_id, principal="ARG"
    )
    writer = DataKeyring()
    writer.add(epoch2_id, open_grant(new_grant, stays))
    later = attrs.evolve(CONTEXT, epoch=2, version=20)
    sealed = EnvelopeSealer(writer).seal(b"after the redraw", later)

    revoked_ring = DataKeyring()
    revoked_ring.add(KEY_ID, open_grant(old_grant, revoked))
    denials: list[Denial] = []
    with pytest.raises(AccessDenied):
        EnvelopeSealer(revoked_ring, on_denied=denials.append).open(sealed, later)
    with pytest.raises(AccessDenied):
        open_grant(new_grant, revoked)
    assert [d.reason for d in denials] == ["unknown-data-key"]


# -- localkeys -------------------------------------------------------------------------


@pytest.fixture
def denials() -> list[Denial]:
    return []


@pytest.fixture
def local(tmp_path: Path, denials: list[Denial]) -> LocalKeys:
    return LocalKeys(tmp_path / "keys", on_denied=denials.append)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_localkeys_is_registered_and_keeps_keys_under_the_data_dir(
    tmp_path: Path,
) -> None:
    assert "localkeys" in known_adapters(KEY_SERVICE_GROUP)
    factory = load_adapter(KEY_SERVICE_GROUP, "localkeys")
    assert factory is open_local_keys
    keys = factory(Settings(data_dir=tmp_path / "data"))
    assert keys.folder == tmp_path / "data" / "keys"
    assert keys.name == "localkeys"


def test_localkeys_files_are_0600_in_a_0700_folder(local: LocalKeys) -> None:
    kid = local.create_key("review-cycle-2")
    path = local.path_of("review-cycle-2")
    assert _mode(local.folder) == 0o700
    assert _mode(path) == 0o600
    assert json.loads(path.read_bytes())["kid"] == kid
    assert local.key_ids() == ["review-cycle-2"]
    assert [p.name for p in local.folder.iterdir()] == ["review-cycle-2.key"]


def test_localkeys_refuses_key_files_and_folders_others_can_read(
    tmp_path: Path, local: LocalKeys
) -> None:
    local.create_key("kek")
    local.path_of("kek").chmod(0o644)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        LocalKeys(local.folder).wrap("kek", b"k" * 32, aad=b"")
    local.folder.chmod(0o755)
    with pytest.raises(ConfigurationError, match="chmod 700"):
        LocalKeys(local.folder)


def test_localkeys_wraps_and_unwraps_bound_to_the_key_and_the_aad(
    local: LocalKeys, denials: list[Denial]
) -> None:
    local.create_key("kek-a")
    local.create_key("kek-b")
    wrapped = local.wrap("kek-a", b"k" * 32, aad=b"context")
    again = LocalKeys(local.folder)  # a new process reads the file
    assert again.unwrap("kek-a", wrapped, aad=b"context") == b"k" * 32
    for key_id, aad, data in [
        ("kek-a", b"other", wrapped),
        ("kek-b", b"context", wrapped),
        ("kek-a", b"context", flip(wrapped, 20)),
        ("kek-a", b"context", wrapped[:10]),
        ("missing", b"context", wrapped),
        ("../escape", b"context", wrapped),
    ]:
        with pytest.raises(AccessDenied):
            local.unwrap(key_id, data, aad=aad)
    assert [d.reason for d in denials] == [
        "aead-failed",
        "aead-failed",
        "aead-failed",
        "malformed",
        "unknown-key",
        "unknown-key",
    ]


def test_localkeys_refuses_an_existing_or_invalid_key_id(local: LocalKeys) -> None:
    local.create_key("kek")
    with pytest.raises(InvalidInput):
        local.create_key("kek")
    for bad in ("", "../kek", "KEK", ".hidden", "a" * 65):
        with pytest.raises(InvalidInput):
            local.create_key(bad)


def test_localkeys_key_file_moved_to_another_id_is_refused(
    local: LocalKeys, denials: list[Denial]
) -> None:
    local.create_key("kek")
    wrapped = local.wrap("kek", b"k" * 32, aad=b"")
    local.path_of("kek").rename(local.path_of("other"))
    with pytest.raises(AccessDenied):
        LocalKeys(local.folder, on_denied=denials.append).unwrap(
            "other", wrapped, aad=b""
        )
    assert denials[-1].reason == "key-id-mismatch"


def test_localkeys_with_a_passphrase_keeps_no_key_in_the_clear(
    tmp_path: Path, denials: list[Denial]
) -> None:
    folder = tmp_path / "keys"
    keys = LocalKeys(folder, passphrase="correct horse", argon2=FAST_ARGON2)
    keys.create_key("kek")
    wrapped = keys.wrap("kek", b"k" * 32, aad=b"x")
    document = json.loads(keys.path_of("kek").read_bytes())
    assert document["protection"] == "argon2id"
    assert document["argon2id"]["memory_cost"] == 8
    again = LocalKeys(folder, passphrase="correct horse")
    assert again.unwrap("kek", wrapped, aad=b"x") == b"k" * 32

    for other in (
        LocalKeys(folder, passphrase="wrong horse", on_denied=denials.append),
        LocalKeys(folder, on_denied=denials.append),
    ):
        with pytest.raises(AccessDenied):
            other.unwrap("kek", wrapped, aad=b"x")
    assert [d.reason for d in denials] == [
        "wrong-passphrase",
        "key-file-protection-argon2id-not-none",
    ]


def test_localkeys_with_a_passphrase_refuses_an_unprotected_key_file(
    local: LocalKeys, denials: list[Denial]
) -> None:
    local.create_key("planted")
    guarded = LocalKeys(local.folder, passphrase="secret", on_denied=denials.append)
    with pytest.raises(AccessDenied):
        guarded.wrap("planted", b"k" * 32, aad=b"")
    assert denials[-1].reason == "key-file-protection-none-not-argon2id"


def test_localkeys_refuses_a_key_file_whose_key_was_edited(
    local: LocalKeys, denials: list[Denial]
) -> None:
    local.create_key("kek")
    path = local.path_of("kek")
    document = json.loads(path.read_bytes())
    document["key"] = "00" * 32
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(AccessDenied):
        LocalKeys(local.folder, on_denied=denials.append).wrap("kek", b"", aad=b"")
    assert denials[-1].reason == "kid-mismatch"


def test_T18_crypto_shredding_the_custodial_key_makes_the_data_unreadable(
    local: LocalKeys, denials: list[Denial]
) -> None:
    kid = local.create_key("custodian-cycle-2")
    data_key = new_data_key()
    custodial = wrap_custodial(local, "custodian-cycle-2", data_key, KEY_ID)
    keyring = DataKeyring()
    keyring.add(KEY_ID, unwrap_custodial(local, "custodian-cycle-2", custodial, KEY_ID))
    sealed = EnvelopeSealer(keyring).seal(PLAINTEXT, CONTEXT)
    file_bytes = local.path_of("custodian-cycle-2").read_bytes()

    record = local.destroy_key("custodian-cycle-2")

    assert record.key_id == "custodian-cycle-2"
    assert record.key_service == "localkeys"
    assert record.kid == kid
    assert "overwritten" in record.method
    assert local.key_ids() == []
    assert not local.path_of("custodian-cycle-2").exists()
    for reader in (local, LocalKeys(local.folder, on_denied=denials.append)):
        with pytest.raises(AccessDenied):
            unwrap_custodial(reader, "custodian-cycle-2", custodial, KEY_ID)
    # a new key under the same id does not bring the data back
    local.create_key("custodian-cycle-2")
    with pytest.raises(AccessDenied):
        unwrap_custodial(local, "custodian-cycle-2", custodial, KEY_ID)
    with pytest.raises(AccessDenied):
        EnvelopeSealer(DataKeyring()).open(sealed, CONTEXT)
    assert local.path_of("custodian-cycle-2").read_bytes() != file_bytes
    with pytest.raises(InvalidInput):
        local.destroy_key("never-created")


def test_a_custodial_copy_is_bound_to_its_data_key_name(local: LocalKeys) -> None:
    local.create_key("custodian")
    custodial = wrap_custodial(local, "custodian", new_data_key(), KEY_ID)
    with pytest.raises(AccessDenied):
        unwrap_custodial(local, "custodian", custodial, attrs.evolve(KEY_ID, epoch=2))
