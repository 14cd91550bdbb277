"""Refusals of the commands of access, each citing the provision it enforces."""

from __future__ import annotations

from untoc_core.errors import DomainError


class GrantRefused(DomainError):
    """A grant to a principal with no role in the review that allows it (ToR 30)."""

    provision = "ToR-30"


class ReportAccessRefused(DomainError):
    """A request, consent or grant that ToR 37 does not allow.

    Only a State without a role in the review may ask for its final report, only the
    party under review may consent, consent needs a prior request, and it opens the
    final report only.
    """

    provision = "ToR-37"


class PublicationRefused(DomainError):
    """Only the party under review may publish its report, in full or in part."""

    provision = "ToR-36"


class ExpertGroupAccessRefused(DomainError):
    """The group of experts works only from executive summaries (ToR 37 quater)."""

    provision = "ToR-37quater"
