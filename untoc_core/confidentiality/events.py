"""Events of access to review information (ToR 3(g), 30, 36, 37, 37 quater; GL 5).

Principals and their key fingerprints are recorded on the stream
``access/principals``; everything about one country review (its key scopes and
epochs, grants, revocations, requests, consents, publications, breach reports and
the access log) on the stream ``access/<review id>``, for example
``access/cycle-1/ARC``. No event holds plaintext or a secret key: a principal's
keys appear as public keys and fingerprints; the key material of
:mod:`.keys` appears only wrapped.
"""

from __future__ import annotations

import enum
import re
from typing import ClassVar, Final

import attrs

from untoc_core.errors import InvalidInput
from untoc_core.events import Event

STREAM_PREFIX: Final = "access/"
"""Every stream of access starts with this."""
PRINCIPALS_STREAM: Final = "access/principals"
"""The stream of the principals' registrations."""

_REVIEW = re.compile(
    r"cycle-(?P<cycle>[1-9][0-9]{0,2})/(?:(?P<code>[A-Z]{3})|(?P<compilations>compilations))"
)
COMPILATIONS: Final = "compilations"
"""The last part of ``cycle-<n>/compilations``: the secretariat's compilations."""


def parse_review(review: str) -> tuple[int, str]:
    """The cycle and the State under review of a review id ``cycle-<n>/<CODE>``.

    ``cycle-<n>/compilations`` names the record of the secretariat's compilations
    of cycle ``n`` for the group of experts (ToR 34, 37 quater); it has no State
    under review, so its code is ``""``.

    Raises:
        InvalidInput: the id is not of either form.
    """
    found = _REVIEW.fullmatch(review)
    if found is None:
        msg = (
            f"{review!r} is not a review id: it is 'cycle-<n>/<CODE>', the cycle and "
            "the State party under review, for example 'cycle-1/ARC', or "
            "'cycle-<n>/compilations'"
        )
        raise InvalidInput(msg)
    return int(found["cycle"]), found["code"] or ""


def is_compilations(review: str) -> bool:
    """Whether ``review`` names a cycle's compilations rather than a country review."""
    return parse_review(review)[1] == ""


def stream_of(review: str) -> str:
    """The stream that records access to ``review``."""
    parse_review(review)
    return f"{STREAM_PREFIX}{review}"


class PrincipalKind(enum.StrEnum):
    """Who a principal is."""

    STATE_FOCAL_POINT = "state_focal_point"
    """The focal point of a State (ToR 17), acting for it."""
    SECRETARIAT = "secretariat"
    AUDITOR = "auditor"
    """Checks that the rules were followed: reads the access log, never content."""
    EXPERT_GROUP = "expert_group"
    """The open-ended group of experts (ToR 37 bis-quinquies)."""


class Scope(enum.StrEnum):
    """A key scope of a review; the values are the key scopes of ADR 0008."""

    DOSSIER = "dossier"
    """Checklist responses, supplementary information, dialogue, drafts, notes."""
    FINAL_REPORT = "final"
    """The agreed country review report."""
    EXECUTIVE_SUMMARY = "summary"
    """The executive summary, until it is released (ToR 35)."""
    COMPILATION = "compilation"
    """The secretariat's compilation for the group of experts (ToR 34, 37 quater),
    on the record ``cycle-<n>/compilations`` only."""


REVIEW_SCOPES: Final = (Scope.DOSSIER, Scope.FINAL_REPORT, Scope.EXECUTIVE_SUMMARY)
"""The key scopes of a country review; compilations have their own record."""


class Basis(enum.StrEnum):
    """The provision a grant or an allowed access rests on."""

    PARTY_UNDER_REVIEW = "ToR-18 party under review"
    REVIEWER = "ToR-18 reviewer"
    SECRETARIAT = "ToR-30 secretariat"
    CONSENT = "ToR-37 consent"
    EXPERT_GROUP = "ToR-37quater group of experts"
    PUBLISHED = "ToR-36 published"
    AUDIT = "ToR-3g audit"
    NONE = "ToR-30"
    """No basis: the access is denied under ToR 30."""


class Role(enum.StrEnum):
    """A principal's role in one review."""

    PARTY_UNDER_REVIEW = "party_under_review"
    REVIEWER = "reviewer"
    SECRETARIAT = "secretariat"
    REQUESTER = "requester"
    """A State that asked for the final report (ToR 37)."""
    EXPERT_GROUP = "expert_group"
    AUDITOR = "auditor"
    OUTSIDER = "outsider"
    """No role in the review, or an unknown principal."""


class Action(enum.StrEnum):
    """What a principal asks to do."""

    READ = "read"
    """Fetch content of a scope (its ciphertext, or a key release)."""
    READ_LOG = "read_log"
    """Read the review's access log."""
    WRITE = "write"
    """File material in a scope, sealed for its current epoch."""


class Outcome(enum.StrEnum):
    """Whether access was allowed."""

    ALLOW = "allow"
    DENY = "deny"


# -- events ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PrincipalRegistered(Event):
    """A principal and the fingerprints of its public keys were registered.

    The fingerprints (the first 16 bytes of SHA-256 of each raw public key, in
    hex) are confirmed out of band with the principal; they are the trust anchor.
    """

    TYPE: ClassVar[str] = "access.PrincipalRegistered"

    principal: str
    kind: PrincipalKind
    state: str | None
    """The State a focal point acts for; ``None`` for the others."""
    encryption_kid: str
    signing_kid: str
    encryption_suite: str = ""
    """The HPKE suite of ``encryption_key``; empty when only fingerprints were given."""
    encryption_key: bytes = b""
    """The raw public encryption key (public, not secret); its fingerprint is
    ``encryption_kid``."""
    signing_key: bytes = b""
    """The raw Ed25519 public signing key; its fingerprint is ``signing_kid``."""


@attrs.frozen(kw_only=True)
class ScopeOpened(Event):
    """A key scope of a review was opened at epoch 1, for its reviewers then."""

    TYPE: ClassVar[str] = "access.ScopeOpened"

    review: str
    scope: Scope
    epoch: int
    reviewers: tuple[str, ...]
    """The reviewing States parties (ToR 18) when the scope was opened."""


@attrs.frozen(kw_only=True)
class AccessGranted(Event):
    """A principal may read a scope at an epoch: its data key is wrapped for it."""

    TYPE: ClassVar[str] = "access.AccessGranted"

    review: str
    scope: Scope
    epoch: int
    principal: str
    basis: Basis
    encryption_kid: str
    """The fingerprint of the key the data key is wrapped for."""


@attrs.frozen(kw_only=True)
class AccessRevoked(Event):
    """A principal's grant was revoked; the scope moves to a new epoch next."""

    TYPE: ClassVar[str] = "access.AccessRevoked"

    review: str
    scope: Scope
    epoch: int
    """The epoch whose grant is revoked."""
    principal: str
    reason: str


@attrs.frozen(kw_only=True)
class EpochRotated(Event):
    """A scope moved to a new data key; material sealed from now on uses it.

    Only the principals granted again at the new epoch can read that material. A
    reviewer replaced by a deferral (ToR 20) or a repeated draw (ToR 19) is not.
    """

    TYPE: ClassVar[str] = "access.EpochRotated"

    review: str
    scope: Scope
    epoch: int
    """The new epoch."""
    reviewers: tuple[str, ...]
    """The reviewing States parties from this epoch on."""
    reason: str


@attrs.frozen(kw_only=True)
class ReportRequested(Event):
    """A State asked for the final report of another's review (ToR 37)."""

    TYPE: ClassVar[str] = "access.ReportRequested"

    review: str
    requester: str
    """The principal (a focal point) asking."""


@attrs.frozen(kw_only=True)
class ConsentGiven(Event):
    """The party under review consented to a request for its report (ToR 37)."""

    TYPE: ClassVar[str] = "access.ConsentGiven"

    review: str
    requester: str
    given_by: str
    """The principal of the party under review."""
    signature: str
    """The party under review's signature of the consent, as opaque text."""


@attrs.frozen(kw_only=True)
class SectionsPublished(Event):
    """The party under review published chosen sections of its report (ToR 36)."""

    TYPE: ClassVar[str] = "access.SectionsPublished"

    review: str
    sections: tuple[str, ...]
    published_by: str


@attrs.frozen(kw_only=True)
class BreachReported(Event):
    """A suspected breach of confidentiality was reported and referred (GL 5)."""

    TYPE: ClassVar[str] = "access.BreachReported"

    review: str
    reported_by: str
    summary: str
    """What is suspected, in words that reveal no confidential content."""
    referred_to: str


@attrs.frozen(kw_only=True)
class AccessDecided(Event):
    """One entry of the access log: who asked for what, and what was decided.

    It names the principal, its role, the scope, epoch and action, the outcome, the
    exact reason and the basis; never plaintext or keys. A denial's reason is here
    only: the caller gets the one ``AccessDenied``.
    """

    TYPE: ClassVar[str] = "access.AccessDecided"

    review: str
    principal: str
    role: Role
    scope: Scope
    epoch: int
    """The scope's current epoch; 0 when the scope is not opened."""
    section: str
    """The section asked for; empty for the whole scope."""
    action: Action
    outcome: Outcome
    reason: str
    basis: Basis


ACCESS_EVENTS: tuple[type[Event], ...] = (
    PrincipalRegistered,
    ScopeOpened,
    AccessGranted,
    AccessRevoked,
    EpochRotated,
    ReportRequested,
    ConsentGiven,
    SectionsPublished,
    BreachReported,
    AccessDecided,
)
