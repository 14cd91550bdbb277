"""The catalogue of normative provisions of resolution 5/5 (ToR, GL, BP, AX2, RES)."""

from __future__ import annotations

import enum
import functools
import importlib.resources
import tomllib

import attrs


class ProvisionKind(enum.StrEnum):
    """What the library must do about a provision."""

    RULE = "rule"
    DEADLINE = "deadline"
    RECORD = "record"
    OUTPUT = "output"
    ACCESS = "access"
    CONFIG = "config"
    CONDUCT = "conduct"


@attrs.frozen(kw_only=True)
class Provision:
    """One provision: its id (a scenario tag), its kind and a short paraphrase."""

    id: str
    kind: ProvisionKind
    says: str

    @property
    def needs_scenario(self) -> bool:
        """Every provision except guidance for people must be tested by a scenario."""
        return self.kind is not ProvisionKind.CONDUCT


@functools.cache
def provisions() -> dict[str, Provision]:
    """The catalogue shipped with the package, by id, in the catalogue's order."""
    text = (
        importlib.resources.files("untoc_core.rules")
        .joinpath("provisions.toml")
        .read_text(encoding="utf-8")
    )
    return {
        p["id"]: Provision(id=p["id"], kind=ProvisionKind(p["kind"]), says=p["says"])
        for p in tomllib.loads(text)["provision"]
    }
