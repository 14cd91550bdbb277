"""The one refusal of every failed attempt to open confidential information."""

from __future__ import annotations

from typing import Final

from untoc_core.errors import DomainError

ACCESS_DENIED_MESSAGE: Final = "access to this review information is denied"
"""The only message an :class:`AccessDenied` raised by untoc ever carries."""


class AccessDenied(DomainError):
    """Confidential review information could not be opened (ToR 30).

    Every failure to open a sealed value, a grant or a wrapped key raises this one
    refusal with one fixed message, whatever the cause: a wrong or unknown key, a
    value moved to another place, a tampered byte, a wrong principal, a destroyed
    key. The message reveals nothing about which; the exact reason goes only to the
    access log, through a :data:`~untoc_core.confidentiality.DenialHook`.
    """

    provision = "ToR-30"

    def __init__(self, message: str = ACCESS_DENIED_MESSAGE) -> None:
        super().__init__(message)
