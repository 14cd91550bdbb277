"""The seed ceremony commands of ``untoc draw``: announce, commit, reveal, seed.

``app`` holds them; the ``draw`` group adds it without a name of its own. The
ceremony fixes a draw's inputs and randomness source before the seed exists (ToR 5),
lets States commit to secrets and reveal them, and fixes the seed from the announced
source only. Secrets are generated here, with :func:`secrets.token_hex`, never in the
core; a State keeps its secret in a file until reveals open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Annotated, Any

import typer

from untoc_adapters.cli.common import (
    JsonOption,
    OutOption,
    console,
    err_console,
    fail,
    mechanism,
    print_json,
    safe,
)
from untoc_adapters.solvers import default_solver
from untoc_core.drawing.ceremony import (
    AnnounceDraw,
    Ceremony,
    CeremonyVoided,
    CommitReveal,
    CommitSecret,
    FixSeed,
    MissingRevealRule,
    PublishedSeed,
    RevealSecret,
    SecretCommitted,
    SeedFixed,
    ValueFormat,
    check_draw_id,
    stream_of,
)
from untoc_core.drawing.inputs import parse_draw_id, stale_blocks_of
from untoc_core.drawing.randomness import commitment as commitment_of
from untoc_core.errors import UntocError
from untoc_core.events import converter

app = typer.Typer()
"""The seed ceremony commands, added to ``untoc draw`` as they are."""

DrawIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="DRAW_ID", help="The draw, e.g. 'cycle-1/years'.", show_default=False
    ),
]
PartyOption = Annotated[
    str, typer.Option("--party", help="The State's code, e.g. ARC.", show_default=False)
]
SecretFileOption = Annotated[
    Path | None,
    typer.Option(
        "--secret-file",
        metavar="FILE",
        help="The State's secret file (default: "
        "untoc-secret-PARTY-DRAW.json in the working folder).",
    ),
]


# -- parsing ---------------------------------------------------------------------------


def parse_moment(value: str, option: str) -> dt.datetime:
    """Parse an ISO 8601 time with its time zone (``2027-01-15T12:00Z``) or stop."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        msg = f"{value!r} is not a time of the form 2027-01-15T12:00Z"
        raise typer.BadParameter(msg, param_hint=option) from None
    if moment.tzinfo is None:
        msg = f"{value!r} needs a time zone, such as 2027-01-15T12:00Z or +01:00"
        raise typer.BadParameter(msg, param_hint=option)
    return moment.astimezone(dt.UTC)


def _inputs_sha256(
    draw_id: str, inputs: Path | None, inputs_sha256: str | None
) -> str | None:
    """The hash given with ``--inputs`` or ``--inputs-sha256``.

    ``None`` for a draw the mechanism records (``cycle-N/years``,
    ``cycle-N/year-Y/reviewers``) when neither is given: its hash is then computed
    from the store.
    """
    if inputs is not None and inputs_sha256 is not None:
        msg = "give either --inputs FILE or --inputs-sha256 HEX, not both"
        raise typer.BadParameter(msg, param_hint="--inputs")
    if inputs_sha256 is not None:
        return inputs_sha256
    if inputs is None:
        if parse_draw_id(draw_id) is not None:
            return None
        msg = (
            "give either --inputs FILE or --inputs-sha256 HEX (only the draws the "
            "mechanism records, 'cycle-N/years' and 'cycle-N/year-Y/reviewers', "
            "compute their inputs from the store)"
        )
        raise typer.BadParameter(msg, param_hint="--inputs")
    try:
        return hashlib.sha256(inputs.read_bytes()).hexdigest()
    except FileNotFoundError:
        fail(f"{inputs}: no such file")
    except IsADirectoryError:
        fail(f"{inputs}: is a folder, not a file")
    except OSError as exc:
        fail(f"{inputs}: cannot be read: {exc.strerror or exc}")


def _public_value(
    name: str | None, due: str | None, value_format: ValueFormat
) -> PublishedSeed | None:
    if name is None and due is None:
        return None
    if name is None or due is None:
        msg = "a public value needs both --source NAME and --due TIME"
        raise typer.BadParameter(msg, param_hint="--source")
    return PublishedSeed(
        name=name, due=parse_moment(due, "--due"), value_format=value_format
    )


def _default_secret_file(draw_id: str, party: str) -> Path:
    return Path(f"untoc-secret-{party.upper()}-{draw_id.replace('/', '_')}.json")


def _write_secret(path: Path, document: dict[str, str]) -> None:
    """Create the secret file, readable by its owner only; never overwrite one."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        fail(f"{path} already exists; a secret file is never overwritten")
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(json.dumps(document, indent=2) + "\n")


def _read_secret(path: Path, draw_id: str, party: str) -> str:
    """The secret in a State's secret file, checked against the draw and State."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{path}: not a secret file written by 'commit': {exc}")
    if not isinstance(document, dict) or not isinstance(document.get("secret"), str):
        fail(f"{path}: not a secret file written by 'commit'")
    if document.get("draw_id") != draw_id or document.get("party") != party.upper():
        fail(
            f"{path} holds the secret of {document.get('party')!r} for draw "
            f"{document.get('draw_id')!r}, not of {party.upper()!r} for {draw_id!r}"
        )
    secret: str = document["secret"]
    return secret


# -- output ----------------------------------------------------------------------------


def ceremony_json(state: Ceremony, now: dt.datetime) -> dict[str, Any]:
    """A ceremony as one JSON document; events appear as they are stored."""
    return {
        "draw_id": state.draw_id,
        "stream": stream_of(state.draw_id),
        "version": state.version,
        "status": state.status.value,
        "stage": state.stage(now).value,
        "announcement": converter.unstructure(state.announcement),
        "commitments": {p: e.commitment for p, e in sorted(state.commitments.items())},
        "reveals": {p: e.secret for p, e in sorted(state.reveals.items())},
        "seed": state.fixed.seed if state.fixed is not None else None,
        "fixed": converter.unstructure(state.fixed),
        "voided": [converter.unstructure(v) for v in state.voided],
    }


def _print_state(state: Ceremony, now: dt.datetime) -> None:
    announced = state.announcement
    if announced is None:
        console.print(f"No seed ceremony has been announced for {safe(state.draw_id)}.")
        return
    console.print(
        f"Draw {safe(state.draw_id)}, attempt {announced.attempt}: "
        f"{state.stage(now).value.replace('_', ' ')}."
    )
    console.print(f"Inputs SHA-256: {announced.inputs_sha256}")
    console.print(f"Source: {safe(announced.source)}")
    source = state.source
    if isinstance(source, CommitReveal):
        for party in source.participants:
            mark = (
                "revealed"
                if party in state.reveals
                else "committed"
                if party in state.commitments
                else "no commitment"
            )
            console.print(f"  {party}: {mark}")
    if state.fixed is not None:
        _print_fixed(state.fixed)


def _print_fixed(fixed: SeedFixed) -> None:
    console.print(f"Seed: {fixed.seed}")
    if fixed.counted:
        console.print(f"Reveals counted: {', '.join(fixed.counted)}")
    for exclusion in fixed.excluded:
        console.print(
            f"Left out: {exclusion.party} ({exclusion.reason.value.replace('_', ' ')})"
        )


# -- commands --------------------------------------------------------------------------


@app.command("announce")
def announce(
    ctx: typer.Context,
    draw_id: DrawIdArgument,
    inputs: Annotated[
        Path | None,
        typer.Option(
            "--inputs", metavar="FILE", help="A file holding every input of the draw."
        ),
    ] = None,
    inputs_sha256: Annotated[
        str | None,
        typer.Option(
            "--inputs-sha256", metavar="HEX", help="The SHA-256 of the draw's inputs."
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="NAME",
            help="The future public value, e.g. 'drand round 4821333'.",
        ),
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due", metavar="TIME", help="When the public value is published."
        ),
    ] = None,
    value_format: Annotated[
        ValueFormat,
        typer.Option("--format", help="The public value's form."),
    ] = ValueFormat.TEXT,
    party: Annotated[
        list[str] | None,
        typer.Option(
            "--party", metavar="CODE", help="A State taking part in commit-reveal."
        ),
    ] = None,
    commit_until: Annotated[
        str | None,
        typer.Option("--commit-until", metavar="TIME", help="Commitments close."),
    ] = None,
    reveal_until: Annotated[
        str | None,
        typer.Option("--reveal-until", metavar="TIME", help="Reveals close."),
    ] = None,
    on_missing_reveal: Annotated[
        MissingRevealRule | None,
        typer.Option(
            "--on-missing-reveal", help="The rule for a withheld or wrong reveal."
        ),
    ] = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Announce a draw's inputs and the source of its seed, before the seed exists.

    For a draw the mechanism records (cycle-N/years, cycle-N/year-Y/reviewers), the
    inputs' hash is computed from the store unless --inputs or --inputs-sha256 is
    given.
    """
    public = _public_value(source, due, value_format)
    chosen: PublishedSeed | CommitReveal
    if party:
        if commit_until is None or reveal_until is None or on_missing_reveal is None:
            msg = (
                "commit-reveal needs --commit-until, --reveal-until and "
                "--on-missing-reveal"
            )
            raise typer.BadParameter(msg, param_hint="--party")
        chosen = CommitReveal(
            participants=tuple(party),
            commit_until=parse_moment(commit_until, "--commit-until"),
            reveal_until=parse_moment(reveal_until, "--reveal-until"),
            on_missing_reveal=on_missing_reveal,
            public_value=public,
        )
    else:
        if commit_until or reveal_until or on_missing_reveal:
            msg = "--commit-until, --reveal-until and --on-missing-reveal need --party"
            raise typer.BadParameter(msg, param_hint="--party")
        if public is None:
            msg = "give the public value (--source NAME --due TIME) or --party CODE"
            raise typer.BadParameter(msg, param_hint="--source")
        chosen = public
    digest = _inputs_sha256(draw_id, inputs, inputs_sha256)
    with mechanism(ctx) as mech:
        if digest is None:
            digest = mech.draw_inputs(draw_id, solver=default_solver()).sha256
        mech.announce_draw(
            AnnounceDraw(draw_id=draw_id, inputs_sha256=digest, source=chosen)
        )
        stale = stale_blocks_of(mech.registry()) if parse_draw_id(draw_id) else ()
        state = mech.ceremony(draw_id)
        now = mech.clock.now()
    if stale:
        err_console.print(
            f"[yellow]warning:[/] the registry rests on reference data known to be "
            f"out of date: {safe('; '.join(stale))}. The draw will need "
            "--accept-stale-registry.",
            highlight=False,
        )
    if as_json or out:
        print_json(ceremony_json(state, now), out)
        return
    _print_state(state, now)


@app.command("commit")
def commit(
    ctx: typer.Context,
    draw_id: DrawIdArgument,
    party: PartyOption,
    secret_file: SecretFileOption = None,
    commitment: Annotated[
        str | None,
        typer.Option(
            "--commitment",
            metavar="HEX",
            help="Record a commitment computed elsewhere; no secret is generated.",
        ),
    ] = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Commit a State to a secret: generate it, keep it in a file, record its hash."""
    if commitment is not None and secret_file is not None:
        msg = "--commitment records a hash computed elsewhere; it writes no secret file"
        raise typer.BadParameter(msg, param_hint="--secret-file")
    path = None
    code = party.strip().upper()
    with mechanism(ctx) as mech:
        if commitment is None:
            check_draw_id(draw_id)  # before its name is used for the secret file
            path = secret_file or _default_secret_file(draw_id, code)
            secret = secrets.token_hex(32)
            commitment = commitment_of(code, secret)
            _write_secret(
                path,
                {
                    "draw_id": draw_id,
                    "party": code,
                    "secret": secret,
                    "commitment": commitment,
                },
            )
        try:
            (recorded,) = mech.commit_secret(
                CommitSecret(draw_id=draw_id, party=party, commitment=commitment)
            )
        except UntocError:
            if path is not None:
                path.unlink(missing_ok=True)
            raise
    event = recorded.event
    if not isinstance(event, SecretCommitted):  # pragma: no cover - decide's contract
        fail("the commitment was not recorded")
    document = {
        "draw_id": draw_id,
        "party": event.party,
        "commitment": event.commitment,
        "secret_file": str(path) if path is not None else None,
    }
    if as_json or out:
        print_json(document, out)
    else:
        console.print(
            f"{document['party']} committed for draw {safe(draw_id)}: "
            f"{document['commitment']}"
        )
    if path is not None:
        err_console.print(
            f"Secret written to {path}: keep it private until reveals open, "
            "then run 'reveal'.",
            markup=False,
            highlight=False,
        )


@app.command("reveal")
def reveal(
    ctx: typer.Context,
    draw_id: DrawIdArgument,
    party: PartyOption,
    secret_file: SecretFileOption = None,
    secret: Annotated[
        str | None,
        typer.Option(
            "--secret", metavar="HEX", help="The secret itself, instead of its file."
        ),
    ] = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Reveal the secret a State committed to, once commitments have closed."""
    if secret is not None and secret_file is not None:
        msg = "give --secret or --secret-file, not both"
        raise typer.BadParameter(msg, param_hint="--secret")
    if secret is None:
        path = secret_file or _default_secret_file(draw_id, party)
        secret = _read_secret(path, draw_id, party)
    with mechanism(ctx) as mech:
        mech.reveal_secret(RevealSecret(draw_id=draw_id, party=party, secret=secret))
    document = {"draw_id": draw_id, "party": party.strip().upper(), "revealed": True}
    if as_json or out:
        print_json(document, out)
        return
    console.print(f"{document['party']} revealed its secret for draw {safe(draw_id)}.")


@app.command("seed")
def seed(
    ctx: typer.Context,
    draw_id: DrawIdArgument,
    source: Annotated[
        str,
        typer.Option(
            "--source",
            metavar="NAME",
            help="The public value's name, as announced.",
        ),
    ] = "",
    value: Annotated[
        str,
        typer.Option("--value", help="The public value, as published."),
    ] = "",
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Fix the draw's seed from the announced source, or void it by the T38 rule."""
    with mechanism(ctx) as mech:
        (recorded,) = mech.fix_seed(
            FixSeed(draw_id=draw_id, value_name=source, value=value)
        )
        state = mech.ceremony(draw_id)
        now = mech.clock.now()
    if as_json or out:
        print_json(ceremony_json(state, now), out)
        return
    event = recorded.event
    if isinstance(event, SeedFixed):
        console.print(f"Seed of draw {safe(draw_id)} fixed.")
        _print_fixed(event)
    elif isinstance(event, CeremonyVoided):
        missing = ", ".join(m.party for m in event.missing) or "none"
        console.print(
            f"The ceremony of draw {safe(draw_id)} is void "
            f"({event.reason.value.replace('_', ' ')}; missing: {missing}). "
            "Announce it again with new deadlines and a new public value."
        )


@app.command("ceremony")
def ceremony(
    ctx: typer.Context,
    draw_id: DrawIdArgument,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Show a draw's seed ceremony: its source, who committed and revealed, the seed."""
    with mechanism(ctx) as mech:
        state = mech.ceremony(draw_id)
        now = mech.clock.now()
    if as_json or out:
        print_json(ceremony_json(state, now), out)
        return
    _print_state(state, now)
