"""The encodings written out by hand for speed equal the canonical JSON they stand for.

Row locations and seal contexts are associated data: a byte of difference from
``canonical_json`` would make every stored row or sealed value unreadable.
"""

from __future__ import annotations

import pytest

from untoc_adapters.storage.mapper import RowLocation
from untoc_core.canonical import canonical_json, json_string
from untoc_core.confidentiality import SealContext
from untoc_core.errors import InvalidInput

STRANGE = ("plain", "é/ü", 'quote"back\\slash', "tab\tnew\nline\x00\x1f", "💡", "")


@pytest.mark.parametrize("text", STRANGE)
def test_json_string_is_the_canonical_json_of_a_string(text: str) -> None:
    assert json_string(text).encode("utf-8") == canonical_json(text)


@pytest.mark.parametrize("stream", STRANGE)
@pytest.mark.parametrize("version", [0, 1, 7, 2**40])
def test_a_row_location_encodes_as_the_canonical_json_of_its_document(
    stream: str, version: int
) -> None:
    location = RowLocation(
        stream=stream, version=version, type_name=f"x.{stream[::-1]}"
    )
    assert location.canonical() == canonical_json(location.document())


def test_a_row_location_of_an_odd_version_is_still_canonical() -> None:
    location = RowLocation(stream="s", version=True, type_name="t")  # type: ignore[arg-type]
    assert location.canonical() == canonical_json(location.document())


@pytest.mark.parametrize(
    "context",
    [
        SealContext(
            review="cycle-2/ARG",
            scope="dossier",
            epoch=1,
            aggregate="material/cycle-2/ARG",
            version=0,
            field="doc-1",
        ),
        SealContext(
            review="cycle-12/X.Y",
            scope="final",
            epoch=2**31,
            aggregate="a:b/c-d_e",
            version=99999,
            field="Z",
        ),
    ],
)
def test_a_seal_context_encodes_as_the_canonical_json_of_its_document(
    context: SealContext,
) -> None:
    assert context.canonical() == canonical_json(context.document())
    assert context.canonical() == canonical_json(
        {
            "aggregate": context.aggregate,
            "epoch": context.epoch,
            "field": context.field,
            "review": context.review,
            "scope": context.scope,
            "version": context.version,
        }
    )


@pytest.mark.parametrize(
    ("epoch", "version"), [(1.5, 3), (True, 3), ("1", 3), (1, 2.0), (1, False)]
)
def test_a_seal_context_takes_only_whole_numbers(
    epoch: object, version: object
) -> None:
    with pytest.raises(InvalidInput, match="must be a whole number"):
        SealContext(
            review="r",
            scope="s",
            epoch=epoch,  # type: ignore[arg-type]
            aggregate="a",
            version=version,  # type: ignore[arg-type]
            field="f",
        )
