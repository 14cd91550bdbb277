"""Which Gherkin scenarios test which provisions of resolution 5/5.

Reads ``.feature`` files with the official Gherkin parser. A scenario carries the
tags written on it, on its ``Rule:`` and on its ``Feature:``; a tag naming a
provision (``@ToR-21``) says that the scenario tests that provision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
from gherkin.errors import CompositeParserException, ParserException
from gherkin.parser import Parser
from gherkin.token_scanner import TokenScanner

from untoc_core.errors import InvalidInput
from untoc_core.rules.provisions import Provision

PROVISION_TAG = re.compile(r"^(?i:ToR|GL|BP|RES|AX)(?=[-_\d]|$)[-\w]*$")
"""What a tag naming a provision looks like, whether or not the catalogue has it
(mis-cased or mis-punctuated ones such as ``@tor-21`` or ``@RES_8d`` included)."""


@attrs.frozen(kw_only=True)
class TaggedScenario:
    """One scenario and every tag that applies to it."""

    file: str
    line: int
    name: str
    tags: frozenset[str]
    steps: int
    """Steps a run of it takes, those of its Backgrounds included."""

    @property
    def label(self) -> str:
        """``file:line: name``, for reports."""
        return f"{self.file}:{self.line}: {self.name}"


@attrs.frozen(kw_only=True)
class Coverage:
    """Scenarios per provision, and the provisions no scenario tests yet."""

    covered: dict[str, tuple[TaggedScenario, ...]]
    uncovered: tuple[str, ...]
    unknown_tags: dict[str, tuple[TaggedScenario, ...]]
    """Provision-like tags that the catalogue does not know."""

    def to_json(self) -> dict[str, Any]:
        """A plain dictionary for ``--json`` output."""
        return {
            "required": len(self.covered) + len(self.uncovered),
            "covered_count": len(self.covered),
            "covered": {k: [s.label for s in v] for k, v in self.covered.items()},
            "uncovered": list(self.uncovered),
            "unknown_tags": {
                k: [s.label for s in v] for k, v in self.unknown_tags.items()
            },
        }


def scan_features(folder: Path) -> list[TaggedScenario]:
    """Parse every ``*.feature`` file below ``folder``.

    Raises:
        InvalidInput: the folder is missing, or a file is not valid Gherkin.
    """
    if not folder.is_dir():
        msg = f"{folder} is not a folder of .feature files"
        raise InvalidInput(msg)
    found: list[TaggedScenario] = []
    for path in sorted(folder.rglob("*.feature")):
        found.extend(scan_feature_file(path))
    return found


def scan_feature_file(path: Path) -> list[TaggedScenario]:
    """Parse one ``.feature`` file; ``InvalidInput`` if it is not valid Gherkin."""
    try:
        document = Parser().parse(TokenScanner(path.read_text(encoding="utf-8")))
    except (ParserException, CompositeParserException) as exc:
        msg = f"{path}: not valid Gherkin: {exc}"
        raise InvalidInput(msg) from exc
    parsed: dict[str, Any] = dict(document)
    feature: Mapping[str, Any] | None = parsed.get("feature")
    if not feature:
        return []
    return list(_scenarios(feature, path.as_posix(), frozenset(), 0))


def _tags(node: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(t["name"].lstrip("@") for t in node.get("tags", []))


def _scenarios(
    node: Mapping[str, Any], file: str, inherited: frozenset[str], before: int
) -> Iterable[TaggedScenario]:
    tags = inherited | _tags(node)
    children = node.get("children", [])
    background = sum(
        len(c["background"]["steps"]) for c in children if "background" in c
    )
    for child in children:
        if "rule" in child:
            yield from _scenarios(child["rule"], file, tags, before + background)
        elif "scenario" in child:
            scenario = child["scenario"]
            example_tags = frozenset(
                t for ex in scenario.get("examples", []) for t in _tags(ex)
            )
            yield TaggedScenario(
                file=file,
                line=scenario["location"]["line"],
                name=scenario["name"],
                tags=tags | _tags(scenario) | example_tags,
                steps=before + background + len(scenario["steps"]),
            )


def coverage(
    catalogue: Mapping[str, Provision], scenarios: Iterable[TaggedScenario]
) -> Coverage:
    """Match scenarios to the provisions that need one (every kind but ``conduct``)."""
    by_tag: dict[str, list[TaggedScenario]] = {}
    for scenario in scenarios:
        for tag in scenario.tags:
            by_tag.setdefault(tag, []).append(scenario)
    needed = [p.id for p in catalogue.values() if p.needs_scenario]
    return Coverage(
        covered={p: tuple(by_tag[p]) for p in needed if p in by_tag},
        uncovered=tuple(p for p in needed if p not in by_tag),
        unknown_tags={
            t: tuple(s)
            for t, s in sorted(by_tag.items())
            if PROVISION_TAG.match(t) and t not in catalogue
        },
    )
