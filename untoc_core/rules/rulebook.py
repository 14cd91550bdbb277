"""A rulebook: the numbers and lists of a resolution, read from a TOML file.

The default is resolution 5/5 (``resolution-5-5.toml`` beside this module). Another
rulebook of the same shape can be loaded with :meth:`Rulebook.from_toml` without any
code change.
"""

from __future__ import annotations

import enum
import functools
import importlib.resources
import tomllib
from typing import Any

import attrs

from untoc_core.dates import Period
from untoc_core.errors import InvalidInput
from untoc_core.instruments import ArticleRef, article_catalogue
from untoc_core.terms import Language


@attrs.frozen(kw_only=True)
class DrawRules:
    """Constraints on the drawing of lots (ToR 14, 18-21)."""

    reviewers_per_party: int
    same_region_reviewers: int
    min_reviews_per_cycle: int
    max_reviews_per_cycle: int
    max_redraws: int
    max_experts_per_party: int
    mutual_reviews: bool


class DeadlineStrength(enum.StrEnum):
    """How firmly a provision words its period (every timeline is indicative, GL-9).

    ``WITHIN`` is a plain "within" (GL-12: "within one month after the drawing of
    lots"); ``PREFERABLY`` and ``IDEALLY`` are the softer words of GL-30 ("preferably
    within five months") and of GL-23 and ToR-24 ("ideally"). The strength is
    reported beside a deadline; it never changes how the due date is computed.
    """

    WITHIN = "within"
    PREFERABLY = "preferably"
    IDEALLY = "ideally"


@attrs.frozen(kw_only=True)
class DeadlineRule:
    """A step that is due a period after another recorded step.

    Attributes:
        provision: The provision id that sets the period, such as ``GL-15a``.
        step: The step that is due.
        after: The recorded step the period runs from.
        period: How long after ``after`` the step is due.
        strength: How firmly the provision words the period.
    """

    provision: str
    step: str
    after: str
    period: Period
    strength: DeadlineStrength = DeadlineStrength.WITHIN


@attrs.frozen(kw_only=True)
class ClusterSpec:
    """A thematic cluster of articles (RES 8(d), AX2)."""

    id: str
    title: str
    articles: tuple[ArticleRef, ...]


@attrs.frozen(kw_only=True)
class CycleSpec:
    """One cycle of the default thematic distribution (AX2)."""

    number: int
    years: int
    clusters: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Rulebook:
    """Everything numeric or listed in a resolution that the mechanism obeys."""

    id: str
    title: str
    languages: tuple[Language, ...]
    draw: DrawRules
    deadlines: tuple[DeadlineRule, ...]
    cycles: tuple[CycleSpec, ...]
    clusters: tuple[ClusterSpec, ...]

    @classmethod
    def from_toml(cls, text: str) -> Rulebook:
        """Parse a rulebook; raise ``InvalidInput`` naming the first bad key."""
        try:
            data = tomllib.loads(text)
            return cls._from_dict(data)
        except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
            msg = f"the rulebook cannot be read: {type(exc).__name__}: {exc}"
            raise InvalidInput(msg) from exc

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Rulebook:
        clusters = tuple(
            ClusterSpec(
                id=c["id"],
                title=c["title"],
                articles=tuple(ArticleRef.parse(a) for a in c["articles"]),
            )
            for c in data.get("cluster", [])
        )
        _check_clusters(clusters)
        known = {c.id for c in clusters}
        cycles = tuple(
            CycleSpec(
                number=c["number"], years=c["years"], clusters=tuple(c["clusters"])
            )
            for c in data.get("cycle", [])
        )
        for cycle in cycles:
            for cid in cycle.clusters:
                if cid not in known:
                    msg = f"cycle {cycle.number} names unknown cluster {cid!r}"
                    raise ValueError(msg)
        return cls(
            id=data["id"],
            title=data["title"],
            languages=tuple(Language(x) for x in data["languages"]),
            draw=_draw_rules(data["draw"]),
            deadlines=tuple(
                DeadlineRule(
                    provision=d["provision"],
                    step=d["step"],
                    after=d["after"],
                    period=Period(**d["period"]),
                    strength=DeadlineStrength(
                        d.get("strength", DeadlineStrength.WITHIN.value)
                    ),
                )
                for d in data.get("deadline", [])
            ),
            cycles=cycles,
            clusters=clusters,
        )

    def cluster(self, cluster_id: str) -> ClusterSpec:
        """The cluster with this id; ``InvalidInput`` if the rulebook has none."""
        for c in self.clusters:
            if c.id == cluster_id:
                return c
        msg = f"the rulebook has no thematic cluster {cluster_id!r}"
        raise InvalidInput(msg)

    def deadline(self, provision: str) -> DeadlineRule:
        """The deadline rule for a provision id such as ``GL-15a``."""
        for d in self.deadlines:
            if d.provision == provision:
                return d
        msg = f"the rulebook has no deadline for {provision!r}"
        raise InvalidInput(msg)


def _draw_rules(values: dict[str, Any]) -> DrawRules:
    """Draw constraints, each a whole number (``mutual_reviews`` a boolean)."""
    for key, value in values.items():
        if key == "mutual_reviews":
            if not isinstance(value, bool):
                msg = f"draw.{key} must be true or false"
                raise ValueError(msg)
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            msg = f"draw.{key} must be a whole number, not {value!r}"
            raise ValueError(msg)
    return DrawRules(**values)


def _check_clusters(clusters: tuple[ClusterSpec, ...]) -> None:
    """Cluster ids are unique; each names existing articles, each in one cluster."""
    catalogue = article_catalogue()
    owner: dict[ArticleRef, str] = {}
    ids: set[str] = set()
    for cluster in clusters:
        if cluster.id in ids:
            msg = f"cluster {cluster.id!r} is defined twice"
            raise ValueError(msg)
        ids.add(cluster.id)
        for ref in cluster.articles:
            if ref not in catalogue:
                msg = f"cluster {cluster.id!r} names {ref}, which does not exist"
                raise ValueError(msg)
            if ref in owner:
                msg = f"{ref} is in clusters {owner[ref]!r} and {cluster.id!r}"
                raise ValueError(msg)
            owner[ref] = cluster.id


@functools.cache
def default_rulebook() -> Rulebook:
    """The rulebook of resolution 5/5, shipped with the package."""
    text = (
        importlib.resources.files("untoc_core.rules")
        .joinpath("resolution-5-5.toml")
        .read_text(encoding="utf-8")
    )
    return Rulebook.from_toml(text)
