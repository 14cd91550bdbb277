"""Registry commands: given events, when a command, then events or a refusal."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from untoc_core.errors import (
    ExpertLimitReached,
    InvalidInput,
    NotInMechanism,
    SignatoryCannotReview,
    UnknownParty,
)
from untoc_core.events import Event
from untoc_core.registry import (
    AppointFocalPoint,
    CirculateExpertList,
    NominateGovernmentalExpert,
    Registry,
    WithdrawGovernmentalExpert,
    decide,
    replay,
)
from untoc_core.registry.commands import Command
from untoc_core.registry.events import (
    ExpertListCirculated,
    FocalPointAppointed,
    GovernmentalExpertNominated,
    GovernmentalExpertWithdrawn,
    InstrumentDeposited,
    InstrumentSigned,
    Provenance,
    StateEntered,
)
from untoc_core.rules import Rulebook, default_rulebook
from untoc_core.terms import EntityType, Instrument, Language


def entered(code: str, name: str) -> Event:
    return StateEntered(
        code=code,
        m49=None,
        entity_type=EntityType.MEMBER_STATE,
        names={Language.EN: name},
    )


def party(code: str) -> Event:
    return InstrumentDeposited(
        code=code,
        instrument=Instrument.UNTOC,
        signed=None,
        deposited=None,
        action="ratification",
        provenance=Provenance(),
    )


def signatory(code: str) -> Event:
    return InstrumentSigned(
        code=code, instrument=Instrument.UNTOC, signed=None, provenance=Provenance()
    )


def nominated(code: str, expert_id: str) -> Event:
    return GovernmentalExpertNominated(
        code=code,
        expert_id=expert_id,
        name=f"Expert {expert_id}",
        background="",
        position="",
        offices="",
        expertise=(),
        instruments=frozenset(),
    )


STATES = (
    entered("ARC", "Arcadia"),
    party("ARC"),
    entered("BRD", "Borduria"),
    party("BRD"),
    entered("SIG", "Signatoria"),
    signatory("SIG"),
    entered("SYL", "Syldavia"),
)


def when(
    events: tuple[Event, ...], command: Command, rulebook: Rulebook | None = None
) -> tuple[Event, ...]:
    registry: Registry = replay(enumerate(events, start=1))
    return decide(registry, command, rulebook or default_rulebook())


def nominate(code: str, expert_id: str) -> NominateGovernmentalExpert:
    return NominateGovernmentalExpert(
        code=code, expert_id=expert_id, name=f"Expert {expert_id}"
    )


# -- nominating governmental experts (ToR 21) -----------------------------------------


def test_a_party_nominates_an_expert_with_trimmed_details() -> None:
    command = NominateGovernmentalExpert(
        code="arc",
        expert_id="ARC-1",
        name="  Ann Arbor ",
        background=" prosecutor ",
        position=" Deputy ",
        offices=" Ministry ",
        expertise=(" Extradition ", "  ", "Money laundering"),
        instruments=frozenset({Instrument.UNTOC, Instrument.TIP}),
    )
    assert when(STATES, command) == (
        GovernmentalExpertNominated(
            code="ARC",
            expert_id="ARC-1",
            name="Ann Arbor",
            background="prosecutor",
            position="Deputy",
            offices="Ministry",
            expertise=("Extradition", "Money laundering"),
            instruments=frozenset({Instrument.UNTOC, Instrument.TIP}),
        ),
    )


def test_the_20th_expert_is_accepted() -> None:
    given = (*STATES, *(nominated("ARC", f"ARC-{n}") for n in range(1, 20)))
    (event,) = when(given, nominate("ARC", "ARC-20"))
    assert isinstance(event, GovernmentalExpertNominated)
    assert event.expert_id == "ARC-20"


def test_the_21st_expert_is_refused_citing_tor_21() -> None:
    given = (*STATES, *(nominated("ARC", f"ARC-{n}") for n in range(1, 21)))
    with pytest.raises(ExpertLimitReached, match=r"^\[ToR-21\] Arcadia already has 20"):
        when(given, nominate("ARC", "ARC-21"))


def test_the_limit_counts_the_experts_of_one_state_only() -> None:
    given = (*STATES, *(nominated("ARC", f"ARC-{n}") for n in range(1, 21)))
    (event,) = when(given, nominate("BRD", "BRD-1"))
    assert isinstance(event, GovernmentalExpertNominated)


def test_a_withdrawn_expert_frees_a_place_on_the_roster() -> None:
    given = (
        *STATES,
        *(nominated("ARC", f"ARC-{n}") for n in range(1, 21)),
        GovernmentalExpertWithdrawn(code="ARC", expert_id="ARC-7", reason=""),
    )
    (event,) = when(given, nominate("ARC", "ARC-21"))
    assert isinstance(event, GovernmentalExpertNominated)


def test_the_limit_comes_from_the_rulebook() -> None:
    rulebook = default_rulebook()
    strict = attrs.evolve(
        rulebook, draw=attrs.evolve(rulebook.draw, max_experts_per_party=1)
    )
    given = (*STATES, nominated("ARC", "ARC-1"))
    with pytest.raises(ExpertLimitReached, match="appoints up to 1"):
        when(given, nominate("ARC", "ARC-2"), strict)


def test_a_signatory_cannot_nominate_an_expert_citing_tor_57() -> None:
    with pytest.raises(SignatoryCannotReview, match=r"^\[ToR-57\] Signatoria"):
        when(STATES, nominate("SIG", "SIG-1"))


def test_a_state_outside_the_convention_cannot_nominate_an_expert() -> None:
    with pytest.raises(NotInMechanism, match="neither a party to nor a signatory"):
        when(STATES, nominate("SYL", "SYL-1"))


def test_an_expert_id_already_on_the_roster_is_refused_even_for_another_state() -> None:
    given = (*STATES, nominated("ARC", "X-1"))
    with pytest.raises(InvalidInput, match="'X-1' is already on the roster"):
        when(given, nominate("BRD", "X-1"))


@pytest.mark.parametrize(
    ("expert_id", "name", "problem"),
    [("E1", "   ", "needs a name"), ("  ", "Ann", "needs an id")],
)
def test_an_expert_needs_a_name_and_an_id(
    expert_id: str, name: str, problem: str
) -> None:
    command = NominateGovernmentalExpert(code="ARC", expert_id=expert_id, name=name)
    with pytest.raises(InvalidInput, match=problem):
        when(STATES, command)


def test_nominating_for_an_unknown_state_is_refused() -> None:
    with pytest.raises(UnknownParty, match="'ZZZ'"):
        when(STATES, nominate("ZZZ", "Z-1"))


# -- withdrawing ----------------------------------------------------------------------


def test_a_state_withdraws_one_of_its_experts() -> None:
    given = (*STATES, nominated("ARC", "ARC-1"))
    command = WithdrawGovernmentalExpert(
        code="arc", expert_id="ARC-1", reason="retired"
    )
    assert when(given, command) == (
        GovernmentalExpertWithdrawn(code="ARC", expert_id="ARC-1", reason="retired"),
    )


def test_withdrawing_an_unknown_expert_is_refused() -> None:
    with pytest.raises(
        InvalidInput, match="Arcadia has no governmental expert 'ARC-9'"
    ):
        when(STATES, WithdrawGovernmentalExpert(code="ARC", expert_id="ARC-9"))


def test_a_state_cannot_withdraw_another_states_expert() -> None:
    given = (*STATES, nominated("BRD", "BRD-1"))
    with pytest.raises(InvalidInput, match="no governmental expert 'BRD-1'"):
        when(given, WithdrawGovernmentalExpert(code="ARC", expert_id="BRD-1"))


def test_an_expert_withdrawn_once_cannot_be_withdrawn_again() -> None:
    given = (
        *STATES,
        nominated("ARC", "ARC-1"),
        GovernmentalExpertWithdrawn(code="ARC", expert_id="ARC-1", reason=""),
    )
    with pytest.raises(InvalidInput, match="no governmental expert"):
        when(given, WithdrawGovernmentalExpert(code="ARC", expert_id="ARC-1"))


# -- focal points (ToR 17) ------------------------------------------------------------


@pytest.mark.parametrize("code", ["ARC", "SIG"])
def test_a_party_or_signatory_appoints_a_focal_point(code: str) -> None:
    command = AppointFocalPoint(
        code=code.lower(), name=" Ann ", email=" ann@gov.example ", expertise=" TIP "
    )
    assert when(STATES, command) == (
        FocalPointAppointed(
            code=code, name="Ann", email="ann@gov.example", expertise="TIP"
        ),
    )


@pytest.mark.parametrize(
    "email",
    [
        "",
        "ann",
        "ann@",
        "@gov.example",
        "ann@gov",
        "ann at gov.example",
        "a@b@c.de",
        "a b@c.de",
    ],
)
def test_a_focal_point_needs_an_e_mail_address(email: str) -> None:
    with pytest.raises(InvalidInput, match="is not an e-mail address"):
        when(STATES, AppointFocalPoint(code="ARC", name="Ann", email=email))


def test_a_focal_point_needs_a_name() -> None:
    with pytest.raises(InvalidInput, match="needs a name"):
        when(STATES, AppointFocalPoint(code="ARC", name=" ", email="ann@gov.example"))


def test_a_state_outside_the_convention_appoints_no_focal_point() -> None:
    with pytest.raises(NotInMechanism, match=r"^Syldavia is neither a party to nor a"):
        when(STATES, AppointFocalPoint(code="SYL", name="Sy", email="sy@gov.example"))


# -- circulating the list of experts (ToR 21) -----------------------------------------


def test_the_circulated_list_holds_every_expert_on_the_roster() -> None:
    given = (
        *STATES,
        nominated("ARC", "ARC-1"),
        nominated("BRD", "BRD-1"),
        nominated("ARC", "ARC-2"),
        GovernmentalExpertWithdrawn(code="ARC", expert_id="ARC-2", reason=""),
    )
    assert when(given, CirculateExpertList(circulated_on=dt.date(2026, 2, 1))) == (
        ExpertListCirculated(
            circulated_on=dt.date(2026, 2, 1), expert_ids=frozenset({"ARC-1", "BRD-1"})
        ),
    )


def test_a_list_without_experts_is_not_circulated() -> None:
    with pytest.raises(InvalidInput, match="nothing to circulate"):
        when(STATES, CirculateExpertList(circulated_on=dt.date(2026, 2, 1)))


def test_a_circulation_cannot_be_dated_before_the_last_one() -> None:
    given = (
        *STATES,
        nominated("ARC", "ARC-1"),
        ExpertListCirculated(
            circulated_on=dt.date(2026, 2, 1), expert_ids=frozenset({"ARC-1"})
        ),
    )
    with pytest.raises(
        InvalidInput, match=r"2026-01-31 is before the last circulation"
    ):
        when(given, CirculateExpertList(circulated_on=dt.date(2026, 1, 31)))


def test_a_list_may_be_circulated_again_on_the_same_day() -> None:
    given = (
        *STATES,
        nominated("ARC", "ARC-1"),
        ExpertListCirculated(
            circulated_on=dt.date(2026, 2, 1), expert_ids=frozenset({"ARC-1"})
        ),
    )
    (event,) = when(given, CirculateExpertList(circulated_on=dt.date(2026, 2, 1)))
    assert isinstance(event, ExpertListCirculated)
