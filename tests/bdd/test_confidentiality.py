"""Steps of access to review information: grants, consent, publication, the log.

Provisions: ToR 3 (g), 30, 36, 37 and 37 quater of the terms of reference, and
paragraph 5 of the guidelines (see ``features/confidentiality.feature``). A State's
focal point acts as the principal named by the State's code; the secretariat, the
auditor and the group of experts are one principal each.
"""

from __future__ import annotations

import hashlib

import attrs
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

# pytest (--import-mode=importlib) has already imported the conftest under the name its
# path gives, tests.bdd.conftest: this import finds that very module, steps and all.
from tests.bdd.conftest import (
    FICTIONAL_STATES,
    Outcome,
    RegistryFile,
    code_of,
    state_party,
)
from untoc_core import Mechanism
from untoc_core.confidentiality import (
    ACCESS_DENIED_MESSAGE,
    AccessDecision,
    AccessDenied,
    PrincipalKind,
    RegisterPrincipal,
    Scope,
)
from untoc_core.confidentiality import (
    Outcome as AccessOutcome,
)

scenarios("confidentiality.feature")

OTHERS = {
    "the secretariat": ("secretariat", PrincipalKind.SECRETARIAT),
    "the auditor": ("auditor", PrincipalKind.AUDITOR),
    "the group of experts": ("expert-group", PrincipalKind.EXPERT_GROUP),
}
SCOPES = {
    "dossier": Scope.DOSSIER,
    "final report": Scope.FINAL_REPORT,
    "executive summary": Scope.EXECUTIVE_SUMMARY,
}
_WHO = r"(?P<who>\w+|the secretariat|the auditor|the group of experts)"
_SCOPE = r"(?P<scope>dossier|final report|executive summary)"


def _kid(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def principal_of(who: str) -> str:
    """The principal acting as ``who``: a State's code, or one of the others."""
    return OTHERS[who][0] if who in OTHERS else code_of(who)


def review_of(name: str) -> str:
    """The review id of a fictional State's review in cycle 1."""
    return f"cycle-1/{code_of(name)}"


@attrs.define
class Asked:
    """The last access asked for, and what was decided."""

    decision: AccessDecision | None = None


@pytest.fixture
def asked() -> Asked:
    return Asked()


def _register_everyone(mechanism: Mechanism, registry_file: RegistryFile) -> None:
    """Every fictional State is a party with a focal point; the others registered."""
    if mechanism.principals().by_id:
        return
    for name, code in FICTIONAL_STATES.items():
        state_party(mechanism, registry_file, name)
        mechanism.register_principal(
            RegisterPrincipal(
                principal=code,
                kind=PrincipalKind.STATE_FOCAL_POINT,
                state=code,
                encryption_kid=_kid(f"{code}/enc"),
                signing_kid=_kid(f"{code}/sig"),
            )
        )
    for principal, kind in OTHERS.values():
        mechanism.register_principal(
            RegisterPrincipal(
                principal=principal,
                kind=kind,
                encryption_kid=_kid(f"{principal}/enc"),
                signing_kid=_kid(f"{principal}/sig"),
            )
        )


# -- given -----------------------------------------------------------------------------


@given(
    parsers.parse(
        "{first:w} and {second:w} review {under_review:w}, whose review is open"
    )
)
def review_open(
    mechanism: Mechanism,
    registry_file: RegistryFile,
    first: str,
    second: str,
    under_review: str,
) -> None:
    _register_everyone(mechanism, registry_file)
    for scope in Scope:
        mechanism.open_scope(
            review_of(under_review), scope, [code_of(first), code_of(second)]
        )


@given(parsers.parse("{new:w} replaced {old:w} as a reviewer of {under_review:w}"))
def reviewer_replaced(
    mechanism: Mechanism, new: str, old: str, under_review: str
) -> None:
    review = review_of(under_review)
    reviewers = [
        code_of(new) if r == code_of(old) else r
        for r in mechanism.review_access(review).reviewers
    ]
    mechanism.rotate_epoch(review, reviewers, f"{old} deferred serving (ToR 20)")


@given(parsers.parse("{requester:w} asked for {under_review:w}'s report"))
def report_requested(mechanism: Mechanism, requester: str, under_review: str) -> None:
    mechanism.request_report(review_of(under_review), code_of(requester))


@given(
    parsers.parse(
        "{requester:w} asked for {under_review:w}'s report, and {consenting:w} "
        "consented"
    )
)
def report_requested_and_consented(
    mechanism: Mechanism, requester: str, under_review: str, consenting: str
) -> None:
    report_requested(mechanism, requester, under_review)
    mechanism.give_consent(
        review_of(under_review),
        code_of(requester),
        code_of(consenting),
        f"signature of {consenting}",
    )


@given(parsers.parse("{who:w} read the dossier of {under_review:w}'s review"))
def read_before(mechanism: Mechanism, who: str, under_review: str) -> None:
    mechanism.decide_access(principal_of(who), review_of(under_review), Scope.DOSSIER)


# -- when ------------------------------------------------------------------------------


@when(parsers.re(rf"{_WHO} asks to read the {_SCOPE} of (?P<owner>\w+)'s review"))
def asks_to_read(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    mechanism: Mechanism,
    outcome: Outcome,
    asked: Asked,
    who: str,
    scope: str,
    owner: str,
) -> None:
    def run() -> None:
        asked.decision = mechanism.decide_access(
            principal_of(who), review_of(owner), SCOPES[scope]
        )

    asked.decision = None
    outcome.run(mechanism, run)


@when(parsers.parse('{who:w} publishes section "{section}" of its report'))
def publishes_own(
    mechanism: Mechanism, outcome: Outcome, who: str, section: str
) -> None:
    outcome.run(
        mechanism,
        lambda: mechanism.publish_sections(review_of(who), [section], code_of(who)),
    )


@when(parsers.parse('{who:w} publishes section "{section}" of {owner:w}\'s report'))
def publishes_other(
    mechanism: Mechanism, outcome: Outcome, who: str, section: str, owner: str
) -> None:
    outcome.run(
        mechanism,
        lambda: mechanism.publish_sections(review_of(owner), [section], code_of(who)),
    )


@when(
    parsers.parse("{who:w} consents to {requester:w}'s request for {owner:w}'s report")
)
def consents(
    mechanism: Mechanism, outcome: Outcome, who: str, requester: str, owner: str
) -> None:
    outcome.run(
        mechanism,
        lambda: mechanism.give_consent(
            review_of(owner), code_of(requester), code_of(who), f"signature of {who}"
        ),
    )


@when(
    parsers.parse(
        "{who:w} reports a suspected breach of the confidentiality of its review"
    )
)
def reports_breach(mechanism: Mechanism, outcome: Outcome, who: str) -> None:
    outcome.run(
        mechanism,
        lambda: mechanism.report_breach(
            review_of(who),
            code_of(who),
            "Findings of the desk review were quoted in a newspaper.",
        ),
    )


# -- then ------------------------------------------------------------------------------


@then(parsers.re(rf"{_WHO} may read it"))
def may_read(outcome: Outcome, asked: Asked, who: str) -> None:
    assert outcome.error is None, f"access was denied: {outcome.error}"
    assert asked.decision is not None
    assert asked.decision.principal == principal_of(who)
    assert asked.decision.allowed


@then(parsers.re(rf"{_WHO} is told only that access is denied, citing (?P<cited>\S+)"))
def told_denied(outcome: Outcome, cited: str) -> None:
    """The one refusal, whose message names no reason."""
    error = outcome.refusal()
    assert isinstance(error, AccessDenied), f"not a denial of access: {error!r}"
    assert error.provision == cited
    assert str(error) == f"[{cited}] {ACCESS_DENIED_MESSAGE}"


@then(parsers.re(rf"{_WHO} is denied the {_SCOPE} of (?P<owner>\w+)'s review"))
def denied_too(mechanism: Mechanism, who: str, scope: str, owner: str) -> None:
    with pytest.raises(AccessDenied):
        mechanism.decide_access(principal_of(who), review_of(owner), SCOPES[scope])


@then(
    parsers.re(
        r"the access log of (?P<owner>\w+)'s review shows (?P<who>\w+) "
        r"(?P<verdict>allowed|denied)"
    )
)
def log_shows(mechanism: Mechanism, owner: str, who: str, verdict: str) -> None:
    """What the auditor reads in the log: who, and whether it was allowed."""
    log = mechanism.access_log(review_of(owner), "auditor")
    seen = {(e.principal, e.outcome) for e in log}
    expected = AccessOutcome.ALLOW if verdict == "allowed" else AccessOutcome.DENY
    assert (principal_of(who), expected) in seen, log


@then(parsers.parse('anyone may read section "{section}" of {owner:w}\'s report'))
def anyone_reads(
    mechanism: Mechanism, outcome: Outcome, section: str, owner: str
) -> None:
    assert outcome.error is None, f"the publication was refused: {outcome.error}"
    for who in ("Zenda", "Qumar"):
        decision = mechanism.decide_access(
            principal_of(who), review_of(owner), Scope.FINAL_REPORT, section=section
        )
        assert decision.allowed


@then(parsers.parse('section "{section}" of {owner:w}\'s report stays confidential'))
def stays_confidential(mechanism: Mechanism, section: str, owner: str) -> None:
    with pytest.raises(AccessDenied):
        mechanism.decide_access(
            principal_of("Zenda"), review_of(owner), Scope.FINAL_REPORT, section=section
        )


@then(
    parsers.parse(
        "the secretariat sees {owner:w}'s breach report referred to the {body}"
    )
)
def breach_referred(
    mechanism: Mechanism, outcome: Outcome, owner: str, body: str
) -> None:
    assert outcome.error is None, f"the report was refused: {outcome.error}"
    (breach,) = mechanism.review_access(review_of(owner)).breaches
    assert breach.referred_to == body
    assert breach.reported_by == code_of(owner)
