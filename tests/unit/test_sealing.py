"""Sealed values in the core: plain data, canonical context, one refusal (ToR 30).

Test names follow the attack cases of the confidentiality research (section 3)
where a case applies to the core's part: the binary form of a sealed value, and
the context every ciphertext is bound to.
"""

# ruff: noqa: N802 - test names carry the research's case ids (T03, T04)

from __future__ import annotations

import attrs
import pytest

from untoc_core.confidentiality import (
    ACCESS_DENIED_MESSAGE,
    SEALED_FORMAT,
    AccessDenied,
    DataKeyId,
    Denial,
    SealContext,
    SealedValue,
    canonical_json,
)
from untoc_core.errors import DomainError, InvalidInput
from untoc_core.ports import KeyService, Sealer
from untoc_core.rules import provisions

CONTEXT = SealContext(
    review="cycle-2/ARG",
    scope="dossier",
    epoch=1,
    aggregate="review/cycle-2/ARG",
    version=7,
    field="checklist_response",
)

SEALED = SealedValue(
    format=SEALED_FORMAT,
    epoch=1,
    salt=bytes(range(32)),
    nonce=bytes(range(100, 112)),
    commitment=bytes(range(200, 232)),
    ciphertext=b"\xaa" * 20,
)


def test_the_context_has_one_canonical_encoding() -> None:
    assert CONTEXT.canonical() == (
        b'{"aggregate":"review/cycle-2/ARG","epoch":1,"field":"checklist_response",'
        b'"review":"cycle-2/ARG","scope":"dossier","version":7}'
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("review", "cycle-2/BRA"),
        ("scope", "final"),
        ("epoch", 2),
        ("aggregate", "review/cycle-2/BRA"),
        ("version", 8),
        ("field", "supplementary_information"),
    ],
)
def test_T04_every_part_of_the_context_changes_its_encoding(
    name: str, value: object
) -> None:
    moved = attrs.evolve(CONTEXT, **{name: value})
    assert moved.canonical() != CONTEXT.canonical()


def test_canonical_json_sorts_keys_and_keeps_unicode() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


@pytest.mark.parametrize(
    "changes",
    [
        {"review": ""},
        {"scope": "dossier\n"},
        {"field": "a b"},
        {"aggregate": "-leading"},
        {"epoch": 0},
        {"epoch": True},
        {"version": -1},
    ],
)
def test_a_context_refuses_bad_names_and_numbers(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        attrs.evolve(CONTEXT, **changes)


def test_the_context_names_its_data_key_and_describes_itself_without_content() -> None:
    assert CONTEXT.data_key_id == DataKeyId(
        review="cycle-2/ARG", scope="dossier", epoch=1
    )
    assert CONTEXT.describe() == (
        "cycle-2/ARG dossier#1 review/cycle-2/ARG@7.checklist_response"
    )


def test_a_sealed_value_survives_its_binary_form() -> None:
    data = SEALED.to_bytes()
    assert len(data) == 1 + 4 + 32 + 12 + 32 + 20
    assert data[0] == SEALED_FORMAT
    assert SealedValue.from_bytes(data) == SEALED


@pytest.mark.parametrize("length", [0, 1, 40, 80])
def test_T03_a_truncated_binary_form_is_not_a_sealed_value(length: int) -> None:
    with pytest.raises(InvalidInput):
        SealedValue.from_bytes(SEALED.to_bytes()[:length])


def test_access_denied_cites_tor30_with_one_fixed_message() -> None:
    error = AccessDenied()
    assert isinstance(error, DomainError)
    assert error.provision == "ToR-30"
    assert "ToR-30" in provisions()
    assert str(error) == f"[ToR-30] {ACCESS_DENIED_MESSAGE}"
    assert str(AccessDenied()) == str(error)


def test_a_denial_holds_names_and_a_reason_only() -> None:
    denial = Denial(operation="open", reason="aead-failed", subject=CONTEXT.describe())
    assert attrs.fields_dict(Denial).keys() == {"operation", "reason", "subject"}
    assert denial.reason == "aead-failed"


def test_the_ports_name_the_operations_adapters_provide() -> None:
    assert {"seal", "open"} <= set(vars(Sealer))
    assert {"name", "create_key", "wrap", "unwrap", "destroy_key", "key_ids"} <= set(
        vars(KeyService)
    )
