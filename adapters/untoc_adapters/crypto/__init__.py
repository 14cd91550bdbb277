"""Cryptography adapters: sealed values, data keys, HPKE grants, key services.

* :mod:`~untoc_adapters.crypto.sealing`: the ``Sealer`` (AES-256-GCM, one-use
  message keys, key commitment) and the data keys per review, scope and epoch;
* :mod:`~untoc_adapters.crypto.grants`: data keys wrapped for principals with HPKE
  (ML-KEM-768 + X25519 by default, X25519 alone as an option);
* :mod:`~untoc_adapters.crypto.localkeys`: the ``localkeys`` key service, key files
  under ``DATA_DIR/keys``.

The formats and constructions are recorded in ADR 0008.
"""

from __future__ import annotations
