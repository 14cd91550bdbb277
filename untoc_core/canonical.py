"""Canonical JSON: one encoding for everything that is hashed, bound or stored.

Sorted keys, no spaces, non-ASCII characters as they are, UTF-8. The seed
ceremony hashes it, sealed values bind it as associated data, and stored rows
are written in it; one function keeps them from drifting apart.
"""

from __future__ import annotations

import json


def canonical_json(value: object) -> bytes:
    """The canonical JSON of ``value``: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
