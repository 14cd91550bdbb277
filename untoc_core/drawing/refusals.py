"""Refusals of the recorded drawing of lots, each citing the provision it enforces.

The rules that only the engine of the draw can judge (ToR 18 bis, 19 and 20) are
refused with the :class:`untoc_core.errors.DrawImpossible` subclasses; the ones
below cover the steps around them: the order of the draws, deferrals, redraws, the
list of governmental experts and the inputs fixed before the seed.
"""

from __future__ import annotations

from untoc_core.drawing.randomness import SeedCeremonyRefused
from untoc_core.errors import DomainError, DrawImpossible, UntocError


class ReviewYearsAlreadyDrawn(DomainError):
    """The review years of a cycle are drawn once: no State is scheduled twice."""

    provision = "ToR-13b"


class ReviewYearsNotDrawn(DomainError):
    """The review years are drawn at the beginning of the cycle, before all else."""

    provision = "ToR-14b"


class ReviewYearDeferralRefused(DomainError):
    """A deferral to the following year without a justification, or beyond the cycle.

    A State party drawn for a year may defer once, with a reasonable justification,
    to the following year of the cycle, and only before that year's reviewers are
    drawn (ToR 14).
    """

    provision = "ToR-14c"


class ReviewersDrawRefused(DomainError):
    """Reviewers are drawn once, at the beginning of each year, year after year."""

    provision = "ToR-19b"


class RedrawRefused(DomainError):
    """A repeated draw refused under ToR 19.

    Beyond the second, a repeated draw needs a recorded exceptional authorisation;
    and one that cannot give the State under review other reviewers is refused.
    """

    provision = "ToR-19d"


class ServingDeferralRefused(DomainError):
    """Only a State under review that year, or a drawn reviewer, defers serving."""

    provision = "ToR-20a"


class ExpertListNotCirculated(DomainError):
    """The list of governmental experts is circulated before reviewers are drawn."""

    provision = "ToR-21"


class VolunteerRefused(DomainError):
    """Only a signatory volunteers to be reviewed, before the review years are drawn."""

    provision = "ToR-57"


class NotEnoughReviewers(DrawImpossible):
    """Fewer than two States parties could review a State under review (ToR 18)."""

    provision = "ToR-18"


class SeedNotFixed(SeedCeremonyRefused):
    """A draw runs only on the seed its ceremony fixed (ToR 5)."""


class InputsFrozen(SeedCeremonyRefused):
    """A command would change the inputs of a draw announced before its seed (ToR 5)."""


class StaleRegistry(UntocError):
    """The registry rests on reference data known to be out of date (ADR 0006).

    Not a rule of resolution 5/5 but a safeguard of untoc: a draw on stale Protocol
    membership or legal traditions may break ToR 18 bis or 19 without anyone
    noticing. The operator may accept the stale data; that is recorded.
    """

    def __init__(self, message: str, blocks: tuple[str, ...]) -> None:
        super().__init__(message)
        self.blocks = blocks
