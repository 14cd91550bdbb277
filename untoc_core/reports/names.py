"""Finding a State's name in a text, in any script.

A name in an alphabetic script matches as whole words, case-insensitively, so that
``Inde`` is not found in ``indépendant``; a name in Chinese, which is written
without spaces, matches anywhere. A code (``ARC``) matches as a whole upper-case
word.
"""

from __future__ import annotations

import functools
import re

_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.cache
def name_pattern(name: str) -> re.Pattern[str]:
    """The pattern that finds ``name`` in a text."""
    escaped = re.escape(name.strip())
    if _UNSPACED.search(name):
        return re.compile(escaped)
    return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)


@functools.cache
def code_pattern(code: str) -> re.Pattern[str]:
    """The pattern that finds an ISO code in a text."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])")


def mentions(text: str, name: str) -> bool:
    """True if ``text`` holds ``name``."""
    return bool(name.strip()) and name_pattern(name).search(text) is not None
