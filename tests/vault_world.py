"""A vault on a real store, with fictional States, for tests of confidentiality.

Arcadia (ARC) is under review by Borduria (BRD) and Carpathia (CRP); Elbonia (ELB)
may replace a reviewer; Genovia (GNV) asks for the report; Dystopia (DYS) is under
review by Elbonia and Freedonia (FRD). Every State's focal point, the secretariat,
an auditor and the group of experts are registered principals with real keys.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from untoc_adapters.bootstrap import open_vault
from untoc_adapters.clock import SimulatedClock
from untoc_adapters.settings import Settings
from untoc_adapters.vault import Vault
from untoc_core.confidentiality import REVIEW_SCOPES, PrincipalKind

STATES = {
    "ARC": "Arcadia",
    "BRD": "Borduria",
    "CRP": "Carpathia",
    "DYS": "Dystopia",
    "ELB": "Elbonia",
    "FRD": "Freedonia",
    "GNV": "Genovia",
}
ARCADIA = "cycle-1/ARC"
DYSTOPIA = "cycle-1/DYS"
OTHERS = {
    "secretariat": PrincipalKind.SECRETARIAT,
    "auditor": PrincipalKind.AUDITOR,
    "expert-group": PrincipalKind.EXPERT_GROUP,
}


def registry_csv() -> str:
    """A registry file in which every fictional State is a party."""
    lines = ["iso3,name_en,untoc_status,un_regional_group,untoc_date"]
    lines += [f"{code},{name},party,,2003-09-29" for code, name in STATES.items()]
    return "\n".join(lines) + "\n"


@attrs.define
class World:
    """The vault and what the tests need to reach its files."""

    vault: Vault
    data_dir: Path
    clock: SimulatedClock

    def close(self) -> None:
        """Close the store."""
        self.vault.mechanism.store.close()


def open_world(data_dir: Path, *, store: str = "sqlite", store_url: str = "") -> World:
    """Open a vault in ``data_dir`` with the fictional States registered."""
    clock = SimulatedClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    settings = Settings(data_dir=data_dir, store=store, store_url=store_url)
    vault = open_vault(settings, clock)
    vault.mechanism.import_registry(registry_csv(), source="fictional-states.csv")
    for code in STATES:
        vault.register(code, PrincipalKind.STATE_FOCAL_POINT, code)
    for principal, kind in OTHERS.items():
        vault.register(principal, kind)
    return World(vault=vault, data_dir=data_dir, clock=clock)


def open_reviews(world: World) -> None:
    """Open every scope of Arcadia's and Dystopia's reviews."""
    for scope in REVIEW_SCOPES:
        world.vault.mechanism.open_scope(ARCADIA, scope, ["BRD", "CRP"])
        world.vault.mechanism.open_scope(DYSTOPIA, scope, ["ELB", "FRD"])
