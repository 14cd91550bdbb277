"""Canonical JSON: one encoding for everything that is hashed, bound or stored.

Sorted keys, no spaces, non-ASCII characters as they are, UTF-8. The seed
ceremony hashes it, sealed values bind it as associated data, and stored rows
are written in it; one function keeps them from drifting apart.
"""

from __future__ import annotations

import json
from typing import Final

_ENCODER: Final = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False
)
"""The one encoder, made once: ``json.dumps`` with options builds one per call.

``JSONEncoder.encode`` keeps no state between calls, so sharing it is safe.
"""


def canonical_json(value: object) -> bytes:
    """The canonical JSON of ``value``: sorted keys, no spaces, UTF-8."""
    return _ENCODER.encode(value).encode("utf-8")


def json_string(text: str) -> str:
    """The canonical JSON of one string: quoted and escaped, as text.

    For the few small encodings written out by hand because they are made for
    every stored row or sealed value; each equals :func:`canonical_json` of the
    same document, and a test checks it.
    """
    return _ENCODER.encode(text)
