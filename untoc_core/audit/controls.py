"""The auditor's control tests of confidentiality, over the recorded events (ToR 3(g)).

Every control reads plain events only: the principals (``access/principals``), the
access streams (``access/<review id>``, stored unencrypted) and the draws
(``draw/cycle-<n>``). None needs a decryption key, and the sealed material streams
(``material/<review id>``) are never read: what a control checks is who was given
what and why, never what the material says.

The controls, each a :class:`ControlResult` of :func:`run_controls`:

1. ``grants-authorised``: every grant (``AccessGranted``, ``GrantWrapped``) rests
   on an authorising event recorded before it, and its recorded basis is the one
   that event gives;
2. ``grants-within-the-circle``: no grant goes to anyone outside the party under
   review, its reviewers, the secretariat, the group of experts (executive summary
   and compilations only) and requesters the party under review consented to
   (final report only);
3. ``no-access-after-revocation``: no content access is allowed to a principal on
   a scope after its grant there was revoked, unless it was granted again since;
4. ``publications-by-the-party-under-review``: every publication
   (``SectionsPublished``, ``SectionKeyReleased``) was made by the party under
   review's focal point;
5. ``draws-replay``: every recorded draw replays to the same result.

:func:`denied_by_reason` counts the denied accesses of the access log by reason.

A period restricts which records are tested (by the UTC date they were recorded);
the history before it is still read for context, so a grant in the period may rest
on a consent given before it. Records after the period are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final

import attrs

from untoc_core.confidentiality.events import (
    PRINCIPALS_STREAM,
    AccessDecided,
    AccessGranted,
    AccessRevoked,
    Action,
    Basis,
    ConsentGiven,
    EpochRotated,
    Outcome,
    PrincipalKind,
    PrincipalRegistered,
    Scope,
    ScopeOpened,
    SectionsPublished,
    parse_review,
)
from untoc_core.confidentiality.keys import GrantWrapped, SectionKeyReleased
from untoc_core.drawing.events import (
    STREAM_PREFIX as DRAW_PREFIX,
)
from untoc_core.drawing.events import (
    ReviewersDrawn,
    ReviewersRedrawn,
    ReviewYearsDrawn,
)
from untoc_core.drawing.verify import verify_history
from untoc_core.errors import InvalidInput
from untoc_core.ports import CompletionSolver, Recorded
from untoc_core.rules.rulebook import default_rulebook

GRANTS_AUTHORISED: Final = "grants-authorised"
GRANTS_WITHIN_THE_CIRCLE: Final = "grants-within-the-circle"
NO_ACCESS_AFTER_REVOCATION: Final = "no-access-after-revocation"
PUBLICATIONS_BY_THE_PARTY: Final = "publications-by-the-party-under-review"
DRAWS_REPLAY: Final = "draws-replay"

_SUMMARY_SCOPES: Final = frozenset({Scope.EXECUTIVE_SUMMARY, Scope.COMPILATION})
_DRAWS: Final = (ReviewYearsDrawn, ReviewersDrawn, ReviewersRedrawn)
_CYCLE = re.compile(r"cycle-(?P<cycle>[1-9][0-9]{0,2})")

Period = tuple[dt.date, dt.date]
"""The first and last day tested, inclusive, as UTC dates of ``recorded_at``."""


@attrs.frozen(kw_only=True)
class ControlException:
    """One record a control found wrong.

    Attributes:
        position: The record's position in the store (0 when a replay supplied by
            the caller names no record).
        stream: The record's stream.
        detail: What is wrong, in words that reveal no confidential content.
    """

    position: int
    stream: str
    detail: str


@attrs.frozen(kw_only=True)
class ControlResult:
    """The outcome of one control test over a period.

    Attributes:
        name: The control's stable name, for example ``grants-authorised``.
        description: What the control checks, in one sentence.
        provision: The provisions it rests on, for example ``ToR 30, 37``.
        population: How many records of the period the control tested.
        exceptions: The records found wrong, in store order.
    """

    name: str
    description: str
    provision: str
    population: int
    exceptions: tuple[ControlException, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether the control found no exception."""
        return not self.exceptions


# -- the history as the controls read it -------------------------------------------


def _check_period(period: Period | None) -> None:
    if period is not None and period[0] > period[1]:
        msg = f"a period starts no later than it ends, not {period[0]} to {period[1]}"
        raise InvalidInput(msg)


def _in_period(record: Recorded, period: Period | None) -> bool:
    if period is None:
        return True
    day = record.recorded_at.astimezone(dt.UTC).date()
    return period[0] <= day <= period[1]


def _considered(records: Iterable[Recorded], period: Period | None) -> list[Recorded]:
    """The records up to the end of the period, in store order."""
    ordered = sorted(records, key=lambda r: r.position)
    if period is None:
        return ordered
    end = period[1]
    return [r for r in ordered if r.recorded_at.astimezone(dt.UTC).date() <= end]


def _party_under_review(review: str) -> str:
    """The State under review; ``""`` for compilations or a malformed id."""
    try:
        return parse_review(review)[1]
    except InvalidInput:
        return ""


def _is_party_focal_point(principal: PrincipalRegistered | None, review: str) -> bool:
    party = _party_under_review(review)
    return (
        principal is not None
        and principal.kind is PrincipalKind.STATE_FOCAL_POINT
        and bool(party)
        and principal.state == party
    )


@attrs.define
class _Opened:
    """A scope's current epoch and the reviewers named when it began."""

    epoch: int
    reviewers: tuple[str, ...]


@attrs.define
class _Walk:
    """The context the controls need, as it stood at each record."""

    principals: dict[str, PrincipalRegistered] = attrs.field(factory=dict)
    opened: dict[tuple[str, Scope], _Opened] = attrs.field(factory=dict)
    consents: set[tuple[str, str]] = attrs.field(factory=set)
    """(review, requester) consented by the party under review's focal point."""
    granted: dict[tuple[str, Scope, str], int] = attrs.field(factory=dict)
    """The latest epoch granted, by (review, scope, principal)."""
    revoked: set[tuple[str, Scope, str]] = attrs.field(factory=set)
    published: set[tuple[str, str]] = attrs.field(factory=set)
    """(review, section) published by the party under review's focal point."""

    def follow(self, record: Recorded) -> None:
        """Take in one record, after the controls have tested it."""
        event = record.event
        match event:
            case PrincipalRegistered() if record.stream == PRINCIPALS_STREAM:
                self.principals[event.principal] = event
            case ScopeOpened() | EpochRotated():
                key = (event.review, event.scope)
                self.opened[key] = _Opened(event.epoch, tuple(event.reviewers))
            case ConsentGiven():
                given_by = self.principals.get(event.given_by)
                if _is_party_focal_point(given_by, event.review):
                    self.consents.add((event.review, event.requester))
            case AccessGranted():
                key3 = (event.review, event.scope, event.principal)
                self.granted[key3] = max(self.granted.get(key3, 0), event.epoch)
                self.revoked.discard(key3)
            case AccessRevoked():
                self.revoked.add((event.review, event.scope, event.principal))
            case SectionsPublished():
                by = self.principals.get(event.published_by)
                if _is_party_focal_point(by, event.review):
                    self.published.update((event.review, s) for s in event.sections)


# -- control 1: every grant has an authorising event -------------------------------


def _authorised_bases(  # noqa: C901 - one case per kind of principal
    walk: _Walk, grant: AccessGranted
) -> tuple[set[Basis], str]:
    """The bases the events before ``grant`` give it, or why there is none."""
    principal = walk.principals.get(grant.principal)
    if principal is None:
        return set(), f"{grant.principal} was not a registered principal"
    opened = walk.opened.get((grant.review, grant.scope))
    if opened is None:
        return set(), f"the {grant.scope.value} scope of {grant.review} was not opened"
    if opened.epoch != grant.epoch:
        return set(), (
            f"the grant is at epoch {grant.epoch} but the {grant.scope.value} scope "
            f"of {grant.review} was at epoch {opened.epoch}"
        )
    bases: set[Basis] = set()
    match principal.kind:
        case PrincipalKind.SECRETARIAT:
            bases.add(Basis.SECRETARIAT)
        case PrincipalKind.EXPERT_GROUP if grant.scope in _SUMMARY_SCOPES:
            bases.add(Basis.EXPERT_GROUP)
        case PrincipalKind.STATE_FOCAL_POINT if grant.scope is not Scope.COMPILATION:
            if _is_party_focal_point(principal, grant.review):
                bases.add(Basis.PARTY_UNDER_REVIEW)
            if principal.state in opened.reviewers:
                bases.add(Basis.REVIEWER)
            if (
                grant.scope is Scope.FINAL_REPORT
                and (grant.review, grant.principal) in walk.consents
            ):
                bases.add(Basis.CONSENT)
    if not bases:
        return bases, (
            f"no assignment or consent recorded before the grant authorises "
            f"{grant.principal} ({principal.kind.value}) to hold the "
            f"{grant.scope.value} scope of {grant.review} at epoch {grant.epoch}"
        )
    return bases, ""


def _grant_authorised(walk: _Walk, grant: AccessGranted) -> str:
    bases, why = _authorised_bases(walk, grant)
    if not bases:
        return why
    if grant.basis not in bases:
        given = ", ".join(sorted(b.value for b in bases))
        return (
            f"the grant to {grant.principal} records the basis {grant.basis.value!r} "
            f"but its authorising events give {given}"
        )
    return ""


def _wrapped_authorised(walk: _Walk, wrapped: GrantWrapped) -> str:
    granted = walk.granted.get((wrapped.review, wrapped.scope, wrapped.principal))
    if granted is None or granted < wrapped.epoch:
        return (
            f"a data key of the {wrapped.scope.value} scope of {wrapped.review} at "
            f"epoch {wrapped.epoch} was wrapped for {wrapped.principal} with no "
            "grant of that scope at that epoch or later recorded before it"
        )
    if (wrapped.review, wrapped.scope, wrapped.principal) in walk.revoked:
        return f"the key was wrapped for {wrapped.principal} after its revocation"
    principal = walk.principals.get(wrapped.principal)
    if principal is None or principal.encryption_kid != wrapped.kid:
        return (
            f"the key was wrapped for the key {wrapped.kid}, not the encryption key "
            f"registered for {wrapped.principal}"
        )
    return ""


# -- control 2: no grant outside the circle of the review --------------------------


@attrs.frozen(kw_only=True)
class _Circle:
    """Who may hold a review's scopes, from the whole history considered."""

    principals: Mapping[str, PrincipalRegistered]
    reviewers: Mapping[str, frozenset[str]]
    """Every State ever named a reviewer, by review."""
    consented: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, records: Sequence[Recorded]) -> _Circle:
        walk = _Walk()
        reviewers: dict[str, set[str]] = {}
        for record in records:
            walk.follow(record)
            event = record.event
            if isinstance(event, ScopeOpened | EpochRotated):
                reviewers.setdefault(event.review, set()).update(event.reviewers)
        return cls(
            principals=walk.principals,
            reviewers={r: frozenset(s) for r, s in reviewers.items()},
            consented=frozenset(walk.consents),
        )

    def outside(  # noqa: C901, PLR0911 - one return per role
        self, review: str, scope: Scope, principal_id: str
    ) -> str:
        """Why ``principal_id`` may not hold ``scope`` of ``review``; "" if it may."""
        principal = self.principals.get(principal_id)
        if principal is None:
            return f"{principal_id} is not a registered principal"
        match principal.kind:
            case PrincipalKind.SECRETARIAT:
                return ""
            case PrincipalKind.AUDITOR:
                return f"{principal_id} is an auditor: it reads the log, never content"
            case PrincipalKind.EXPERT_GROUP:
                if scope in _SUMMARY_SCOPES:
                    return ""
                return (
                    f"the group of experts {principal_id} holds executive summaries "
                    f"and compilations only, not the {scope.value} scope"
                )
        if scope is Scope.COMPILATION:
            return (
                "compilations are for the secretariat and the group of experts "
                f"only, not {principal_id}"
            )
        if _is_party_focal_point(principal, review):
            return ""
        if principal.state in self.reviewers.get(review, frozenset()):
            return ""
        if (review, principal_id) in self.consented:
            if scope is Scope.FINAL_REPORT:
                return ""
            return (
                f"the consent given to {principal_id} covers the final report only, "
                f"not the {scope.value} scope"
            )
        return (
            f"{principal_id} is neither the party under review, one of its "
            "reviewers, the secretariat, the group of experts nor a consented "
            f"requester of {review}"
        )


# -- running the controls ----------------------------------------------------------


@attrs.define
class _Tally:
    population: int = 0
    exceptions: list[ControlException] = attrs.field(factory=list)

    def test(self, record: Recorded, detail: str) -> None:
        self.population += 1
        if detail:
            self.exceptions.append(
                ControlException(
                    position=record.position, stream=record.stream, detail=detail
                )
            )

    def result(self, name: str, description: str, provision: str) -> ControlResult:
        return ControlResult(
            name=name,
            description=description,
            provision=provision,
            population=self.population,
            exceptions=tuple(self.exceptions),
        )


def _access_after_revocation(walk: _Walk, decided: AccessDecided) -> str:
    if (decided.review, decided.scope, decided.principal) not in walk.revoked:
        return ""
    return (
        f"{decided.principal} was allowed to {decided.action.value} the "
        f"{decided.scope.value} scope of {decided.review} after its grant there was "
        "revoked, with no grant since"
    )


def _is_content_access(decided: AccessDecided) -> bool:
    """An allowed access to content that needs a grant (not the log, not published)."""
    return (
        decided.outcome is Outcome.ALLOW
        and decided.action is not Action.READ_LOG
        and decided.basis is not Basis.PUBLISHED
    )


def _publication(walk: _Walk, record: Recorded) -> str:
    event = record.event
    if isinstance(event, SectionsPublished):
        by = walk.principals.get(event.published_by)
        if _is_party_focal_point(by, event.review):
            return ""
        return (
            f"sections {', '.join(event.sections)} of {event.review} were published "
            f"by {event.published_by}, not the focal point of the party under review"
        )
    if isinstance(event, SectionKeyReleased):
        if (event.review, event.section) in walk.published:
            return ""
        return (
            f"the key of section {event.section} of {event.review} was released "
            "without a publication of that section by the party under review"
        )
    return ""


def _replay_draws(
    records: Sequence[Recorded], solver: CompletionSolver | None
) -> list[ControlException]:
    """Replay each cycle's draws with the default rules (ToR 3(a))."""
    found: list[ControlException] = []
    streams: dict[str, list[Recorded]] = {}
    for record in records:
        if record.stream.startswith(DRAW_PREFIX):
            streams.setdefault(record.stream, []).append(record)
    for stream, rows in streams.items():
        cycle = _CYCLE.fullmatch(stream.removeprefix(DRAW_PREFIX))
        if cycle is None:
            continue
        by_version = {r.version: r.position for r in rows}
        found.extend(
            ControlException(
                position=by_version.get(d.version, 0), stream=stream, detail=str(d)
            )
            for d in verify_history(
                ((r.version, r.event) for r in rows),
                rulebook=default_rulebook(),
                cycle=int(cycle["cycle"]),
                solver=solver,
            )
        )
    return found


def run_controls(
    records: Sequence[Recorded],
    *,
    period: Period | None = None,
    draws_replay: Callable[[], Sequence[str]] | None = None,
    solver: CompletionSolver | None = None,
) -> tuple[ControlResult, ...]:
    """Run the control tests of confidentiality over the recorded events.

    Args:
        records: The store's records (for example every row of ``read_all``); only
            the principals, the access streams and the draw streams are read.
        period: The first and last day whose records are tested; ``None`` tests
            everything. Earlier records are read for context.
        draws_replay: Replays the recorded draws and returns one line per
            discrepancy, for example
            ``lambda: [str(d) for d in mechanism.verify_draws(1)]``, which also
            checks each seed against its ceremony. Without it, each cycle's stream
            is replayed here with ``verify_history`` and the default rulebook.
        solver: The solver of that replay (every exact solver gives the same
            draws). Give the adapters' ``default_solver()``: the core's plain
            search, used without it, can take very long on a full registry.

    Returns:
        The five controls, in the order of the module docstring.

    Raises:
        InvalidInput: the period ends before it starts.
    """
    _check_period(period)
    history = _considered(records, period)
    circle = _Circle.of(history)
    walk = _Walk()
    authorised, circled, revocation, publication, draws = (
        _Tally(),
        _Tally(),
        _Tally(),
        _Tally(),
        _Tally(),
    )
    for record in history:
        if _in_period(record, period):
            event = record.event
            match event:
                case AccessGranted():
                    authorised.test(record, _grant_authorised(walk, event))
                    circled.test(
                        record,
                        circle.outside(event.review, event.scope, event.principal),
                    )
                case GrantWrapped():
                    authorised.test(record, _wrapped_authorised(walk, event))
                    circled.test(
                        record,
                        circle.outside(event.review, event.scope, event.principal),
                    )
                case AccessDecided() if _is_content_access(event):
                    revocation.test(record, _access_after_revocation(walk, event))
                case SectionsPublished() | SectionKeyReleased():
                    publication.test(record, _publication(walk, record))
                case _ if isinstance(event, _DRAWS) and record.stream.startswith(
                    DRAW_PREFIX
                ):
                    draws.population += 1
        walk.follow(record)
    if draws_replay is not None:
        draws.exceptions.extend(
            ControlException(position=0, stream=DRAW_PREFIX, detail=line)
            for line in draws_replay()
        )
    elif draws.population:
        draws.exceptions.extend(_replay_draws(history, solver))
    return (
        authorised.result(
            GRANTS_AUTHORISED,
            "Every grant rests on an assignment (party under review, reviewer named "
            "for the epoch, secretariat, group of experts) or a prior consent of the "
            "party under review, and records that basis.",
            "ToR 18, 30, 37, 37 quater",
        ),
        circled.result(
            GRANTS_WITHIN_THE_CIRCLE,
            "No grant goes outside the party under review, its reviewers, the "
            "secretariat, the group of experts (summary and compilations) and "
            "consented requesters (final report).",
            "ToR 30, 37, 37 quater",
        ),
        revocation.result(
            NO_ACCESS_AFTER_REVOCATION,
            "No content access is allowed on a scope after the principal's grant "
            "there was revoked, unless it was granted again.",
            "ToR 19, 20, 30",
        ),
        publication.result(
            PUBLICATIONS_BY_THE_PARTY,
            "Every publication of sections, and every release of a section's key, "
            "was made by the focal point of the party under review.",
            "ToR 36",
        ),
        draws.result(
            DRAWS_REPLAY,
            "Every recorded draw replays from its seed and inputs to the same result.",
            "ToR 3(a), 5",
        ),
    )


def denied_by_reason(
    records: Iterable[Recorded], period: Period | None = None
) -> Mapping[str, int]:
    """The denied accesses of the period, counted by the reason logged.

    Args:
        records: The store's records; only ``AccessDecided`` events are read.
        period: The first and last day counted; ``None`` counts everything.

    Returns:
        The count of each reason, most frequent first, then by reason.

    Raises:
        InvalidInput: the period ends before it starts.
    """
    _check_period(period)
    counts = Counter(
        r.event.reason
        for r in records
        if isinstance(r.event, AccessDecided)
        and r.event.outcome is Outcome.DENY
        and _in_period(r, period)
    )
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
