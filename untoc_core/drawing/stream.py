"""The deterministic stream of lots: HMAC-SHA256 in counter mode, without modulo bias.

Given the seed of a draw, anyone can recompute every word the draw used. Each use
of the stream has a label (for example ``years/African States`` or
``reviewers/1/ARC/same-region``); the words of one label are
``HMAC-SHA256(seed, {"ctr": i, "label": label})`` for ``i = 0, 1, 2, ...``, read as
big-endian 64-bit integers from the first eight bytes of each MAC. A number below
``n`` is the first word below the largest multiple of ``n`` that fits in 64 bits,
taken modulo ``n``; words above it are rejected and recorded, so every value in
``0 .. n-1`` is exactly equally likely.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import attrs

WORD = 2**64


@attrs.frozen(kw_only=True)
class Lot:
    """One number drawn from the stream, with every word it consumed."""

    label: str
    n: int
    value: int
    words: tuple[int, ...]
    """The words read, rejected ones first; the last one gave ``value``."""


class LotStream:
    """Numbers drawn uniformly from a seed, per label (see the module docstring)."""

    def __init__(self, seed: bytes) -> None:
        if len(seed) < 16:  # noqa: PLR2004 - 128 bits at least
            msg = "a seed has at least 16 bytes (128 bits)"
            raise ValueError(msg)
        self._seed = seed
        self._counters: dict[str, int] = {}

    def word(self, label: str) -> int:
        """The next 64-bit word of ``label``."""
        ctr = self._counters.get(label, 0)
        self._counters[label] = ctr + 1
        message = json.dumps(
            {"ctr": ctr, "label": label}, sort_keys=True, separators=(",", ":")
        )
        mac = hmac.new(self._seed, message.encode("utf-8"), hashlib.sha256).digest()
        return int.from_bytes(mac[:8], "big")

    def below(self, n: int, label: str) -> Lot:
        """A number in ``0 .. n-1``, each equally likely."""
        if n < 1:
            msg = "cannot draw from an empty set"
            raise ValueError(msg)
        limit = WORD - WORD % n
        words: list[int] = []
        while True:
            w = self.word(label)
            words.append(w)
            if w < limit:
                return Lot(label=label, n=n, value=w % n, words=tuple(words))
