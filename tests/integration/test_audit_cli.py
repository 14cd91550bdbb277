"""``untoc audit`` on a SQLite data dir: the log, its checkpoints, tampering, report.

The auditor needs no decryption key: each check reads only stored bytes and the
plain access streams.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.cli_run import run_cli
from untoc_adapters.cli.main import app


def untoc(data_dir: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(app, data_dir, *args)


@pytest.fixture(scope="module")
def logged_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the shipped registry, logged and checkpointed once."""
    data_dir = tmp_path_factory.mktemp("audit") / "data"
    for args in (("init",), ("audit", "log")):
        code, _, err = untoc(data_dir, *args)
        assert code == 0, err
    return data_dir


@pytest.fixture
def data_dir(logged_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(logged_template, copy)
    return copy


def verify(data_dir: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out, err = untoc(data_dir, "audit", "verify", "--json", *extra)
    assert out, err
    document = json.loads(out)
    assert isinstance(document, dict)
    return code, document


def sql(data_dir: Path, statement: str, *params: object) -> None:
    with sqlite3.connect(data_dir / "events.sqlite3") as db:
        db.execute(statement, params)


def test_an_untouched_history_verifies_against_its_signed_checkpoint(
    data_dir: Path,
) -> None:
    code, document = verify(data_dir)
    assert code == 0
    assert document["ok"] is True
    assert document["signed"] is True
    assert document["rows"] == document["checkpoint_size"] > 1000


def test_a_changed_byte_is_named_at_its_position(data_dir: Path) -> None:
    sql(
        data_dir,
        "UPDATE stored_events SET state = CAST(state AS BLOB) || x'20' WHERE rowid = 7",
    )
    code, document = verify(data_dir)
    assert code == 1
    assert document["first_bad_position"] == 7
    assert document["faults"][0]["kind"] == "altered"


def test_a_row_rewritten_as_text_is_named_not_a_crash(data_dir: Path) -> None:
    sql(data_dir, "UPDATE stored_events SET state = 'nothing here' WHERE rowid = 9")
    code, document = verify(data_dir)
    assert code == 1
    assert document["first_bad_position"] == 9


def test_a_deleted_row_is_named(data_dir: Path) -> None:
    sql(data_dir, "DELETE FROM stored_events WHERE rowid = 11")
    code, document = verify(data_dir)
    assert code == 1
    assert document["first_bad_position"] == 11
    assert document["faults"][0]["kind"] in {"missing", "altered"}


def test_a_truncated_and_rewritten_history_fails_against_a_kept_checkpoint(
    data_dir: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(data_dir / "tlog.sqlite3") as db:
        (note,) = db.execute(
            "SELECT note FROM untoc_tlog_checkpoints ORDER BY size DESC LIMIT 1"
        ).fetchone()
    kept = tmp_path / "kept.note"
    kept.write_text(note, encoding="utf-8")
    sql(data_dir, "DELETE FROM stored_events WHERE rowid > 1000")
    code, document = verify(data_dir, "--checkpoint", str(kept))
    assert code == 1
    assert document["faults"]


def test_the_report_holds_integrity_and_every_control(
    data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    code, text, err = untoc(
        data_dir, "audit", "report", "--from", "2000-01-01", "--to", "2100-01-01",
        "--out", str(out),
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


def test_the_verifier_key_is_printed_for_auditors(data_dir: Path) -> None:
    code, out, err = untoc(data_dir, "audit", "key")
    assert code == 0, err
    assert out.startswith("untoc.review-mechanism/log+")
    code, document = verify(data_dir, "--trust", out.strip())
    assert code == 0
    assert document["ok"] is True
