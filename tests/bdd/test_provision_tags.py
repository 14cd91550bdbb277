"""Meta-tests: every provision a scenario cites is in the catalogue of resolution 5/5.

A tag that looks like a provision id (``@ToR-21``, ``@RES-8d``, ``@AX2``, also
mis-cased as ``@tor-21``) must name a provision of ``untoc_core.rules.provisions()``,
which must itself match the shared specification, ``../shared/spec/provisions.yaml``.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

from untoc_adapters.coverage import PROVISION_TAG, TaggedScenario, scan_feature_file
from untoc_core.rules import provisions

FOUNDATION = (
    "ToR-8",
    "ToR-9",
    "ToR-10",
    "ToR-12",
    "ToR-13c",
    "ToR-17",
    "ToR-21",
    "ToR-45",
    "ToR-57",
    "RES-8d",
    "RES-8e",
    "AX2",
)
"""The provisions of the "Foundation" issue: each is cited by at least one scenario."""

_SPEC_ENTRY = re.compile(r"^- \{id: (?P<id>[^,\s]+), kind: (?P<kind>\w+), says: ")


def scenarios_of(paths: list[Path]) -> list[TaggedScenario]:
    """Every scenario of the given feature files, with the tags that apply to it."""
    return [s for path in paths for s in scan_feature_file(path)]


def uncatalogued(paths: list[Path], catalogue: set[str]) -> set[str]:
    """The tags that look like a provision id but name none of ``catalogue``."""
    return {
        t
        for s in scenarios_of(paths)
        for t in s.tags
        if PROVISION_TAG.match(t) and t not in catalogue
    }


@pytest.fixture
def features(pytestconfig: pytest.Config) -> list[Path]:
    """The feature files of the project."""
    base = pytestconfig.rootpath / str(pytestconfig.getini("bdd_features_base_dir"))
    found = sorted(base.rglob("*.feature"))
    assert found, f"no feature file under {base}"
    return found


def test_provision_tags_name_catalogued_provisions(features: list[Path]) -> None:
    unknown = uncatalogued(features, set(provisions()))
    assert not unknown, f"tags naming no provision of the catalogue: {sorted(unknown)}"


def test_the_check_names_each_uncatalogued_provision_tag(tmp_path: Path) -> None:
    feature = tmp_path / "made-up.feature"
    feature.write_text(
        "@AX3\n"
        "Feature: Made up\n"
        "\n"
        "  @tor-21 @wip\n"
        "  Rule: A rule\n"
        "\n"
        "    @ToR-21 @ToR-99\n"
        "    Example: An example\n"
        "      Given a step\n"
        "\n"
        "  Scenario Outline: An outline\n"
        "    Given <a>\n"
        "\n"
        "    @RES_8d\n"
        "    Examples:\n"
        "      | a |\n"
        "      | b |\n",
        encoding="utf-8",
    )
    found = uncatalogued([feature], set(provisions()))
    assert found == {"AX3", "tor-21", "ToR-99", "RES_8d"}


@pytest.mark.parametrize(
    ("tag", "looks_like_a_provision"),
    [
        ("ToR-21", True),
        ("ToR-13c", True),
        ("RES-8e", True),
        ("AX2", True),
        ("BP-IVA", True),
        ("GL-15a", True),
        ("tor-21", True),
        ("ToR21", True),
        ("resilience", False),
        ("axis", False),
        ("global", False),
        ("postgres", False),
    ],
)
def test_the_provision_tag_pattern(tag: str, looks_like_a_provision: bool) -> None:
    assert bool(PROVISION_TAG.match(tag)) is looks_like_a_provision


def test_every_scenario_cites_a_provision(features: list[Path]) -> None:
    silent = [
        s.label
        for s in scenarios_of(features)
        if not any(PROVISION_TAG.match(t) for t in s.tags)
    ]
    assert not silent, "scenarios citing no provision:\n" + "\n".join(silent)


def test_every_scenario_takes_three_to_five_steps(features: list[Path]) -> None:
    # Backgrounds count: they run before each scenario.
    wrong = [
        f"{s.label} ({s.steps} steps)"
        for s in scenarios_of(features)
        if not 3 <= s.steps <= 5
    ]
    assert not wrong, "scenarios outside 3-5 steps:\n" + "\n".join(wrong)


def test_scenario_names_are_unique_in_each_feature(features: list[Path]) -> None:
    # pytest-bdd keys a feature's scenarios by name: a repeated name hides a scenario.
    repeated = [
        f"{path}: {name!r} x{count}"
        for path in features
        for name, count in collections.Counter(
            s.name for s in scan_feature_file(path)
        ).items()
        if count > 1
    ]
    assert not repeated, "\n".join(repeated)


def test_every_foundation_provision_is_cited(features: list[Path]) -> None:
    cited = {t for s in scenarios_of(features) for t in s.tags}
    assert set(FOUNDATION) <= set(provisions())
    missing = [p for p in FOUNDATION if p not in cited]
    assert not missing, f"no scenario cites {', '.join(missing)}"


def test_provision_markers_name_catalogued_provisions(
    request: pytest.FixtureRequest,
) -> None:
    marks = [
        (item.nodeid, mark)
        for item in request.session.items
        for mark in item.iter_markers("provision")
    ]
    if not marks:
        pytest.skip("no scenario was collected in this run")
    catalogue = provisions()
    wrong = [
        f"{nodeid}: {mark}"
        for nodeid, mark in marks
        if mark.args != (mark.kwargs.get("id"),) or mark.kwargs["id"] not in catalogue
    ]
    assert not wrong, "\n".join(wrong)


def test_the_catalogue_matches_the_shared_specification(
    pytestconfig: pytest.Config,
) -> None:
    spec = pytestconfig.rootpath.parent / "shared" / "spec" / "provisions.yaml"
    if not spec.is_file():
        pytest.skip(f"the shared specification is not at {spec}")
    lines = spec.read_text(encoding="utf-8").splitlines()
    entries = [m for line in lines if (m := _SPEC_ENTRY.match(line))]
    listed = [line for line in lines if line.startswith("- ")]
    assert len(entries) == len(listed), "an entry of the specification was not read"
    assert entries, f"no provision read from {spec}"
    specified = {m["id"]: m["kind"] for m in entries}
    assert len(specified) == len(entries), "the specification repeats an id"
    catalogue = {p.id: p.kind.value for p in provisions().values()}
    assert sorted(catalogue) == sorted(specified)
    assert catalogue == specified
