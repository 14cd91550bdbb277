"""Abbreviations defined at first use (GL 22).

The guidelines ask that a desk review be concise and factual, with abbreviations
and acronyms defined when first used; reports follow the same rule.
:func:`undefined_acronyms` finds each abbreviation used before it is defined.

An abbreviation is a word of two or more capital letters (Latin or Cyrillic),
digits allowed after the first letter, optionally with a plural ``s``: ``UNODC``,
``NGOs``, ``МВД``. It is defined where it stands in brackets right after the words
it abbreviates, ``the United Nations Office on Drugs and Crime (UNODC)``, or
where the words follow it in brackets, ``UNODC (United Nations Office on Drugs
and Crime)``. Roman numerals and the codes of the mechanism's own references
(article numbers, paragraph letters) are not abbreviations. Scripts without
capital letters (Arabic, Chinese) have no abbreviations to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

import attrs

from untoc_core.errors import DomainError

_CAPITAL: Final = "A-Z\u0401\u0410-\u042f"
"""Latin and Cyrillic capital letters."""
_WORD: Final = re.compile(
    rf"(?<![\w-])([{_CAPITAL}][{_CAPITAL}0-9]{{1,}})(s?)(?![\w-])"
)
_ROMAN: Final = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_BRACKETED_AFTER: Final = re.compile(r"\s*\(([^()]{3,})\)")
ALWAYS_KNOWN: Final = frozenset({"UN"})
"""Abbreviations no reader of the mechanism's documents needs defined."""


class AcronymUndefined(DomainError):
    """An abbreviation is used before it is defined (GL 22)."""

    provision = "GL-22"


@attrs.frozen(kw_only=True)
class Acronym:
    """An abbreviation used before its definition: where, and which."""

    abbreviation: str
    line: int
    column: int


def _defined_here(text: str, start: int, end: int) -> bool:
    """True if the abbreviation at ``start:end`` is defined where it stands."""
    before = text[:start].rstrip()
    after = text[end:]
    if before.endswith("(") and after.startswith(")"):
        return True  # "the words (ABBR)"
    return bool(_BRACKETED_AFTER.match(after))  # "ABBR (the words)"


def undefined_acronyms(text: str, known: Iterable[str] = ALWAYS_KNOWN) -> list[Acronym]:
    """Every abbreviation of ``text`` used before it is defined, in order.

    An abbreviation is flagged once, at its first use before its definition.
    """
    defined = {k.upper() for k in known}
    flagged: set[str] = set()
    out: list[Acronym] = []
    for match in _WORD.finditer(text):
        word = match.group(1)
        if _ROMAN.fullmatch(word) or word in defined:
            continue
        if _defined_here(text, match.start(), match.end()):
            defined.add(word)
            continue
        if word in flagged:
            continue
        flagged.add(word)
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        out.append(Acronym(abbreviation=word, line=line, column=column))
    return out


def check_acronyms(text: str, what: str) -> None:
    """Refuse ``text`` if it uses an abbreviation before defining it.

    Raises:
        AcronymUndefined: naming each abbreviation and where it is (GL-22).
    """
    found = undefined_acronyms(text)
    if found:
        where = ", ".join(f"{a.abbreviation} (line {a.line})" for a in found)
        msg = (
            f"{what} uses abbreviations before defining them: {where}; define each "
            "at first use, as 'the full words (ABBR)'"
        )
        raise AcronymUndefined(msg)
