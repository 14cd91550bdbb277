"""``untoc access`` and ``untoc material``, end to end on the embedded SQLite store.

Arcadia (ARC) is under review by Borduria (BRD) and Carpathia (CRP); Elbonia (ELB)
takes no part in it; Genovia (GNV) asks for its report. Every principal's keys are
made and held in the test's data folder, through ``untoc access principal add``.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tests.cli_run import flat
from tests.vault_world import registry_csv
from untoc_adapters.cli.main import app
from untoc_core.confidentiality import ACCESS_DENIED_MESSAGE

REVIEW = "cycle-1/ARC"
FINDINGS = b"Desk review: the offence of article 5 is not yet criminalised.\n"
SECTION_III = b"Section III: successes and good practices in cooperation.\n"
DENIED = f"[ToR-30] {ACCESS_DENIED_MESSAGE}"
STATES = ("ARC", "BRD", "CRP", "ELB", "GNV")
_KID = re.compile(r"[0-9a-f]{32}")

runner = CliRunner()


def invoke(data_dir: Path, *args: str, stdin: bytes | None = None) -> Result:
    """Run ``untoc --data-dir DATA_DIR ARGS...``."""
    return runner.invoke(app, ["--data-dir", str(data_dir), *args], input=stdin)


def ok(data_dir: Path, *args: str, stdin: bytes | None = None) -> Result:
    """Run a command that must succeed."""
    result = invoke(data_dir, *args, stdin=stdin)
    assert result.exit_code == 0, result.stderr
    return result


def file_as(
    data_dir: Path,
    principal: str,
    source: Path,
    *,
    scope: str = "dossier",
    section: str = "desk-review",
) -> Result:
    """File the bytes of ``source`` as ``principal``, which must succeed."""
    return ok(
        data_dir, "material", "file", REVIEW, scope, section, "--from", str(source),
        "--as", principal,
    )  # fmt: skip


def read_as(data_dir: Path, principal: str, *extra: str) -> Result:
    """Read the desk review as ``principal``; the result is checked by the caller."""
    return invoke(
        data_dir, "material", "read", REVIEW, "dossier", "desk-review", "--as",
        principal, *extra,
    )  # fmt: skip


def json_of(result: Result) -> dict[str, Any]:
    """The one JSON object a command printed."""
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


@pytest.fixture(autouse=True)
def _no_principal_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNTOC_PRINCIPAL", raising=False)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional States, their principals and an open review, made once."""
    root = tmp_path_factory.mktemp("template")
    folder = root / "data"
    registry = root / "fictional-states.csv"
    registry.write_text(registry_csv(), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("UNTOC_PRINCIPAL", raising=False)
        ok(folder, "parties", "import", str(registry))
        for code in STATES:
            ok(folder, "access", "principal", "add", code, "--kind", "state",
               "--state", code)  # fmt: skip
        ok(folder, "access", "principal", "add", "secretariat", "--kind", "secretariat")
        ok(folder, "access", "principal", "add", "auditor", "--kind", "auditor")
        ok(folder, "access", "open", REVIEW, "--reviewers", "BRD,CRP")
    return folder


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    """A copy of the template data folder, for one test to change."""
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    return folder


@pytest.fixture
def findings(tmp_path: Path) -> Path:
    path = tmp_path / "desk-review.txt"
    path.write_bytes(FINDINGS)
    return path


def test_principal_add_prints_the_fingerprints_that_list_shows(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    registry = tmp_path / "states.csv"
    registry.write_text(registry_csv(), encoding="utf-8")
    ok(folder, "parties", "import", str(registry))
    added = ok(
        folder,
        "access",
        "principal",
        "add",
        "BRD",
        "--kind",
        "state",
        "--state",
        "brd",
        "--suite",
        "x25519",
    )
    kids = _KID.findall(added.stdout)
    assert len(kids) == 2
    listed = json_of(ok(folder, "access", "principal", "list", "--json"))
    assert listed["principals"] == [
        {
            "principal": "BRD",
            "kind": "state_focal_point",
            "state": "BRD",
            "encryption_kid": kids[0],
            "signing_kid": kids[1],
            "encryption_suite": "x25519",
            "keys_held_here": True,
        }
    ]
    again = invoke(
        folder, "access", "principal", "add", "BRD", "--kind", "state", "--state", "BRD"
    )
    assert again.exit_code == 1
    assert "already registered" in again.stderr


def test_a_principal_refused_can_be_added_again_once_corrected(
    data: Path,
) -> None:
    unknown = invoke(data, "access", "principal", "add", "DYS", "--kind", "state",
                     "--state", "ZZZ")  # fmt: skip
    assert unknown.exit_code == 1
    assert "ZZZ" in flat(unknown.stderr)
    no_state = invoke(data, "access", "principal", "add", "DYS", "--kind", "state")
    assert no_state.exit_code == 2
    ok(data, "access", "principal", "add", "DYS", "--kind", "state", "--state", "DYS")


def test_opening_a_review_prints_who_was_granted(data: Path, tmp_path: Path) -> None:
    result = ok(data, "access", "open", "cycle-1/DYS", "--reviewers", "elb, frd")
    # FRD has no registered principal: nobody is granted for it.
    assert "Opened the dossier of cycle-1/DYS at epoch 1 (reviewers: ELB, FRD)" in (
        result.stdout
    )
    for scope in ("dossier", "final", "summary"):
        assert f"Granted ELB the {scope} at epoch 1 (ToR-18 reviewer)" in result.stdout
        assert f"Granted secretariat the {scope} at epoch 1" in result.stdout
    assert "Granted FRD" not in result.stdout


def test_a_reviewer_reads_what_the_other_filed_and_an_outsider_gets_nothing(
    data: Path, findings: Path
) -> None:
    filed = file_as(data, "BRD", findings)
    assert "version 1" in filed.stdout
    assert FINDINGS.decode() not in filed.stdout
    read = read_as(data, "CRP")
    assert read.exit_code == 0
    assert read.stdout_bytes == FINDINGS
    refused = read_as(data, "ELB")
    assert refused.exit_code == 1
    assert refused.stdout_bytes == b""
    assert flat(refused.stderr) == f"error: {DENIED}"


def test_material_can_be_filed_from_standard_input(data: Path) -> None:
    ok(
        data, "material", "file", REVIEW, "dossier", "notes", "--from", "-",
        "--as", "CRP", stdin=FINDINGS,
    )  # fmt: skip
    read = ok(data, "material", "read", REVIEW, "dossier", "notes", "--as", "BRD")
    assert read.stdout_bytes == FINDINGS


def test_read_out_writes_a_file_only_its_owner_reads(
    data: Path, findings: Path, tmp_path: Path
) -> None:
    file_as(data, "BRD", findings)
    out = tmp_path / "copy.txt"
    result = read_as(data, "ARC", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout_bytes == b""
    assert out.read_bytes() == FINDINGS
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # A file that existed with a wider mode is narrowed before it is written.
    out.write_bytes(b"old")
    out.chmod(0o644)
    assert read_as(data, "ARC", "--out", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes() == FINDINGS


def test_a_refused_read_leaves_no_out_file(
    data: Path, findings: Path, tmp_path: Path
) -> None:
    file_as(data, "BRD", findings)
    out = tmp_path / "copy.txt"
    refused = read_as(data, "GNV", "--out", str(out))
    assert refused.exit_code == 1
    assert not out.exists()


def test_a_published_section_is_read_by_anyone(data: Path, tmp_path: Path) -> None:
    section = tmp_path / "section-3.txt"
    section.write_bytes(SECTION_III)
    ok(
        data, "material", "file", REVIEW, "final", "section-3", "--from",
        str(section), "--as", "BRD",
    )  # fmt: skip
    before = invoke(data, "material", "published", REVIEW, "section-3")
    assert before.exit_code == 1
    assert DENIED in flat(before.stderr)
    refused = invoke(data, "access", "publish", REVIEW, "section-3", "--as", "BRD")
    assert refused.exit_code == 1
    assert "[ToR-36]" in flat(refused.stderr)
    ok(data, "access", "publish", REVIEW, "section-3", "--as", "ARC")
    after = ok(data, "material", "published", REVIEW, "section-3")
    assert after.stdout_bytes == SECTION_III


def test_consent_is_signed_by_the_party_under_review_only(data: Path) -> None:
    ok(data, "access", "request", REVIEW, "--as", "GNV")
    refused = invoke(data, "access", "consent", REVIEW, "GNV", "--as", "ELB")
    assert refused.exit_code == 1
    assert flat(refused.stderr).startswith("error: [ToR-37]")
    given = ok(data, "access", "consent", REVIEW, "GNV", "--as", "ARC")
    assert "ARC consented, signed, to the request of GNV" in given.stdout
    assert "Granted GNV the final at epoch 1 (ToR-37 consent)" in given.stdout


def test_the_auditor_sees_allowed_and_denied_reads_in_the_log(
    data: Path, findings: Path
) -> None:
    file_as(data, "BRD", findings)
    assert read_as(data, "CRP").exit_code == 0
    assert read_as(data, "ELB").exit_code == 1
    refused = invoke(data, "access", "log", REVIEW, "--as", "ELB")
    assert refused.exit_code == 1
    assert DENIED in flat(refused.stderr)
    document = json_of(ok(data, "access", "log", REVIEW, "--as", "auditor", "--json"))
    reads = [
        (e["principal"], e["outcome"], e["section"], e["basis"])
        for e in document["entries"]
        if e["action"] == "read"
    ]
    assert reads == [
        ("CRP", "allow", "desk-review", "ToR-18 reviewer"),
        ("ELB", "deny", "desk-review", "ToR-30"),
    ]
    denied = next(e for e in document["entries"] if e["outcome"] == "deny")
    assert denied["role"] == "outsider"
    assert denied["reason"]
    assert denied["recorded_at"]
    assert document["entries"][-1]["principal"] == "auditor"
    assert FINDINGS.decode() not in json.dumps(document)


def test_the_default_principal_comes_from_untoc_principal(
    data: Path, findings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNTOC_PRINCIPAL", "BRD")
    ok(
        data,
        "material",
        "file",
        REVIEW,
        "dossier",
        "desk-review",
        "--from",
        str(findings),
    )
    listed = json_of(ok(data, "material", "list", REVIEW, "--json"))
    assert [(f["section"], f["filed_by"]) for f in listed["filed"]] == [
        ("desk-review", "BRD")
    ]
    monkeypatch.setenv("UNTOC_PRINCIPAL", "ELB")
    refused = invoke(data, "material", "read", REVIEW, "dossier", "desk-review")
    assert refused.exit_code == 1
    assert refused.stdout_bytes == b""
    # --as overrides the environment.
    read = read_as(data, "CRP")
    assert read.exit_code == 0
    assert read.stdout_bytes == FINDINGS


def test_material_list_is_decided_and_shows_no_content(
    data: Path, findings: Path
) -> None:
    file_as(data, "BRD", findings)
    listed = json_of(ok(data, "material", "list", REVIEW, "--as", "ARC", "--json"))
    (filing,) = listed["filed"]
    assert filing["scope"] == "dossier"
    assert filing["version"] == 1
    assert filing["epoch"] == 1
    assert filing["size"] > len(FINDINGS)
    assert filing["in_blob_store"] is False
    refused = invoke(data, "material", "list", REVIEW, "--as", "ELB")
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert DENIED in flat(refused.stderr)


def test_replacing_a_reviewer_keeps_it_out_of_new_material(
    data: Path, findings: Path
) -> None:
    replaced = ok(
        data, "access", "replace", REVIEW, "--reviewers", "BRD,ELB", "--reason",
        "CRP deferred its review (ToR 20)",
    )  # fmt: skip
    assert "Revoked CRP from the dossier at epoch 1" in replaced.stdout
    assert "Granted ELB the dossier at epoch 2" in replaced.stdout
    file_as(data, "ELB", findings)
    refused = read_as(data, "CRP")
    assert refused.exit_code == 1


def test_shred_needs_yes(data: Path) -> None:
    refused = invoke(data, "access", "shred", REVIEW)
    assert refused.exit_code == 2
    assert "--yes" in flat(refused.stderr)
    shredded = ok(data, "access", "shred", REVIEW, "--yes")
    assert "destroyed" in shredded.stdout


def test_a_bad_scope_or_review_is_refused(data: Path) -> None:
    bad_scope = invoke(data, "access", "grant", REVIEW, "everything", "GNV")
    assert bad_scope.exit_code == 2
    bad_review = invoke(data, "access", "request", "ARC", "--as", "GNV")
    assert bad_review.exit_code == 1
    assert "is not a review id" in flat(bad_review.stderr)
