# ruff: noqa: N802 - test names carry the research's case ids (T15 ...)
"""Access to review information: principals, grants, consent, publication, the log.

Tests named ``test_T<nn>_...`` are the cases of confidentiality-research.md §3 that
apply to access decisions (ToR 30, 36, 37, 37 quater; GL 5).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest

from tests.draw_mechanism import registry_csv
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.storage.memory import open_memory_store
from untoc_core import Mechanism
from untoc_core.confidentiality import (
    ACCESS_DENIED_MESSAGE,
    REVIEW_SCOPES,
    AccessDecided,
    AccessDenied,
    AccessGranted,
    AccessRevoked,
    AccessState,
    Action,
    Basis,
    BreachReported,
    ConsentGiven,
    EpochRotated,
    ExpertGroupAccessRefused,
    GrantAccess,
    GrantRefused,
    Outcome,
    PrincipalKind,
    PublicationRefused,
    RegisterPrincipal,
    ReportAccessRefused,
    Role,
    Scope,
    ScopeOpened,
    decide_access,
)
from untoc_core.confidentiality.commands import decide
from untoc_core.confidentiality.events import parse_review, stream_of
from untoc_core.errors import ConcurrencyConflict, InvalidInput, UnknownParty
from untoc_core.mechanism import ACCESS_LOG_ATTEMPTS
from untoc_core.ports import EventStore, NewEvents, Recorded

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
ARC_REVIEW = "cycle-1/ARC"
"""Arcadia's review: Borduria and Carpathia review it."""
DYS_REVIEW = "cycle-1/DYS"
"""Dystopia's review: Elbonia and Freedonia review it."""


def kid(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:32]


@pytest.fixture
def mechanism() -> Iterator[Mechanism]:
    store = open_memory_store()
    mech = Mechanism(store, SimulatedClock(NOW))
    mech.import_registry(registry_csv(), source="fictional.csv")
    for code in ("ARC", "BRD", "CRP", "DYS", "ELB", "FRD", "GNV"):
        register(mech, code, PrincipalKind.STATE_FOCAL_POINT, code)
    register(mech, "secretariat", PrincipalKind.SECRETARIAT)
    register(mech, "auditor-1", PrincipalKind.AUDITOR)
    register(mech, "expert-group", PrincipalKind.EXPERT_GROUP)
    for scope in REVIEW_SCOPES:
        mech.open_scope(ARC_REVIEW, scope, ["BRD", "CRP"])
        mech.open_scope(DYS_REVIEW, scope, ["ELB", "FRD"])
    yield mech
    store.close()


def register(
    mech: Mechanism, principal: str, kind: PrincipalKind, state: str | None = None
) -> None:
    mech.register_principal(
        RegisterPrincipal(
            principal=principal,
            kind=kind,
            state=state,
            encryption_kid=kid(f"{principal}/enc"),
            signing_kid=kid(f"{principal}/sig"),
        )
    )


def consent(mech: Mechanism, requester: str = "GNV") -> None:
    mech.request_report(ARC_REVIEW, requester)
    mech.give_consent(ARC_REVIEW, requester, "ARC", "signature of Arcadia")


def denied_reason(mech: Mechanism, principal: str, review: str, scope: Scope) -> str:
    """Ask for access, expect the one refusal, and return the reason logged."""
    with pytest.raises(AccessDenied) as caught:
        mech.decide_access(principal, review, scope)
    assert str(caught.value) == f"[ToR-30] {ACCESS_DENIED_MESSAGE}"
    last = mech.review_access(review).log[-1]
    assert (last.principal, last.outcome) == (principal, Outcome.DENY)
    return last.reason


# -- events and streams ----------------------------------------------------------------


def test_a_review_id_names_the_cycle_and_the_party_under_review() -> None:
    assert parse_review("cycle-2/ARG") == (2, "ARG")
    assert stream_of("cycle-2/ARG") == "access/cycle-2/ARG"
    for bad in ("cycle-0/ARG", "cycle-1/arg", "ARG", "cycle-1/ARG/x", "principals"):
        with pytest.raises(InvalidInput):
            parse_review(bad)


def test_opening_a_scope_grants_the_four_principals_of_the_review(
    mechanism: Mechanism,
) -> None:
    records = mechanism.store.read_stream(stream_of(ARC_REVIEW))
    dossier = [
        r.event for r in records if getattr(r.event, "scope", None) is Scope.DOSSIER
    ]
    assert dossier[0] == ScopeOpened(
        review=ARC_REVIEW, scope=Scope.DOSSIER, epoch=1, reviewers=("BRD", "CRP")
    )
    grants = {
        (g.principal, g.basis) for g in dossier[1:] if isinstance(g, AccessGranted)
    }
    assert grants == {
        ("ARC", Basis.PARTY_UNDER_REVIEW),
        ("BRD", Basis.REVIEWER),
        ("CRP", Basis.REVIEWER),
        ("secretariat", Basis.SECRETARIAT),
    }


def test_the_expert_group_is_granted_the_executive_summary_only(
    mechanism: Mechanism,
) -> None:
    scopes = mechanism.review_access(ARC_REVIEW).scopes
    assert "expert-group" in scopes[Scope.EXECUTIVE_SUMMARY].grants
    assert "expert-group" not in scopes[Scope.DOSSIER].grants
    assert "expert-group" not in scopes[Scope.FINAL_REPORT].grants


def test_events_hold_key_fingerprints_never_keys(mechanism: Mechanism) -> None:
    principal = mechanism.principals().get("ARC")
    assert principal is not None
    assert principal.encryption_kid == kid("ARC/enc")
    grant = mechanism.review_access(ARC_REVIEW).scopes[Scope.DOSSIER].grants["ARC"]
    assert grant.encryption_kid == kid("ARC/enc")


def test_a_principal_is_registered_once_with_valid_fingerprints(
    mechanism: Mechanism,
) -> None:
    with pytest.raises(InvalidInput, match="already registered"):
        register(mechanism, "ARC", PrincipalKind.STATE_FOCAL_POINT, "ARC")
    with pytest.raises(InvalidInput, match="fingerprint"):
        mechanism.register_principal(
            RegisterPrincipal(
                principal="x",
                kind=PrincipalKind.AUDITOR,
                encryption_kid="not-hex",
                signing_kid=kid("x"),
            )
        )
    with pytest.raises(UnknownParty):
        register(mechanism, "QQQ", PrincipalKind.STATE_FOCAL_POINT, "QQQ")
    with pytest.raises(InvalidInput, match="names its State"):
        register(mechanism, "nobody", PrincipalKind.STATE_FOCAL_POINT)


# -- the decision ----------------------------------------------------------------------


@pytest.mark.parametrize("principal", ["ARC", "BRD", "CRP", "secretariat"])
@pytest.mark.parametrize("scope", [Scope.DOSSIER, Scope.FINAL_REPORT])
def test_the_four_principals_read_the_dossier_and_final_report_of_their_review(
    mechanism: Mechanism, principal: str, scope: Scope
) -> None:
    decision = mechanism.decide_access(principal, ARC_REVIEW, scope)
    assert decision.allowed
    logged = mechanism.review_access(ARC_REVIEW).log[-1]
    assert logged == decision.event()
    assert logged.outcome is Outcome.ALLOW


def test_T44_a_reviewer_of_one_review_is_denied_another_reviews_dossier(
    mechanism: Mechanism,
) -> None:
    reason = denied_reason(mechanism, "BRD", DYS_REVIEW, Scope.DOSSIER)
    assert reason == "not-a-principal-of-this-review"
    logged = mechanism.review_access(DYS_REVIEW).log[-1]
    assert logged.role is Role.OUTSIDER
    assert logged.basis is Basis.NONE


def test_T44_a_requesting_state_without_consent_is_denied_and_logged(
    mechanism: Mechanism,
) -> None:
    mechanism.request_report(ARC_REVIEW, "GNV")
    reason = denied_reason(mechanism, "GNV", ARC_REVIEW, Scope.FINAL_REPORT)
    assert reason == "no-consent-of-the-party-under-review"


def test_a_consented_requester_reads_the_final_report_but_not_the_dossier(
    mechanism: Mechanism,
) -> None:
    consent(mechanism)
    decision = mechanism.decide_access("GNV", ARC_REVIEW, Scope.FINAL_REPORT)
    assert (decision.role, decision.basis) == (Role.REQUESTER, Basis.CONSENT)
    reason = denied_reason(mechanism, "GNV", ARC_REVIEW, Scope.DOSSIER)
    assert reason == "consent-covers-the-final-report-only"


def test_the_expert_group_reads_executive_summaries_and_no_report(
    mechanism: Mechanism,
) -> None:
    decision = mechanism.decide_access(
        "expert-group", ARC_REVIEW, Scope.EXECUTIVE_SUMMARY
    )
    assert decision.basis is Basis.EXPERT_GROUP
    for scope in (Scope.DOSSIER, Scope.FINAL_REPORT):
        reason = denied_reason(mechanism, "expert-group", ARC_REVIEW, scope)
        assert reason == "expert-group-reads-executive-summaries-only"


def test_an_auditor_reads_the_log_but_no_content(mechanism: Mechanism) -> None:
    mechanism.decide_access("BRD", ARC_REVIEW, Scope.DOSSIER)
    log = mechanism.access_log(ARC_REVIEW, "auditor-1")
    assert [e.principal for e in log] == ["BRD", "auditor-1"]
    assert log[-1].action is Action.READ_LOG
    assert denied_reason(mechanism, "auditor-1", ARC_REVIEW, Scope.DOSSIER) == (
        "auditor-reads-no-content"
    )


def test_a_reviewer_may_not_read_the_log(mechanism: Mechanism) -> None:
    with pytest.raises(AccessDenied):
        mechanism.access_log(ARC_REVIEW, "BRD")
    assert mechanism.review_access(ARC_REVIEW).log[-1].reason == (
        "log-reserved-to-auditors-and-secretariat"
    )


def test_an_unknown_principal_is_denied_and_logged(mechanism: Mechanism) -> None:
    assert denied_reason(mechanism, "stranger", ARC_REVIEW, Scope.DOSSIER) == (
        "unknown-principal"
    )


def test_a_scope_not_opened_is_denied(mechanism: Mechanism) -> None:
    review = "cycle-1/GNV"
    assert denied_reason(mechanism, "GNV", review, Scope.DOSSIER) == "scope-not-opened"


def test_the_decision_is_pure_and_reads_only_the_state_given(
    mechanism: Mechanism,
) -> None:
    state = AccessState(
        principals=mechanism.principals(),
        review=mechanism.review_access(ARC_REVIEW),
    )
    decision = decide_access(state, "BRD", ARC_REVIEW, Scope.DOSSIER, Action.READ)
    assert decision.allowed
    other = decide_access(state, "BRD", DYS_REVIEW, Scope.DOSSIER, Action.READ)
    assert (other.outcome, other.reason) == (Outcome.DENY, "state-of-another-review")
    assert mechanism.review_access(ARC_REVIEW).log == ()


# -- consent and publication -----------------------------------------------------------


def test_consent_is_given_by_the_party_under_review_only(mechanism: Mechanism) -> None:
    mechanism.request_report(ARC_REVIEW, "GNV")
    before = mechanism.store.last_position()
    with pytest.raises(ReportAccessRefused, match=r"^\[ToR-37\] only the party"):
        mechanism.give_consent(ARC_REVIEW, "GNV", "BRD", "signature of Borduria")
    assert mechanism.store.last_position() == before


def test_consent_needs_a_prior_request(mechanism: Mechanism) -> None:
    with pytest.raises(ReportAccessRefused, match="has not asked"):
        mechanism.give_consent(ARC_REVIEW, "GNV", "ARC", "signature of Arcadia")


def test_consent_grants_the_final_report_with_the_signature_recorded(
    mechanism: Mechanism,
) -> None:
    consent(mechanism)
    records = mechanism.store.read_stream(stream_of(ARC_REVIEW))
    consent_event, grant = (r.event for r in records[-2:])
    assert isinstance(consent_event, ConsentGiven)
    assert consent_event.signature == "signature of Arcadia"
    assert grant == AccessGranted(
        review=ARC_REVIEW,
        scope=Scope.FINAL_REPORT,
        epoch=1,
        principal="GNV",
        basis=Basis.CONSENT,
        encryption_kid=kid("GNV/enc"),
    )


def test_a_participant_of_the_review_does_not_request_its_report(
    mechanism: Mechanism,
) -> None:
    with pytest.raises(ReportAccessRefused, match="takes part"):
        mechanism.request_report(ARC_REVIEW, "BRD")


def test_the_party_under_review_publishes_chosen_sections_only(
    mechanism: Mechanism,
) -> None:
    mechanism.publish_sections(ARC_REVIEW, ["III"], "ARC")
    state = mechanism.review_access(ARC_REVIEW)
    assert state.published == ("III",)
    anyone = mechanism.decide_access(
        "stranger", ARC_REVIEW, Scope.FINAL_REPORT, section="III"
    )
    assert anyone.basis is Basis.PUBLISHED
    with pytest.raises(AccessDenied):
        mechanism.decide_access(
            "stranger", ARC_REVIEW, Scope.FINAL_REPORT, section="IV"
        )


def test_only_the_party_under_review_publishes(mechanism: Mechanism) -> None:
    for who in ("BRD", "secretariat"):
        with pytest.raises(PublicationRefused, match=r"^\[ToR-36\]"):
            mechanism.publish_sections(ARC_REVIEW, ["III"], who)
    assert mechanism.review_access(ARC_REVIEW).published == ()


def test_a_section_is_published_once(mechanism: Mechanism) -> None:
    mechanism.publish_sections(ARC_REVIEW, ["III"], "ARC")
    with pytest.raises(InvalidInput, match="already published"):
        mechanism.publish_sections(ARC_REVIEW, ["III", "IV"], "ARC")


def test_a_breach_report_is_recorded_and_referred(mechanism: Mechanism) -> None:
    mechanism.report_breach(
        ARC_REVIEW, "ARC", "Parts of the dossier were seen in a press article."
    )
    (breach,) = mechanism.review_access(ARC_REVIEW).breaches
    assert breach == BreachReported(
        review=ARC_REVIEW,
        reported_by="ARC",
        summary="Parts of the dossier were seen in a press article.",
        referred_to="Implementation Oversight Group",
    )


# -- grants ----------------------------------------------------------------------------


def test_a_grant_goes_only_to_an_authorised_principal(mechanism: Mechanism) -> None:
    with pytest.raises(GrantRefused, match=r"^\[ToR-30\]"):
        mechanism.grant_access(ARC_REVIEW, Scope.DOSSIER, "GNV")
    with pytest.raises(GrantRefused, match="auditor"):
        mechanism.grant_access(ARC_REVIEW, Scope.DOSSIER, "auditor-1")
    with pytest.raises(ExpertGroupAccessRefused, match=r"^\[ToR-37quater\]"):
        mechanism.grant_access(ARC_REVIEW, Scope.FINAL_REPORT, "expert-group")


def test_a_consented_requester_is_never_granted_the_dossier(
    mechanism: Mechanism,
) -> None:
    consent(mechanism)
    with pytest.raises(ReportAccessRefused, match="final report only"):
        mechanism.grant_access(ARC_REVIEW, Scope.DOSSIER, "GNV")


def test_a_principal_registered_later_is_granted_by_hand(mechanism: Mechanism) -> None:
    register(mechanism, "secretariat-2", PrincipalKind.SECRETARIAT)
    with pytest.raises(AccessDenied):
        mechanism.decide_access("secretariat-2", ARC_REVIEW, Scope.DOSSIER)
    mechanism.grant_access(ARC_REVIEW, Scope.DOSSIER, "secretariat-2")
    assert mechanism.decide_access("secretariat-2", ARC_REVIEW, Scope.DOSSIER).allowed


def test_T15_grants_beyond_the_limit_of_a_scope_are_refused(
    mechanism: Mechanism,
) -> None:
    state = AccessState(
        principals=mechanism.principals(),
        review=mechanism.review_access(ARC_REVIEW),
    )
    register(mechanism, "secretariat-2", PrincipalKind.SECRETARIAT)
    state = AccessState(principals=mechanism.principals(), review=state.review)
    command = GrantAccess(
        review=ARC_REVIEW, scope=Scope.DOSSIER, principal="secretariat-2"
    )
    with pytest.raises(InvalidInput, match="at most 4 grants"):
        decide(state, command, max_grants=4)
    assert decide(state, command, max_grants=5)


# -- epochs and revocation -------------------------------------------------------------


def test_T16_a_replaced_reviewer_cannot_read_the_new_epoch(
    mechanism: Mechanism,
) -> None:
    mechanism.rotate_epoch(ARC_REVIEW, ["BRD", "ELB"], "Carpathia deferred serving")
    state = mechanism.review_access(ARC_REVIEW)
    dossier = state.scopes[Scope.DOSSIER]
    assert dossier.epoch == 2
    assert set(dossier.grants) == {"ARC", "BRD", "ELB", "secretariat"}
    assert denied_reason(mechanism, "CRP", ARC_REVIEW, Scope.DOSSIER) == (
        "no-grant-at-current-epoch"
    )
    assert mechanism.decide_access("ELB", ARC_REVIEW, Scope.DOSSIER).allowed


def test_a_rotation_revokes_then_turns_the_epoch_then_grants_again(
    mechanism: Mechanism,
) -> None:
    recorded = mechanism.rotate_epoch(ARC_REVIEW, ["BRD", "ELB"], "redraw")
    dossier = [
        r.event for r in recorded if getattr(r.event, "scope", None) is Scope.DOSSIER
    ]
    assert isinstance(dossier[0], AccessRevoked)
    assert dossier[0].principal == "CRP"
    assert dossier[0].epoch == 1
    assert isinstance(dossier[1], EpochRotated)
    assert dossier[1].epoch == 2
    assert all(isinstance(e, AccessGranted) and e.epoch == 2 for e in dossier[2:])


def test_a_consented_requester_keeps_the_final_report_across_a_rotation(
    mechanism: Mechanism,
) -> None:
    consent(mechanism)
    mechanism.rotate_epoch(ARC_REVIEW, ["BRD", "ELB"], "redraw")
    final = mechanism.review_access(ARC_REVIEW).scopes[Scope.FINAL_REPORT]
    assert final.grants["GNV"].basis is Basis.CONSENT


def test_T17_a_revoked_principal_keeps_what_it_already_holds(
    mechanism: Mechanism,
) -> None:
    """Not preventable: the epoch-1 grant stays in the history, and with it the key.

    Revocation turns the epoch, so the principal reads nothing sealed afterwards,
    and the server denies (and logs) its fetches; but a grant cannot be taken back,
    so material of epoch 1 it fetched or can decrypt stays readable to it. The
    remedy is the duty of ToR 30 and the access log, not cryptography.
    """
    mechanism.revoke_access(ARC_REVIEW, Scope.DOSSIER, "BRD", "suspected leak")
    dossier = mechanism.review_access(ARC_REVIEW).scopes[Scope.DOSSIER]
    assert dossier.epoch == 2
    assert "BRD" not in dossier.grants
    assert any(g.principal == "BRD" and g.epoch == 1 for g in dossier.history)
    assert denied_reason(mechanism, "BRD", ARC_REVIEW, Scope.DOSSIER) == (
        "no-grant-at-current-epoch"
    )


def test_a_revoked_principal_is_not_granted_again_by_a_rotation(
    mechanism: Mechanism,
) -> None:
    mechanism.revoke_access(ARC_REVIEW, Scope.DOSSIER, "BRD", "suspected leak")
    mechanism.rotate_epoch(ARC_REVIEW, ["BRD", "CRP"], "routine rotation")
    dossier = mechanism.review_access(ARC_REVIEW).scopes[Scope.DOSSIER]
    assert dossier.epoch == 3
    assert "BRD" not in dossier.grants
    mechanism.grant_access(ARC_REVIEW, Scope.DOSSIER, "BRD")
    assert mechanism.decide_access("BRD", ARC_REVIEW, Scope.DOSSIER).allowed


def test_a_review_has_two_reviewers_other_than_the_party_under_review(
    mechanism: Mechanism,
) -> None:
    for reviewers in (["BRD"], ["BRD", "BRD"], ["ARC", "BRD"], ["BRD", "CRP", "ELB"]):
        with pytest.raises(InvalidInput, match="two reviewing States parties"):
            mechanism.rotate_epoch(ARC_REVIEW, reviewers, "redraw")


# -- the log holds no injected text (T42) ----------------------------------------------


@pytest.mark.parametrize("principal", ["BRD\nallow", "BRD\u202e", "", "a b"])
def test_T42_a_malformed_principal_id_never_reaches_the_log(
    mechanism: Mechanism, principal: str
) -> None:
    with pytest.raises(InvalidInput):
        mechanism.decide_access(principal, ARC_REVIEW, Scope.DOSSIER)
    assert mechanism.review_access(ARC_REVIEW).log == ()


@pytest.mark.parametrize("text", ["line\nbreak", "right\u202eleft", "   "])
def test_T42_free_text_with_control_characters_is_refused(
    mechanism: Mechanism, text: str
) -> None:
    with pytest.raises(InvalidInput):
        mechanism.report_breach(ARC_REVIEW, "ARC", text)
    with pytest.raises(InvalidInput):
        mechanism.revoke_access(ARC_REVIEW, Scope.DOSSIER, "BRD", text)


def test_the_access_log_holds_names_and_reasons_only(mechanism: Mechanism) -> None:
    with pytest.raises(AccessDenied):
        mechanism.decide_access("BRD", DYS_REVIEW, Scope.DOSSIER)
    (entry,) = mechanism.review_access(DYS_REVIEW).log
    assert entry == AccessDecided(
        review=DYS_REVIEW,
        principal="BRD",
        role=Role.OUTSIDER,
        scope=Scope.DOSSIER,
        epoch=1,
        section="",
        action=Action.READ,
        outcome=Outcome.DENY,
        reason="not-a-principal-of-this-review",
        basis=Basis.NONE,
    )


@pytest.mark.parametrize("section", ["III\nallow", "III\u202e", " III"])
def test_T42_a_malformed_section_id_never_reaches_the_log(
    mechanism: Mechanism, section: str
) -> None:
    with pytest.raises(InvalidInput):
        mechanism.decide_access(
            "stranger", ARC_REVIEW, Scope.FINAL_REPORT, section=section
        )
    with pytest.raises(InvalidInput):
        mechanism.publish_sections(ARC_REVIEW, [section], "ARC")
    assert mechanism.review_access(ARC_REVIEW).log == ()


# -- compilations for the group of experts (ToR 34, 37 quater) -------------------------

COMPILATIONS_1 = "cycle-1/compilations"


def test_a_cycles_compilations_are_granted_to_the_group_and_the_secretariat_only(
    mechanism: Mechanism,
) -> None:
    assert parse_review(COMPILATIONS_1) == (1, "")
    mechanism.open_scope(COMPILATIONS_1, Scope.COMPILATION, [])
    scope = mechanism.review_access(COMPILATIONS_1).scopes[Scope.COMPILATION]
    assert {p: g.basis for p, g in scope.grants.items()} == {
        "expert-group": Basis.EXPERT_GROUP,
        "secretariat": Basis.SECRETARIAT,
    }
    assert mechanism.decide_access("expert-group", COMPILATIONS_1, Scope.COMPILATION)
    for outsider in ("ARC", "auditor-1"):
        reason = denied_reason(mechanism, outsider, COMPILATIONS_1, Scope.COMPILATION)
        assert reason in {"not-a-principal-of-this-review", "auditor-reads-no-content"}
    with pytest.raises(GrantRefused, match="group of experts"):
        mechanism.grant_access(COMPILATIONS_1, Scope.COMPILATION, "ARC")


def test_only_the_secretariat_files_in_a_compilation(mechanism: Mechanism) -> None:
    mechanism.open_scope(COMPILATIONS_1, Scope.COMPILATION, [])
    writes = mechanism.decide_access(
        "secretariat", COMPILATIONS_1, Scope.COMPILATION, Action.WRITE
    )
    assert writes.allowed
    with pytest.raises(AccessDenied):
        mechanism.decide_access(
            "expert-group", COMPILATIONS_1, Scope.COMPILATION, Action.WRITE
        )


@pytest.mark.parametrize(
    "command",
    [
        lambda m: m.open_scope(COMPILATIONS_1, Scope.DOSSIER, []),
        lambda m: m.open_scope(COMPILATIONS_1, Scope.COMPILATION, ["BRD", "CRP"]),
        lambda m: m.open_scope(ARC_REVIEW, Scope.COMPILATION, ["BRD", "CRP"]),
        lambda m: m.request_report(COMPILATIONS_1, "GNV"),
        lambda m: m.report_breach(COMPILATIONS_1, "ARC", "A leak."),
    ],
    ids=["other-scope", "reviewers", "on-a-review", "request", "breach"],
)
def test_a_compilation_record_is_not_a_country_review(
    mechanism: Mechanism, command: object
) -> None:
    assert callable(command)
    before = mechanism.store.last_position()
    with pytest.raises(InvalidInput):
        command(mechanism)
    assert mechanism.store.last_position() == before


# -- decisions logged at the same moment -----------------------------------------------


class RacingStore:
    """The mechanism's store, where another principal's decision on the same review
    is logged just before each of the first ``races`` appends to an access stream."""

    def __init__(
        self, store: EventStore, race: Callable[[], object], races: int
    ) -> None:
        self.store = store
        self.race = race
        self.races = races

    def append(self, *batches: NewEvents, **kw: Any) -> list[Recorded]:
        if self.races > 0 and batches[0].stream.startswith("access/"):
            self.races -= 1
            self.race()
        return self.store.append(*batches, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def racing(mechanism: Mechanism, races: int) -> Mechanism:
    """A second mechanism on the same store, raced by Borduria reading the dossier."""
    other = Mechanism(mechanism.store, SimulatedClock(NOW))
    store = RacingStore(
        mechanism.store,
        lambda: other.decide_access("BRD", ARC_REVIEW, Scope.DOSSIER),
        races,
    )
    return Mechanism(cast(EventStore, store), SimulatedClock(NOW))


def test_a_decision_logged_meanwhile_by_another_principal_is_made_again_after_it(
    mechanism: Mechanism,
) -> None:
    first = racing(mechanism, races=2)
    decision = first.decide_access("ARC", ARC_REVIEW, Scope.DOSSIER)
    assert decision.allowed
    log = mechanism.review_access(ARC_REVIEW).log
    assert [(e.principal, e.outcome) for e in log] == [
        ("BRD", Outcome.ALLOW),
        ("BRD", Outcome.ALLOW),
        ("ARC", Outcome.ALLOW),
    ]


def test_decisions_logged_meanwhile_at_every_attempt_give_up_with_a_conflict(
    mechanism: Mechanism,
) -> None:
    first = racing(mechanism, races=ACCESS_LOG_ATTEMPTS)
    with pytest.raises(ConcurrencyConflict):
        first.decide_access("ARC", ARC_REVIEW, Scope.DOSSIER)
    log = mechanism.review_access(ARC_REVIEW).log
    assert [e.principal for e in log] == ["BRD"] * ACCESS_LOG_ATTEMPTS
