"""The inputs of the recorded draws, their SHA-256, and what makes a registry stale.

A draw's seed is derived from the SHA-256 of every input of the draw, announced
before the seed exists (ToR 5; see :mod:`untoc_core.drawing.randomness`). For the
draws the mechanism records, that hash is computed here, by one function per kind of
draw, both when the draw is announced (``untoc draw announce``) and when it is run;
if any input changed in between, the two hashes differ and the draw is refused.

The inputs are a JSON document, hashed as canonical JSON (sorted keys, no spaces,
UTF-8):

* the review years of a cycle (``cycle-<n>/years``): the method, the draw id, the
  cycle, its first day, its years and the Conference's numbers per year, the
  registry version the pool was read at, the rules, and every State of the pool with
  its regional group, legal traditions, Protocols and status;
* the reviewers of a year (``cycle-<n>/year-<y>/reviewers``): the method, the draw
  id, the cycle and year, the hash of the review years' inputs (which covers the
  pool), the registry version and the list of governmental experts relied on, the
  review years after deferrals, every slot already filled, the States that do not
  serve that year and why, and the rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from typing import Any

import attrs

from untoc_core.drawing.events import ServingExclusion
from untoc_core.drawing.model import CycleDraws
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.randomness import canon, sha256_hex
from untoc_core.registry.model import Circulation, Registry
from untoc_core.registry.reference import reference_snapshot
from untoc_core.rules.rulebook import Rulebook

METHOD = "untoc-draw-method/1"
"""The version of the method of the recorded draws: the shuffle of the review years,
the exact sets of candidates, the preference for a similar legal system and the
treatment of repeated draws (ADR 0005). A change of method is a new version."""

_YEARS_ID = re.compile(r"^cycle-([1-9][0-9]*)/years$")
_REVIEWERS_ID = re.compile(r"^cycle-([1-9][0-9]*)/year-([1-9][0-9]*)/reviewers$")


@attrs.frozen(kw_only=True)
class DrawInputs:
    """The inputs of a recorded draw, as a JSON document, and their SHA-256."""

    draw_id: str
    document: dict[str, Any]
    sha256: str


def years_draw_id(cycle: int) -> str:
    """The draw id of the review years of ``cycle``: ``cycle-<n>/years``."""
    return f"cycle-{cycle}/years"


def reviewers_draw_id(cycle: int, year: int) -> str:
    """The draw id of a year's reviewers: ``cycle-<n>/year-<y>/reviewers``."""
    return f"cycle-{cycle}/year-{year}/reviewers"


def parse_draw_id(draw_id: str) -> tuple[int, int | None] | None:
    """``(cycle, None)`` for a years draw, ``(cycle, year)`` for a reviewers draw.

    ``None`` if the draw id names no draw the mechanism records.
    """
    found = _YEARS_ID.match(draw_id)
    if found:
        return int(found[1]), None
    found = _REVIEWERS_ID.match(draw_id)
    if found:
        return int(found[1]), int(found[2])
    return None


def party_json(party: DrawParty) -> dict[str, Any]:
    """A State of the pool as the inputs list it (lists sorted)."""
    return {
        "code": party.code,
        "regional_group": party.regional_group,
        "legal_traditions": sorted(party.legal_traditions),
        "protocols": sorted(p.value for p in party.protocols),
        "status": party.status.value,
    }


def rules_json(rulebook: Rulebook) -> dict[str, Any]:
    """The rules a draw keeps, as the inputs list them."""
    rules = rulebook.draw
    return {
        "rulebook": rulebook.id,
        "reviewers_per_party": rules.reviewers_per_party,
        "same_region_reviewers": rules.same_region_reviewers,
        "min_reviews_per_cycle": rules.min_reviews_per_cycle,
        "max_reviews_per_cycle": rules.max_reviews_per_cycle,
        "max_redraws": rules.max_redraws,
        "mutual_reviews": rules.mutual_reviews,
    }


def _inputs(draw_id: str, document: dict[str, Any]) -> DrawInputs:
    return DrawInputs(
        draw_id=draw_id, document=document, sha256=sha256_hex(canon(document))
    )


def years_inputs(  # noqa: PLR0913 - every input of the draw, keyword-only
    *,
    cycle: int,
    starts_on: dt.date,
    years: int,
    parties_per_year: Sequence[int],
    registry_version: int,
    pool: Sequence[DrawParty],
    rulebook: Rulebook,
) -> DrawInputs:
    """The inputs of the draw of a cycle's review years, and their hash."""
    draw_id = years_draw_id(cycle)
    return _inputs(
        draw_id,
        {
            "method": METHOD,
            "draw_id": draw_id,
            "cycle": cycle,
            "starts_on": starts_on.isoformat(),
            "years": years,
            "parties_per_year": list(parties_per_year),
            "registry_version": registry_version,
            "rules": rules_json(rulebook),
            "parties": [party_json(p) for p in sorted(pool, key=lambda p: p.code)],
        },
    )


def reviewers_inputs(  # noqa: PLR0913 - every input of the draw, keyword-only
    *,
    state: CycleDraws,
    year: int,
    registry_version: int,
    circulation: Circulation,
    excluded: Sequence[ServingExclusion],
    rulebook: Rulebook,
) -> DrawInputs:
    """The inputs of the draw of a year's reviewers, and their hash."""
    drawn = state.require_years()
    draw_id = reviewers_draw_id(state.cycle, year)
    assignment = [
        [y, pur, kind, reviewer]
        for (y, pur, kind), reviewer in sorted(state.filled.items())
    ]
    return _inputs(
        draw_id,
        {
            "method": METHOD,
            "draw_id": draw_id,
            "cycle": state.cycle,
            "year": year,
            "years_inputs_sha256": drawn.inputs_sha256,
            "registry_version": registry_version,
            "expert_list": {
                "circulated_on": circulation.circulated_on.isoformat(),
                "registry_version": circulation.version,
            },
            "review_years": {
                str(y): list(codes)
                for y, codes in enumerate(state.review_years, start=1)
            },
            "assignment": assignment,
            "excluded": [
                {"code": e.code, "reason": e.reason.value}
                for e in sorted(excluded, key=lambda e: e.code)
            ],
            "rules": rules_json(rulebook),
        },
    )


def stale_blocks_of(registry: Registry) -> tuple[str, ...]:
    """The stale blocks of reference data the registry rests on (ADR 0006).

    The registry rests on the reference snapshot shipped with the package when that
    snapshot is the last registry file imported into it. Its blocks marked stale are
    then returned, each as ``name (as of date)``. Any registry file imported after the
    snapshot is taken as the operator's refresh: untoc cannot tell which facts a file
    refreshed, only that one was imported.
    """
    if not registry.imports:
        return ()
    snapshot = reference_snapshot()
    digest = hashlib.sha256(snapshot.text.encode("utf-8")).hexdigest()
    if registry.imports[-1].sha256 != digest:
        return ()
    return tuple(f"{b.name} (as of {b.as_of})" for b in snapshot.stale_blocks)


def experts_listed(registry: Registry, circulation: Circulation) -> frozenset[str]:
    """The States with a governmental expert on the circulated list (ToR 21).

    An expert counts while still on the State's roster in ``registry``: one withdrawn
    since the circulation no longer serves.
    """
    return frozenset(
        entry.code
        for entry in registry.entries.values()
        if any(x.expert_id in circulation.expert_ids for x in entry.experts)
    )
