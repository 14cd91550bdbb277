"""Scenarios of resolution 5/5: provision tags, the mechanism under test, shared steps.

Each Gherkin tag that names a provision (``@ToR-21``, ``@RES-8d``, ``@AX2``) becomes
the one registered marker ``provision``, so that the evidence for a provision can be
selected with ``pytest -m "provision(id='ToR-21')"``.

The States in the scenarios are fictional. A ``Given`` about a State writes that
State's row of a small registry file (the format of ``untoc_core.registry.reference``)
and imports it, so the registry says exactly what the scenario says and nothing else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator

import attrs
import pytest
from pytest_bdd import given, parsers, then

from untoc_adapters.clock import SimulatedClock
from untoc_adapters.coverage import PROVISION_TAG
from untoc_adapters.storage.memory import open_memory_store
from untoc_core import DomainError, Instrument, Mechanism, UntocError
from untoc_core.registry import LegalTradition

FICTIONAL_STATES = {
    "Arcadia": "ARC",
    "Borduria": "BRD",
    "Carpathia": "CRP",
    "Dystopia": "DYS",
    "Elbonia": "ELB",
    "Freedonia": "FRD",
    "Genovia": "GNV",
    "Latveria": "LTV",
    "Ruritania": "RUR",
    "Syldavia": "SYL",
    "Vulgaria": "VLG",
    "Zenda": "ZND",
    "Qumar": "QMR",
    "Wadiya": "WDY",
}
REGISTRY_COLUMNS = (
    "iso3",
    "name_en",
    "untoc_status",
    "un_regional_group",
    "tip",
    "som",
    "firearms",
    "untoc_date",
    "legal_tags_derived",
)
PARTY_SINCE = "2003-09-29"
"""When the fictional States became parties, unless a scenario says otherwise."""

_PROTOCOL_COLUMNS = {
    Instrument.TIP: "tip",
    Instrument.SOM: "som",
    Instrument.FIREARMS: "firearms",
}
_INSTRUMENT_PHRASES = (
    ("all three Protocols", frozenset(Instrument.protocols())),
    ("Convention", frozenset({Instrument.UNTOC})),
    ("Trafficking in Persons", frozenset({Instrument.TIP})),
    ("Smuggling of Migrants", frozenset({Instrument.SOM})),
    ("Firearms", frozenset({Instrument.FIREARMS})),
)
_INSTRUMENT_FILLER = re.compile(r"\b(?:the|and|Protocols?|only|no)\b|,")


# -- provision tags --------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "provision(id): the scenario is evidence for this provision of resolution 5/5 "
        "(select with -m \"provision(id='ToR-21')\")",
    )


def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> bool | None:
    """Turn a provision tag into ``provision(id)``; leave other tags to pytest-bdd.

    A provision-like tag missing from the catalogue is still marked, so that the
    meta-test in ``test_provision_tags.py`` can name it.
    """
    if not PROVISION_TAG.match(tag):
        return None
    pytest.mark.provision(tag, id=tag)(function)
    return True


# -- the mechanism under test ----------------------------------------------------------


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def mechanism(clock: SimulatedClock) -> Iterator[Mechanism]:
    """The mechanism on an empty in-memory event store."""
    store = open_memory_store()
    yield Mechanism(store, clock)
    store.close()


@attrs.define
class RegistryFile:
    """The rows of the fictional States, as the scenario has described them so far."""

    rows: dict[str, dict[str, str]] = attrs.Factory(dict)

    def describe(self, name: str, **cells: str) -> str:
        """Add ``cells`` to the row of ``name`` and return a file of that row alone."""
        row = self.rows.setdefault(name, {"iso3": code_of(name), "name_en": name})
        row.update(cells)
        return self.text(row)

    def text(self, *rows: dict[str, str]) -> str:
        """A registry file of ``rows``."""
        out = io.StringIO()
        writer = csv.DictWriter(out, REGISTRY_COLUMNS, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()


@pytest.fixture
def registry_file() -> RegistryFile:
    return RegistryFile()


@attrs.define
class Outcome:
    """What the command of a scenario's ``When`` led to.

    The versions of both streams, and the store's last position, are kept from just
    before the command, so that a refusal can be checked to have recorded nothing.
    """

    registry_version: int = 0
    conference_version: int = 0
    position: int = 0
    error: UntocError | None = None
    examined: bool = False

    def run(self, mechanism: Mechanism, command: Callable[[], object]) -> None:
        """Run ``command``, keeping a refusal instead of raising it."""
        self.registry_version = mechanism.registry().version
        self.conference_version = mechanism.conference().version
        self.position = mechanism.store.last_position()
        try:
            command()
        except UntocError as exc:
            self.error = exc

    def refusal(self) -> UntocError:
        """The refusal; fail if the command was accepted."""
        self.examined = True
        assert self.error is not None, "the command was accepted, not refused"
        return self.error


@pytest.fixture
def outcome() -> Iterator[Outcome]:
    """The outcome of the scenario's command; a refusal no step expected fails it."""
    found = Outcome()
    yield found
    if found.error is not None and not found.examined:
        pytest.fail(f"the command was refused unexpectedly: {found.error}")


# -- reading the resolution's words ----------------------------------------------------


def code_of(name: str) -> str:
    """The code of a fictional State."""
    assert name in FICTIONAL_STATES, f"{name!r} is not one of the fictional States"
    return FICTIONAL_STATES[name]


def names_in(text: str) -> list[str]:
    """``"Arcadia, Borduria and Carpathia"`` as a list of names."""
    return [n for n in re.split(r",\s*|\s+and\s+", text.strip()) if n]


def day_in(text: str) -> dt.date:
    """``"1 January 2026"`` as a date."""
    return dt.datetime.strptime(text.strip(), "%d %B %Y").date()  # noqa: DTZ007


def instruments_in(text: str) -> frozenset[Instrument]:
    """The instruments named in ``"the Convention and the Firearms Protocol"``."""
    found: set[Instrument] = set()
    rest = text
    for phrase, instruments in _INSTRUMENT_PHRASES:
        if phrase in rest:
            found |= instruments
            rest = rest.replace(phrase, " ")
    leftover = _INSTRUMENT_FILLER.sub(" ", rest).strip()
    assert not leftover, f"{leftover!r} in {text!r} names no instrument"
    return frozenset(found)


def traditions_in(text: str) -> frozenset[LegalTradition]:
    """``"civil law and Islamic law"`` as legal traditions (strictly)."""
    return frozenset(
        LegalTradition(n.casefold().replace(" ", "_"))
        for n in names_in(text.removeprefix("mixed, of "))
    )


def tradition_tags(text: str) -> str:
    """``"mixed, of civil law and Islamic law"`` as the registry file's tags.

    Unknown traditions are passed on as they are, for the registry to judge.
    """
    mixed = text.startswith("mixed, of ")
    tags = [
        n.casefold().replace(" ", "_")
        for n in names_in(text.removeprefix("mixed, of "))
    ]
    return ";".join([*tags, "mixed"] if mixed else tags)


# -- the registry says ... (ToR 8, 12, 13, 57) -----------------------------------------


def _import(mechanism: Mechanism, text: str) -> None:
    mechanism.import_registry(text, source="fictional-states.csv")


@given(parsers.parse("{name:w} is a State party to the Convention"))
def state_party(mechanism: Mechanism, registry_file: RegistryFile, name: str) -> None:
    _import(
        mechanism,
        registry_file.describe(name, untoc_status="party", untoc_date=PARTY_SINCE),
    )


@given(parsers.parse("{names} are States parties to the Convention"))
def states_parties(
    mechanism: Mechanism, registry_file: RegistryFile, names: str
) -> None:
    for name in names_in(names):
        state_party(mechanism, registry_file, name)


@given(parsers.parse("{name:w} is a State party to the Convention and to {protocols}"))
def state_party_to_protocols(
    mechanism: Mechanism, registry_file: RegistryFile, name: str, protocols: str
) -> None:
    bound = instruments_in(protocols)
    assert Instrument.UNTOC not in bound, "name only Protocols here"
    cells = {
        column: "party" if protocol in bound else ""
        for protocol, column in _PROTOCOL_COLUMNS.items()
    }
    _import(
        mechanism,
        registry_file.describe(
            name, untoc_status="party", untoc_date=PARTY_SINCE, **cells
        ),
    )


@given(
    parsers.parse(
        "{name:w} is a State party to the Convention and to {protocols}, "
        "and {other:w} to the Convention only"
    )
)
def two_states_parties(
    mechanism: Mechanism,
    registry_file: RegistryFile,
    name: str,
    protocols: str,
    other: str,
) -> None:
    state_party_to_protocols(mechanism, registry_file, name, protocols)
    state_party(mechanism, registry_file, other)


@given(
    parsers.parse(
        "{names} are States parties to the Convention, and {other:w} a signatory"
    )
)
def parties_and_a_signatory(
    mechanism: Mechanism, registry_file: RegistryFile, names: str, other: str
) -> None:
    states_parties(mechanism, registry_file, names)
    signatory(mechanism, registry_file, other)


@given(parsers.parse("{name:w} is a signatory of the Convention"))
def signatory(mechanism: Mechanism, registry_file: RegistryFile, name: str) -> None:
    _import(mechanism, registry_file.describe(name, untoc_status="signatory"))


@given(parsers.parse("{name:w} is a signatory of the Convention and of {protocols}"))
def signatory_of_protocols(
    mechanism: Mechanism, registry_file: RegistryFile, name: str, protocols: str
) -> None:
    signed = instruments_in(protocols)
    cells = {
        column: "signatory" if protocol in signed else ""
        for protocol, column in _PROTOCOL_COLUMNS.items()
    }
    _import(mechanism, registry_file.describe(name, untoc_status="signatory", **cells))


@given(parsers.parse("{name:w} is a State party in the group of {group}"))
def state_party_in_group(
    mechanism: Mechanism, registry_file: RegistryFile, name: str, group: str
) -> None:
    _import(
        mechanism,
        registry_file.describe(
            name,
            untoc_status="party",
            untoc_date=PARTY_SINCE,
            un_regional_group=group,
        ),
    )


@given(
    parsers.re(
        r"(?P<name>\w+) is a State party whose legal system (?:is|combines) "
        r"(?P<traditions>.+)"
    )
)
def state_party_with_traditions(
    mechanism: Mechanism, registry_file: RegistryFile, name: str, traditions: str
) -> None:
    _import(
        mechanism,
        registry_file.describe(
            name,
            untoc_status="party",
            untoc_date=PARTY_SINCE,
            legal_tags_derived=tradition_tags(traditions),
        ),
    )


@given(parsers.parse("{name:w} became a State party to the Convention on {day}"))
def state_party_since(
    mechanism: Mechanism, registry_file: RegistryFile, name: str, day: str
) -> None:
    _import(
        mechanism,
        registry_file.describe(
            name, untoc_status="party", untoc_date=day_in(day).isoformat()
        ),
    )


# -- refusals --------------------------------------------------------------------------


@then(parsers.parse("the {command} is refused citing {provision}"))
def refused_citing(
    mechanism: Mechanism, outcome: Outcome, command: str, provision: str
) -> None:
    """The refusal names the provision, and nothing was recorded on any stream."""
    error = outcome.refusal()
    assert isinstance(error, DomainError), f"not a refusal under a provision: {error!r}"
    assert error.provision == provision, str(error)
    assert str(error).startswith(f"[{provision}] "), str(error)
    assert mechanism.registry().version == outcome.registry_version
    assert mechanism.conference().version == outcome.conference_version
    assert mechanism.store.last_position() == outcome.position
