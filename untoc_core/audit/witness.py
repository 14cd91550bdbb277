"""Witnesses: independent parties who cosign a checkpoint only if it is consistent.

A witness keeps the last checkpoint it cosigned. Before it cosigns a new one, it
checks that both are signed by the log's key and that the new tree extends the old
one (an RFC 9162 consistency proof). A log that was truncated, rewritten or shown
differently to someone else therefore cannot get the witness's signature, and two
checkpoints of one size with different roots are evidence of misbehaviour (C2SP
tlog-witness; research design section 2.7).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from untoc_core.audit.checkpoint import (
    CheckpointRejected,
    CheckpointSigner,
    SignatureVerifier,
    add_signature,
    detect_split_view,
    open_checkpoint,
)
from untoc_core.audit.merkle import verify_consistency


def cosign(  # noqa: PLR0913 - what a witness checks before it signs
    note: str,
    *,
    previous: str | None,
    proof: Sequence[bytes],
    log_keys: Iterable[SignatureVerifier],
    witness: CheckpointSigner,
    origin: str | None = None,
) -> str:
    """The note with the witness's cosignature, if it extends ``previous``.

    Args:
        note: The new checkpoint, signed by the log.
        previous: The last checkpoint the witness cosigned (``None`` the first
            time).
        proof: The consistency proof from ``previous``'s size to ``note``'s.
        log_keys: The log's keys the witness trusts.
        witness: The witness's own key.
        origin: The log's origin, if the witness checks it.

    Raises:
        CheckpointRejected: a note does not open with the log's keys, the new tree
            is smaller, the two disagree at one size (a split view), or the proof
            does not show the new tree extends the old one.
    """
    keys = list(log_keys)
    opened = open_checkpoint(note, keys, origin=origin)
    current = opened.checkpoint
    if previous is not None:
        kept = open_checkpoint(previous, keys, origin=origin)
        old = kept.checkpoint
        if detect_split_view(kept, opened) is not None:
            msg = (
                f"two checkpoints of size {old.size} with different roots: the log "
                "shows different histories; refused to cosign"
            )
            raise CheckpointRejected(msg)
        if current.size < old.size:
            msg = (
                f"the log shrank from {old.size} to {current.size} leaves; refused "
                "to cosign"
            )
            raise CheckpointRejected(msg)
        if not verify_consistency(
            old.size, current.size, old.root, current.root, list(proof)
        ):
            msg = (
                f"the tree of {current.size} leaves does not extend the one of "
                f"{old.size} the witness cosigned; refused to cosign"
            )
            raise CheckpointRejected(msg)
    return add_signature(note, witness)
