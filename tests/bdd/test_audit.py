"""Steps of the auditor's checks: integrity and control tests, with no key.

The history is a real vault on SQLite (``tests.vault_world``); the auditor opens
the store with a key service that refuses every use, reads only raw rows and the
plain access streams, and trusts only the log's public key.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from pytest_bdd import given, scenarios, then, when

from tests.vault_world import ARCADIA, World, open_reviews, open_world
from untoc_adapters.audit.ed25519 import Ed25519CheckpointSigner
from untoc_adapters.audit.rows import iter_rows, read_plain_records
from untoc_adapters.bootstrap import open_store
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_core.audit.controls import ControlResult, run_controls
from untoc_core.audit.verify import AuditResult, TransparencyLog, verify_rows
from untoc_core.confidentiality import AccessDenied, AccessGranted, Basis, Scope
from untoc_core.confidentiality.values import KeyShredded
from untoc_core.ports import NewEvents

scenarios("audit.feature")

ORIGIN = "untoc.example/log"
FINDINGS = b"Desk review: article 23 is not yet applied."


class NoKeys:
    """A key service that holds no key: every use is refused."""

    name = "none"

    def create_key(self, key_id: str) -> str:
        del key_id
        raise AccessDenied

    def wrap(self, key_id: str, plaintext: bytes, *, aad: bytes) -> bytes:
        del key_id, plaintext, aad
        raise AccessDenied

    def unwrap(self, key_id: str, wrapped: bytes, *, aad: bytes) -> bytes:
        del key_id, wrapped, aad
        raise AccessDenied

    def destroy_key(self, key_id: str) -> KeyShredded:
        del key_id
        raise AccessDenied

    def key_ids(self) -> list[str]:
        return []


@attrs.define
class Audit:
    """The log the secretariat keeps, and what the auditor found."""

    log: TransparencyLog | None = None
    note: str = ""
    signer: Ed25519CheckpointSigner = attrs.Factory(
        lambda: Ed25519CheckpointSigner.generate(ORIGIN)
    )
    changed_position: int = 0
    result: AuditResult | None = None
    unreadable: list[int] = attrs.Factory(list)
    controls: tuple[ControlResult, ...] = ()


@pytest.fixture
def audit() -> Audit:
    return Audit()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    opened = open_world(tmp_path / "data")
    yield opened
    opened.close()


def _store(world: World) -> RecorderEventStore:
    store = world.vault.mechanism.store
    assert isinstance(store, RecorderEventStore)
    return store


@given("Borduria and Carpathia read the desk review filed on Arcadia's review")
def desk_review_read(world: World) -> None:
    open_reviews(world)
    world.vault.file("BRD", ARCADIA, Scope.DOSSIER, "desk-review", FINDINGS)
    for reader in ("BRD", "CRP"):
        assert world.vault.read(reader, ARCADIA, Scope.DOSSIER, "desk-review")


@given("the history was logged and its checkpoint signed")
def logged(world: World, audit: Audit) -> None:
    audit.log = TransparencyLog(ORIGIN)
    audit.log.append_rows(iter_rows(_store(world)))
    audit.note = audit.log.sign(audit.signer)


@given("someone wrote a grant of Arcadia's dossier to Dystopia straight into the store")
def forged_grant(world: World) -> None:
    store = _store(world)
    stream = f"access/{ARCADIA}"
    forged = AccessGranted(
        review=ARCADIA,
        scope=Scope.DOSSIER,
        epoch=1,
        principal="DYS",
        basis=Basis.REVIEWER,
        encryption_kid="0" * 32,
    )
    store.append(
        NewEvents(
            stream=stream,
            expected_version=store.stream_version(stream),
            events=(forged,),
        ),
        recorded_at=world.clock.now(),
        actor="secretariat",
    )


@given("someone changed one byte of a stored row")
def changed_row(world: World, audit: Audit) -> None:
    audit.changed_position = 5
    with sqlite3.connect(world.data_dir / "events.sqlite3") as db:
        (state,) = db.execute(
            "SELECT state FROM stored_events WHERE rowid = ?", (audit.changed_position,)
        ).fetchone()
        changed = bytes(state[:-1]) + bytes([state[-1] ^ 1])
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            (changed, audit.changed_position),
        )


@when(
    "the auditor, holding no decryption key, verifies the history and runs the "
    "control tests"
)
def auditor_checks(world: World, audit: Audit) -> None:
    settings = Settings(data_dir=world.data_dir, store="sqlite")
    store = open_store(settings, keys=NoKeys())
    assert isinstance(store, RecorderEventStore)
    try:
        rows = list(iter_rows(store))
        if audit.log is None:
            log = TransparencyLog(ORIGIN)
            log.append_rows(rows)
            audit.log, audit.note = log, log.sign(audit.signer)
        audit.result = verify_rows(
            rows,
            audit.note,
            verifiers=[audit.signer.verifier()],
            origin=ORIGIN,
            log=audit.log.snapshot(),
        )
        today = world.clock.now().date()
        records = read_plain_records(store, unreadable=audit.unreadable)
        audit.controls = run_controls(
            records, period=(today - dt.timedelta(days=1), today)
        )
    finally:
        store.close()


@then("the history verifies and every control test passes")
def all_holds(audit: Audit) -> None:
    assert audit.result is not None
    assert audit.result.ok, audit.result.faults
    assert audit.controls
    failed = [c.name for c in audit.controls if not c.passed]
    assert failed == []
    assert all(c.population >= 0 for c in audit.controls)


@then("the grant to Dystopia is an exception of the control that grants are authorised")
def grant_exception(audit: Audit) -> None:
    (control,) = [c for c in audit.controls if c.name == "grants-authorised"]
    assert not control.passed
    assert any("DYS" in e.detail for e in control.exceptions), control.exceptions


@then("the history does not verify, and the changed row's position is named")
def tamper_named(audit: Audit) -> None:
    assert audit.result is not None
    assert not audit.result.ok
    assert audit.result.first_bad_position == audit.changed_position
    assert audit.unreadable in ([], [audit.changed_position])
