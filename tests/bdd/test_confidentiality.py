"""Steps of access to review information: grants, consent, publication, the log.

Provisions: ToR 3 (g), 30, 36, 37 and 37 quater of the terms of reference, and
paragraph 5 of the guidelines (see ``features/confidentiality.feature``). A State's
focal point acts as the principal named by the State's code; the secretariat, the
auditor and the group of experts are one principal each.

Every principal has real keys, and every read opens sealed material through the
vault: "may read it" means the principal got back the very text that was filed.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

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
from untoc_adapters.bootstrap import open_vault
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.settings import Settings
from untoc_adapters.vault import Vault
from untoc_core import Mechanism
from untoc_core.confidentiality import (
    ACCESS_DENIED_MESSAGE,
    REVIEW_SCOPES,
    AccessDenied,
    PrincipalKind,
    Scope,
)
from untoc_core.confidentiality import (
    Outcome as AccessOutcome,
)
from untoc_core.confidentiality.commands import consent_message

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


def principal_of(who: str) -> str:
    """The principal acting as ``who``: a State's code, or one of the others."""
    return OTHERS[who][0] if who in OTHERS else code_of(who)


def review_of(name: str) -> str:
    """The review id of a fictional State's review in cycle 1."""
    return f"cycle-1/{code_of(name)}"


@attrs.define
class Filed:
    """The material filed so far: the last section and text of each review's scope."""

    last: dict[tuple[str, Scope], tuple[str, bytes]] = attrs.Factory(dict)

    def file(  # noqa: PLR0917 - what a filing names
        self,
        vault: Vault,
        who: str,
        review: str,
        scope: Scope,
        section: str,
        text: str,
    ) -> None:
        """File ``text`` and remember it as the scope's latest material."""
        vault.file(who, review, scope, section, text.encode())
        self.last[(review, scope)] = (section, text.encode())


@attrs.define
class Asked:
    """The last read asked for, and the text it returned."""

    content: bytes | None = None
    expected: bytes | None = None


@pytest.fixture
def asked() -> Asked:
    return Asked()


@pytest.fixture
def filed() -> Filed:
    return Filed()


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    """The vault, with real keys, on an in-memory store."""
    opened = open_vault(
        Settings(data_dir=tmp_path / "data", store="memory"),
        SimulatedClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)),
    )
    yield opened
    opened.mechanism.store.close()


@pytest.fixture
def mechanism(vault: Vault) -> Mechanism:
    """The shared steps' mechanism is the vault's, with its key custody."""
    return vault.mechanism


def _register_everyone(vault: Vault, registry_file: RegistryFile) -> None:
    """Every fictional State is a party with a focal point; the others registered."""
    if vault.mechanism.principals().by_id:
        return
    for name, code in FICTIONAL_STATES.items():
        state_party(vault.mechanism, registry_file, name)
        vault.register(code, PrincipalKind.STATE_FOCAL_POINT, code)
    for principal, kind in OTHERS.values():
        vault.register(principal, kind)


# -- given -----------------------------------------------------------------------------


@given(
    parsers.parse(
        "{first:w} and {second:w} review {under_review:w}, whose review is open"
    )
)
def review_open(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    vault: Vault,
    registry_file: RegistryFile,
    filed: Filed,
    first: str,
    second: str,
    under_review: str,
) -> None:
    """The review's scopes are open, with material filed in each."""
    _register_everyone(vault, registry_file)
    review = review_of(under_review)
    for scope in REVIEW_SCOPES:
        vault.mechanism.open_scope(review, scope, [code_of(first), code_of(second)])
    filed.file(
        vault,
        code_of(first),
        review,
        Scope.DOSSIER,
        "desk-review",
        f"Desk review of {under_review}: article 23 is not yet applied.",
    )
    for section in ("III", "IV"):
        filed.file(
            vault,
            "secretariat",
            review,
            Scope.FINAL_REPORT,
            section,
            f"Section {section} of the report on {under_review}.",
        )
    filed.file(
        vault,
        "secretariat",
        review,
        Scope.EXECUTIVE_SUMMARY,
        "summary",
        f"Executive summary of the review of {under_review}.",
    )


@given(parsers.parse("{new:w} replaced {old:w} as a reviewer of {under_review:w}"))
def reviewer_replaced(
    vault: Vault, filed: Filed, new: str, old: str, under_review: str
) -> None:
    """The epoch turns; the remaining reviewer then files new material."""
    review = review_of(under_review)
    current = vault.mechanism.review_access(review).reviewers
    reviewers = [code_of(new) if r == code_of(old) else r for r in current]
    vault.mechanism.rotate_epoch(review, reviewers, f"{old} deferred serving (ToR 20)")
    kept = next(r for r in reviewers if r != code_of(new))
    filed.file(
        vault,
        kept,
        review,
        Scope.DOSSIER,
        "country-dialogue",
        f"Notes of the country dialogue with {under_review}.",
    )


@given(parsers.parse("{requester:w} asked for {under_review:w}'s report"))
def report_requested(vault: Vault, requester: str, under_review: str) -> None:
    vault.request(code_of(requester), review_of(under_review))


@given(
    parsers.parse(
        "{requester:w} asked for {under_review:w}'s report, and {consenting:w} "
        "consented"
    )
)
def report_requested_and_consented(
    vault: Vault, requester: str, under_review: str, consenting: str
) -> None:
    report_requested(vault, requester, under_review)
    vault.consent(code_of(consenting), review_of(under_review), code_of(requester))


@given(parsers.parse("{who:w} read the dossier of {under_review:w}'s review"))
def read_before(vault: Vault, filed: Filed, who: str, under_review: str) -> None:
    review = review_of(under_review)
    section, _ = filed.last[(review, Scope.DOSSIER)]
    vault.read(principal_of(who), review, Scope.DOSSIER, section)


@given(
    parsers.parse(
        "the secretariat compiled the most common challenges of cycle {cycle:d} for "
        "the group of experts"
    )
)
def compiled(vault: Vault, filed: Filed, cycle: int) -> None:
    record = f"cycle-{cycle}/compilations"
    vault.mechanism.open_scope(record, Scope.COMPILATION, [])
    filed.file(
        vault,
        "secretariat",
        record,
        Scope.COMPILATION,
        "challenges",
        "Most common challenges: confiscation of proceeds, witness protection.",
    )


# -- when ------------------------------------------------------------------------------


@when(parsers.re(rf"{_WHO} asks to read the {_SCOPE} of (?P<owner>\w+)'s review"))
def asks_to_read(  # noqa: PLR0917 - pytest-bdd passes the step's arguments
    vault: Vault,
    filed: Filed,
    outcome: Outcome,
    asked: Asked,
    who: str,
    scope: str,
    owner: str,
) -> None:
    """The principal asks for the latest material of the scope, and opens it."""
    review = review_of(owner)
    section, text = filed.last[(review, SCOPES[scope])]
    asked.expected = text

    def run() -> None:
        asked.content = vault.read(principal_of(who), review, SCOPES[scope], section)

    outcome.run(vault.mechanism, run)


@when(parsers.re(rf"{_WHO} asks to read the compilation of cycle (?P<cycle>\d+)"))
def asks_for_compilation(  # noqa: PLR0917 - pytest-bdd passes the arguments
    vault: Vault,
    filed: Filed,
    outcome: Outcome,
    asked: Asked,
    who: str,
    cycle: str,
) -> None:
    record = f"cycle-{cycle}/compilations"
    section, text = filed.last[(record, Scope.COMPILATION)]
    asked.expected = text

    def run() -> None:
        asked.content = vault.read(
            principal_of(who), record, Scope.COMPILATION, section
        )

    outcome.run(vault.mechanism, run)


@when(parsers.parse('{who:w} publishes section "{section}" of its report'))
def publishes_own(vault: Vault, outcome: Outcome, who: str, section: str) -> None:
    outcome.run(
        vault.mechanism,
        lambda: vault.publish(code_of(who), review_of(who), [section]),
    )


@when(parsers.parse('{who:w} publishes section "{section}" of {owner:w}\'s report'))
def publishes_other(
    vault: Vault, outcome: Outcome, who: str, section: str, owner: str
) -> None:
    outcome.run(
        vault.mechanism,
        lambda: vault.publish(code_of(who), review_of(owner), [section]),
    )


@when(
    parsers.parse("{who:w} consents to {requester:w}'s request for {owner:w}'s report")
)
def consents(
    vault: Vault, outcome: Outcome, who: str, requester: str, owner: str
) -> None:
    """``who`` signs a consent with its own key, in its own name."""
    outcome.run(
        vault.mechanism,
        lambda: vault.consent(code_of(who), review_of(owner), code_of(requester)),
    )


@when(
    parsers.parse(
        "a consent to {requester:w}'s request is given in {owner:w}'s name with "
        "a signature not made with {owner2:w}'s key"
    )
)
def forged_consent(
    vault: Vault, outcome: Outcome, requester: str, owner: str, owner2: str
) -> None:
    """Someone signs the consent with another State's key, in the name of ``owner``."""
    del owner2
    review = review_of(owner)
    forger = vault.principals.load(code_of(requester))
    signature = forger.sign(consent_message(review, code_of(requester), code_of(owner)))
    outcome.run(
        vault.mechanism,
        lambda: vault.mechanism.give_consent(
            review,
            code_of(requester),
            code_of(owner),
            base64.b64encode(signature).decode(),
        ),
    )


@when(
    parsers.parse(
        "{who:w} reports a suspected breach of the confidentiality of its review"
    )
)
def reports_breach(vault: Vault, outcome: Outcome, who: str) -> None:
    outcome.run(
        vault.mechanism,
        lambda: vault.mechanism.report_breach(
            review_of(who),
            code_of(who),
            "Findings of the desk review were quoted in a newspaper.",
        ),
    )


# -- then ------------------------------------------------------------------------------


@then(parsers.re(rf"{_WHO} may read it"))
def may_read(outcome: Outcome, asked: Asked, who: str) -> None:
    """The principal got back exactly the text that was filed."""
    assert outcome.error is None, f"{who} was refused: {outcome.error}"
    assert asked.expected is not None
    assert asked.content == asked.expected


@then(parsers.re(rf"{_WHO} is told only that access is denied, citing (?P<cited>\S+)"))
def told_denied(outcome: Outcome, asked: Asked, cited: str) -> None:
    """The one refusal, whose message names no reason, and no content."""
    error = outcome.refusal()
    assert isinstance(error, AccessDenied), f"not a denial of access: {error!r}"
    assert error.provision == cited
    assert str(error) == f"[{cited}] {ACCESS_DENIED_MESSAGE}"
    assert asked.content is None


@then(parsers.re(rf"{_WHO} is denied the {_SCOPE} of (?P<owner>\w+)'s review"))
def denied_too(vault: Vault, filed: Filed, who: str, scope: str, owner: str) -> None:
    review = review_of(owner)
    section, _ = filed.last[(review, SCOPES[scope])]
    with pytest.raises(AccessDenied):
        vault.read(principal_of(who), review, SCOPES[scope], section)


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
    vault: Vault, filed: Filed, outcome: Outcome, section: str, owner: str
) -> None:
    """Any State, party to the review or not, reads the published text."""
    assert outcome.error is None, f"the publication was refused: {outcome.error}"
    text = f"Section {section} of the report on {owner}.".encode()
    for who in ("Zenda", "Qumar"):
        read = vault.read_published(review_of(owner), section, reader=code_of(who))
        assert read == text


@then(parsers.parse('section "{section}" of {owner:w}\'s report stays confidential'))
def stays_confidential(vault: Vault, section: str, owner: str) -> None:
    with pytest.raises(AccessDenied):
        vault.read_published(review_of(owner), section, reader=code_of("Zenda"))


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
