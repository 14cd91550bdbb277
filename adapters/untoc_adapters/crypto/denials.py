"""One way to refuse: log the exact reason, raise the one generic refusal."""

from __future__ import annotations

from untoc_core.confidentiality import AccessDenied, Denial, DenialHook


def ignore_denial(denial: Denial) -> None:
    """The default hook: drop the reason (wire an access log in production)."""
    del denial


def refuse(hook: DenialHook, operation: str, reason: str, subject: str) -> AccessDenied:
    """Send the reason to ``hook`` and return the generic refusal to raise.

    Raise the result ``from None`` so no underlying exception (and its message)
    travels with the refusal.
    """
    hook(Denial(operation=operation, reason=reason, subject=subject))
    return AccessDenied()
