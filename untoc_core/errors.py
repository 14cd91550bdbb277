"""Errors raised by the core: refusals that cite a provision, bad input, stale writes.

Every rule of resolution 5/5 that can refuse a command has its own subclass of
:class:`DomainError`, and every instance names the provision it enforces, so a
secretariat officer reading the message knows which paragraph said no.
"""

from __future__ import annotations

from typing import ClassVar

import attrs


class UntocError(Exception):
    """Root of every error this library raises on purpose."""


class DomainError(UntocError):
    """A command was refused because it would break a provision of resolution 5/5.

    Subclasses set ``provision`` to the id of the provision they enforce, as listed
    in the provisions catalogue (for example ``ToR-21``). The message always starts
    with that id in brackets. Nothing is recorded when a command is refused.
    """

    provision: ClassVar[str] = ""

    def __init__(self, message: str) -> None:
        if not self.provision:
            msg = f"{type(self).__name__} does not name the provision it enforces"
            raise TypeError(msg)
        super().__init__(f"[{self.provision}] {message}")
        self.reason = message


class ExpertLimitReached(DomainError):
    """A party already has the maximum number of governmental experts (ToR 21)."""

    provision = "ToR-21"


class SignatoryCannotReview(DomainError):
    """A signatory is reviewed on the Convention only and never reviews (ToR 57)."""

    provision = "ToR-57"


class ConferenceDecisionRefused(DomainError):
    """A Conference decision on phases, cycles or scope is inconsistent (ToR 45)."""

    provision = "ToR-45"


class ThematicScopeRefused(DomainError):
    """A thematic cluster names articles that do not exist or repeats one (RES 8(d))."""

    provision = "RES-8d"


class DrawImpossible(DomainError):
    """No drawing of lots can keep every rule; the subclass names the binding one.

    A rule is never relaxed to make a draw possible: the draw is refused instead.
    """

    @classmethod
    def for_rule(cls, provision: str, message: str) -> DrawImpossible:
        """The refusal for the provision that binds."""
        for sub in cls.__subclasses__():
            if sub.provision == provision:
                return sub(message)
        msg = f"no draw refusal cites {provision}"
        raise ValueError(msg)


class NoEligibleReviewer(DrawImpossible):
    """No State party is a party to every Protocol of the State under review."""

    provision = "ToR-18bis"


class NoSameRegionReviewer(DrawImpossible):
    """No State party of the same regional group can review (ToR 19)."""

    provision = "ToR-19a"


class MutualReviewUnavoidable(DrawImpossible):
    """Every completion of the cycle would have two States review each other."""

    provision = "ToR-19c"


class ReviewLoadImpossible(DrawImpossible):
    """The reviews cannot be shared at one to three per State party (ToR 20)."""

    provision = "ToR-20b"


class InvalidInput(UntocError):
    """Input that is malformed, as opposed to well-formed input that a rule refuses."""


class NotInMechanism(InvalidInput):
    """A State neither party to nor signatory of the Convention is not reviewed."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} is neither a party to nor a signatory of the Convention and takes "
            "no part in the review mechanism"
        )


class CycleOverlapRefused(DomainError):
    """A cycle would start before the previous one ends, with no exception (ToR 13)."""

    provision = "ToR-13a"


class UnknownParty(InvalidInput):
    """No State with that code is in the registry."""

    def __init__(self, code: str) -> None:
        super().__init__(f"no State with code {code!r} is in the registry")
        self.code = code


@attrs.frozen(kw_only=True)
class RowProblem:
    """One problem found in one cell of an imported file."""

    row: int
    """Line of the file the row ends on, counting the header as line 1."""
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.reason}"


class FileRefused(InvalidInput):
    """An imported file has bad rows; nothing from it was recorded."""

    def __init__(self, source: str, problems: list[RowProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"{source}: {len(self.problems)} problem(s), nothing was recorded:\n"
            f"{lines}{tail}"
        )


class ConcurrencyConflict(UntocError):
    """A write was based on a stale version of a stream; nothing was written.

    Reload the stream and run the command again.
    """

    def __init__(self, stream: str, expected: int, actual: int | None = None) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        found = "" if actual is None else f", but it is at version {actual}"
        super().__init__(
            f"stale write to stream {stream!r}: expected version {expected}{found}; "
            "nothing was written, reload and try again"
        )


class StoreError(UntocError):
    """The event store failed or holds something it cannot read."""


class ConfigurationError(UntocError):
    """Settings are missing, contradictory or name an unknown adapter."""
