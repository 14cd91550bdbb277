"""The fold of a review's material stream (``untoc_core.confidentiality.keys``)."""

from __future__ import annotations

import attrs

from untoc_core.confidentiality import Scope
from untoc_core.confidentiality.keys import (
    MaterialFiled,
    MaterialPurged,
    ReviewMaterial,
    evolve_material,
    replay_material,
)

REVIEW = "cycle-1/ARC"


def filed(section: str, *, sealed: bytes = b"sealed") -> MaterialFiled:
    return MaterialFiled(
        review=REVIEW,
        scope=Scope.DOSSIER,
        epoch=1,
        section=section,
        filed_by="BRD",
        sealed=sealed,
    )


def test_filings_fold_in_order_with_their_versions() -> None:
    state = replay_material(REVIEW, [(1, filed("a")), (2, filed("b"))])
    assert state.review == REVIEW
    assert state.version == 2
    assert [(f.version, f.event.section) for f in state.filed] == [(1, "a"), (2, "b")]
    assert state.latest(Scope.DOSSIER, "b") == state.filed[1]


def test_a_purge_marks_its_filing_and_keeps_the_rest() -> None:
    blob = "0" * 64
    first = MaterialFiled(
        review=REVIEW,
        scope=Scope.DOSSIER,
        epoch=1,
        section="big",
        filed_by="BRD",
        sealed=b"",
        blob_sha256=blob,
        blob_size=10,
    )
    purged = MaterialPurged(
        review=REVIEW, material_version=1, blob_sha256=blob, reason="retention"
    )
    state = replay_material(REVIEW, [(1, first), (2, filed("a")), (3, purged)])
    assert state.version == 3
    assert [f.purged for f in state.filed] == [True, False]


def test_a_filing_keeps_every_other_field_of_the_state() -> None:
    # evolve_material builds the state after a filing field by field (for speed,
    # not attrs.evolve): a field added to ReviewMaterial must be carried there too.
    assert [a.name for a in attrs.fields(ReviewMaterial)] == [
        "review",
        "version",
        "filed",
    ]
    before = ReviewMaterial(review=REVIEW, version=4)
    after = evolve_material(before, filed("x"), 5)
    assert after == attrs.evolve(
        before, version=5, filed=(*before.filed, after.filed[-1])
    )
