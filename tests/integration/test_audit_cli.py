"""``untoc audit`` on SQLite and PostgreSQL: the log, checkpoints, tampering, report.

Each tamper test changes the stored rows with SQL after ``audit log``, as someone
with write access to the database would, and checks that ``audit verify`` fails
and names the position. The auditor needs no decryption key.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.cli_run import run_cli
from untoc_adapters.bootstrap import open_vault
from untoc_adapters.cli.main import app
from untoc_adapters.settings import Settings
from untoc_core.confidentiality import PrincipalKind, Scope

PG_URL = os.environ.get(
    "UNTOC_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@attrs.define
class Backend:
    """A data dir on one backend, and raw SQL on its events table."""

    data_dir: Path
    execute: Callable[[str, tuple[object, ...]], list[tuple[Any, ...]]]
    table: str
    position: str

    def untoc(self, *args: str) -> tuple[int, str, str]:
        return run_cli(app, self.data_dir, *args)


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite data dir with the shipped registry, logged and checkpointed once."""
    data_dir = tmp_path_factory.mktemp("audit") / "data"
    for args in (("init",), ("audit", "log")):
        code, _, err = run_cli(app, data_dir, *args)
        assert code == 0, err
    return data_dir


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Backend]:
    if request.param == "sqlite":
        import sqlite3  # noqa: PLC0415 - only for this variant

        data_dir = tmp_path / "data"
        shutil.copytree(request.getfixturevalue("sqlite_template"), data_dir)

        def sqlite_execute(
            statement: str, params: tuple[object, ...]
        ) -> list[tuple[Any, ...]]:
            with sqlite3.connect(data_dir / "events.sqlite3") as db:
                return list(db.execute(statement, params).fetchall())

        yield Backend(data_dir, sqlite_execute, "stored_events", "rowid")
        return
    import psycopg  # noqa: PLC0415 - only for this variant

    schema = request.getfixturevalue("pg_schema")
    monkeypatch.setenv("UNTOC_STORE", "postgres")
    monkeypatch.setenv("UNTOC_STORE_URL", f"{PG_URL}?schema={schema}")
    data_dir = tmp_path / "data"
    for args in (("init",), ("audit", "log")):
        code, _, err = run_cli(app, data_dir, *args)
        assert code == 0, err

    def pg_execute(statement: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            cursor = conn.execute(statement.replace("?", "%s"), params)
            return list(cursor.fetchall()) if cursor.description else []

    yield Backend(data_dir, pg_execute, f'"{schema}".untoc_events', "notification_id")


def verify(backend: Backend, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out, err = backend.untoc("audit", "verify", "--json", *extra)
    assert out, err
    document = json.loads(out)
    assert isinstance(document, dict)
    return code, document


def state_of(backend: Backend, position: int) -> bytes:
    ((state,),) = backend.execute(
        f"SELECT state FROM {backend.table} WHERE {backend.position} = ?",  # noqa: S608
        (position,),
    )
    return bytes(state)


def set_state(backend: Backend, position: int, state: bytes) -> None:
    backend.execute(
        f"UPDATE {backend.table} SET state = ? WHERE {backend.position} = ?",  # noqa: S608
        (state, position),
    )


def test_an_untouched_history_verifies_against_its_signed_checkpoint(
    backend: Backend,
) -> None:
    code, document = verify(backend)
    assert code == 0
    assert document["ok"] is True
    assert document["signed"] is True
    assert document["rows"] == document["checkpoint_size"] > 1000


def test_a_changed_byte_is_named_at_its_position(backend: Backend) -> None:
    state = state_of(backend, 7)
    set_state(backend, 7, state[:-1] + bytes([state[-1] ^ 1]))
    code, document = verify(backend)
    assert code == 1
    assert document["first_bad_position"] == 7
    assert document["faults"][0]["kind"] == "altered"


def test_a_deleted_row_is_named(backend: Backend) -> None:
    backend.execute(
        f"DELETE FROM {backend.table} WHERE {backend.position} = ?",  # noqa: S608
        (11,),
    )
    code, document = verify(backend)
    assert code == 1
    assert document["first_bad_position"] == 11


def test_two_swapped_rows_are_named(backend: Backend) -> None:
    first, second = state_of(backend, 20), state_of(backend, 21)
    set_state(backend, 20, second)
    set_state(backend, 21, first)
    code, document = verify(backend)
    assert code == 1
    assert document["first_bad_position"] == 20


def test_a_truncated_and_re_appended_history_fails_against_a_kept_checkpoint(
    backend: Backend, tmp_path: Path
) -> None:
    code, out, err = backend.untoc("audit", "verify", "--json")
    assert code == 0, err
    kept_size = json.loads(out)["checkpoint_size"]
    note = _latest_note(backend)
    kept = tmp_path / "kept.note"
    kept.write_text(note, encoding="utf-8")
    backend.execute(
        f"DELETE FROM {backend.table} WHERE {backend.position} > ?",  # noqa: S608
        (kept_size - 50,),
    )
    code, _, err = backend.untoc(
        "conference", "adopt-default", "--decision", "resolution 5/5",
        "--adopted-on", "2010-10-22", "--starts-on", "2027-01-01",
    )  # fmt: skip
    assert code == 0, err  # new rows recorded after the truncation
    code, document = verify(backend, "--checkpoint", str(kept))
    assert code == 1
    assert document["faults"]
    assert document["first_bad_position"] == kept_size - 49


def _latest_note(backend: Backend) -> str:
    if backend.position == "rowid":
        import sqlite3  # noqa: PLC0415 - the SQLite log beside the store

        with sqlite3.connect(backend.data_dir / "tlog.sqlite3") as db:
            (note,) = db.execute(
                "SELECT note FROM untoc_tlog_checkpoints ORDER BY size DESC LIMIT 1"
            ).fetchone()
        return str(note)
    schema = backend.table.split(".")[0]
    ((note,),) = backend.execute(
        f"SELECT note FROM {schema}.untoc_tlog_checkpoints "  # noqa: S608
        "ORDER BY size DESC LIMIT 1",
        (),
    )
    return str(note)


def test_a_row_rewritten_as_text_is_named_not_a_crash(
    sqlite_template: Path, tmp_path: Path
) -> None:
    import sqlite3  # noqa: PLC0415

    data_dir = tmp_path / "data"
    shutil.copytree(sqlite_template, data_dir)
    with sqlite3.connect(data_dir / "events.sqlite3") as db:
        db.execute("UPDATE stored_events SET state = 'nothing here' WHERE rowid = 9")
    code, out, _ = run_cli(app, data_dir, "audit", "verify", "--json")
    assert code == 1
    assert json.loads(out)["first_bad_position"] == 9


def test_the_report_holds_integrity_and_every_control(
    sqlite_template: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(sqlite_template, data_dir)
    out = tmp_path / "report"
    code, text, err = run_cli(
        app, data_dir, "audit", "report", "--from", "2000-01-01", "--to",
        "2100-01-01", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "5/5 controls pass" in text
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert document["integrity"]["ok"] is True
    assert {c["name"] for c in document["controls"]} >= {
        "grants-authorised",
        "no-access-after-revocation",
    }
    assert "<h1>Audit of confidentiality" in (out / "report.html").read_text(
        encoding="utf-8"
    )


def test_the_verifier_key_is_printed_for_auditors(
    sqlite_template: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(sqlite_template, data_dir)
    code, out, err = run_cli(app, data_dir, "audit", "key")
    assert code == 0, err
    assert out.startswith("untoc.review-mechanism/log+")
    code, text, _ = run_cli(
        app, data_dir, "audit", "verify", "--json", "--trust", out.strip()
    )
    assert code == 0
    assert json.loads(text)["ok"] is True


def test_the_history_still_verifies_after_crypto_shredding(
    sqlite_template: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(sqlite_template, data_dir)
    vault = open_vault(Settings(data_dir=data_dir))
    try:
        for code in ("ARG", "BRA", "CHL"):
            vault.register(code, PrincipalKind.STATE_FOCAL_POINT, code)
        vault.register("secretariat", PrincipalKind.SECRETARIAT)
        vault.mechanism.open_scope("cycle-1/ARG", Scope.DOSSIER, ["BRA", "CHL"])
        vault.file("BRA", "cycle-1/ARG", Scope.DOSSIER, "desk-review", b"findings")
    finally:
        vault.mechanism.store.close()
    for args in (("audit", "log"), ("access", "shred", "cycle-1/ARG", "--yes")):
        code, _, err = run_cli(app, data_dir, *args)
        assert code == 0, err
    code, out, err = run_cli(app, data_dir, "audit", "verify", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["ok"] is True
    assert document["unlogged"] == 1  # the shredding, recorded after the last log


ADOPT = (
    "conference", "adopt-default", "--decision", "resolution 5/5",
    "--adopted-on", "2010-10-22", "--starts-on", "2027-01-01",
)  # fmt: skip


def test_a_witness_cosigns_only_a_log_that_extends_what_it_cosigned(
    sqlite_template: Path, tmp_path: Path
) -> None:
    honest, forked = tmp_path / "honest", tmp_path / "forked"
    shutil.copytree(sqlite_template, honest)
    shutil.copytree(sqlite_template, forked)  # the same log key, a second history
    key_file = tmp_path / "witness.key"
    code, vkey, err = run_cli(
        app, honest, "audit", "witness-key", "--out", str(key_file)
    )
    assert code == 0, err
    assert key_file.stat().st_mode & 0o077 == 0
    first = tmp_path / "first.note"
    code, _, err = run_cli(
        app, honest, "audit", "cosign", "--witness-key", str(key_file),
        "--out", str(first),
    )  # fmt: skip
    assert code == 0, err
    # The honest log grows; the forked one records something else at the same size.
    for data_dir, args in (
        (honest, ADOPT),
        (forked, (*ADOPT[:3], "another decision", *ADOPT[4:])),
    ):
        for each in (args, ("audit", "log")):
            code, _, err = run_cli(app, data_dir, *each)
            assert code == 0, err
    second = tmp_path / "second.note"
    code, _, err = run_cli(
        app, honest, "audit", "cosign", "--witness-key", str(key_file),
        "--previous", str(first), "--out", str(second),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run_cli(
        app, honest, "audit", "verify", "--json", "--checkpoint", str(second),
        "--witness", vkey.strip(),
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["missing_cosignatures"] == []
    code, out, _ = run_cli(
        app, honest, "audit", "verify", "--json", "--checkpoint", str(first),
        "--witness", vkey.strip(), "--witness",
        run_cli(app, honest, "audit", "witness-key", "--out",
                str(tmp_path / "other.key"))[1].strip(),
    )  # fmt: skip
    assert code == 1
    assert json.loads(out)["missing_cosignatures"] == ["untoc.witness"]
    code, _, err = run_cli(
        app, forked, "audit", "cosign", "--witness-key", str(key_file),
        "--previous", str(second), "--out", str(tmp_path / "refused.note"),
    )  # fmt: skip
    assert code == 1
    assert "refused to cosign" in err


def test_each_leaf_holds_the_time_it_was_logged(
    sqlite_template: Path, tmp_path: Path
) -> None:
    import sqlite3  # noqa: PLC0415

    data_dir = tmp_path / "data"
    shutil.copytree(sqlite_template, data_dir)
    with sqlite3.connect(data_dir / "tlog.sqlite3") as db:
        (data,) = db.execute(
            "SELECT data FROM untoc_tlog_leaves ORDER BY idx LIMIT 1"
        ).fetchone()
    leaf = json.loads(data)
    assert set(leaf) == {"v", "pos", "nid", "id", "ver", "topic", "state_sha256", "at"}
    assert leaf["at"].endswith("Z")


def test_verify_opens_no_key_service(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The auditor holds no key: with no usable key service, verify still runs."""
    data_dir = tmp_path / "data"
    shutil.copytree(sqlite_template, data_dir)
    monkeypatch.setenv("UNTOC_KEY_SERVICE", "no-such-key-service")
    code, out, err = run_cli(app, data_dir, "audit", "verify", "--json")
    assert code == 0, err
    assert json.loads(out)["ok"] is True
    code, _, err = run_cli(app, data_dir, "audit", "log")
    assert code == 1  # signing needs the log's private key, through the key service
    assert "no-such-key-service" in err


def test_every_stored_checkpoint_is_checked_not_only_the_latest(
    sqlite_template: Path, tmp_path: Path
) -> None:
    import sqlite3  # noqa: PLC0415

    data_dir = tmp_path / "data"
    shutil.copytree(sqlite_template, data_dir)
    for args in (ADOPT, ("audit", "log")):
        code, _, err = run_cli(app, data_dir, *args)
        assert code == 0, err
    with sqlite3.connect(data_dir / "tlog.sqlite3") as db:
        triggers = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        for (name,) in triggers:  # someone who owns the database drops them
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute(
            "UPDATE untoc_tlog_checkpoints SET note = replace(note, '\n1', '\n9') "
            "WHERE size = (SELECT min(size) FROM untoc_tlog_checkpoints)"
        )
    code, out, _ = run_cli(app, data_dir, "audit", "verify", "--json")
    assert code == 1
    assert json.loads(out)["faults"][0]["kind"] == "bad-signature"
