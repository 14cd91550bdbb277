"""A vault with open country reviews, for the tests of the self-assessment checklist.

Arcadia (ARC) is party to the Convention and the Trafficking in Persons Protocol,
Borduria (BRD) and Carpathia (CRP) to the Convention only, and Wadiya (WDY) is a
signatory. Cycle 1 covers two clusters (UNTOC 5, UNTOC 6, TIP 5, SOM 6; UNTOC 9),
cycle 2 one (UNTOC 24, TIP 6). Reviews are opened as the drawing of lots would
open them; every State's focal point and the secretariat hold real keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from tests.vault_world import OTHERS, World
from untoc_adapters.bootstrap import open_vault
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.settings import Settings
from untoc_core.conference import (
    Decision,
    DefineThematicCluster,
    EstablishCycle,
    EstablishPhase,
)
from untoc_core.confidentiality import REVIEW_SCOPES, PrincipalKind
from untoc_core.instruments import ArticleRef
from untoc_core.ports import NewEvents
from untoc_core.reviews import events as ev

NOW = dt.datetime(2028, 3, 1, 9, 0, tzinfo=dt.UTC)
DECISION = Decision(symbol="decision 1/1", adopted_on=dt.date(2025, 10, 17))
STATES = {"ARC": "Arcadia", "BRD": "Borduria", "CRP": "Carpathia", "WDY": "Wadiya"}
REGISTRY = (
    "iso3,name_en,untoc_status,un_regional_group,untoc_date,tip\n"
    "ARC,Arcadia,party,,2003-09-29,party\n"
    "BRD,Borduria,party,,2003-09-29,\n"
    "CRP,Carpathia,party,,2003-09-29,\n"
    "WDY,Wadiya,signatory,,,\n"
)
CYCLE_1 = {
    "criminalization": ("UNTOC 5", "UNTOC 6", "TIP 5", "SOM 6"),
    "prevention": ("UNTOC 9",),
}
CYCLE_2 = {"victims-and-witnesses": ("UNTOC 24", "TIP 6")}


def open_checklist_world(
    data_dir: Path, *, registry: str = REGISTRY, states: Iterable[str] = STATES
) -> World:
    """A vault in ``data_dir`` with the States, their keys and two cycles."""
    clock = SimulatedClock(NOW)
    vault = open_vault(Settings(data_dir=data_dir, store="sqlite"), clock)
    mechanism = vault.mechanism
    mechanism.import_registry(registry, source="fictional-states.csv")
    for code in states:
        vault.register(code, PrincipalKind.STATE_FOCAL_POINT, code)
    for principal, kind in OTHERS.items():
        vault.register(principal, kind)
    clusters = [
        DefineThematicCluster(
            cluster_id=cid,
            title=cid.replace("-", " ").capitalize(),
            articles=tuple(ArticleRef.parse(a) for a in refs),
            decision=DECISION,
        )
        for cid, refs in {**CYCLE_1, **CYCLE_2}.items()
    ]
    mechanism.record_conference(
        [
            *clusters,
            EstablishPhase(phase=1, title="First review phase", decision=DECISION),
            EstablishCycle(
                phase=1,
                cycle=1,
                starts_on=dt.date(2026, 1, 1),
                years=2,
                clusters=tuple(CYCLE_1),
                parties_per_year=(),
                decision=DECISION,
            ),
            EstablishPhase(phase=2, title="Second review phase", decision=DECISION),
            EstablishCycle(
                phase=2,
                cycle=2,
                starts_on=dt.date(2028, 1, 1),
                years=2,
                clusters=tuple(CYCLE_2),
                parties_per_year=(),
                decision=DECISION,
            ),
        ]
    )
    return World(vault=vault, data_dir=data_dir, clock=clock)


def open_review(
    world: World,
    review: str,
    reviewers: tuple[str, str] = ("BRD", "CRP"),
    *,
    notified: dt.date = dt.date(2026, 2, 2),
) -> None:
    """Open ``review`` as a draw would, notify it, and open its scopes."""
    mechanism = world.vault.mechanism
    cycle, code = review.removeprefix("cycle-").split("/")
    drawn_on = dt.date(2026 + 2 * (int(cycle) - 1), 1, 5)
    opened = ev.ReviewOpened(
        review=review,
        cycle=int(cycle),
        year=1,
        party_under_review=code,
        reviewers=reviewers,
        drawn_on=drawn_on,
    )
    mechanism.store.append(
        NewEvents(stream=ev.stream_of(review), expected_version=0, events=(opened,)),
        recorded_at=world.clock.now(),
        actor="secretariat",
    )
    notified = max(notified, drawn_on)
    mechanism.record_step(
        review,
        ev.OfficiallyNotified(on=notified, start_date=notified, schedule=()),
        actor="secretariat",
    )
    for scope in REVIEW_SCOPES:
        mechanism.open_scope(review, scope, list(reviewers))
