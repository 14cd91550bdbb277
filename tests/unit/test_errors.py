"""Refusals cite the provision they enforce; other errors say what went wrong."""

from __future__ import annotations

import pytest

from untoc_core import errors
from untoc_core.errors import (
    ConcurrencyConflict,
    DomainError,
    DrawImpossible,
    FileRefused,
    InvalidInput,
    RowProblem,
    UnknownParty,
    UntocError,
)
from untoc_core.reviews.refusals import StepOutOfOrder
from untoc_core.rules import provisions


def _all_subclasses(cls: type[DomainError]) -> list[type[DomainError]]:
    found: list[type[DomainError]] = []
    for sub in cls.__subclasses__():
        found.extend([sub, *_all_subclasses(sub)])
    return found


BASES = {DrawImpossible, StepOutOfOrder}
"""Bases of families of refusals; each member names its own provision."""
REFUSALS = [cls for cls in _all_subclasses(DomainError) if cls not in BASES]
"""Every refusal but the bases."""


def test_the_core_defines_refusals_for_the_rules_it_enforces() -> None:
    names = {cls.__name__ for cls in REFUSALS}
    assert {
        "ExpertLimitReached",
        "SignatoryCannotReview",
        "ConferenceDecisionRefused",
        "ThematicScopeRefused",
    } <= names


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda c: c.__name__)
def test_every_refusal_names_a_provision_of_the_catalogue(
    refusal: type[DomainError],
) -> None:
    assert refusal.provision in provisions(), refusal.provision


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda c: c.__name__)
def test_every_refusal_message_starts_with_its_provision_in_brackets(
    refusal: type[DomainError],
) -> None:
    error = refusal("the reason")
    assert str(error) == f"[{refusal.provision}] the reason"
    assert error.reason == "the reason"
    assert isinstance(error, UntocError)


@pytest.mark.parametrize(
    ("name", "provision"),
    [
        ("ExpertLimitReached", "ToR-21"),
        ("SignatoryCannotReview", "ToR-57"),
        ("ConferenceDecisionRefused", "ToR-45"),
        ("ThematicScopeRefused", "RES-8d"),
    ],
)
def test_each_refusal_cites_the_paragraph_of_resolution_5_5_it_enforces(
    name: str, provision: str
) -> None:
    assert getattr(errors, name).provision == provision


def test_a_refusal_that_names_no_provision_cannot_be_raised() -> None:
    class Nameless(DomainError):
        pass

    with pytest.raises(TypeError, match="Nameless does not name the provision"):
        Nameless("no")


def test_the_base_refusal_itself_names_no_provision() -> None:
    with pytest.raises(TypeError, match="DomainError does not name the provision"):
        DomainError("no")


def test_an_unknown_party_is_invalid_input_naming_the_code() -> None:
    error = UnknownParty("xyz")
    assert isinstance(error, InvalidInput)
    assert error.code == "xyz"
    assert "'xyz'" in str(error)


def test_a_refused_file_names_its_source_and_every_problem() -> None:
    problems = [
        RowProblem(row=2, column="iso3", reason="bad code"),
        RowProblem(row=5, column="untoc_date", reason="bad date"),
    ]
    error = FileRefused("states.csv", problems)
    assert isinstance(error, InvalidInput)
    assert error.problems == tuple(problems)
    text = str(error)
    assert text.startswith("states.csv: 2 problem(s), nothing was recorded:")
    assert "row 2, column 'iso3': bad code" in text
    assert "row 5, column 'untoc_date': bad date" in text


def test_a_refused_file_lists_at_most_fifty_problems_and_counts_the_rest() -> None:
    problems = [RowProblem(row=n, column="iso3", reason="bad") for n in range(2, 62)]
    text = str(FileRefused("big.csv", problems))
    assert "row 51, column" in text
    assert "row 52, column" not in text
    assert text.endswith("... and 10 more")


def test_a_concurrency_conflict_says_which_stream_and_versions() -> None:
    error = ConcurrencyConflict("registry", 3, 5)
    assert (error.stream, error.expected, error.actual) == ("registry", 3, 5)
    assert "expected version 3, but it is at version 5" in str(error)
