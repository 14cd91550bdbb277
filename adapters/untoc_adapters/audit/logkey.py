"""The log's signing key: an Ed25519 key kept wrapped under the key service.

The key signs the checkpoints of the transparency log. Its private half lives in
``DATA_DIR/audit-log-key.json`` (mode 0600), wrapped under the key service's key
``audit-log`` (``localkeys`` or ``pkcs11``), never in clear. Its public half, as a
C2SP verifier key (``untoc audit key``), is what auditors and witnesses trust.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Final

from untoc_adapters.audit.ed25519 import (
    Ed25519CheckpointSigner,
    Ed25519SignatureVerifier,
)
from untoc_adapters.files import read_private, write_new
from untoc_core.canonical import canonical_json
from untoc_core.confidentiality import AccessDenied
from untoc_core.ports import KeyService

ORIGIN: Final = "untoc.review-mechanism/log"
"""The origin line of the log's checkpoints."""
KEY_NAME: Final = "untoc.review-mechanism/log"
"""The name of the log's key in signed notes."""
KEY_FILE: Final = "audit-log-key.json"
KEK_ID: Final = "audit-log"
_AAD: Final = b"untoc-audit-log-key/v1"


def log_signer(data_dir: Path, keys: KeyService) -> Ed25519CheckpointSigner:
    """The log's signer, made and kept the first time it is asked for.

    Raises:
        AccessDenied: the key file does not open (tampered, or its key is gone).
    """
    path = data_dir / KEY_FILE
    if path.exists():
        try:
            document = json.loads(read_private(path))
            raw = keys.unwrap(KEK_ID, base64.b64decode(document["wrapped"]), aad=_AAD)
            return Ed25519CheckpointSigner.from_private_bytes(document["name"], raw)
        except (ValueError, KeyError, TypeError):
            raise AccessDenied from None
    signer = Ed25519CheckpointSigner.generate(KEY_NAME)
    if KEK_ID not in keys.key_ids():
        keys.create_key(KEK_ID)
    wrapped = keys.wrap(KEK_ID, signer.private_bytes(), aad=_AAD)
    document = {
        "name": signer.key_name,
        "vkey": signer.verifier().vkey,
        "wrapped": base64.b64encode(wrapped).decode("ascii"),
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    write_new(path, canonical_json(document), os.urandom)
    return signer


def log_verifier(data_dir: Path) -> Ed25519SignatureVerifier | None:
    """The log's public key, read from its key file with no key service at all.

    The file keeps the verifier key in clear beside the wrapped private key, so an
    auditor checks checkpoints without being able to unwrap anything. ``None`` if
    the log has no key yet.
    """
    path = data_dir / KEY_FILE
    if not path.exists():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return Ed25519SignatureVerifier.from_vkey(str(document["vkey"]))
    except (ValueError, KeyError, TypeError, OSError):
        return None
