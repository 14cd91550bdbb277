"""Meta-tests: every provision a scenario cites is in the catalogue of resolution 5/5.

A tag that looks like a provision id (``@ToR-21``, ``@RES-8d``, ``@AX2``, also
mis-cased as ``@tor-21``) must name a provision of ``untoc_core.rules.provisions()``,
which must itself match the shared specification, ``../shared/spec/provisions.yaml``.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import attrs
import pytest
from pytest_bdd.gherkin_parser import Scenario, Tag, get_gherkin_document

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


@attrs.frozen(kw_only=True)
class TagUse:
    """One tag written in a feature file."""

    path: Path
    line: int
    tag: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: @{self.tag}"


@attrs.frozen(kw_only=True)
class ScenarioTags:
    """A scenario and the tags it carries, its Rule's and its Feature's included."""

    path: Path
    line: int
    name: str
    tags: frozenset[str]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.name}"


def _names(tags: list[Tag]) -> frozenset[str]:
    return frozenset(t.name.removeprefix("@") for t in tags)


def _uses(path: Path, tags: list[Tag]) -> list[TagUse]:
    return [
        TagUse(path=path, line=t.location.line, tag=t.name.removeprefix("@"))
        for t in tags
    ]


def _scenario_uses(path: Path, scenario: Scenario) -> list[TagUse]:
    found = _uses(path, scenario.tags)
    for examples in scenario.examples:
        found += _uses(path, examples.tags)
    return found


def tag_uses(path: Path) -> list[TagUse]:
    """Every tag of a feature file: on the Feature, Rules, Scenarios and Examples."""
    feature = get_gherkin_document(str(path)).feature
    found = _uses(path, feature.tags)
    for child in feature.children:
        if child.rule is not None:
            found += _uses(path, child.rule.tags)
            for grandchild in child.rule.children:
                if grandchild.scenario is not None:
                    found += _scenario_uses(path, grandchild.scenario)
        if child.scenario is not None:
            found += _scenario_uses(path, child.scenario)
    return found


def scenario_tags(path: Path) -> list[ScenarioTags]:
    """Every scenario of a feature file with the tags pytest-bdd applies to it."""
    feature = get_gherkin_document(str(path)).feature
    outer = _names(feature.tags)
    pairs: list[tuple[frozenset[str], Scenario]] = []
    for child in feature.children:
        if child.rule is not None:
            rule_tags = outer | _names(child.rule.tags)
            pairs += [
                (rule_tags, c.scenario)
                for c in child.rule.children
                if c.scenario is not None
            ]
        if child.scenario is not None:
            pairs.append((outer, child.scenario))
    return [
        ScenarioTags(
            path=path,
            line=scenario.location.line,
            name=scenario.name,
            tags=inherited | _names(scenario.tags),
        )
        for inherited, scenario in pairs
    ]


def uncatalogued(
    paths: list[Path], catalogue: set[str], pattern: re.Pattern[str]
) -> list[str]:
    """The tags that look like a provision id but name none of ``catalogue``."""
    return [
        str(use)
        for path in paths
        for use in tag_uses(path)
        if pattern.match(use.tag) and use.tag not in catalogue
    ]


@pytest.fixture
def features(pytestconfig: pytest.Config) -> list[Path]:
    """The feature files of the project."""
    base = pytestconfig.rootpath / str(pytestconfig.getini("bdd_features_base_dir"))
    found = sorted(base.rglob("*.feature"))
    assert found, f"no feature file under {base}"
    return found


def test_provision_tags_name_catalogued_provisions(
    features: list[Path], provision_tag: re.Pattern[str]
) -> None:
    unknown = uncatalogued(features, set(provisions()), provision_tag)
    assert not unknown, "tags naming no provision of the catalogue:\n" + "\n".join(
        unknown
    )


def test_the_check_names_each_uncatalogued_provision_tag(
    tmp_path: Path, provision_tag: re.Pattern[str]
) -> None:
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
    found = uncatalogued([feature], set(provisions()), provision_tag)
    assert found == [
        f"{feature}:1: @AX3",
        f"{feature}:4: @tor-21",
        f"{feature}:7: @ToR-99",
        f"{feature}:14: @RES_8d",
    ]


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
def test_the_provision_tag_pattern(
    provision_tag: re.Pattern[str], tag: str, looks_like_a_provision: bool
) -> None:
    assert bool(provision_tag.match(tag)) is looks_like_a_provision


def test_every_scenario_cites_a_provision(
    features: list[Path], provision_tag: re.Pattern[str]
) -> None:
    silent = [
        str(s)
        for path in features
        for s in scenario_tags(path)
        if not any(provision_tag.match(t) for t in s.tags)
    ]
    assert not silent, "scenarios citing no provision:\n" + "\n".join(silent)


def test_scenario_names_are_unique_in_each_feature(features: list[Path]) -> None:
    # pytest-bdd keys a feature's scenarios by name: a repeated name hides a scenario.
    repeated = [
        f"{path}: {name!r} x{count}"
        for path in features
        for name, count in collections.Counter(
            s.name for s in scenario_tags(path)
        ).items()
        if count > 1
    ]
    assert not repeated, "\n".join(repeated)


def test_every_foundation_provision_is_cited(features: list[Path]) -> None:
    cited = {t for path in features for s in scenario_tags(path) for t in s.tags}
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
