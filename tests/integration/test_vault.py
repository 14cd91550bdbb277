"""Confidential material through the public API, on a real SQLite store.

Each test files and reads review material as named principals through
:class:`untoc_adapters.vault.Vault`, as an embedding system would, and checks what
the files on disk hold and what the access log records.
"""

# ruff: noqa: N802 - test names carry the research's case ids (T07 ...)

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.vault_world import ARCADIA, DYSTOPIA, World, open_reviews, open_world
from untoc_adapters.audit.ed25519 import Ed25519CheckpointSigner
from untoc_adapters.audit.rows import iter_rows
from untoc_adapters.crypto.custody import kek_id_of
from untoc_adapters.crypto.sealing import open_with_message_key
from untoc_adapters.storage.base import RecorderEventStore
from untoc_core.audit.verify import TransparencyLog, verify_rows
from untoc_core.confidentiality import (
    AccessDenied,
    Outcome,
    PublicationRefused,
    ReportAccessRefused,
    Scope,
    SealedValue,
)
from untoc_core.confidentiality.keys import (
    STORE_STREAM,
    DataKeyCreated,
    GrantWrapped,
    KeyReleased,
    SectionKeyReleased,
    StoredRowRefused,
)
from untoc_core.errors import InvalidInput, StoreError

FINDINGS = b"Desk review: the offence of article 5 is not yet criminalised."
SECTION_III = b"Section III: successes and good practices in international cooperation."
SECTION_IV = b"Section IV: challenges in the confiscation of proceeds of crime."


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    opened = open_world(tmp_path / "data")
    open_reviews(opened)
    yield opened
    opened.close()


def _database(world: World) -> Path:
    return world.data_dir / "events.sqlite3"


def test_the_principals_of_a_review_read_what_another_filed(world: World) -> None:
    world.vault.file("BRD", ARCADIA, Scope.DOSSIER, "desk-review", FINDINGS)
    for reader in ("ARC", "CRP", "secretariat"):
        assert world.vault.read(reader, ARCADIA, Scope.DOSSIER, "desk-review") == (
            FINDINGS
        )


def test_T44_a_reviewer_of_another_review_cannot_read_or_file_in_this_one(
    world: World,
) -> None:
    """A reviewer of review Y asks for the dossier of review X: denied and logged."""
    world.vault.file("BRD", ARCADIA, Scope.DOSSIER, "desk-review", FINDINGS)
    with pytest.raises(AccessDenied):
        world.vault.read("ELB", ARCADIA, Scope.DOSSIER, "desk-review")
    with pytest.raises(AccessDenied):
        world.vault.file("ELB", ARCADIA, Scope.DOSSIER, "notes", b"x")
    log = world.vault.mechanism.access_log(ARCADIA, "auditor")
    denied = [e for e in log if e.principal == "ELB"]
    assert [e.outcome for e in denied] == [Outcome.DENY, Outcome.DENY]
    assert world.vault.mechanism.review_material(ARCADIA).sections(Scope.DOSSIER) == [
        "desk-review"
    ]


def test_every_grant_is_recorded_with_its_wrapped_key_and_no_data_key(
    world: World,
) -> None:
    keys = world.vault.mechanism.review_access(ARCADIA).keys
    dossier = {p for (s, e, p) in keys.grants if s is Scope.DOSSIER and e == 1}
    assert dossier == {"ARC", "BRD", "CRP", "secretariat"}
    summary = {p for (s, e, p) in keys.grants if s is Scope.EXECUTIVE_SUMMARY}
    assert "expert-group" in summary
    assert "auditor" not in {p for (_, _, p) in keys.grants}
    created = keys.data_keys[(Scope.DOSSIER, 1)]
    assert created.kek_id == kek_id_of(ARCADIA)
    assert created.key_service == "localkeys"


def test_a_reviewer_replaced_keeps_reading_old_material_only_through_its_own_copy(
    world: World,
) -> None:
    """T16 and T17: the new epoch is closed to it; the mechanism denies its fetches."""
    vault = world.vault
    vault.file("BRD", ARCADIA, Scope.DOSSIER, "desk-review", FINDINGS)
    vault.mechanism.rotate_epoch(ARCADIA, ["BRD", "ELB"], "Carpathia deferred (ToR 20)")
    vault.file("BRD", ARCADIA, Scope.DOSSIER, "dialogue", b"after the rotation")
    assert vault.read("ELB", ARCADIA, Scope.DOSSIER, "desk-review") == FINDINGS
    assert (
        vault.read("BRD", ARCADIA, Scope.DOSSIER, "dialogue") == b"after the rotation"
    )
    for section in ("desk-review", "dialogue"):
        with pytest.raises(AccessDenied):
            vault.read("CRP", ARCADIA, Scope.DOSSIER, section)
    keys = vault.mechanism.review_access(ARCADIA).keys
    assert (Scope.DOSSIER, 2, "CRP") not in keys.grants
    assert (Scope.DOSSIER, 1, "CRP") in keys.grants  # what it held stays its own


def test_a_consented_requester_reads_every_section_of_the_final_report(
    world: World,
) -> None:
    vault = world.vault
    vault.file("secretariat", ARCADIA, Scope.FINAL_REPORT, "IV", SECTION_IV)
    vault.mechanism.rotate_epoch(ARCADIA, ["BRD", "ELB"], "Carpathia deferred")
    vault.request("GNV", ARCADIA)
    with pytest.raises(AccessDenied):
        vault.read("GNV", ARCADIA, Scope.FINAL_REPORT, "IV")
    vault.consent("ARC", ARCADIA, "GNV")
    assert vault.read("GNV", ARCADIA, Scope.FINAL_REPORT, "IV") == SECTION_IV
    released = [
        (r.event.scope, r.event.epoch)
        for r in vault.mechanism.store.read_stream(f"access/{ARCADIA}")
        if isinstance(r.event, KeyReleased) and r.event.purpose == "grant to GNV"
    ]
    assert released == [(Scope.FINAL_REPORT, 1), (Scope.FINAL_REPORT, 2)]


def test_a_consent_not_signed_by_the_party_under_review_is_refused(
    world: World,
) -> None:
    vault = world.vault
    vault.request("GNV", ARCADIA)
    forged = base64.b64encode(b"\x00" * 64).decode()
    with pytest.raises(ReportAccessRefused, match="not signed"):
        vault.mechanism.give_consent(ARCADIA, "GNV", "ARC", forged)
    assert "GNV" not in vault.mechanism.review_access(ARCADIA).consents


def test_T22_a_released_section_key_opens_that_section_and_no_other(
    world: World,
) -> None:
    """A key released for one published section does not open another section."""
    vault = world.vault
    vault.file("secretariat", ARCADIA, Scope.FINAL_REPORT, "III", SECTION_III)
    vault.file("secretariat", ARCADIA, Scope.FINAL_REPORT, "IV", SECTION_IV)
    with pytest.raises(PublicationRefused):
        vault.publish("BRD", ARCADIA, ["III"])
    vault.publish("ARC", ARCADIA, ["III"])
    assert vault.read_published(ARCADIA, "III") == SECTION_III
    with pytest.raises(AccessDenied):
        vault.read_published(ARCADIA, "IV")
    material = vault.mechanism.review_material(ARCADIA)
    section_iv = material.latest(Scope.FINAL_REPORT, "IV")
    assert section_iv is not None
    key = vault.mechanism.review_access(ARCADIA).keys.section_keys["III"].message_key
    to_read = vault.mechanism.material_to_read("ARC", ARCADIA, Scope.FINAL_REPORT, "IV")
    with pytest.raises(AccessDenied):
        open_with_message_key(
            SealedValue.from_bytes(section_iv.event.sealed), to_read.context, key
        )


def test_a_section_never_filed_cannot_be_published(world: World) -> None:
    with pytest.raises(InvalidInput, match="never filed"):
        world.vault.publish("ARC", ARCADIA, ["V"])


def test_large_material_goes_to_the_blob_store_sealed(world: World) -> None:
    big = b"Annex: legislation of Arcadia. " * 10_000
    recorded = world.vault.file("ARC", ARCADIA, Scope.DOSSIER, "annex", big)
    event = recorded.event
    assert getattr(event, "sealed", None) == b""
    assert getattr(event, "blob_size", 0) > len(big)
    assert world.vault.read("CRP", ARCADIA, Scope.DOSSIER, "annex") == big
    blobs = list((world.data_dir / "blobs").rglob("*"))
    assert any(p.is_file() for p in blobs)


def test_material_of_one_review_does_not_open_in_another(world: World) -> None:
    """T05 through the store: a row of one review pasted into another is refused."""
    vault = world.vault
    vault.file("ELB", DYSTOPIA, Scope.DOSSIER, "desk-review", FINDINGS)
    vault.file("BRD", ARCADIA, Scope.DOSSIER, "desk-review", b"Arcadia's own")
    with sqlite3.connect(_database(world)) as db:
        (dystopia_state,) = db.execute(
            "SELECT state FROM stored_events WHERE originator_id = ?",
            (f"material/{DYSTOPIA}",),
        ).fetchone()
        db.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ?",
            (dystopia_state, f"material/{ARCADIA}"),
        )
    assert dystopia_state[0] == 1  # material rows are sealed whole
    with pytest.raises(StoreError, match="refused"):
        vault.read("BRD", ARCADIA, Scope.DOSSIER, "desk-review")


def test_T07_a_row_copied_over_another_row_is_refused_on_read_and_logged(
    world: World,
) -> None:
    """A row's payload copied over another's in the database: refused and logged."""
    vault = world.vault
    vault.file("BRD", ARCADIA, Scope.DOSSIER, "desk-review", FINDINGS)
    vault.file("BRD", ARCADIA, Scope.DOSSIER, "dialogue", b"second")
    stream = f"material/{ARCADIA}"
    with sqlite3.connect(_database(world)) as db:
        first = db.execute(
            "SELECT state FROM stored_events WHERE originator_id = ? "
            "AND originator_version = 1",
            (stream,),
        ).fetchone()[0]
        db.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ? "
            "AND originator_version = 2",
            (first, stream),
        )
    with pytest.raises(StoreError, match=rf"{stream}@2 is refused"):
        vault.read("CRP", ARCADIA, Scope.DOSSIER, "dialogue")
    (refusal,) = vault.mechanism.store.read_stream(STORE_STREAM)
    assert isinstance(refusal.event, StoredRowRefused)
    assert (refusal.event.stream, refusal.event.version) == (stream, 2)
    assert refusal.event.reason == "does-not-open"


def test_T07_a_plain_row_moved_to_another_place_is_refused(world: World) -> None:
    """Rows readable without keys (the access log) are bound to their place too."""
    stream = f"access/{ARCADIA}"
    with sqlite3.connect(_database(world)) as db:
        third = db.execute(
            "SELECT state FROM stored_events WHERE originator_id = ? "
            "AND originator_version = 3",
            (stream,),
        ).fetchone()[0]
        db.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ? "
            "AND originator_version = 2",
            (third, stream),
        )
    with pytest.raises(StoreError, match=r"location|refused"):
        world.vault.mechanism.store.read_stream(stream)  # as any new reader does
    (refusal,) = world.vault.mechanism.store.read_stream(STORE_STREAM)
    assert getattr(refusal.event, "reason", "") in {
        "location-mismatch",
        "format-mismatch",
    }


def test_a_sealed_row_downgraded_to_a_plain_row_is_refused(world: World) -> None:
    """T08 at the row level: plaintext put in place of a sealed row is not read."""
    vault = world.vault
    vault.file("BRD", ARCADIA, Scope.DOSSIER, "desk-review", FINDINGS)
    stream = f"material/{ARCADIA}"
    with sqlite3.connect(_database(world)) as db:
        db.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ?",
            (b"\x00{}", stream),
        )
    with pytest.raises(StoreError, match="format"):
        vault.read("CRP", ARCADIA, Scope.DOSSIER, "desk-review")


def test_no_confidential_content_is_in_any_file_the_store_wrote(world: World) -> None:
    """Every byte of the database, its WAL and the blob files is free of content."""
    vault = world.vault
    secrets = {
        "desk-review": b"Arcadia-secret-desk-review-1f0c: article 23 is not applied",
        "annex": b"Arcadia-secret-annex-77ab: " + b"confidential annex text " * 5_000,
    }
    for section, content in secrets.items():
        vault.file("BRD", ARCADIA, Scope.DOSSIER, section, content)
    vault.file("secretariat", ARCADIA, Scope.FINAL_REPORT, "IV", SECTION_IV)
    for section, content in secrets.items():
        assert vault.read("CRP", ARCADIA, Scope.DOSSIER, section) == content
    files = [p for p in world.data_dir.rglob("*") if p.is_file()]
    written = [p.name for p in files]
    assert "events.sqlite3" in written
    assert any(p.parent.parent.name == "blobs" for p in files)
    needles = [
        b"Arcadia-secret-desk-review-1f0c",
        b"Arcadia-secret-annex-77ab",
        b"confidential annex text",
        b"confiscation of proceeds",
    ]
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path}"


def test_T18_after_crypto_shredding_the_operator_can_no_longer_release_keys(
    world: World,
) -> None:
    """Shredding destroys the custodial copies; principals keep their own grants."""
    vault = world.vault
    vault.file("secretariat", ARCADIA, Scope.FINAL_REPORT, "IV", SECTION_IV)
    vault.shred(ARCADIA)
    vault.request("GNV", ARCADIA)
    with pytest.raises(AccessDenied):
        vault.consent("ARC", ARCADIA, "GNV")  # the grant needs the custodial copy
    assert "GNV" not in vault.mechanism.review_access(ARCADIA).consents
    with pytest.raises(InvalidInput, match="destroyed"):
        vault.mechanism.rotate_epoch(ARCADIA, ["BRD", "ELB"], "Carpathia deferred")
    assert vault.read("BRD", ARCADIA, Scope.FINAL_REPORT, "IV") == SECTION_IV
    shredded = vault.mechanism.review_access(ARCADIA).keys.shredded
    assert [s.kek_id for s in shredded] == [kek_id_of(ARCADIA)]


def test_principals_private_keys_are_kept_wrapped_not_in_clear(world: World) -> None:
    folder = world.data_dir / "principals"
    files = sorted(folder.glob("*.json"))
    assert len(files) == 10  # seven States, the secretariat, auditor, expert group
    identity = world.vault.principals.load("ARC")
    raw = identity.decryption_key.raw
    for path in files:
        assert path.stat().st_mode & 0o077 == 0
        assert raw not in path.read_bytes()
        assert base64.b64encode(raw) not in path.read_bytes()
    assert "decryption_key" not in repr(identity) or "raw" not in repr(identity)


def test_key_material_events_hold_no_data_key_in_clear(world: World) -> None:
    vault = world.vault
    vault.file("secretariat", ARCADIA, Scope.FINAL_REPORT, "III", SECTION_III)
    vault.publish("ARC", ARCADIA, ["III"])
    kinds = {
        type(r.event)
        for r in vault.mechanism.store.read_stream(f"access/{ARCADIA}")
        if isinstance(
            r.event, DataKeyCreated | GrantWrapped | KeyReleased | SectionKeyReleased
        )
    }
    assert kinds == {DataKeyCreated, GrantWrapped, KeyReleased, SectionKeyReleased}


def test_T18_the_history_still_verifies_after_crypto_shredding(world: World) -> None:
    """The log hashes ciphertext, so destroying keys leaves the audit intact."""
    vault = world.vault
    vault.file("BRD", ARCADIA, Scope.DOSSIER, "desk-review", FINDINGS)
    store = vault.mechanism.store
    assert isinstance(store, RecorderEventStore)
    log = TransparencyLog("untoc.example/log")
    log.append_rows(iter_rows(store))
    signer = Ed25519CheckpointSigner.generate("untoc.example/log")
    before = log.sign(signer)
    vault.shred(ARCADIA)
    log.append_rows(iter_rows(store, after_position=log.last_position))
    after = log.sign(signer)
    result = verify_rows(
        iter_rows(store),
        after,
        verifiers=[signer.verifier()],
        log=log.snapshot(),
        previous=before,
    )
    assert result.ok, result.faults
    assert result.rows == log.size
