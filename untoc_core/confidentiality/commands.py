"""Commands of access, and the checks they must pass (ToR 3(g), 30, 36, 37; GL 5).

Grants are never chosen by hand: opening a scope, turning an epoch or a consent
grants every registered principal the rules authorise, and :class:`GrantAccess`
adds one registered later. A grant to anyone else is refused, citing the provision.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Final

import attrs

from untoc_core.canonical import canonical_json
from untoc_core.confidentiality.events import (
    COMPILATIONS,
    AccessGranted,
    AccessRevoked,
    Basis,
    BreachReported,
    ConsentGiven,
    EpochRotated,
    PrincipalKind,
    PrincipalRegistered,
    ReportRequested,
    Scope,
    ScopeOpened,
    SectionsPublished,
    is_compilations,
)
from untoc_core.confidentiality.model import (
    AccessState,
    Principal,
    Principals,
    ReviewAccess,
    ScopeAccess,
)
from untoc_core.confidentiality.refusals import (
    ExpertGroupAccessRefused,
    GrantRefused,
    PublicationRefused,
    ReportAccessRefused,
)
from untoc_core.errors import DomainError, InvalidInput
from untoc_core.events import Event

MAX_GRANTS_PER_EPOCH: Final = 256
"""The most grants one scope may hold at one epoch (research case T15)."""
IMPLEMENTATION_OVERSIGHT_GROUP: Final = "Implementation Oversight Group"
"""Where a breach report is referred by default (GL 5)."""

_PRINCIPAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_KID = re.compile(r"[0-9a-f]{32}")
_STATE = re.compile(r"[A-Z]{3}")
_SECTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_MAX_TEXT = 2000


def check_principal_id(principal: str) -> str:
    """Return ``principal`` if it is a valid principal id.

    Raises:
        InvalidInput: not letters, digits and ``._:-`` (at most 64), which keeps
            control characters and line breaks out of the access log (T42).
    """
    if not _PRINCIPAL.fullmatch(principal):
        msg = f"{principal!r} is not a principal id: letters, digits and ._:- only"
        raise InvalidInput(msg)
    return principal


def check_section(section: str) -> str:
    """Return ``section`` if it is a valid section id, else raise ``InvalidInput``."""
    if not _SECTION.fullmatch(section):
        msg = f"{section!r} is not a section id: letters, digits and ._:- only"
        raise InvalidInput(msg)
    return section


def _text(name: str, value: str) -> str:
    """A free text for the record: not blank, short, no control or format chars."""
    text = value.strip()
    if not text:
        msg = f"a {name} is needed"
        raise InvalidInput(msg)
    if len(text) > _MAX_TEXT:
        msg = f"a {name} has at most {_MAX_TEXT} characters"
        raise InvalidInput(msg)
    if any(unicodedata.category(c) in {"Cc", "Cf"} for c in text):
        msg = f"a {name} may not hold control or formatting characters"
        raise InvalidInput(msg)
    return text


# -- principals ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RegisterPrincipal:
    """Register a principal with the fingerprints of its public keys."""

    principal: str
    kind: PrincipalKind
    encryption_kid: str
    signing_kid: str
    state: str | None = None
    encryption_suite: str = ""
    encryption_key: bytes = b""
    signing_key: bytes = b""


ENCRYPTION_KEY_BYTES: Final = {"mlkem768-x25519": 1184 + 32, "x25519": 32, "p256": 65}
"""The HPKE suites a principal's key may use, and the size of its raw public key.

A ``p256`` key (for a key held in an HSM) is the uncompressed SEC1 point.
"""
SIGNING_KEY_BYTES: Final = 32
"""The size of a raw Ed25519 public key."""


def fingerprint(raw: bytes) -> str:
    """The fingerprint of a raw public key: the first 16 bytes of its SHA-256, hex."""
    return hashlib.sha256(raw).digest()[:16].hex()


def consent_message(review: str, requester: str, given_by: str) -> bytes:
    """The exact bytes the party under review signs to consent (ToR 37)."""
    return canonical_json(
        {
            "given_by": given_by,
            "purpose": "untoc-consent/v1",
            "requester": requester,
            "review": review,
        }
    )


def _check_public_keys(command: RegisterPrincipal) -> None:
    if command.encryption_key or command.encryption_suite:
        size = ENCRYPTION_KEY_BYTES.get(command.encryption_suite)
        if size is None:
            msg = (
                f"the encryption suite is one of {', '.join(ENCRYPTION_KEY_BYTES)}, "
                f"not {command.encryption_suite!r}"
            )
            raise InvalidInput(msg)
        if len(command.encryption_key) != size:
            msg = f"a {command.encryption_suite} public key has {size} bytes"
            raise InvalidInput(msg)
        if fingerprint(command.encryption_key) != command.encryption_kid:
            msg = "the encryption key does not match its fingerprint"
            raise InvalidInput(msg)
    if command.signing_key:
        if len(command.signing_key) != SIGNING_KEY_BYTES:
            msg = f"an Ed25519 public key has {SIGNING_KEY_BYTES} bytes"
            raise InvalidInput(msg)
        if fingerprint(command.signing_key) != command.signing_kid:
            msg = "the signing key does not match its fingerprint"
            raise InvalidInput(msg)


def register(principals: Principals, command: RegisterPrincipal) -> tuple[Event, ...]:
    """The event registering a principal, or ``InvalidInput``."""
    principal = check_principal_id(command.principal)
    if principals.get(principal) is not None:
        msg = f"principal {principal!r} is already registered"
        raise InvalidInput(msg)
    for name, kid in (
        ("encryption", command.encryption_kid),
        ("signing", command.signing_kid),
    ):
        if not _KID.fullmatch(kid):
            msg = f"the {name} key fingerprint is 32 lowercase hex digits, not {kid!r}"
            raise InvalidInput(msg)
    _check_public_keys(command)
    if command.kind is PrincipalKind.STATE_FOCAL_POINT:
        if command.state is None or not _STATE.fullmatch(command.state):
            msg = "a State's focal point names its State by its three-letter code"
            raise InvalidInput(msg)
    elif command.state is not None:
        msg = f"a principal of kind {command.kind.value} acts for no State"
        raise InvalidInput(msg)
    return (
        PrincipalRegistered(
            principal=principal,
            kind=command.kind,
            state=command.state,
            encryption_kid=command.encryption_kid,
            signing_kid=command.signing_kid,
            encryption_suite=command.encryption_suite,
            encryption_key=command.encryption_key,
            signing_key=command.signing_key,
        ),
    )


# -- commands on a review --------------------------------------------------------------


@attrs.frozen(kw_only=True)
class OpenScope:
    """Open a key scope of a review at epoch 1, granting its principals."""

    review: str
    scope: Scope
    reviewers: tuple[str, ...]


@attrs.frozen(kw_only=True)
class GrantAccess:
    """Grant one principal a scope at its current epoch."""

    review: str
    scope: Scope
    principal: str


@attrs.frozen(kw_only=True)
class RevokeAccess:
    """Revoke one principal's grant; the scope turns to a new epoch without it."""

    review: str
    scope: Scope
    principal: str
    reason: str


@attrs.frozen(kw_only=True)
class RotateEpoch:
    """Turn every opened scope of a review to a new epoch, for these reviewers.

    After a deferral (ToR 20) or a repeated draw (ToR 19) a replaced reviewer is
    revoked and gets no grant at the new epoch.
    """

    review: str
    reviewers: tuple[str, ...]
    reason: str


@attrs.frozen(kw_only=True)
class RequestReport:
    """A State asks for the final report of another State's review (ToR 37)."""

    review: str
    requester: str


@attrs.frozen(kw_only=True)
class GiveConsent:
    """The party under review consents to a request for its report (ToR 37)."""

    review: str
    requester: str
    given_by: str
    signature: str


@attrs.frozen(kw_only=True)
class PublishSections:
    """The party under review publishes chosen sections of its report (ToR 36)."""

    review: str
    sections: tuple[str, ...]
    published_by: str


@attrs.frozen(kw_only=True)
class ReportBreach:
    """Report a suspected breach of confidentiality, to be referred (GL 5)."""

    review: str
    reported_by: str
    summary: str
    referred_to: str = IMPLEMENTATION_OVERSIGHT_GROUP


Command = (
    OpenScope
    | GrantAccess
    | RevokeAccess
    | RotateEpoch
    | RequestReport
    | GiveConsent
    | PublishSections
    | ReportBreach
)


def decide(  # noqa: PLR0911 - one return per command
    state: AccessState, command: Command, *, max_grants: int = MAX_GRANTS_PER_EPOCH
) -> tuple[Event, ...]:
    """Return the events recording ``command``, or raise the refusal that applies."""
    if command.review != state.review.review:
        msg = f"the state given is of review {state.review.review!r}"
        raise InvalidInput(msg)
    _check_record(state.review, command)
    match command:
        case OpenScope():
            return _open_scope(state, command, max_grants)
        case GrantAccess():
            return _grant_access(state, command, max_grants)
        case RevokeAccess():
            return _revoke_access(state, command, max_grants)
        case RotateEpoch():
            return _rotate_epoch(state, command, max_grants)
        case RequestReport():
            return _request_report(state, command)
        case GiveConsent():
            return _give_consent(state, command, max_grants)
        case PublishSections():
            return _publish_sections(state, command)
        case ReportBreach():
            reporter = _registered(state.principals, command.reported_by)
            return (
                BreachReported(
                    review=command.review,
                    reported_by=reporter.principal,
                    summary=_text("summary of the suspected breach", command.summary),
                    referred_to=_text("body referred to", command.referred_to),
                ),
            )


def _check_record(review: ReviewAccess, command: Command) -> None:
    """Compilations take only their own scope, and no reviewers or requests."""
    compilations = is_compilations(review.review)
    scope = getattr(command, "scope", None)
    if compilations:
        if not isinstance(command, OpenScope | GrantAccess | RevokeAccess):
            msg = (
                f"{review.review} holds the secretariat's compilations: it has no "
                "reviewers, requests, consents, publications or breach reports"
            )
            raise InvalidInput(msg)
        if scope is not Scope.COMPILATION:
            msg = f"{review.review} has only the {Scope.COMPILATION.value} scope"
            raise InvalidInput(msg)
    elif scope is Scope.COMPILATION:
        msg = (
            f"compilations are kept on cycle-<n>/{COMPILATIONS}, not on the "
            f"review {review.review}"
        )
        raise InvalidInput(msg)


# -- the rules of grants ---------------------------------------------------------------


def authorise(  # noqa: PLR0911 - one return per role
    review: ReviewAccess, principal: Principal, scope: Scope, reviewers: tuple[str, ...]
) -> Basis | DomainError:
    """The basis on which ``principal`` may hold ``scope``, or the refusal why not."""
    match principal.kind:
        case PrincipalKind.SECRETARIAT:
            return Basis.SECRETARIAT
        case PrincipalKind.AUDITOR:
            return GrantRefused(
                f"{principal.principal} is an auditor: it reads the access log, "
                "never the content of a review"
            )
        case PrincipalKind.EXPERT_GROUP:
            if scope in {Scope.EXECUTIVE_SUMMARY, Scope.COMPILATION}:
                return Basis.EXPERT_GROUP
            return ExpertGroupAccessRefused(
                f"the group of experts works only from executive summaries and "
                f"compilations, not from the {scope.name.lower()} of {review.review}"
            )
    if scope is Scope.COMPILATION:
        return GrantRefused(
            f"the compilations of {review.review} are for the group of experts and "
            f"the secretariat (ToR 37 quater), not for {principal.principal}"
        )
    if principal.state == review.party_under_review:
        return Basis.PARTY_UNDER_REVIEW
    if principal.state in reviewers:
        return Basis.REVIEWER
    if principal.principal in review.consents:
        if scope is Scope.FINAL_REPORT:
            return Basis.CONSENT
        return ReportAccessRefused(
            f"the consent of {review.party_under_review} gives "
            f"{principal.principal} its final report only, not the "
            f"{scope.name.lower()} of {review.review}"
        )
    return GrantRefused(
        f"{principal.principal} is neither the party under review, one of its "
        f"reviewers, the secretariat nor a consented requester of {review.review}"
    )


def _grants_for(
    state: AccessState,
    scope: ScopeAccess,
    epoch: int,
    reviewers: tuple[str, ...],
    max_grants: int,
) -> list[AccessGranted]:
    """Grants at ``epoch`` for every registered principal the rules authorise."""
    grants: list[AccessGranted] = []
    for principal in sorted(state.principals.by_id.values(), key=lambda p: p.principal):
        if principal.principal in scope.revoked:
            continue
        basis = authorise(state.review, principal, scope.scope, reviewers)
        if isinstance(basis, Basis):
            grants.append(_granted(state.review, scope.scope, epoch, principal, basis))
    _check_limit(len(grants), max_grants)
    return grants


def _granted(
    review: ReviewAccess, scope: Scope, epoch: int, principal: Principal, basis: Basis
) -> AccessGranted:
    return AccessGranted(
        review=review.review,
        scope=scope,
        epoch=epoch,
        principal=principal.principal,
        basis=basis,
        encryption_kid=principal.encryption_kid,
    )


def _check_limit(count: int, max_grants: int) -> None:
    if count > max_grants:
        msg = (
            f"a scope holds at most {max_grants} grants at one epoch; this would "
            f"make {count}"
        )
        raise InvalidInput(msg)


def _registered(principals: Principals, principal: str) -> Principal:
    found = principals.get(check_principal_id(principal))
    if found is None:
        msg = f"no principal {principal!r} is registered"
        raise InvalidInput(msg)
    return found


def _opened(review: ReviewAccess, scope: Scope) -> ScopeAccess:
    found = review.scopes.get(scope)
    if found is None:
        msg = f"the {scope.name.lower()} of {review.review} is not opened"
        raise InvalidInput(msg)
    return found


def _check_reviewers(review: ReviewAccess, reviewers: tuple[str, ...]) -> None:
    if (
        len(reviewers) != 2  # noqa: PLR2004 - exactly two reviewers (ToR 18)
        or len(set(reviewers)) != 2  # noqa: PLR2004
        or not all(_STATE.fullmatch(r) for r in reviewers)
        or review.party_under_review in reviewers
    ):
        msg = (
            f"a review has two reviewing States parties other than the party under "
            f"review, each by its three-letter code, not {list(reviewers)}"
        )
        raise InvalidInput(msg)


# -- each command ----------------------------------------------------------------------


def _open_scope(
    state: AccessState, command: OpenScope, max_grants: int
) -> tuple[Event, ...]:
    review = state.review
    if command.scope in review.scopes:
        msg = f"the {command.scope.name.lower()} of {review.review} is already opened"
        raise InvalidInput(msg)
    reviewers = tuple(command.reviewers)
    if is_compilations(review.review):
        if reviewers:
            msg = f"{review.review} has no reviewers"
            raise InvalidInput(msg)
    else:
        _check_reviewers(review, reviewers)
    if review.scopes and set(reviewers) != set(review.reviewers):
        msg = (
            f"the reviewers of {review.review} are {', '.join(review.reviewers)}; "
            "turn the epoch to change them"
        )
        raise InvalidInput(msg)
    opened = ScopeOpened(
        review=review.review, scope=command.scope, epoch=1, reviewers=reviewers
    )
    scope = ScopeAccess(scope=command.scope, epoch=1)
    return (opened, *_grants_for(state, scope, 1, reviewers, max_grants))


def _grant_access(
    state: AccessState, command: GrantAccess, max_grants: int
) -> tuple[Event, ...]:
    review = state.review
    scope = _opened(review, command.scope)
    principal = _registered(state.principals, command.principal)
    if principal.principal in scope.grants:
        msg = (
            f"{principal.principal} already holds the {command.scope.name.lower()} "
            f"of {review.review} at epoch {scope.epoch}"
        )
        raise InvalidInput(msg)
    basis = authorise(review, principal, command.scope, review.reviewers)
    if isinstance(basis, DomainError):
        raise basis
    _check_limit(len(scope.grants) + 1, max_grants)
    return (_granted(review, command.scope, scope.epoch, principal, basis),)


def _rotated(  # noqa: PLR0913, PLR0917 - the rotation in full
    state: AccessState,
    scope: ScopeAccess,
    revoke: list[str],
    reviewers: tuple[str, ...],
    reason: str,
    max_grants: int,
) -> list[Event]:
    """Revoke ``revoke``, turn the scope's epoch and grant it again."""
    review = state.review
    events: list[Event] = [
        AccessRevoked(
            review=review.review,
            scope=scope.scope,
            epoch=scope.epoch,
            principal=p,
            reason=reason,
        )
        for p in revoke
    ]
    epoch = scope.epoch + 1
    events.append(
        EpochRotated(
            review=review.review,
            scope=scope.scope,
            epoch=epoch,
            reviewers=reviewers,
            reason=reason,
        )
    )
    remaining = attrs.evolve(scope, revoked=scope.revoked | set(revoke))
    events.extend(_grants_for(state, remaining, epoch, reviewers, max_grants))
    return events


def _revoke_access(
    state: AccessState, command: RevokeAccess, max_grants: int
) -> tuple[Event, ...]:
    review = state.review
    scope = _opened(review, command.scope)
    principal = check_principal_id(command.principal)
    if principal not in scope.grants:
        msg = (
            f"{principal} holds no grant of the {command.scope.name.lower()} of "
            f"{review.review} at epoch {scope.epoch}"
        )
        raise InvalidInput(msg)
    reason = _text("reason", command.reason)
    return tuple(
        _rotated(state, scope, [principal], review.reviewers, reason, max_grants)
    )


def _rotate_epoch(
    state: AccessState, command: RotateEpoch, max_grants: int
) -> tuple[Event, ...]:
    review = state.review
    if not review.scopes:
        msg = f"no scope of {review.review} is opened"
        raise InvalidInput(msg)
    reviewers = tuple(command.reviewers)
    _check_reviewers(review, reviewers)
    reason = _text("reason", command.reason)
    replaced = set(review.reviewers) - set(reviewers)
    events: list[Event] = []
    for name in Scope:
        scope = review.scopes.get(name)
        if scope is None:
            continue
        revoke = sorted(
            p
            for p in scope.grants
            if (found := state.principals.get(p)) is not None
            and found.kind is PrincipalKind.STATE_FOCAL_POINT
            and found.state in replaced
        )
        events.extend(_rotated(state, scope, revoke, reviewers, reason, max_grants))
    return tuple(events)


def _focal_point_of(state: AccessState, principal: str) -> Principal:
    found = _registered(state.principals, principal)
    if found.kind is not PrincipalKind.STATE_FOCAL_POINT:
        msg = f"{principal} is not the focal point of a State"
        raise InvalidInput(msg)
    return found


def _request_report(state: AccessState, command: RequestReport) -> tuple[Event, ...]:
    review = state.review
    requester = _focal_point_of(state, command.requester)
    if requester.state == review.party_under_review or requester.state in (
        review.reviewers
    ):
        msg = (
            f"{requester.principal} takes part in {review.review} and needs no "
            "request to read its report"
        )
        raise ReportAccessRefused(msg)
    if requester.principal in review.requests or requester.principal in (
        review.consents
    ):
        msg = (
            f"{requester.principal} has already asked for the report of {review.review}"
        )
        raise InvalidInput(msg)
    return (ReportRequested(review=review.review, requester=requester.principal),)


def _give_consent(
    state: AccessState, command: GiveConsent, max_grants: int
) -> tuple[Event, ...]:
    review = state.review
    given_by = _registered(state.principals, command.given_by)
    if (
        given_by.kind is not PrincipalKind.STATE_FOCAL_POINT
        or given_by.state != review.party_under_review
    ):
        msg = (
            f"only the party under review, {review.party_under_review}, consents to "
            f"access to its report, not {given_by.principal}"
        )
        raise ReportAccessRefused(msg)
    requester = check_principal_id(command.requester)
    if requester in review.consents:
        msg = f"{requester} already has the consent of {review.party_under_review}"
        raise InvalidInput(msg)
    if requester not in review.requests:
        msg = (
            f"{requester} has not asked for the report of {review.review}; consent "
            "answers a request"
        )
        raise ReportAccessRefused(msg)
    consent = ConsentGiven(
        review=review.review,
        requester=requester,
        given_by=given_by.principal,
        signature=_text("signature", command.signature),
    )
    events: list[Event] = [consent]
    final = review.scopes.get(Scope.FINAL_REPORT)
    principal = state.principals.get(requester)
    if final is not None and principal is not None:
        _check_limit(len(final.grants) + 1, max_grants)
        events.append(
            _granted(review, Scope.FINAL_REPORT, final.epoch, principal, Basis.CONSENT)
        )
    return tuple(events)


def _publish_sections(
    state: AccessState, command: PublishSections
) -> tuple[Event, ...]:
    review = state.review
    by = _registered(state.principals, command.published_by)
    if (
        by.kind is not PrincipalKind.STATE_FOCAL_POINT
        or by.state != review.party_under_review
    ):
        msg = (
            f"only the party under review, {review.party_under_review}, may publish "
            f"its report, in full or in part, not {by.principal}"
        )
        raise PublicationRefused(msg)
    _opened(review, Scope.FINAL_REPORT)
    sections = tuple(command.sections)
    if not sections:
        msg = "name at least one section to publish"
        raise InvalidInput(msg)
    for section in sections:
        check_section(section)
    again = sorted(set(sections) & set(review.published)) or sorted(
        {s for s in sections if sections.count(s) > 1}
    )
    if again:
        msg = f"section(s) {', '.join(again)} named twice or already published"
        raise InvalidInput(msg)
    return (
        SectionsPublished(
            review=review.review, sections=sections, published_by=by.principal
        ),
    )
