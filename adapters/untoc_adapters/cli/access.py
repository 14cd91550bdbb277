"""``untoc access``: principals, key scopes, grants and the access log (ToR 30, 36, 37).

Commands that act as a State (a request, a consent, a publication, a breach report)
or read the access log act as a named principal, given by ``--as`` and by default
``UNTOC_PRINCIPAL`` (``secretariat``). The secretariat's own commands (registering
principals, opening scopes, granting, revoking, replacing reviewers, shredding) are
recorded with the actor ``secretariat``. Every ``AccessDenied`` prints only its one
generic message, and exits with code 1.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Annotated

import typer
from rich.table import Table

from untoc_adapters.audit.milestones import checkpoint
from untoc_adapters.cli.common import (
    AsOption,
    JsonOption,
    OutOption,
    acting,
    console,
    print_json,
    refusals,
    safe,
    settings_of,
    vault,
)
from untoc_adapters.crypto.grants import DEFAULT_SUITE, GrantSuite
from untoc_core.confidentiality import (
    IMPLEMENTATION_OVERSIGHT_GROUP,
    REVIEW_SCOPES,
    AccessDecided,
    AccessGranted,
    AccessRevoked,
    BreachReported,
    ConsentGiven,
    EpochRotated,
    Principal,
    PrincipalKind,
    ReportRequested,
    Scope,
    ScopeOpened,
    SectionsPublished,
    is_compilations,
)
from untoc_core.confidentiality.events import stream_of
from untoc_core.confidentiality.keys import CustodialKeyShredded
from untoc_core.events import Event
from untoc_core.ports import Recorded

app = typer.Typer(
    help="Principals, key scopes, grants and the access log of confidential "
    "review information (ToR 30, 36, 37).",
    no_args_is_help=True,
)
principal_app = typer.Typer(
    help="The principals that act on confidential material, and their keys.",
    no_args_is_help=True,
)
app.add_typer(principal_app, name="principal")


class KindName(enum.StrEnum):
    """The kinds of principal, as written on the command line."""

    STATE = "state"
    SECRETARIAT = "secretariat"
    AUDITOR = "auditor"
    EXPERT_GROUP = "expert-group"


KINDS = {
    KindName.STATE: PrincipalKind.STATE_FOCAL_POINT,
    KindName.SECRETARIAT: PrincipalKind.SECRETARIAT,
    KindName.AUDITOR: PrincipalKind.AUDITOR,
    KindName.EXPERT_GROUP: PrincipalKind.EXPERT_GROUP,
}

ReviewArgument = Annotated[
    str,
    typer.Argument(
        metavar="REVIEW",
        help="The review id, cycle-<n>/<CODE> (for example cycle-1/ARC), or "
        "cycle-<n>/compilations.",
    ),
]
ScopeArgument = Annotated[
    Scope,
    typer.Argument(
        metavar="SCOPE",
        help="The key scope: dossier, final (the final report), summary "
        "(the executive summary) or compilation (on cycle-<n>/compilations).",
    ),
]
ReviewersOption = Annotated[
    str,
    typer.Option(
        "--reviewers",
        metavar="A,B",
        help="The reviewing States parties' codes, separated by commas.",
    ),
]


def parse_reviewers(value: str) -> list[str]:
    """The State codes of a ``--reviewers A,B`` option, upper case.

    Raises:
        typer.BadParameter: no code is given (exit code 2).
    """
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    if not codes:
        msg = "give the reviewing States' codes, separated by commas"
        raise typer.BadParameter(msg, param_hint="--reviewers")
    return codes


def principal_json(principal: Principal, *, held: bool) -> dict[str, object]:
    """A registered principal as plain JSON (public keys as fingerprints only)."""
    return {
        "principal": principal.principal,
        "kind": principal.kind.value,
        "state": principal.state,
        "encryption_kid": principal.encryption_kid,
        "signing_kid": principal.signing_kid,
        "encryption_suite": principal.encryption_suite,
        "keys_held_here": held,
    }


def print_recorded(recorded: Sequence[Recorded]) -> None:
    """Print one line per access event recorded: grants, revocations, epochs..."""
    for item in recorded:
        line = _describe_grants(item.event) or _describe_acts(item.event)
        if line:
            console.print(line)


def _describe_grants(event: Event) -> str | None:
    """A line for a scope opened, an epoch turned, a grant or a revocation."""
    match event:
        case ScopeOpened() | EpochRotated():
            verb = "Opened the" if isinstance(event, ScopeOpened) else "Turned the"
            return (
                f"{verb} {event.scope.value} of {safe(event.review)} at epoch "
                f"{event.epoch} (reviewers: {safe(', '.join(event.reviewers))})."
            )
        case AccessGranted():
            return (
                f"Granted {safe(event.principal)} the {event.scope.value} at "
                f"epoch {event.epoch} ({safe(event.basis.value)})."
            )
        case AccessRevoked():
            return (
                f"Revoked {safe(event.principal)} from the {event.scope.value} "
                f"at epoch {event.epoch}: {safe(event.reason)}."
            )
        case _:
            return None


def _describe_acts(event: Event) -> str | None:
    """A line for a request, a consent, a publication, a breach or a shredding."""
    match event:
        case ReportRequested():
            return (
                f"{safe(event.requester)} asked for the final report of "
                f"{safe(event.review)} (ToR 37)."
            )
        case ConsentGiven():
            return (
                f"{safe(event.given_by)} consented, signed, to the request of "
                f"{safe(event.requester)} (ToR 37)."
            )
        case SectionsPublished():
            return (
                f"{safe(event.published_by)} published "
                f"{safe(', '.join(event.sections))} of the final report of "
                f"{safe(event.review)} (ToR 36)."
            )
        case BreachReported():
            return (
                f"Breach reported by {safe(event.reported_by)}, referred to "
                f"{safe(event.referred_to)} (GL 5)."
            )
        case CustodialKeyShredded():
            return (
                f"Custodial key {safe(event.kek_id)} of {safe(event.review)} "
                f"destroyed ({safe(event.method)}); fingerprint {safe(event.kid)}."
            )
        case _:
            return None


# -- principals ------------------------------------------------------------------------


@principal_app.command("add")
def add_principal(
    ctx: typer.Context,
    principal: Annotated[
        str,
        typer.Argument(
            metavar="PRINCIPAL",
            help="The principal's id: letters, digits and ._:- only.",
        ),
    ],
    kind: Annotated[
        KindName,
        typer.Option(
            "--kind",
            help="Who the principal is: a State's focal point, the secretariat, "
            "an auditor or the group of experts.",
        ),
    ],
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            metavar="CODE",
            help="The State a focal point acts for (required with --kind state).",
        ),
    ] = None,
    suite: Annotated[
        GrantSuite,
        typer.Option(
            "--suite",
            help="The HPKE suite of the encryption key; x25519 only for a "
            "partner without ML-KEM.",
        ),
    ] = DEFAULT_SUITE,
) -> None:
    """Make keys held here for a principal and register it; print the fingerprints.

    Confirm both fingerprints with the principal out of band: they are the trust
    anchor of every grant and signature.
    """
    code = state.upper() if state else None
    if (kind is KindName.STATE) != (code is not None):
        msg = "give --state CODE with --kind state, and only then"
        raise typer.BadParameter(msg, param_hint="--state")
    with vault(ctx) as opened:
        # Checked before any key is made, so a refusal leaves no key file behind.
        if code is not None:
            opened.mechanism.registry().entry(code)
        identity = opened.register(principal, KINDS[kind], code, suite=suite)
    registration = identity.registration(KINDS[kind], code)
    console.print(f"Principal {safe(principal)} registered; its keys are kept here.")
    console.print(f"encryption_kid {registration.encryption_kid}")
    console.print(f"signing_kid    {registration.signing_kid}")
    console.print("Confirm both fingerprints with the principal out of band.")


@principal_app.command("list")
def list_principals(
    ctx: typer.Context,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """List the registered principals, their fingerprints and whose keys are here."""
    with vault(ctx) as opened:
        registered = opened.mechanism.principals()
        held = set(opened.principals.principals())
    found = sorted(registered.by_id.values(), key=lambda p: p.principal)
    if as_json or out:
        print_json(
            {
                "principals": [
                    principal_json(p, held=p.principal in held) for p in found
                ]
            },
            out,
        )
        return
    names = {kind: name.value for name, kind in KINDS.items()}
    table = Table(title=f"Principals: {len(found)}")
    for column in ("Principal", "Kind", "Keys here"):
        table.add_column(column, overflow="fold")
    # Fingerprints are confirmed out of band: never cut them short.
    table.add_column("Fingerprints, suite", no_wrap=True, min_width=36)
    for p in found:
        table.add_row(
            safe(p.principal),
            f"{names[p.kind]} {safe(p.state)}" if p.state else names[p.kind],
            "yes" if p.principal in held else "no",
            f"enc {p.encryption_kid}\nsig {p.signing_kid}\n"
            f"{safe(p.encryption_suite or 'no key registered')}",
        )
    console.print(table)


# -- scopes and grants -----------------------------------------------------------------


@app.command("open")
def open_scopes(
    ctx: typer.Context,
    review: ReviewArgument,
    reviewers: Annotated[
        str,
        typer.Option(
            "--reviewers",
            metavar="A,B",
            help="The reviewing States parties' codes, separated by commas; none "
            "for a cycle's compilations (cycle-<n>/compilations).",
        ),
    ] = "",
    scope: Annotated[
        list[Scope] | None,
        typer.Option(
            "--scope",
            help="A key scope to open (repeat for more); by default the three of a "
            "review, or the compilation scope of cycle-<n>/compilations.",
        ),
    ] = None,
) -> None:
    """Open key scopes of a review, granting every principal the rules authorise.

    ``cycle-<n>/compilations`` holds the secretariat's compilations for the group
    of experts (ToR 37 quater): it has one scope and no reviewers.
    """
    with refusals():
        compilations = is_compilations(review)
    codes = [] if compilations and not reviewers else parse_reviewers(reviewers)
    default = [Scope.COMPILATION] if compilations else list(REVIEW_SCOPES)
    scopes = list(dict.fromkeys(scope)) if scope else default
    with vault(ctx) as opened:
        for each in scopes:
            print_recorded(opened.mechanism.open_scope(review, each, codes))


@app.command("grant")
def grant(
    ctx: typer.Context,
    review: ReviewArgument,
    scope: ScopeArgument,
    principal: Annotated[
        str, typer.Argument(metavar="PRINCIPAL", help="The principal to grant.")
    ],
) -> None:
    """Grant a principal registered since the scope opened, if the rules allow it."""
    with vault(ctx) as opened:
        print_recorded(opened.mechanism.grant_access(review, scope, principal))


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    review: ReviewArgument,
    scope: ScopeArgument,
    principal: Annotated[
        str, typer.Argument(metavar="PRINCIPAL", help="The principal to revoke.")
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why the grant is revoked (recorded).")
    ],
) -> None:
    """Revoke a grant; the scope turns to a new epoch granted to the others."""
    with vault(ctx) as opened:
        print_recorded(opened.mechanism.revoke_access(review, scope, principal, reason))


@app.command("replace")
def replace(
    ctx: typer.Context,
    review: ReviewArgument,
    reviewers: ReviewersOption,
    reason: Annotated[
        str,
        typer.Option(
            "--reason", help="Why the reviewers change, e.g. a deferral (recorded)."
        ),
    ],
) -> None:
    """Turn every opened scope to a new epoch for these reviewers (ToR 19, 20)."""
    codes = parse_reviewers(reviewers)
    with vault(ctx) as opened:
        print_recorded(opened.mechanism.rotate_epoch(review, codes, reason))


# -- acting as a State -----------------------------------------------------------------


@app.command("request")
def request(ctx: typer.Context, review: ReviewArgument, as_: AsOption = None) -> None:
    """Ask, as a State, for another State's final report (ToR 37)."""
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        print_recorded(opened.request(principal, review))


@app.command("consent")
def consent(
    ctx: typer.Context,
    review: ReviewArgument,
    requester: Annotated[
        str,
        typer.Argument(metavar="REQUESTER", help="The principal that asked."),
    ],
    as_: AsOption = None,
) -> None:
    """Consent, as the party under review, to a request for its report (ToR 37).

    The consent is signed with the acting principal's key, held here.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        print_recorded(opened.consent(principal, review, requester))


@app.command("publish")
def publish(
    ctx: typer.Context,
    review: ReviewArgument,
    sections: Annotated[
        list[str],
        typer.Argument(
            metavar="SECTION...", help="The sections of the final report to publish."
        ),
    ],
    as_: AsOption = None,
) -> None:
    """Publish, as the party under review, sections of its final report (ToR 36).

    Anyone may then read those sections, and no other, with
    ``untoc material published``.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        print_recorded(opened.publish(principal, review, sections))
        checkpoint(settings_of(ctx), opened.mechanism.store)  # a milestone


@app.command("breach")
def breach(
    ctx: typer.Context,
    review: ReviewArgument,
    summary: Annotated[
        str,
        typer.Option(
            "--summary",
            help="What is suspected, in words that reveal no confidential content.",
        ),
    ],
    referred_to: Annotated[
        str,
        typer.Option("--referred-to", help="Where the report is referred (GL 5)."),
    ] = IMPLEMENTATION_OVERSIGHT_GROUP,
    as_: AsOption = None,
) -> None:
    """Report a suspected breach of confidentiality and refer it (GL 5)."""
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        print_recorded(
            opened.mechanism.report_breach(
                review, principal, summary, referred_to=referred_to
            )
        )


# -- the access log --------------------------------------------------------------------


def log_entry_json(recorded: Recorded, entry: AccessDecided) -> dict[str, object]:
    """One entry of the access log as plain JSON, with when it was recorded."""
    return {
        "recorded_at": recorded.recorded_at.isoformat(),
        "principal": entry.principal,
        "role": entry.role.value,
        "scope": entry.scope.value,
        "epoch": entry.epoch,
        "section": entry.section,
        "action": entry.action.value,
        "outcome": entry.outcome.value,
        "reason": entry.reason,
        "basis": entry.basis.value,
    }


@app.command("log")
def log(
    ctx: typer.Context,
    review: ReviewArgument,
    as_: AsOption = None,
    as_json: JsonOption = False,
    out: OutOption = None,
) -> None:
    """Print a review's access log, as an auditor or the secretariat (ToR 3(g)).

    Reading the log is itself decided and logged first.
    """
    principal = acting(ctx, as_)
    with vault(ctx) as opened:
        opened.mechanism.access_log(review, principal)
        records = opened.mechanism.store.read_stream(stream_of(review))
    entries = [(r, r.event) for r in records if isinstance(r.event, AccessDecided)]
    if as_json or out:
        print_json(
            {
                "review": review,
                "entries": [log_entry_json(r, e) for r, e in entries],
            },
            out,
        )
        return
    table = Table(title=f"Access log of {safe(review)}: {len(entries)} entries")
    table.add_column("Time (UTC)", no_wrap=True)
    for column in ("Principal, role", "Action, scope, epoch", "Outcome, basis"):
        table.add_column(column, overflow="fold")
    table.add_column("Reason", overflow="fold")
    for r, e in entries:
        at = r.recorded_at.astimezone(dt.UTC)
        asked = f"{e.action.value}\n{e.scope.value} e{e.epoch}"
        table.add_row(
            f"{at:%Y-%m-%d}\n{at:%H:%M:%S}",
            f"{safe(e.principal)}\n{e.role.value}",
            f"{asked} {safe(e.section)}" if e.section else asked,
            f"{e.outcome.value}\n{safe(e.basis.value)}",
            safe(e.reason),
        )
    console.print(table)


@app.command("shred")
def shred(
    ctx: typer.Context,
    review: ReviewArgument,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", help="Confirm: the review's custodial key is destroyed for good."
        ),
    ] = False,
) -> None:
    """Destroy a review's custodial key and record it (crypto-shredding).

    Principals keep their own grants; only the operator's copies become unreadable.
    Without ``--yes`` nothing is done and the exit code is 2.
    """
    if not yes:
        msg = (
            "shredding destroys the custodial key of the review for good; "
            "give --yes to confirm"
        )
        raise typer.BadParameter(msg, param_hint="--yes")
    with vault(ctx) as opened:
        print_recorded(opened.shred(review))
