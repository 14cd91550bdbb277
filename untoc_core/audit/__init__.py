"""The tamper-evident history: a Merkle log over the store's rows and its audit.

* :mod:`~untoc_core.audit.merkle`: RFC 9162 tree heads, inclusion and consistency
  proofs;
* :mod:`~untoc_core.audit.leaves`: what the log records for each stored row;
* :mod:`~untoc_core.audit.checkpoint`: C2SP checkpoints in signed notes, and
  split-view evidence;
* :mod:`~untoc_core.audit.verify`: the log itself and the auditor's check of the
  rows, which names the first bad position.

The core only hashes; signing and checking signatures are left to adapters
through :class:`CheckpointSigner` and :class:`SignatureVerifier`.
"""

from __future__ import annotations

from untoc_core.audit.checkpoint import (
    Checkpoint,
    CheckpointRejected,
    CheckpointSigner,
    NoteSignature,
    SignatureVerifier,
    SignedCheckpoint,
    SignedNote,
    SplitView,
    add_signature,
    detect_split_view,
    ed25519_key_id,
    open_checkpoint,
    sign_checkpoint,
)
from untoc_core.audit.leaves import LeafData, StoredRow
from untoc_core.audit.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    tree_root,
    tree_roots,
    verify_consistency,
    verify_inclusion,
)
from untoc_core.audit.verify import (
    AuditFault,
    AuditResult,
    FaultKind,
    LogSnapshot,
    TransparencyLog,
    verify_rows,
)

__all__ = [
    "EMPTY_ROOT",
    "AuditFault",
    "AuditResult",
    "Checkpoint",
    "CheckpointRejected",
    "CheckpointSigner",
    "FaultKind",
    "LeafData",
    "LogSnapshot",
    "NoteSignature",
    "SignatureVerifier",
    "SignedCheckpoint",
    "SignedNote",
    "SplitView",
    "StoredRow",
    "TransparencyLog",
    "add_signature",
    "consistency_proof",
    "detect_split_view",
    "ed25519_key_id",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "open_checkpoint",
    "sign_checkpoint",
    "tree_root",
    "tree_roots",
    "verify_consistency",
    "verify_inclusion",
    "verify_rows",
]
