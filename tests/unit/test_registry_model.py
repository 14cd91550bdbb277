"""The registry as state: who is a party when, what a review covers, the roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from untoc_core.dates import ApproxDate
from untoc_core.errors import NotInMechanism, SignatoryCannotReview, UnknownParty
from untoc_core.events import Event
from untoc_core.registry import Registry, RegistryEntry, Standing, replay
from untoc_core.registry.events import (
    ExpertListCirculated,
    FocalPointAppointed,
    GovernmentalExpertNominated,
    GovernmentalExpertWithdrawn,
    InstrumentDeposited,
    InstrumentSigned,
    InstrumentStandingCorrected,
    Provenance,
    RegionalGroupAssigned,
    StateEntered,
    StateNamesCorrected,
)
from untoc_core.terms import (
    EntityType,
    Instrument,
    Language,
    RegionalGroup,
    TreatyStatus,
)

UNTOC, TIP, SOM, FIREARMS = (
    Instrument.UNTOC,
    Instrument.TIP,
    Instrument.SOM,
    Instrument.FIREARMS,
)


def entered(code: str, name: str) -> StateEntered:
    return StateEntered(
        code=code,
        m49=None,
        entity_type=EntityType.MEMBER_STATE,
        names={Language.EN: name},
    )


def deposited(
    code: str, instrument: Instrument = UNTOC, on: str | None = None
) -> Event:
    return InstrumentDeposited(
        code=code,
        instrument=instrument,
        signed=None,
        deposited=ApproxDate.parse(on) if on else None,
        action="ratification",
        provenance=Provenance(),
    )


def signed(code: str, instrument: Instrument = UNTOC) -> Event:
    return InstrumentSigned(
        code=code,
        instrument=instrument,
        signed=ApproxDate(year=2000),
        provenance=Provenance(),
    )


def grouped(code: str, group: RegionalGroup) -> Event:
    return RegionalGroupAssigned(code=code, group=group, note="")


def nominated(
    code: str,
    expert_id: str,
    expertise: tuple[str, ...] = (),
    instruments: frozenset[Instrument] = frozenset(),
) -> Event:
    return GovernmentalExpertNominated(
        code=code,
        expert_id=expert_id,
        name=f"Expert {expert_id}",
        background="",
        position="",
        offices="",
        expertise=expertise,
        instruments=instruments,
    )


def given(*events: Event) -> Registry:
    return replay(enumerate(events, start=1))


def codes(entries: list[RegistryEntry]) -> list[str]:
    return [e.code for e in entries]


# -- States and standings -------------------------------------------------------------


def test_an_empty_registry_is_at_version_0_and_has_no_parties() -> None:
    registry = given()
    assert registry.version == 0
    assert registry.parties() == []
    assert registry.signatories() == []


def test_the_registry_version_is_that_of_the_last_event() -> None:
    registry = given(
        entered("ARC", "Arcadia"), deposited("ARC"), grouped("ARC", RegionalGroup.WEOG)
    )
    assert registry.version == 3


def test_an_entry_is_found_by_its_code_in_any_case() -> None:
    registry = given(entered("ARC", "Arcadia"))
    assert registry.entry("arc").name() == "Arcadia"


def test_an_unknown_code_is_an_unknown_party() -> None:
    with pytest.raises(UnknownParty, match="'ZZZ'"):
        given(entered("ARC", "Arcadia")).entry("ZZZ")


def test_names_are_replaced_by_a_correction() -> None:
    registry = given(
        entered("ARC", "Arcadia"),
        StateNamesCorrected(
            code="ARC", names={Language.EN: "Arcadia", Language.FR: "Arcadie"}
        ),
    )
    assert registry.entry("ARC").name(Language.FR) == "Arcadie"


def test_a_standing_correction_can_take_party_status_away() -> None:
    registry = given(
        entered("ARC", "Arcadia"),
        deposited("ARC"),
        InstrumentStandingCorrected(
            code="ARC",
            instrument=UNTOC,
            status=TreatyStatus.SIGNATORY,
            signed=None,
            deposited=None,
            action="",
            provenance=Provenance(source="correction"),
        ),
    )
    assert registry.parties() == []
    assert codes(registry.signatories()) == ["ARC"]


def test_parties_are_listed_in_code_order() -> None:
    registry = given(
        entered("CRD", "Carpania"),
        deposited("CRD"),
        entered("ARC", "Arcadia"),
        deposited("ARC"),
        entered("BRD", "Borduria"),
        deposited("BRD"),
    )
    assert codes(registry.parties()) == ["ARC", "BRD", "CRD"]


DATED = (
    entered("ARC", "Arcadia"),
    deposited("ARC", on="2003-09-29"),
    entered("BRD", "Borduria"),
    deposited("BRD", on="2010-05-01"),
    entered("CRD", "Carpania"),
    deposited("CRD"),  # a party whose deposit date is unknown
    entered("DRV", "Drvenia"),
    signed("DRV"),
    entered("ELB", "Elbonia"),
    deposited("ELB", on="2014-05"),
    entered("FRE", "Freedonia"),
    deposited("FRE", on="2016"),
)


def test_parties_on_a_date_leave_out_a_state_that_deposited_later() -> None:
    registry = given(*DATED)
    assert codes(registry.parties(on=dt.date(2005, 1, 1))) == ["ARC", "CRD"]
    assert codes(registry.parties()) == ["ARC", "BRD", "CRD", "ELB", "FRE"]


def test_a_state_is_a_party_from_the_thirtieth_day_after_its_deposit() -> None:
    registry = given(*DATED)
    assert "BRD" in codes(registry.parties(on=dt.date(2010, 5, 31)))
    assert "BRD" not in codes(registry.parties(on=dt.date(2010, 5, 30)))


def test_no_state_is_a_party_before_the_convention_entered_into_force() -> None:
    registry = given(*DATED)
    # ARC deposited on 29 September 2003, the day the Convention entered into force
    # for the first forty States; later deposits count thirty days on.
    assert "ARC" not in codes(registry.parties(on=dt.date(2003, 10, 28)))
    assert "ARC" in codes(registry.parties(on=dt.date(2003, 10, 29)))
    early = Standing(
        status=TreatyStatus.PARTY, deposited=ApproxDate.parse("2001-03-01")
    )
    assert early.bound_on(dt.date(2003, 9, 28), UNTOC) is False
    assert early.bound_on(dt.date(2003, 9, 29), UNTOC) is True
    assert early.bound_on(dt.date(2005, 7, 2), FIREARMS) is False


def test_a_party_with_an_unknown_deposit_date_is_a_party_on_any_date() -> None:
    registry = given(*DATED)
    assert "CRD" in codes(registry.parties(on=dt.date(1900, 1, 1)))


def test_a_deposit_known_to_the_month_or_year_counts_from_its_first_day() -> None:
    registry = given(*DATED)
    assert "ELB" not in codes(registry.parties(on=dt.date(2014, 5, 30)))
    assert "ELB" in codes(registry.parties(on=dt.date(2014, 5, 31)))
    assert "FRE" not in codes(registry.parties(on=dt.date(2016, 1, 30)))
    assert "FRE" in codes(registry.parties(on=dt.date(2016, 1, 31)))


def test_a_signatory_is_never_a_party_on_any_date() -> None:
    registry = given(*DATED)
    assert "DRV" not in codes(registry.parties(on=dt.date(2100, 1, 1)))
    assert (
        Standing(status=TreatyStatus.SIGNATORY).bound_on(dt.date(2100, 1, 1), UNTOC)
        is False
    )


# -- what a review covers (ToR 13, 57) ------------------------------------------------

COVERAGE = (
    entered("ARC", "Arcadia"),
    deposited("ARC"),
    deposited("ARC", FIREARMS),
    deposited("ARC", TIP),
    signed("ARC", SOM),
    entered("BRD", "Borduria"),
    signed("BRD"),
    signed("BRD", TIP),
    entered("SYL", "Syldavia"),
)


def test_a_party_is_reviewed_on_the_convention_and_each_of_its_protocols() -> None:
    assert given(*COVERAGE).instruments_under_review("ARC") == (UNTOC, TIP, FIREARMS)


def test_a_signatory_is_reviewed_on_the_convention_only() -> None:
    assert given(*COVERAGE).instruments_under_review("BRD") == (UNTOC,)


def test_a_signatory_is_reviewed_on_the_convention_whatever_its_protocols() -> None:
    registry = given(*COVERAGE, deposited("BRD", SOM))  # inconsistent, yet ToR 57 holds
    assert registry.instruments_under_review("BRD") == (UNTOC,)


def test_a_state_neither_party_nor_signatory_is_not_reviewed() -> None:
    with pytest.raises(NotInMechanism, match=r"^Syldavia is neither a party to nor a"):
        given(*COVERAGE).instruments_under_review("SYL")


def test_only_a_party_may_review() -> None:
    registry = given(*COVERAGE)
    assert registry.can_review("ARC") is True
    assert registry.can_review("BRD") is False
    assert registry.can_review("SYL") is False
    assert registry.require_reviewer("arc").code == "ARC"


@pytest.mark.parametrize("code", ["BRD", "SYL"])
def test_a_non_party_asked_to_review_is_refused_citing_tor_57(code: str) -> None:
    with pytest.raises(SignatoryCannotReview, match=r"^\[ToR-57\]"):
        given(*COVERAGE).require_reviewer(code)


# -- the roster of experts ------------------------------------------------------------

ROSTER = (
    entered("BRD", "Borduria"),
    deposited("BRD"),
    grouped("BRD", RegionalGroup.WEOG),
    entered("ARC", "Arcadia"),
    deposited("ARC"),
    grouped("ARC", RegionalGroup.AFRICAN),
    nominated(
        "BRD",
        "E3",
        ("Mutual legal assistance", "anti-MONEY-laundering"),
        frozenset({UNTOC}),
    ),
    nominated(
        "ARC", "E1", ("Money laundering", "Extradition"), frozenset({UNTOC, TIP})
    ),
    nominated("ARC", "E2", ("Firearms tracing",), frozenset({FIREARMS})),
)


def _ids(registry: Registry, **filters: Any) -> list[str]:
    return [x.expert_id for x in registry.experts(**filters)]


def test_the_roster_is_grouped_by_state_code_in_nomination_order() -> None:
    assert _ids(given(*ROSTER)) == ["E1", "E2", "E3"]


def test_the_roster_can_be_searched_by_party_in_any_case() -> None:
    assert _ids(given(*ROSTER), party="arc") == ["E1", "E2"]


def test_the_roster_can_be_searched_by_expertise_ignoring_case() -> None:
    assert _ids(given(*ROSTER), expertise="money") == ["E1", "E3"]
    assert _ids(given(*ROSTER), expertise="EXTRADITION") == ["E1"]
    assert _ids(given(*ROSTER), expertise="piracy") == []


def test_the_roster_can_be_searched_by_instrument() -> None:
    assert _ids(given(*ROSTER), instrument=FIREARMS) == ["E2"]
    assert _ids(given(*ROSTER), instrument=UNTOC) == ["E1", "E3"]
    assert _ids(given(*ROSTER), instrument=SOM) == []


def test_the_roster_can_be_searched_by_regional_group() -> None:
    assert _ids(given(*ROSTER), group=RegionalGroup.WEOG) == ["E3"]
    assert _ids(given(*ROSTER), group=RegionalGroup.GRULAC) == []


def test_roster_filters_combine() -> None:
    assert _ids(given(*ROSTER), party="ARC", instrument=UNTOC, expertise="money") == [
        "E1"
    ]
    assert _ids(given(*ROSTER), group=RegionalGroup.AFRICAN, instrument=UNTOC) == ["E1"]


def test_a_withdrawn_expert_leaves_the_roster() -> None:
    registry = given(
        *ROSTER,
        GovernmentalExpertWithdrawn(code="ARC", expert_id="E1", reason="retired"),
    )
    assert _ids(registry) == ["E2", "E3"]


def test_a_focal_point_remembers_the_version_it_was_appointed_at() -> None:
    registry = given(
        *ROSTER,
        FocalPointAppointed(
            code="ARC", name="Ann", email="ann@arc.example", expertise=""
        ),
    )
    focal = registry.entry("ARC").focal_point
    assert focal is not None
    assert (focal.name, focal.appointed_at) == ("Ann", len(ROSTER) + 1)


def test_circulations_are_kept_in_order_with_their_versions() -> None:
    registry = given(
        *ROSTER,
        ExpertListCirculated(
            circulated_on=dt.date(2026, 1, 5), expert_ids=frozenset({"E1"})
        ),
        ExpertListCirculated(
            circulated_on=dt.date(2026, 6, 5), expert_ids=frozenset({"E2"})
        ),
    )
    last = registry.last_circulation()
    assert last is not None
    assert (last.circulated_on, last.expert_ids, last.version) == (
        dt.date(2026, 6, 5),
        frozenset({"E2"}),
        len(ROSTER) + 2,
    )
    assert len(registry.circulations) == 2
    assert given().last_circulation() is None
