"""The tamper-evident log over a real store, attacked through raw SQL.

Each test records events in a store, builds the transparency log and a signed
checkpoint, then changes the database behind the store's back and checks that the
audit names the first bad position and the kind of fault. Test names follow the
attack cases of the confidentiality research (section 3, T24-T30).
"""

# ruff: noqa: N802 - test names carry the research's case ids (T24-T30)

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

from untoc_adapters.audit.ed25519 import (
    Ed25519CheckpointSigner,
    Ed25519SignatureVerifier,
)
from untoc_adapters.audit.rows import iter_rows, read_rows
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.memory import open_memory_store
from untoc_adapters.storage.postgres import open_postgres_store
from untoc_adapters.storage.sqlite import open_sqlite_store
from untoc_core.audit import (
    Checkpoint,
    CheckpointRejected,
    FaultKind,
    LeafData,
    SignedNote,
    StoredRow,
    TransparencyLog,
    add_signature,
    detect_split_view,
    ed25519_key_id,
    open_checkpoint,
    verify_inclusion,
    verify_rows,
)
from untoc_core.errors import InvalidInput
from untoc_core.ports import NewEvents
from untoc_core.registry.events import ExpertListCirculated

ORIGIN = "untoc.example/review-log"
PG_URL = os.environ.get(
    "UNTOC_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
SIGNER = Ed25519CheckpointSigner.from_private_bytes("untoc-log", bytes(range(32)))
TRUSTED = [SIGNER.verifier()]


def record(store: RecorderEventStore, stream: str, count: int, tag: str) -> None:
    """Append ``count`` distinct events to ``stream``, one append each."""
    for _ in range(count):
        version = store.stream_version(stream)
        event = ExpertListCirculated(
            circulated_on=dt.date(2026, 2, 1) + dt.timedelta(days=version),
            expert_ids=frozenset({f"{tag}-{stream}-{version}"}),
        )
        store.append(
            NewEvents(stream=stream, expected_version=version, events=(event,)),
            recorded_at=T0 + dt.timedelta(minutes=store.last_position()),
            actor="secretariat",
        )


def populate(store: RecorderEventStore) -> None:
    """Six rows: registry@1-4 at positions 1-4, then experts@1-2."""
    record(store, "registry", 4, "a")
    record(store, "experts", 2, "a")


def build_log(store: RecorderEventStore) -> TransparencyLog:
    log = TransparencyLog(ORIGIN)
    log.append_rows(iter_rows(store, batch=4))
    return log


@attrs.define
class Backend:
    """A store on one backend, and raw SQL access to its table."""

    open: Callable[[], RecorderEventStore]
    execute: Callable[[str, tuple[object, ...]], None]
    table: str
    position: str

    def store(self) -> RecorderEventStore:
        return self.open()


def sqlite_backend(tmp_path: Path) -> Backend:
    settings = Settings(data_dir=tmp_path, store="sqlite")
    path = tmp_path / "events.sqlite3"

    def execute(sql: str, params: tuple[object, ...]) -> None:
        with sqlite3.connect(path) as db:
            db.execute(sql, params)
        db.close()

    return Backend(
        open=lambda: open_sqlite_store(settings),
        execute=execute,
        table="stored_events",
        position="rowid",
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """SQLite, and PostgreSQL when the server is reachable."""
    if request.param == "sqlite":
        yield sqlite_backend(tmp_path)
        return
    import psycopg  # noqa: PLC0415 - only for the postgres variant

    schema = request.getfixturevalue("pg_schema")
    settings = Settings(
        data_dir=tmp_path, store="postgres", store_url=f"{PG_URL}?schema={schema}"
    )

    def execute(sql: str, params: tuple[object, ...]) -> None:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), params)

    yield Backend(
        open=lambda: open_postgres_store(settings),
        execute=execute,
        table=f'"{schema}".untoc_events',
        position="notification_id",
    )


@pytest.fixture
def sqlite(tmp_path: Path) -> Backend:
    """The SQLite backend only."""
    return sqlite_backend(tmp_path)


def logged_store(backend: Backend) -> tuple[TransparencyLog, str, list[StoredRow]]:
    """Populate a store, log it and sign a checkpoint; return the log, note, rows."""
    store = backend.store()
    try:
        populate(store)
        log = build_log(store)
        rows = read_rows(store)
    finally:
        store.close()
    return log, log.sign(SIGNER), rows


def audit_rows(backend: Backend) -> list[StoredRow]:
    store = backend.store()
    try:
        return list(iter_rows(store, batch=3))
    finally:
        store.close()


# --- the untouched log ---------------------------------------------------------


def test_an_untouched_store_reproduces_its_signed_checkpoint(
    backend: Backend,
) -> None:
    log, note, rows = logged_store(backend)
    assert [(r.stream, r.version) for r in rows] == [
        ("registry", 1),
        ("registry", 2),
        ("registry", 3),
        ("registry", 4),
        ("experts", 1),
        ("experts", 2),
    ]
    result = verify_rows(
        audit_rows(backend), note, verifiers=TRUSTED, origin=ORIGIN, log=log.snapshot()
    )
    assert result.ok, result.faults
    assert result.checkpoint == log.checkpoint()
    assert result.rows == 6
    assert result.unlogged == 0
    assert result.first_bad_position is None
    # A checkpoint the auditor already trusts can be given as it is.
    assert verify_rows(rows, log.checkpoint(), origin=ORIGIN).ok
    assert not verify_rows(rows, log.checkpoint(), origin="x.example/log").ok
    snapshot = log.snapshot()
    for leaf in snapshot.leaves:
        proof = snapshot.inclusion_proof(leaf.index)
        assert verify_inclusion(leaf.index, 6, leaf.leaf_hash(), proof, result.root)


def test_leaves_record_the_logs_own_index_and_the_stored_bytes(
    sqlite: Backend,
) -> None:
    log, _, rows = logged_store(sqlite)
    leaves = log.snapshot().leaves
    assert [leaf.index for leaf in leaves] == list(range(6))
    assert [leaf.position for leaf in leaves] == [r.position for r in rows]
    assert leaves[0].state_sha256 == hashlib.sha256(rows[0].state).hexdigest()
    assert LeafData.from_dict(leaves[0].to_dict()) == leaves[0]
    assert leaves[0].to_bytes().startswith(b'{"id":"registry","nid":')


def test_the_log_takes_each_row_once_and_in_order(sqlite: Backend) -> None:
    log, _, rows = logged_store(sqlite)
    with pytest.raises(InvalidInput, match="once, in order"):
        log.append_rows(rows[-1:])
    assert log.size == 6


def test_rows_are_read_in_pages_from_any_backend() -> None:
    store = open_memory_store()
    populate(store)
    first = read_rows(store, limit=4)
    rest = read_rows(store, after_position=first[-1].position, limit=4)
    assert [r.position for r in first + rest] == [1, 2, 3, 4, 5, 6]
    assert [r.position for r in iter_rows(store, batch=2)] == [1, 2, 3, 4, 5, 6]
    with pytest.raises(InvalidInput):
        read_rows(store, limit=0)


# --- T24 ---------------------------------------------------------------------------


def test_T24_an_event_row_modified_after_logging_is_detected(backend: Backend) -> None:
    log, note, rows = logged_store(backend)
    target = rows[2]
    forged = target.state.replace(b"a-registry-2", b"z-registry-2")
    assert forged != target.state
    backend.execute(
        f"UPDATE {backend.table} SET state = ? WHERE {backend.position} = ?",  # noqa: S608
        (forged, target.position),
    )
    tampered = audit_rows(backend)

    result = verify_rows(
        tampered, note, verifiers=TRUSTED, origin=ORIGIN, log=log.snapshot()
    )
    assert not result.ok
    fault = result.first_fault
    assert fault is not None
    assert fault.kind is FaultKind.ALTERED
    assert (fault.position, fault.index) == (target.position, 2)
    assert "state_sha256" in fault.detail
    assert result.first_bad_position == target.position
    assert log.snapshot().leaves[2].state_sha256 != hashlib.sha256(forged).hexdigest()

    # Without the log's leaves the change is still detected, only not located.
    blind = verify_rows(tampered, note, verifiers=TRUSTED, origin=ORIGIN)
    assert [f.kind for f in blind.faults] == [FaultKind.ALTERED]
    assert blind.first_bad_position is None

    # A log that does not reproduce the checkpoint cannot locate anything.
    short = TransparencyLog(ORIGIN, log.snapshot().leaves[:3]).snapshot()
    mismatch = verify_rows(tampered, log.checkpoint(), log=short)
    assert [f.kind for f in mismatch.faults] == [FaultKind.LOG_MISMATCH]


# --- T25 ---------------------------------------------------------------------------


def test_T25_a_deleted_event_is_detected(backend: Backend) -> None:
    log, note, rows = logged_store(backend)
    target = rows[1]
    backend.execute(
        f"DELETE FROM {backend.table} WHERE {backend.position} = ?",  # noqa: S608
        (target.position,),
    )
    result = verify_rows(
        audit_rows(backend), note, verifiers=TRUSTED, origin=ORIGIN, log=log.snapshot()
    )
    fault = result.first_fault
    assert fault is not None
    assert fault.kind is FaultKind.MISSING
    assert (fault.position, fault.index) == (target.position, 1)
    assert "registry@2" in fault.detail
    # The stream check also sees registry jump from version 1 to 3.
    assert any(
        f.kind is FaultKind.MISSING and f.position == rows[2].position
        for f in result.faults
    )


def test_T25_deleting_the_last_logged_rows_is_a_truncation(sqlite: Backend) -> None:
    log, note, rows = logged_store(sqlite)
    sqlite.execute("DELETE FROM stored_events WHERE rowid >= ?", (rows[4].position,))
    result = verify_rows(
        audit_rows(sqlite), note, verifiers=TRUSTED, origin=ORIGIN, log=log.snapshot()
    )
    fault = result.first_fault
    assert fault is not None
    assert fault.kind is FaultKind.TRUNCATED
    assert (fault.position, fault.index) == (rows[4].position, 4)


# --- T26 ---------------------------------------------------------------------------


def test_T26_reordered_events_are_detected(sqlite: Backend) -> None:
    log, note, rows = logged_store(sqlite)
    second, third = rows[1].position, rows[2].position
    sqlite.execute("UPDATE stored_events SET rowid = -1 WHERE rowid = ?", (second,))
    sqlite.execute(
        "UPDATE stored_events SET rowid = ? WHERE rowid = ?", (second, third)
    )
    sqlite.execute("UPDATE stored_events SET rowid = ? WHERE rowid = -1", (third,))
    tampered = audit_rows(sqlite)
    assert [(r.stream, r.version) for r in tampered[:3]] == [
        ("registry", 1),
        ("registry", 3),
        ("registry", 2),
    ]

    result = verify_rows(
        tampered, note, verifiers=TRUSTED, origin=ORIGIN, log=log.snapshot()
    )
    fault = result.first_fault
    assert fault is not None
    assert fault.kind is FaultKind.REORDERED
    assert (fault.position, fault.index) == (second, 1)
    assert "leaf 2" in fault.detail
    assert any(
        f.kind is FaultKind.REORDERED and f.position == third for f in result.faults
    )


def test_T26_bodies_swapped_between_rows_are_detected(sqlite: Backend) -> None:
    log, note, rows = logged_store(sqlite)
    sqlite.execute(
        "UPDATE stored_events SET state = ? WHERE rowid = ?",
        (rows[3].state, rows[0].position),
    )
    result = verify_rows(
        audit_rows(sqlite), note, verifiers=TRUSTED, origin=ORIGIN, log=log.snapshot()
    )
    fault = result.first_fault
    assert fault is not None
    assert fault.kind is FaultKind.REORDERED
    assert fault.position == rows[0].position


# --- T27 ---------------------------------------------------------------------------


def test_T27_a_truncated_then_rewritten_log_fails_consistency(
    sqlite: Backend,
) -> None:
    log, remembered, rows = logged_store(sqlite)
    assert log.checkpoint().size == 6

    # The operator truncates the store after registry@2 and writes a new history,
    # then rebuilds the log from scratch and signs it with the log's own key.
    sqlite.execute("DELETE FROM stored_events WHERE rowid > ?", (rows[1].position,))
    store = sqlite.store()
    try:
        record(store, "registry", 3, "b")
        record(store, "experts", 2, "b")
        forged_log = build_log(store)
    finally:
        store.close()
    forged_note = forged_log.sign(SIGNER)
    assert forged_log.size == 7

    rewritten = audit_rows(sqlite)
    # The new history reproduces its own checkpoint...
    alone = verify_rows(
        rewritten, forged_note, verifiers=TRUSTED, log=forged_log.snapshot()
    )
    assert alone.ok, alone.faults
    # ...but not the checkpoint the auditor remembers.
    result = verify_rows(
        rewritten,
        forged_note,
        verifiers=TRUSTED,
        origin=ORIGIN,
        log=forged_log.snapshot(),
        previous=remembered,
        proof=forged_log.snapshot().consistency_proof(6),
    )
    assert not result.ok
    assert {f.kind for f in result.faults} == {FaultKind.TRUNCATED}
    assert len(result.faults) == 2
    assert "consistency proof" in result.faults[0].detail
    assert "rewritten" in result.faults[1].detail


def test_T27_a_rolled_back_log_is_flagged_as_shrunk(sqlite: Backend) -> None:
    _, remembered, rows = logged_store(sqlite)
    sqlite.execute("DELETE FROM stored_events WHERE rowid > ?", (rows[2].position,))
    store = sqlite.store()
    try:
        rolled_back = build_log(store)
    finally:
        store.close()
    result = verify_rows(
        audit_rows(sqlite),
        rolled_back.sign(SIGNER),
        verifiers=TRUSTED,
        previous=remembered,
    )
    fault = result.first_fault
    assert fault is not None
    assert fault.kind is FaultKind.TRUNCATED
    assert "shrank" in fault.detail


def test_T27_an_honestly_grown_log_is_consistent_with_the_remembered_one(
    sqlite: Backend,
) -> None:
    log, remembered, _ = logged_store(sqlite)
    store = sqlite.store()
    try:
        record(store, "experts", 3, "c")
        log.append_rows(iter_rows(store, after_position=log.last_position))
    finally:
        store.close()
    result = verify_rows(
        audit_rows(sqlite),
        log.sign(SIGNER),
        verifiers=TRUSTED,
        origin=ORIGIN,
        log=log.snapshot(),
        previous=remembered,
        proof=log.snapshot().consistency_proof(6),
    )
    assert result.ok, result.faults
    assert result.rows == 9


# --- T28 ---------------------------------------------------------------------------


def test_T28_a_split_view_is_detected_with_both_notes_as_evidence(
    sqlite: Backend,
) -> None:
    log, shown_to_a, rows = logged_store(sqlite)
    sqlite.execute(
        "UPDATE stored_events SET state = ? WHERE rowid = ?",
        (rows[0].state + b" ", rows[0].position),
    )
    store = sqlite.store()
    try:
        fork = build_log(store)
    finally:
        store.close()
    shown_to_b = fork.sign(SIGNER)
    a = open_checkpoint(shown_to_a, TRUSTED, origin=ORIGIN)
    b = open_checkpoint(shown_to_b, TRUSTED, origin=ORIGIN)

    evidence = detect_split_view(a, b)
    assert evidence is not None
    assert (evidence.origin, evidence.size) == (ORIGIN, 6)
    assert (evidence.first, evidence.second) == (shown_to_a, shown_to_b)
    # Either note convinces a third party on its own: both carry the log's key.
    for note in (evidence.first, evidence.second):
        assert open_checkpoint(note, TRUSTED, origin=ORIGIN).key_name == "untoc-log"

    assert detect_split_view(a, a) is None
    older = open_checkpoint(
        TransparencyLog(ORIGIN, log.snapshot().leaves[:3]).sign(SIGNER),
        TRUSTED,
    )
    assert detect_split_view(a, older) is None


# --- T29 ---------------------------------------------------------------------------


def _edit_body(note: str, line: int, value: str) -> str:
    parsed = SignedNote.parse(note)
    lines = parsed.text.split("\n")
    lines[line] = value
    return attrs.evolve(parsed, text="\n".join(lines)).to_text()


@pytest.fixture
def signed_note() -> str:
    log = TransparencyLog(ORIGIN)
    log.append_rows(
        StoredRow(position=p, stream="s", version=p, topic="t", state=bytes([p]))
        for p in range(1, 6)
    )
    return log.sign(SIGNER)


def test_T29_an_edited_checkpoint_an_unknown_key_or_a_wrong_origin_is_rejected(
    signed_note: str,
) -> None:
    opened = open_checkpoint(signed_note, TRUSTED, origin=ORIGIN)
    assert opened.checkpoint.size == 5
    other_root = base64.b64encode(hashlib.sha256(b"x").digest()).decode()
    edits = {
        "size": _edit_body(signed_note, 1, "6"),
        "root": _edit_body(signed_note, 2, other_root),
        "origin": _edit_body(signed_note, 0, "evil.example/log"),
    }
    for what, note in edits.items():
        with pytest.raises(CheckpointRejected, match="does not verify"):
            open_checkpoint(note, TRUSTED)
        result = verify_rows([], note, verifiers=TRUSTED)
        assert [f.kind for f in result.faults] == [FaultKind.BAD_SIGNATURE], what

    stranger = Ed25519CheckpointSigner.generate("untoc-log")
    with pytest.raises(CheckpointRejected, match="no trusted key"):
        open_checkpoint(signed_note, [stranger.verifier()])
    with pytest.raises(CheckpointRejected, match="no trusted key"):
        open_checkpoint(signed_note, [])
    with pytest.raises(CheckpointRejected, match=r"expected 'another\.example/log'"):
        open_checkpoint(signed_note, TRUSTED, origin="another.example/log")
    wrong_origin = verify_rows([], signed_note, verifiers=TRUSTED, origin="x/y")
    assert wrong_origin.first_fault is not None
    assert wrong_origin.first_fault.kind is FaultKind.BAD_SIGNATURE


def test_T29_a_forged_signature_under_the_trusted_name_and_id_is_rejected(
    signed_note: str,
) -> None:
    parsed = SignedNote.parse(signed_note)
    sig = parsed.signatures[0]
    forged = attrs.evolve(sig, signature=bytes(64))
    note = attrs.evolve(parsed, signatures=(forged,)).to_text()
    with pytest.raises(CheckpointRejected, match="untoc-log does not verify"):
        open_checkpoint(note, TRUSTED)


def test_T29_extra_signatures_by_unknown_keys_are_ignored(signed_note: str) -> None:
    witness = Ed25519CheckpointSigner.generate("witness.example")
    cosigned = add_signature(signed_note, witness)
    assert len(SignedNote.parse(cosigned).signatures) == 2
    assert open_checkpoint(cosigned, TRUSTED).key_name == "untoc-log"
    assert open_checkpoint(cosigned, [witness.verifier()]).key_name == "witness.example"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda n: n.replace("\n\n", "\n"),  # no blank line
        lambda n: n.replace("\u2014", "-"),  # not an em dash
        lambda n: n.rstrip("\n"),  # no final newline
        lambda n: n.replace("\n", "\r\n"),  # CR LF
        lambda n: n.split("\n\n")[0] + "\n\n",  # no signature
        lambda n: n[:-3] + "!=\n",  # bad base64
        lambda n: n.replace("untoc-log ", "untoc log "),  # space in the name
        lambda n: n.replace("\n5\n", "\n05\n"),  # leading zero in the size
        lambda n: n.replace("\n5\n", "\n+5\n"),
        lambda n: n.replace(ORIGIN + "\n", "\n", 1),  # empty origin
        lambda n: "\n".join(n.split("\n")[:1] + n.split("\n")[3:]),  # no size, root
        lambda n: n + "x" * (1 << 20),  # far too long
    ],
)
def test_T29_malformed_notes_are_rejected(
    signed_note: str, mangle: Callable[[str], str]
) -> None:
    with pytest.raises(CheckpointRejected):
        open_checkpoint(mangle(signed_note), TRUSTED)


def test_T29_the_key_id_and_verifier_key_follow_the_signed_note_rules() -> None:
    verifier = SIGNER.verifier()
    material = b"untoc-log\n\x01" + SIGNER.public_key
    assert SIGNER.key_id == hashlib.sha256(material).digest()[:4]
    assert ed25519_key_id("untoc-log", SIGNER.public_key) == SIGNER.key_id
    again = Ed25519SignatureVerifier.from_vkey(verifier.vkey)
    assert (again.key_name, again.key_id) == (verifier.key_name, verifier.key_id)
    name, key_id, key = verifier.vkey.split("+", 2)
    with pytest.raises(InvalidInput, match="does not match"):
        Ed25519SignatureVerifier.from_vkey(f"other+{key_id}+{key}")
    with pytest.raises(InvalidInput):
        Ed25519CheckpointSigner.generate("bad name")
    assert Ed25519CheckpointSigner.from_private_bytes(
        name, SIGNER.private_bytes()
    ).public_key == (SIGNER.public_key)


def test_T29_a_checkpoint_body_round_trips_and_refuses_bad_values() -> None:
    cp = Checkpoint(origin=ORIGIN, size=3, root=bytes(32), extensions=("ext 1",))
    assert Checkpoint.parse(cp.to_text()) == cp
    with pytest.raises(InvalidInput):
        Checkpoint(origin="", size=0, root=bytes(32))
    with pytest.raises(InvalidInput):
        Checkpoint(origin=ORIGIN, size=0, root=bytes(31))
    with pytest.raises(CheckpointRejected):
        Checkpoint.parse(f"{ORIGIN}\n3\n{base64.b64encode(bytes(31)).decode()}\n")


# --- T30 ---------------------------------------------------------------------------


def test_T30_an_old_event_re_appended_is_flagged(sqlite: Backend) -> None:
    log, note, rows = logged_store(sqlite)
    old = rows[0]
    sqlite.execute(
        "INSERT INTO stored_events (originator_id, originator_version, topic, state) "
        "VALUES (?, ?, ?, ?)",
        (old.stream, 5, old.topic, old.state),
    )
    replayed = audit_rows(sqlite)
    assert len(replayed) == 7
    position = replayed[-1].position

    # Before the log takes the row: the checkpoint still verifies, the row is new.
    result = verify_rows(
        replayed, note, verifiers=TRUSTED, origin=ORIGIN, log=log.snapshot()
    )
    assert result.unlogged == 1
    assert [(f.kind, f.position) for f in result.faults] == [
        (FaultKind.REPLAYED, position)
    ]
    assert f"position {old.position}" in result.faults[0].detail

    # After the log takes it, it stays flagged.
    log.append_rows(replayed[6:])
    later = verify_rows(
        replayed, log.sign(SIGNER), verifiers=TRUSTED, log=log.snapshot()
    )
    assert later.first_fault is not None
    assert (later.first_fault.kind, later.first_fault.position) == (
        FaultKind.REPLAYED,
        position,
    )


def test_T30_the_same_stream_version_twice_is_flagged() -> None:
    rows = [
        StoredRow(position=1, stream="s", version=1, topic="t", state=b"one"),
        StoredRow(position=2, stream="s", version=2, topic="t", state=b"two"),
        StoredRow(position=7, stream="s", version=1, topic="t", state=b"again"),
    ]
    result = verify_rows(rows)
    assert [(f.kind, f.position) for f in result.faults] == [(FaultKind.REPLAYED, 7)]
    assert "s@1 appears a second time" in result.faults[0].detail
    with pytest.raises(InvalidInput, match="increasing position order"):
        verify_rows(list(reversed(rows)))


def test_T30_the_sqlite_store_refuses_a_replay_at_the_original_version(
    sqlite: Backend,
) -> None:
    _, _, rows = logged_store(sqlite)
    old = rows[0]
    with pytest.raises(sqlite3.IntegrityError):
        sqlite.execute(
            "INSERT INTO stored_events "
            "(originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
            (old.stream, old.version, old.topic, old.state),
        )
