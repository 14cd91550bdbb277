"""Who may read what: the principals, each review's scopes and grants, and the rules.

:func:`decide_access` is the read-path decision (ToR 30, 36, 37, 37 quater): pure,
from the recorded events only. It returns an :class:`AccessDecision` whose
:meth:`~AccessDecision.event` is the entry of the access log; the application
raises the one ``AccessDenied`` on a denial and keeps the reason in the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from untoc_core.confidentiality.events import (
    AccessDecided,
    AccessGranted,
    AccessRevoked,
    Action,
    Basis,
    BreachReported,
    ConsentGiven,
    EpochRotated,
    Outcome,
    PrincipalKind,
    PrincipalRegistered,
    ReportRequested,
    Role,
    Scope,
    ScopeOpened,
    SectionsPublished,
    parse_review,
)
from untoc_core.confidentiality.keys import KEY_EVENTS, ReviewKeys
from untoc_core.events import Event

# -- principals ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Principal:
    """A registered principal and the fingerprints of its keys."""

    principal: str
    kind: PrincipalKind
    state: str | None
    encryption_kid: str
    signing_kid: str
    encryption_suite: str = ""
    """The HPKE suite of ``encryption_key``; empty when no key was registered."""
    encryption_key: bytes = b""
    """The public encryption key, raw; data keys are wrapped for it."""
    signing_key: bytes = b""
    """The raw Ed25519 public key that checks the principal's signatures."""


@attrs.frozen(kw_only=True)
class Principals:
    """Every registered principal, from the stream ``access/principals``."""

    version: int = 0
    by_id: Mapping[str, Principal] = attrs.field(factory=dict)

    def get(self, principal: str) -> Principal | None:
        """The principal with this id, or ``None`` if none is registered."""
        return self.by_id.get(principal)


def evolve_principals(state: Principals, event: Event, version: int) -> Principals:
    """The principals after ``event`` at stream ``version``."""
    if isinstance(event, PrincipalRegistered):
        principal = Principal(
            principal=event.principal,
            kind=event.kind,
            state=event.state,
            encryption_kid=event.encryption_kid,
            signing_kid=event.signing_kid,
            encryption_suite=event.encryption_suite,
            encryption_key=event.encryption_key,
            signing_key=event.signing_key,
        )
        return Principals(
            version=version, by_id={**state.by_id, event.principal: principal}
        )
    return attrs.evolve(state, version=version)


def replay_principals(events: Iterable[tuple[int, Event]]) -> Principals:
    """The principals from ``(version, event)`` pairs."""
    state = Principals()
    for version, event in events:
        state = evolve_principals(state, event, version)
    return state


# -- one review ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ScopeAccess:
    """One key scope of a review: its epoch and who holds a grant at it.

    Attributes:
        scope: The key scope.
        epoch: The current epoch, from 1.
        grants: The grants at the current epoch, by principal.
        history: Every grant ever made, at every epoch. A grant cannot be taken
            back from whoever received it: old-epoch material stays readable to it
            (research case T17).
        revoked: The principals revoked in this scope and not granted since.
    """

    scope: Scope
    epoch: int
    grants: Mapping[str, AccessGranted] = attrs.field(factory=dict)
    history: tuple[AccessGranted, ...] = ()
    revoked: frozenset[str] = frozenset()

    def held_before(self, principal: str) -> bool:
        """Whether ``principal`` held a grant of this scope at some epoch."""
        return any(g.principal == principal for g in self.history)


@attrs.frozen(kw_only=True)
class ReviewAccess:
    """Everything recorded about access to one country review."""

    review: str
    party_under_review: str
    version: int = 0
    reviewers: tuple[str, ...] = ()
    """The reviewing States parties now: set when a scope opens or an epoch turns."""
    scopes: Mapping[Scope, ScopeAccess] = attrs.field(factory=dict)
    requests: frozenset[str] = frozenset()
    """Requesters (ToR 37) with no consent yet."""
    consents: Mapping[str, ConsentGiven] = attrs.field(factory=dict)
    published: tuple[str, ...] = ()
    """Sections of the final report the party under review published (ToR 36)."""
    breaches: tuple[BreachReported, ...] = ()
    log: tuple[AccessDecided, ...] = ()
    keys: ReviewKeys = attrs.field(factory=ReviewKeys)
    """The key material recorded: custodial copies, wrapped grants, releases."""

    @classmethod
    def empty(cls, review: str) -> ReviewAccess:
        """A review nothing is recorded about yet."""
        return cls(review=review, party_under_review=parse_review(review)[1])


def _grant(scope: ScopeAccess, event: AccessGranted) -> ScopeAccess:
    return attrs.evolve(
        scope,
        grants={**scope.grants, event.principal: event},
        history=(*scope.history, event),
        revoked=scope.revoked - {event.principal},
    )


def _revoke(scope: ScopeAccess, event: AccessRevoked) -> ScopeAccess:
    grants = {p: g for p, g in scope.grants.items() if p != event.principal}
    return attrs.evolve(scope, grants=grants, revoked=scope.revoked | {event.principal})


def evolve_review(  # noqa: C901, PLR0911 - one case per event
    state: ReviewAccess, event: Event, version: int
) -> ReviewAccess:
    """The review's access after ``event`` at stream ``version``."""
    if isinstance(event, KEY_EVENTS):
        return attrs.evolve(state, version=version, keys=state.keys.evolve(event))
    match event:
        case ScopeOpened():
            opened = ScopeAccess(scope=event.scope, epoch=event.epoch)
            return attrs.evolve(
                state,
                version=version,
                reviewers=event.reviewers,
                scopes={**state.scopes, event.scope: opened},
            )
        case AccessGranted():
            scope = _grant(state.scopes[event.scope], event)
            return attrs.evolve(
                state, version=version, scopes={**state.scopes, event.scope: scope}
            )
        case AccessRevoked():
            scope = _revoke(state.scopes[event.scope], event)
            return attrs.evolve(
                state, version=version, scopes={**state.scopes, event.scope: scope}
            )
        case EpochRotated():
            scope = attrs.evolve(
                state.scopes[event.scope], epoch=event.epoch, grants={}
            )
            return attrs.evolve(
                state,
                version=version,
                reviewers=event.reviewers,
                scopes={**state.scopes, event.scope: scope},
            )
        case ReportRequested():
            return attrs.evolve(
                state, version=version, requests=state.requests | {event.requester}
            )
        case ConsentGiven():
            return attrs.evolve(
                state,
                version=version,
                requests=state.requests - {event.requester},
                consents={**state.consents, event.requester: event},
            )
        case SectionsPublished():
            return attrs.evolve(
                state, version=version, published=(*state.published, *event.sections)
            )
        case BreachReported():
            return attrs.evolve(
                state, version=version, breaches=(*state.breaches, event)
            )
        case AccessDecided():
            return attrs.evolve(state, version=version, log=(*state.log, event))
    return attrs.evolve(state, version=version)


def replay_review(review: str, events: Iterable[tuple[int, Event]]) -> ReviewAccess:
    """The access to ``review`` from its stream's ``(version, event)`` pairs."""
    state = ReviewAccess.empty(review)
    for version, event in events:
        state = evolve_review(state, event, version)
    return state


@attrs.frozen(kw_only=True)
class AccessState:
    """What an access decision is taken on: the principals and one review."""

    principals: Principals
    review: ReviewAccess


# -- roles and the decision ------------------------------------------------------------


def role_of(  # noqa: PLR0911 - one return per role
    review: ReviewAccess, principal: Principal | None
) -> Role:
    """The role a principal has in a review; ``OUTSIDER`` if none or unknown."""
    if principal is None:
        return Role.OUTSIDER
    match principal.kind:
        case PrincipalKind.SECRETARIAT:
            return Role.SECRETARIAT
        case PrincipalKind.AUDITOR:
            return Role.AUDITOR
        case PrincipalKind.EXPERT_GROUP:
            return Role.EXPERT_GROUP
    if principal.state == review.party_under_review:
        return Role.PARTY_UNDER_REVIEW
    if principal.state in review.reviewers:
        return Role.REVIEWER
    if principal.principal in review.requests or principal.principal in review.consents:
        return Role.REQUESTER
    return Role.OUTSIDER


@attrs.frozen(kw_only=True)
class AccessDecision:
    """Whether a principal may do something with a review's scope, and why.

    The reason is for the access log only; a caller denied gets ``AccessDenied``.
    """

    review: str
    principal: str
    role: Role
    scope: Scope
    epoch: int
    section: str
    action: Action
    outcome: Outcome
    reason: str
    basis: Basis

    @property
    def allowed(self) -> bool:
        """Whether access is allowed."""
        return self.outcome is Outcome.ALLOW

    def event(self) -> AccessDecided:
        """The entry of the access log recording this decision."""
        return AccessDecided(
            review=self.review,
            principal=self.principal,
            role=self.role,
            scope=self.scope,
            epoch=self.epoch,
            section=self.section,
            action=self.action,
            outcome=self.outcome,
            reason=self.reason,
            basis=self.basis,
        )


def decide_access(  # noqa: C901, PLR0911, PLR0912, PLR0913 - one return per rule
    state: AccessState,
    principal: str,
    review: str,
    scope: Scope,
    action: Action,
    *,
    section: str = "",
) -> AccessDecision:
    """Decide whether ``principal`` may do ``action`` on ``scope`` of ``review``.

    The rules, in order:

    - a section of the final report that the party under review published may be
      read by anyone (ToR 36);
    - the access log may be read by auditors (ToR 3(g)) and the secretariat only;
    - an auditor reads no content;
    - content needs an opened scope and a grant at its current epoch. Grants go only
      to the party under review, its two reviewers and the secretariat (ToR 30), a
      requester the party under review consented to, for the final report only
      (ToR 37), and the group of experts, for the executive summary only
      (ToR 37 quater). A reviewer of another review holds none (research T44).

    Returns:
        The decision; its ``event()`` is the entry of the access log.
    """
    review_access = state.review
    scoped = review_access.scopes.get(scope)
    registered = state.principals.get(principal)
    role = role_of(review_access, registered)

    def decision(outcome: Outcome, reason: str, basis: Basis) -> AccessDecision:
        return AccessDecision(
            review=review,
            principal=principal,
            role=role,
            scope=scope,
            epoch=scoped.epoch if scoped is not None else 0,
            section=section,
            action=action,
            outcome=outcome,
            reason=reason,
            basis=basis,
        )

    def deny(reason: str, basis: Basis = Basis.NONE) -> AccessDecision:
        return decision(Outcome.DENY, reason, basis)

    if review != review_access.review:
        return deny("state-of-another-review")
    if (
        action is Action.READ
        and scope is Scope.FINAL_REPORT
        and section
        and section in review_access.published
    ):
        return decision(Outcome.ALLOW, "published-section", Basis.PUBLISHED)
    if registered is None:
        return deny("unknown-principal")
    if action is Action.READ_LOG:
        if role is Role.AUDITOR:
            return decision(Outcome.ALLOW, "auditor-reads-the-log", Basis.AUDIT)
        if role is Role.SECRETARIAT:
            return decision(
                Outcome.ALLOW, "secretariat-reads-the-log", Basis.SECRETARIAT
            )
        return deny("log-reserved-to-auditors-and-secretariat", Basis.AUDIT)
    if role is Role.AUDITOR:
        return deny("auditor-reads-no-content", Basis.AUDIT)
    if role is Role.EXPERT_GROUP and scope not in {
        Scope.EXECUTIVE_SUMMARY,
        Scope.COMPILATION,
    }:
        return deny("expert-group-reads-executive-summaries-only", Basis.EXPERT_GROUP)
    if role is Role.REQUESTER and scope is not Scope.FINAL_REPORT:
        return deny("consent-covers-the-final-report-only", Basis.CONSENT)
    if action is Action.WRITE and role in {Role.REQUESTER, Role.EXPERT_GROUP}:
        return deny("only-the-principals-of-the-review-file-material")
    if scoped is None:
        return deny("scope-not-opened")
    grant = scoped.grants.get(principal)
    if grant is not None:
        return decision(Outcome.ALLOW, "granted", grant.basis)
    if principal in scoped.revoked or scoped.held_before(principal):
        return deny("no-grant-at-current-epoch")
    if role is Role.REQUESTER:
        if principal not in review_access.consents:
            return deny("no-consent-of-the-party-under-review", Basis.CONSENT)
        return deny("no-grant", Basis.CONSENT)
    if role is Role.OUTSIDER:
        return deny("not-a-principal-of-this-review")
    return deny("no-grant")
