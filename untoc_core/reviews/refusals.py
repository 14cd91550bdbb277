"""Refusals of the country review: each names the provision it enforces."""

from __future__ import annotations

from functools import cache

from untoc_core.errors import DomainError


class StepOutOfOrder(DomainError):
    """A step was recorded before the step it follows (guidelines paras 12-34).

    Each instance is of a subclass naming the paragraph that orders the step
    (:func:`out_of_order`); this base names none and is never raised itself.
    """


@cache
def _out_of_order_class(provision: str) -> type[StepOutOfOrder]:
    name = "StepOutOfOrder_" + provision.replace("-", "_")
    return type(name, (StepOutOfOrder,), {"provision": provision})


def out_of_order(provision: str, message: str) -> StepOutOfOrder:
    """The refusal of a step out of order, citing the provision that orders it."""
    return _out_of_order_class(provision)(message)


class DirectDialogueNotAgreed(DomainError):
    """A country visit or joint meeting without the party's agreement (ToR 28)."""

    provision = "ToR-28"


class DirectDialogueNotPlannedByParty(DomainError):
    """The party under review plans the visit or joint meeting (GL 24)."""

    provision = "GL-24"


class CommunicationNotShared(DomainError):
    """Every communication is kept visible to the secretariat (GL 18)."""

    provision = "GL-18"


class ReportNotAgreed(DomainError):
    """A report is final only when the three States agreed to it (ToR 33)."""

    provision = "ToR-33"


class SummaryProcedureBroken(DomainError):
    """The executive summary follows the final report and is agreed (GL 34)."""

    provision = "GL-34"


class CycleNotCompleted(DomainError):
    """A new cycle waits for every review of the last one (ToR 13(a))."""

    provision = "ToR-13a"


class ContributionWithConditions(DomainError):
    """Visits, meetings and translation are funded free of conditions (ToR 53)."""

    provision = "ToR-53"
