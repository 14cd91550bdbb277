"""The auditor's control tests of confidentiality, over the recorded events only.

Histories are built through the mechanism on a memory store; the wrongs are then
written straight into the store, bypassing the commands, as someone with write
access to the database could, and each must show up in its control.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence

import attrs
import pytest

from tests.draw_mechanism import hold_ceremony, prepare, registry_csv
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.storage.memory import open_memory_store
from untoc_core import Mechanism
from untoc_core.audit.controls import (
    DRAWS_REPLAY,
    GRANTS_AUTHORISED,
    GRANTS_WITHIN_THE_CIRCLE,
    NO_ACCESS_AFTER_REVOCATION,
    PUBLICATIONS_BY_THE_PARTY,
    ControlResult,
    denied_by_reason,
    run_controls,
)
from untoc_core.confidentiality import (
    REVIEW_SCOPES,
    AccessDecided,
    AccessDenied,
    AccessGranted,
    Action,
    Basis,
    Outcome,
    PrincipalKind,
    RegisterPrincipal,
    Role,
    Scope,
    SectionsPublished,
)
from untoc_core.confidentiality.events import stream_of
from untoc_core.confidentiality.keys import GrantWrapped, SectionKeyReleased
from untoc_core.drawing.events import ReviewYearsDrawn
from untoc_core.errors import InvalidInput
from untoc_core.events import Event
from untoc_core.ports import EventStore, NewEvents, Recorded

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
ARC_REVIEW = "cycle-1/ARC"
"""Arcadia's review: Borduria and Carpathia review it."""
DYS_REVIEW = "cycle-1/DYS"
"""Dystopia's review: Elbonia and Freedonia review it."""
ARC_STREAM = stream_of(ARC_REVIEW)


def kid(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:32]


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


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


@pytest.fixture
def mechanism(clock: SimulatedClock) -> Iterator[Mechanism]:
    store = open_memory_store()
    mech = Mechanism(store, clock)
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


def everything(store: EventStore) -> list[Recorded]:
    """Every record of the store, in position order."""
    found: list[Recorded] = []
    while batch := store.read_all(after_position=found[-1].position if found else 0):
        found.extend(batch)
    return found


def inject(mech: Mechanism, stream: str, *events: Event) -> list[Recorded]:
    """Write events straight into the store, bypassing every command and check."""
    return mech.store.append(
        NewEvents(
            stream=stream,
            expected_version=mech.store.stream_version(stream),
            events=events,
        ),
        recorded_at=mech.clock.now(),
        actor="secretariat",
    )


def controls(
    mech: Mechanism,
    *,
    period: tuple[dt.date, dt.date] | None = None,
    draws_replay: Callable[[], Sequence[str]] | None = None,
) -> dict[str, ControlResult]:
    """The controls over the whole store, by name."""
    results = run_controls(
        everything(mech.store), period=period, draws_replay=draws_replay
    )
    return {r.name: r for r in results}


def exceptions_at(result: ControlResult) -> list[int]:
    return [e.position for e in result.exceptions]


def clean_history(mech: Mechanism) -> None:
    """Consent, publication, reads, a denial, a revocation and a grant again."""
    mech.request_report(ARC_REVIEW, "GNV")
    mech.give_consent(ARC_REVIEW, "GNV", "ARC", "signature of Arcadia")
    mech.decide_access("GNV", ARC_REVIEW, Scope.FINAL_REPORT)
    mech.publish_sections(ARC_REVIEW, ["conclusions"], "ARC")
    mech.decide_access("DYS", ARC_REVIEW, Scope.FINAL_REPORT, section="conclusions")
    mech.decide_access("BRD", ARC_REVIEW, Scope.DOSSIER)
    mech.decide_access("expert-group", ARC_REVIEW, Scope.EXECUTIVE_SUMMARY)
    mech.revoke_access(ARC_REVIEW, Scope.DOSSIER, "BRD", reason="conflict of interest")
    with pytest.raises(AccessDenied):
        mech.decide_access("BRD", ARC_REVIEW, Scope.DOSSIER)
    mech.grant_access(ARC_REVIEW, Scope.DOSSIER, "BRD")
    mech.decide_access("BRD", ARC_REVIEW, Scope.DOSSIER)
    mech.access_log(ARC_REVIEW, "auditor-1")


# -- a clean history -----------------------------------------------------------------


def test_every_control_passes_on_a_clean_history(mechanism: Mechanism) -> None:
    clean_history(mechanism)
    results = controls(mechanism)
    assert list(results) == [
        GRANTS_AUTHORISED,
        GRANTS_WITHIN_THE_CIRCLE,
        NO_ACCESS_AFTER_REVOCATION,
        PUBLICATIONS_BY_THE_PARTY,
        DRAWS_REPLAY,
    ]
    for result in results.values():
        assert result.passed, result
        assert result.description
        assert result.provision
    grants = sum(
        isinstance(r.event, AccessGranted) for r in everything(mechanism.store)
    )
    assert results[GRANTS_AUTHORISED].population == grants
    assert results[GRANTS_WITHIN_THE_CIRCLE].population == grants
    assert results[NO_ACCESS_AFTER_REVOCATION].population == 4
    assert results[PUBLICATIONS_BY_THE_PARTY].population == 1
    assert results[DRAWS_REPLAY].population == 0


def test_the_controls_read_no_material_stream(mechanism: Mechanism) -> None:
    clean_history(mechanism)
    plain = [r for r in everything(mechanism.store) if r.stream.startswith("access/")]
    assert all(result.passed for result in run_controls(plain))


def test_a_key_wrapped_for_a_granted_principal_is_authorised(
    mechanism: Mechanism,
) -> None:
    inject(
        mechanism,
        ARC_STREAM,
        GrantWrapped(
            review=ARC_REVIEW,
            scope=Scope.DOSSIER,
            epoch=1,
            principal="ARC",
            suite="x25519",
            kid=kid("ARC/enc"),
            enc=b"\x01" * 64,
        ),
    )
    results = controls(mechanism)
    assert results[GRANTS_AUTHORISED].passed
    assert results[GRANTS_WITHIN_THE_CIRCLE].passed


# -- wrongs written into the store -------------------------------------------------


def test_a_grant_to_an_outsider_is_an_exception_of_both_grant_controls(
    mechanism: Mechanism,
) -> None:
    (granted, wrapped) = inject(
        mechanism,
        ARC_STREAM,
        AccessGranted(
            review=ARC_REVIEW,
            scope=Scope.DOSSIER,
            epoch=1,
            principal="DYS",
            basis=Basis.REVIEWER,
            encryption_kid=kid("DYS/enc"),
        ),
        GrantWrapped(
            review=ARC_REVIEW,
            scope=Scope.DOSSIER,
            epoch=1,
            principal="ELB",
            suite="x25519",
            kid=kid("ELB/enc"),
            enc=b"\x01" * 64,
        ),
    )
    results = controls(mechanism)
    authorised = results[GRANTS_AUTHORISED]
    assert exceptions_at(authorised) == [granted.position, wrapped.position]
    assert {e.stream for e in authorised.exceptions} == {ARC_STREAM}
    assert "no assignment or consent" in authorised.exceptions[0].detail
    assert "no grant of that scope" in authorised.exceptions[1].detail
    circle = results[GRANTS_WITHIN_THE_CIRCLE]
    assert exceptions_at(circle) == [granted.position, wrapped.position]
    assert "DYS is neither the party under review" in circle.exceptions[0].detail
    assert results[NO_ACCESS_AFTER_REVOCATION].passed
    assert results[PUBLICATIONS_BY_THE_PARTY].passed


def test_grants_beyond_what_a_role_allows_are_exceptions(
    mechanism: Mechanism,
) -> None:
    mechanism.request_report(ARC_REVIEW, "GNV")
    mechanism.give_consent(ARC_REVIEW, "GNV", "ARC", "signature of Arcadia")
    wrong = {
        "GNV": (Scope.DOSSIER, Basis.CONSENT, "final report only"),
        "expert-group": (Scope.FINAL_REPORT, Basis.EXPERT_GROUP, "summaries"),
        "auditor-1": (Scope.DOSSIER, Basis.AUDIT, "auditor"),
    }
    recorded = inject(
        mechanism,
        ARC_STREAM,
        *(
            AccessGranted(
                review=ARC_REVIEW,
                scope=scope,
                epoch=1,
                principal=principal,
                basis=basis,
                encryption_kid=kid(f"{principal}/enc"),
            )
            for principal, (scope, basis, _) in wrong.items()
        ),
    )
    results = controls(mechanism)
    positions = [r.position for r in recorded]
    assert exceptions_at(results[GRANTS_AUTHORISED]) == positions
    circle = results[GRANTS_WITHIN_THE_CIRCLE]
    assert exceptions_at(circle) == positions
    for exception, (_, _, words) in zip(circle.exceptions, wrong.values(), strict=True):
        assert words in exception.detail


def test_a_grant_with_the_wrong_basis_or_epoch_is_not_authorised(
    mechanism: Mechanism,
) -> None:
    (basis, epoch) = inject(
        mechanism,
        ARC_STREAM,
        AccessGranted(
            review=ARC_REVIEW,
            scope=Scope.DOSSIER,
            epoch=1,
            principal="BRD",
            basis=Basis.PARTY_UNDER_REVIEW,
            encryption_kid=kid("BRD/enc"),
        ),
        AccessGranted(
            review=ARC_REVIEW,
            scope=Scope.FINAL_REPORT,
            epoch=3,
            principal="CRP",
            basis=Basis.REVIEWER,
            encryption_kid=kid("CRP/enc"),
        ),
    )
    results = controls(mechanism)
    authorised = results[GRANTS_AUTHORISED]
    assert exceptions_at(authorised) == [basis.position, epoch.position]
    assert "'ToR-18 party under review'" in authorised.exceptions[0].detail
    assert "at epoch 3" in authorised.exceptions[1].detail
    assert results[GRANTS_WITHIN_THE_CIRCLE].passed


def test_a_grant_before_the_consent_is_not_authorised(mechanism: Mechanism) -> None:
    mechanism.request_report(ARC_REVIEW, "GNV")
    (early,) = inject(
        mechanism,
        ARC_STREAM,
        AccessGranted(
            review=ARC_REVIEW,
            scope=Scope.FINAL_REPORT,
            epoch=1,
            principal="GNV",
            basis=Basis.CONSENT,
            encryption_kid=kid("GNV/enc"),
        ),
    )
    mechanism.give_consent(ARC_REVIEW, "GNV", "ARC", "signature of Arcadia")
    results = controls(mechanism)
    assert exceptions_at(results[GRANTS_AUTHORISED]) == [early.position]
    assert results[GRANTS_WITHIN_THE_CIRCLE].passed  # a consented requester, later


def test_a_publication_by_a_reviewer_is_an_exception(mechanism: Mechanism) -> None:
    mechanism.publish_sections(ARC_REVIEW, ["conclusions"], "ARC")
    (by_reviewer, key) = inject(
        mechanism,
        ARC_STREAM,
        SectionsPublished(
            review=ARC_REVIEW, sections=("findings",), published_by="BRD"
        ),
        SectionKeyReleased(
            review=ARC_REVIEW,
            section="findings",
            material_version=1,
            message_key=b"\x02" * 32,
        ),
    )
    result = controls(mechanism)[PUBLICATIONS_BY_THE_PARTY]
    assert result.population == 3
    assert exceptions_at(result) == [by_reviewer.position, key.position]
    assert "published by BRD" in result.exceptions[0].detail
    assert "without a publication" in result.exceptions[1].detail


def test_an_allowed_access_after_revocation_is_an_exception(
    mechanism: Mechanism,
) -> None:
    mechanism.revoke_access(ARC_REVIEW, Scope.DOSSIER, "BRD", reason="deferral")
    (allowed,) = inject(
        mechanism,
        ARC_STREAM,
        AccessDecided(
            review=ARC_REVIEW,
            principal="BRD",
            role=Role.REVIEWER,
            scope=Scope.DOSSIER,
            epoch=2,
            section="",
            action=Action.READ,
            outcome=Outcome.ALLOW,
            reason="granted",
            basis=Basis.REVIEWER,
        ),
    )
    mechanism.decide_access("BRD", ARC_REVIEW, Scope.FINAL_REPORT)  # not revoked
    result = controls(mechanism)[NO_ACCESS_AFTER_REVOCATION]
    assert result.population == 2
    assert exceptions_at(result) == [allowed.position]
    assert result.exceptions[0].stream == ARC_STREAM
    assert "after its grant there was revoked" in result.exceptions[0].detail


# -- the period ----------------------------------------------------------------------


def test_the_period_tests_its_records_on_the_context_before_it(
    mechanism: Mechanism, clock: SimulatedClock
) -> None:
    mechanism.request_report(ARC_REVIEW, "GNV")
    mechanism.give_consent(ARC_REVIEW, "GNV", "ARC", "signature of Arcadia")
    mechanism.revoke_access(ARC_REVIEW, Scope.FINAL_REPORT, "GNV", reason="mistake")
    (outsider,) = inject(
        mechanism,
        ARC_STREAM,
        AccessGranted(
            review=ARC_REVIEW,
            scope=Scope.DOSSIER,
            epoch=1,
            principal="DYS",
            basis=Basis.REVIEWER,
            encryption_kid=kid("DYS/enc"),
        ),
    )
    clock.advance(dt.timedelta(days=2))
    later = clock.now().date()
    mechanism.grant_access(ARC_REVIEW, Scope.FINAL_REPORT, "GNV")
    mechanism.decide_access("GNV", ARC_REVIEW, Scope.FINAL_REPORT)

    results = controls(mechanism, period=(later, later))
    assert all(r.passed for r in results.values())
    assert results[GRANTS_AUTHORISED].population == 1  # rests on the earlier consent
    assert results[NO_ACCESS_AFTER_REVOCATION].population == 1

    whole = controls(mechanism, period=(NOW.date(), later))
    assert exceptions_at(whole[GRANTS_AUTHORISED]) == [outsider.position]
    before = controls(mechanism, period=(NOW.date(), NOW.date()))
    assert exceptions_at(before[GRANTS_WITHIN_THE_CIRCLE]) == [outsider.position]
    with pytest.raises(InvalidInput):
        run_controls([], period=(later, NOW.date()))


# -- denials -------------------------------------------------------------------------


def test_denied_accesses_are_counted_by_reason(
    mechanism: Mechanism, clock: SimulatedClock
) -> None:
    asks = [
        ("BRD", DYS_REVIEW, Scope.DOSSIER),
        ("BRD", DYS_REVIEW, Scope.FINAL_REPORT),
        ("auditor-1", ARC_REVIEW, Scope.DOSSIER),
    ]
    for principal, review, scope in asks:
        with pytest.raises(AccessDenied):
            mechanism.decide_access(principal, review, scope)
    mechanism.decide_access("ARC", ARC_REVIEW, Scope.DOSSIER)
    clock.advance(dt.timedelta(days=1))
    with pytest.raises(AccessDenied):
        mechanism.decide_access("stranger", ARC_REVIEW, Scope.DOSSIER)

    records = everything(mechanism.store)
    counts = denied_by_reason(records)
    assert counts == {
        "not-a-principal-of-this-review": 2,
        "auditor-reads-no-content": 1,
        "unknown-principal": 1,
    }
    assert next(iter(counts)) == "not-a-principal-of-this-review"
    day = clock.now().date()
    assert denied_by_reason(records, (day, day)) == {"unknown-principal": 1}


# -- draws ---------------------------------------------------------------------------


@pytest.fixture
def drawn(clock: SimulatedClock) -> Iterator[Mechanism]:
    store = open_memory_store()
    mech = prepare(Mechanism(store, clock))
    hold_ceremony(mech, clock, "cycle-1/years")
    mech.draw_review_years(1)
    yield mech
    store.close()


def test_recorded_draws_replay(drawn: Mechanism) -> None:
    result = controls(drawn)[DRAWS_REPLAY]
    assert (result.population, result.passed) == (1, True)
    replayed = controls(
        drawn, draws_replay=lambda: [str(d) for d in drawn.verify_draws(1)]
    )[DRAWS_REPLAY]
    assert replayed.passed


def test_a_draw_that_does_not_replay_is_an_exception(drawn: Mechanism) -> None:
    (first,) = (
        r for r in everything(drawn.store) if isinstance(r.event, ReviewYearsDrawn)
    )
    assert isinstance(first.event, ReviewYearsDrawn)
    forged = attrs.evolve(first.event, seed="00" * 32)
    (changed,) = inject(drawn, first.stream, forged)
    result = controls(drawn)[DRAWS_REPLAY]
    assert result.population == 2
    assert exceptions_at(result) == [changed.position]
    assert result.exceptions[0].stream == "draw/cycle-1"
    given = controls(drawn, draws_replay=lambda: ["version 2: years differ"])
    assert [e.detail for e in given[DRAWS_REPLAY].exceptions] == [
        "version 2: years differ"
    ]
