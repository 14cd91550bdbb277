"""Refusals of the checklist, each citing the provision it enforces."""

from __future__ import annotations

from collections.abc import Sequence

from untoc_core.errors import DomainError


class ChecklistIncomplete(DomainError):
    """A response is submitted while a required question is unanswered (ToR 15).

    Attributes:
        missing: The ids of the unanswered questions, in the checklist's order.
    """

    provision = "ToR-15"

    def __init__(self, message: str, missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.missing = tuple(missing)


class FollowUpIncomplete(ChecklistIncomplete):
    """A response leaves out the progress on a previous observation (ToR 41)."""

    provision = "ToR-41"
