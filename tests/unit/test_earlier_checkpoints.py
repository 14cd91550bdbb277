"""Every earlier checkpoint the log keeps must still be a prefix of the log."""

from __future__ import annotations

import datetime as dt

from untoc_adapters.audit.ed25519 import Ed25519CheckpointSigner
from untoc_adapters.audit.logkey import ORIGIN
from untoc_adapters.audit.tlog import StoredCheckpoint
from untoc_adapters.cli.audit import _earlier_checkpoint_faults
from untoc_core.audit import FaultKind, StoredRow, TransparencyLog

SIGNER = Ed25519CheckpointSigner.from_private_bytes("untoc-log", bytes(range(32)))
AT = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def row(position: int, text: str = "") -> StoredRow:
    return StoredRow(
        position=position,
        stream="registry",
        version=position,
        topic="test.Row",
        state=(text or f"row {position}").encode(),
    )


def kept_checkpoints(log: TransparencyLog, sizes: list[int]) -> list[StoredCheckpoint]:
    """A checkpoint signed at each size, as the log store keeps them."""
    kept = []
    for size in sizes:
        partial = TransparencyLog(ORIGIN, log.snapshot().leaves[:size])
        checkpoint = partial.checkpoint()
        kept.append(
            StoredCheckpoint(
                size=size,
                root=checkpoint.root,
                note=partial.sign(SIGNER),
                created_at=AT,
            )
        )
    return kept


def test_earlier_checkpoints_that_are_prefixes_of_the_log_hold() -> None:
    log = TransparencyLog(ORIGIN)
    log.append_rows(row(p) for p in range(1, 41))
    kept = kept_checkpoints(log, [1, 7, 16, 33, 40])
    assert _earlier_checkpoint_faults(kept, SIGNER.verifier(), log.snapshot()) == []


def test_a_log_rewritten_before_an_earlier_checkpoint_is_named_at_that_checkpoint() -> (
    None
):
    log = TransparencyLog(ORIGIN)
    log.append_rows(row(p) for p in range(1, 41))
    kept = kept_checkpoints(log, [5, 12, 30])
    rewritten = TransparencyLog(ORIGIN)
    rewritten.append_rows(row(p, "forged" if p == 20 else "") for p in range(1, 41))
    faults = _earlier_checkpoint_faults(kept, SIGNER.verifier(), rewritten.snapshot())
    assert [f.kind for f in faults] == [FaultKind.TRUNCATED]
    assert "checkpoint of size 30" in faults[0].detail


def test_an_earlier_checkpoint_beyond_a_shortened_log_is_named() -> None:
    log = TransparencyLog(ORIGIN)
    log.append_rows(row(p) for p in range(1, 41))
    kept = kept_checkpoints(log, [10, 40])
    short = TransparencyLog(ORIGIN, log.snapshot().leaves[:25])
    faults = _earlier_checkpoint_faults(kept, SIGNER.verifier(), short.snapshot())
    (fault,) = faults
    assert fault.detail == (
        "the log no longer has the tree of the checkpoint of size 40: its history "
        "was rewritten"
    )


def test_an_earlier_checkpoint_with_a_broken_signature_is_rejected() -> None:
    log = TransparencyLog(ORIGIN)
    log.append_rows(row(p) for p in range(1, 11))
    (kept,) = kept_checkpoints(log, [6])
    note = kept.note.replace("\n6\n", "\n5\n", 1)
    assert note != kept.note
    faults = _earlier_checkpoint_faults(
        [StoredCheckpoint(size=6, root=kept.root, note=note, created_at=AT)],
        SIGNER.verifier(),
        log.snapshot(),
    )
    assert [f.kind for f in faults] == [FaultKind.BAD_SIGNATURE]
