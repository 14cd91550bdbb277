"""A mechanism ready for the recorded drawing of lots, for the tests.

Fictional States in two regional groups and one signatory, a cycle established by
the Conference, a governmental expert for each State party on a circulated list, and
the seed ceremony a recorded draw runs on: the unit tests, the command-line tests
and the scenarios build on these.
"""

from __future__ import annotations

import datetime as dt

from untoc_adapters.clock import SimulatedClock
from untoc_core import Mechanism
from untoc_core.conference import (
    Decision,
    DefineThematicCluster,
    EstablishCycle,
    EstablishPhase,
)
from untoc_core.drawing.ceremony import AnnounceDraw, FixSeed, PublishedSeed
from untoc_core.instruments import ArticleRef
from untoc_core.registry import NominateGovernmentalExpert
from untoc_core.terms import Instrument

DECISION = Decision(symbol="decision 1/1", adopted_on=dt.date(2025, 10, 17))
START = dt.date(2026, 1, 1)
"""The first day of cycle 1."""
CIRCULATED = dt.date(2025, 12, 1)
"""The day the list of governmental experts is circulated, before the cycle."""
GROUPS = {
    "African States": ("ARC", "BRD", "CRP", "DYS", "ELB", "FRD", "KGA", "KGB"),
    "Eastern European States": ("GNV", "LTV", "RUR", "SYL", "VLG", "ZND", "KGC"),
}
"""The fictional States parties, by regional group; WDY is a signatory."""


def registry_csv(extra: str = "") -> str:
    """A registry file: the States of ``GROUPS``, the signatory WDY, then ``extra``."""
    rows = "".join(
        f"{code},{code.title()},party,{group},2003-09-29\n"
        for group, codes in GROUPS.items()
        for code in codes
    )
    return (
        "iso3,name_en,untoc_status,un_regional_group,untoc_date\n"
        + rows
        + "WDY,Wadiya,signatory,African States,\n"
        + extra
    )


def establish_cycle(
    mechanism: Mechanism,
    *,
    starts_on: dt.date = START,
    years: int = 2,
    per_year: tuple[int, ...] = (),
    decision: Decision = DECISION,
) -> None:
    """The Conference's decisions that establish cycle 1 (and its phase, its scope)."""
    mechanism.record_conference(
        [
            DefineThematicCluster(
                cluster_id="criminalization",
                title="Criminalization",
                articles=(ArticleRef.parse("UNTOC 5"),),
                decision=decision,
            ),
            EstablishPhase(phase=1, title="First review phase", decision=decision),
            EstablishCycle(
                phase=1,
                cycle=1,
                starts_on=starts_on,
                years=years,
                clusters=("criminalization",),
                parties_per_year=per_year,
                decision=decision,
            ),
        ]
    )


def expert_id(code: str) -> str:
    """The id of the one governmental expert :func:`nominate_expert` nominates."""
    return f"{code}-1"


def nominate_expert(mechanism: Mechanism, code: str, name: str = "") -> None:
    """Nominate one governmental expert of the State ``code``."""
    mechanism.nominate_expert(
        NominateGovernmentalExpert(
            code=code,
            expert_id=expert_id(code),
            name=f"Expert of {name or code}",
            background="public prosecutor",
            position="senior prosecutor",
            offices="central authority",
            expertise=("organized crime",),
            instruments=frozenset({Instrument.UNTOC}),
        )
    )


def prepare(mechanism: Mechanism) -> Mechanism:
    """The registry of ``registry_csv()``, cycle 1 of two years, a circulated list."""
    mechanism.import_registry(registry_csv(), source="states.csv")
    establish_cycle(mechanism)
    for codes in GROUPS.values():
        for code in codes:
            nominate_expert(mechanism, code)
    mechanism.circulate_expert_list(on=CIRCULATED)
    return mechanism


def announce(
    mechanism: Mechanism, clock: SimulatedClock, draw_id: str, digest: str = ""
) -> str:
    """Announce a draw with a public value due in a day; return the value's name.

    The inputs' hash is the draw's own (``draw_inputs``) unless ``digest`` is given.
    """
    name = f"beacon value for {draw_id}"
    mechanism.announce_draw(
        AnnounceDraw(
            draw_id=draw_id,
            inputs_sha256=digest or mechanism.draw_inputs(draw_id).sha256,
            source=PublishedSeed(name=name, due=clock.now() + dt.timedelta(days=1)),
        )
    )
    return name


def fix(mechanism: Mechanism, clock: SimulatedClock, draw_id: str, name: str) -> None:
    """Wait until the announced value is due, and fix the draw's seed from it."""
    clock.advance(dt.timedelta(days=2))
    mechanism.fix_seed(
        FixSeed(draw_id=draw_id, value_name=name, value=f"published for {draw_id}")
    )


def hold_ceremony(
    mechanism: Mechanism, clock: SimulatedClock, draw_id: str, digest: str = ""
) -> None:
    """Announce a draw and fix its seed."""
    fix(mechanism, clock, draw_id, announce(mechanism, clock, draw_id, digest))
