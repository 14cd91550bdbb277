"""``untoc audit``: the tamper-evident history and the auditor's checks.

``log`` follows the store into the transparency log and signs a checkpoint;
``key`` prints the key auditors and witnesses trust; ``verify`` recomputes the log
from the stored rows and checks it against the latest signed checkpoint and,
optionally, against a checkpoint the auditor kept; ``report`` runs the control
tests over a period. None of them needs a decryption key: the log hashes the
stored bytes, ciphertext included, and the access streams are stored in clear.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import attrs
import typer

from untoc_adapters.audit.ed25519 import (
    Ed25519CheckpointSigner,
    Ed25519SignatureVerifier,
)
from untoc_adapters.audit.logkey import ORIGIN, log_signer, log_verifier
from untoc_adapters.audit.milestones import checkpoint
from untoc_adapters.audit.rows import iter_rows, read_plain_records
from untoc_adapters.audit.tlog import StoredCheckpoint, open_log_store
from untoc_adapters.bootstrap import LazyKeyService
from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    fail,
    mechanism,
    parse_date,
    print_json,
    read_text_file,
    refusals,
    safe,
    settings_of,
)
from untoc_adapters.files import read_private, write_new
from untoc_adapters.settings import Settings
from untoc_adapters.solvers import default_solver
from untoc_adapters.storage.base import RecorderEventStore
from untoc_core.audit.checkpoint import CheckpointRejected, open_checkpoint
from untoc_core.audit.controls import ControlResult, denied_by_reason, run_controls
from untoc_core.audit.verify import (
    AuditFault,
    AuditResult,
    FaultKind,
    LogSnapshot,
    verify_rows,
)
from untoc_core.audit.witness import cosign
from untoc_core.canonical import canonical_json
from untoc_core.mechanism import Mechanism

app = typer.Typer(
    help="The tamper-evident history and the auditor's checks (no decryption key).",
    no_args_is_help=True,
)


def _recorder_store(store: object) -> RecorderEventStore:
    if not isinstance(store, RecorderEventStore):  # pragma: no cover - all are
        fail("this event store cannot be audited: it has no stored rows")
    return store


@app.command("log")
def log(ctx: typer.Context) -> None:
    """Add the rows recorded since last time to the log, and sign a checkpoint."""
    settings = settings_of(ctx)
    with mechanism(ctx) as mech, refusals():
        done = checkpoint(settings, _recorder_store(mech.store))
    if done is not None:
        console.print(
            f"{done.added} row(s) added; the log holds {done.size}, root {done.root}"
            + ("; checkpoint signed." if done.signed else ".")
        )


@app.command("key")
def key(ctx: typer.Context) -> None:
    """Print the log's verifier key, for auditors and witnesses to trust."""
    settings = settings_of(ctx)
    with refusals():
        signer = log_signer(settings.data_dir, LazyKeyService(settings))
    typer.echo(signer.verifier().vkey)


def _verify(
    ctx: typer.Context, kept: Path | None, trusted: str | None
) -> tuple[AuditResult, str | None]:
    settings = settings_of(ctx)
    with mechanism(ctx) as mech, refusals():
        previous = read_text_file(kept) if kept is not None else None
        return audit_store(settings, mech, previous=previous, trusted=trusted)


def audit_store(
    settings: Settings,
    mech: Mechanism,
    *,
    previous: str | None = None,
    trusted: str | None = None,
) -> tuple[AuditResult, str | None]:
    """Verify the store's rows against its transparency log and checkpoints.

    Returns the result and the latest stored checkpoint note (``None`` if none).
    """
    store = _recorder_store(mech.store)
    verifier = _trusted(settings, trusted)
    rows = list(iter_rows(store))
    with open_log_store(settings) as log_store:
        transparency = log_store.load(ORIGIN)
        checkpoints = log_store.checkpoints()
    latest = checkpoints[-1].note if checkpoints else None
    snapshot = transparency.snapshot()
    result = verify_rows(
        rows,
        latest if latest is not None else transparency.checkpoint(),
        verifiers=[verifier],
        origin=ORIGIN,
        log=snapshot,
        previous=previous,
    )
    earlier = _earlier_checkpoint_faults(checkpoints[:-1], verifier, snapshot)
    if earlier:
        result = attrs.evolve(result, faults=(*earlier, *result.faults))
    return result, latest


def _earlier_checkpoint_faults(
    checkpoints: Sequence[StoredCheckpoint],
    verifier: Ed25519SignatureVerifier,
    snapshot: LogSnapshot,
) -> list[AuditFault]:
    """Every earlier checkpoint must be signed by the log and be a prefix of it.

    The log's heads at every checkpoint's size are folded in one pass.
    """
    faults = []
    roots = snapshot.roots(c.size for c in checkpoints if 0 <= c.size <= snapshot.size)
    for stored in checkpoints:
        try:
            opened = open_checkpoint(stored.note, [verifier], origin=ORIGIN)
        except CheckpointRejected as exc:
            faults.append(
                AuditFault(
                    kind=FaultKind.BAD_SIGNATURE,
                    position=None,
                    index=None,
                    detail=f"the checkpoint of size {stored.size} is rejected: {exc}",
                )
            )
            continue
        size = opened.checkpoint.size
        root = roots.get(size)
        if root is None and size <= snapshot.size:  # the note says another size
            root = snapshot.root(size)
        if root is None or root != opened.checkpoint.root:
            faults.append(
                AuditFault(
                    kind=FaultKind.TRUNCATED,
                    position=None,
                    index=None,
                    detail=(
                        f"the log no longer has the tree of the checkpoint of size "
                        f"{size}: its history was rewritten"
                    ),
                )
            )
    return faults


def _trusted(settings: Settings, vkey: str | None) -> Ed25519SignatureVerifier:
    """The log key to trust: the one given, else the public key kept here.

    Neither needs the key service: an auditor holds no key at all.
    """
    if vkey:
        return Ed25519SignatureVerifier.from_vkey(vkey)
    kept = log_verifier(settings.data_dir)
    if kept is None:
        fail("the log has no key yet: run untoc audit log, or give --trust VKEY")
    return kept


def _fault_json(result: AuditResult) -> list[dict[str, Any]]:
    return [
        {
            "kind": str(f.kind),
            "position": f.position,
            "index": f.index,
            "detail": f.detail,
        }
        for f in result.faults
    ]


@app.command("verify")
def verify(
    ctx: typer.Context,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            exists=True,
            dir_okay=False,
            help="A signed checkpoint you kept: the history must extend it.",
        ),
    ] = None,
    trust: Annotated[
        str | None,
        typer.Option(
            "--trust",
            metavar="VKEY",
            help="The log's verifier key you trust (default: this installation's).",
        ),
    ] = None,
    witness: Annotated[
        list[str] | None,
        typer.Option(
            "--witness",
            metavar="VKEY",
            help="A witness whose cosignature the kept --checkpoint must carry "
            "(repeat for several).",
        ),
    ] = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Recompute the log from the stored rows; name the first bad position.

    Exits 1 when anything is altered, missing, reordered, truncated, replayed or
    badly signed, or when the kept checkpoint lacks a witness's cosignature.
    """
    uncosigned = _missing_cosignatures(checkpoint, witness or [])
    result, latest = _verify(ctx, checkpoint, trust)
    document = {
        "ok": result.ok,
        "rows": result.rows,
        "root": result.root.hex(),
        "checkpoint_size": result.checkpoint.size if result.checkpoint else None,
        "unlogged": result.unlogged,
        "first_bad_position": result.first_bad_position,
        "faults": _fault_json(result),
        "signed": latest is not None,
        "missing_cosignatures": uncosigned,
    }
    if as_json or out is not None:
        print_json(document, out)
    else:
        for fault in result.faults:
            where = "" if fault.position is None else f" at position {fault.position}"
            console.print(f"{fault.kind}{where}: {safe(fault.detail)}")
        if result.ok:
            console.print(
                f"The history verifies: {result.rows} rows, root {result.root.hex()}"
                + (f", {result.unlogged} not yet logged" if result.unlogged else "")
                + ("." if latest else " (no signed checkpoint yet: run audit log).")
            )
        for name in uncosigned:
            console.print(f"the kept checkpoint is not cosigned by {safe(name)}")
    if not result.ok or uncosigned:
        raise typer.Exit(1)


def _missing_cosignatures(kept: Path | None, witnesses: list[str]) -> list[str]:
    """The witnesses (by key name) whose cosignature the kept note lacks."""
    if not witnesses:
        return []
    if kept is None:
        msg = "--witness checks the cosignatures of a kept --checkpoint"
        raise typer.BadParameter(msg, param_hint="--witness")
    note = read_text_file(kept)
    missing = []
    with refusals():
        for vkey in witnesses:
            verifier = Ed25519SignatureVerifier.from_vkey(vkey)
            try:
                open_checkpoint(note, [verifier])
            except CheckpointRejected:
                missing.append(verifier.key_name)
    return missing


def _control_json(control: ControlResult) -> dict[str, Any]:
    return {
        "name": control.name,
        "description": control.description,
        "provision": control.provision,
        "population": control.population,
        "passed": control.passed,
        "exceptions": [
            {"position": e.position, "stream": e.stream, "detail": e.detail}
            for e in control.exceptions
        ],
    }


@app.command("report")
def report(
    ctx: typer.Context,
    from_: Annotated[str, typer.Option("--from", metavar="DATE", help="First day.")],
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="Last day.")],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out", file_okay=False, help="The folder to write report.json/.html in."
        ),
    ],
) -> None:
    """Write the auditor's report for a period: integrity and control tests."""
    start, end = parse_date(from_, "--from"), parse_date(to, "--to")
    with mechanism(ctx) as mech, refusals():
        result, controls = write_audit_report(
            settings_of(ctx), mech, (start, end), out_dir
        )
    failed = [c.name for c in controls if not c.passed]
    console.print(
        f"Report written to {safe(str(out_dir))}: integrity "
        f"{'holds' if result.ok else 'FAILS'}, "
        f"{len(controls) - len(failed)}/{len(controls)} controls pass."
    )
    if failed or not result.ok:
        raise typer.Exit(1)


def write_audit_report(
    settings: Settings,
    mech: Mechanism,
    period: tuple[dt.date, dt.date],
    out_dir: Path,
    *,
    produced_at: dt.datetime | None = None,
    verified: tuple[AuditResult, str | None] | None = None,
) -> tuple[AuditResult, list[ControlResult]]:
    """Verify the store and run the control tests; write report.json and .html.

    ``verified`` is what :func:`audit_store` just returned for this store, if the
    caller has it (the store verified once, not twice); else it is verified here.

    Raises:
        OSError: the folder cannot be written.
    """
    start, end = period
    result, latest = verified if verified is not None else audit_store(settings, mech)
    records = read_plain_records(_recorder_store(mech.store))
    controls = run_controls(records, period=(start, end), solver=default_solver())
    denied = denied_by_reason(records, period=(start, end))
    when = produced_at or dt.datetime.now(dt.UTC)
    document = {
        "scope": "confidentiality of review information (ToR 3(g), 30; GL 5)",
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "produced_at": when.isoformat(),
        "checkpoint": latest,
        "integrity": {
            "ok": result.ok,
            "rows": result.rows,
            "root": result.root.hex(),
            "faults": _fault_json(result),
        },
        "controls": [_control_json(c) for c in controls],
        "denied_by_reason": dict(denied),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (out_dir / "report.html").write_text(_html(document), encoding="utf-8")
    return result, list(controls)


def _html(document: dict[str, Any]) -> str:
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(c['name'])}</td><td>{esc(c['provision'])}</td>"
        f"<td>{c['population']}</td><td>{'pass' if c['passed'] else 'FAIL'}</td>"
        f"<td>{'<br>'.join(esc(str(e['position']) + ' ' + e['detail']) for e in c['exceptions'])}</td></tr>"  # noqa: E501
        for c in document["controls"]
    )
    denied = "".join(
        f"<tr><td>{esc(reason)}</td><td>{count}</td></tr>"
        for reason, count in document["denied_by_reason"].items()
    )
    integrity = document["integrity"]
    faults = "".join(
        f"<li>{esc(f['kind'])} at {f['position']}: {esc(f['detail'])}</li>"
        for f in integrity["faults"]
    )
    period = document["period"]
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'>"
        "<title>Audit of confidentiality</title>"
        f"<h1>Audit of confidentiality, {esc(period['from'])} to "
        f"{esc(period['to'])}</h1>"
        f"<p>Scope: {esc(document['scope'])}.</p>"
        f"<h2>Integrity</h2><p>{'Holds' if integrity['ok'] else 'Fails'}: "
        f"{integrity['rows']} rows, root <code>{esc(integrity['root'])}</code>.</p>"
        f"<ul>{faults}</ul>"
        f"<h2>Checkpoint used</h2><pre>{esc(document['checkpoint'] or 'none')}</pre>"
        "<h2>Control tests</h2><table><tr><th>Control</th><th>Provision</th>"
        f"<th>Population</th><th>Result</th><th>Exceptions</th></tr>{rows}</table>"
        "<h2>Denied accesses by reason</h2><table><tr><th>Reason</th>"
        f"<th>Count</th></tr>{denied}</table></html>\n"
    )


@app.command("witness-key")
def witness_key(
    out: Annotated[
        Path,
        typer.Option("--out", dir_okay=False, help="The new witness key file (0600)."),
    ],
    name: Annotated[
        str, typer.Option("--name", help="The witness's key name in signed notes.")
    ] = "untoc.witness",
) -> None:
    """Make a witness's Ed25519 key, for an independent party to cosign checkpoints."""
    with refusals():
        signer = Ed25519CheckpointSigner.generate(name)
        document = {
            "name": signer.key_name,
            "private": base64.b64encode(signer.private_bytes()).decode("ascii"),
        }
        write_new(out, canonical_json(document), os.urandom)
    typer.echo(signer.verifier().vkey)


def _witness(path: Path) -> Ed25519CheckpointSigner:
    try:
        document = json.loads(read_private(path))
        return Ed25519CheckpointSigner.from_private_bytes(
            str(document["name"]), base64.b64decode(document["private"])
        )
    except (ValueError, KeyError, TypeError, OSError) as exc:
        fail(f"{path} is not a witness key file: {exc}")


@app.command("cosign")
def cosign_checkpoint(
    ctx: typer.Context,
    witness_key_file: Annotated[
        Path,
        typer.Option(
            "--witness-key", exists=True, dir_okay=False, help="The witness's key file."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", dir_okay=False, help="Where to write the note.")
    ],
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            exists=True,
            dir_okay=False,
            help="The last checkpoint this witness cosigned.",
        ),
    ] = None,
    trust: Annotated[
        str | None,
        typer.Option(
            "--trust",
            metavar="VKEY",
            help="The log's verifier key (default: this installation's).",
        ),
    ] = None,
) -> None:
    """Cosign the log's latest checkpoint as a witness, if it extends the previous.

    Refused, with status 1, when the latest checkpoint does not extend the one
    given with --previous (a truncated, rewritten or split log).
    """
    settings = settings_of(ctx)
    witness = _witness(witness_key_file)
    with refusals():
        verifier = _trusted(settings, trust)
        with open_log_store(settings) as log_store:
            snapshot = log_store.load(ORIGIN).snapshot()
            checkpoints = log_store.checkpoints()
        if not checkpoints:
            fail("the log has no signed checkpoint yet: run untoc audit log")
        note = checkpoints[-1].note
        kept = read_text_file(previous) if previous is not None else None
        proof: list[bytes] = []
        if kept is not None:
            old = open_checkpoint(kept, [verifier], origin=ORIGIN).checkpoint
            if old.size <= snapshot.size:
                proof = snapshot.consistency_proof(old.size, checkpoints[-1].size)
        cosigned = cosign(
            note,
            previous=kept,
            proof=proof,
            log_keys=[verifier],
            witness=witness,
            origin=ORIGIN,
        )
        out.write_text(cosigned, encoding="utf-8")
    console.print(
        f"Checkpoint of size {checkpoints[-1].size} cosigned by "
        f"{safe(witness.key_name)}, written to {safe(str(out))}."
    )
