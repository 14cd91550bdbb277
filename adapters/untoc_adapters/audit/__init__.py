"""Adapters for the tamper-evident log.

* :mod:`~untoc_adapters.audit.ed25519`: Ed25519 checkpoint signing and checking
  with ``cryptography``, implementing the core's ``CheckpointSigner`` and
  ``SignatureVerifier``;
* :mod:`~untoc_adapters.audit.rows`: the store's raw rows, read through its
  eventsourcing recorder without decoding them.
"""

from __future__ import annotations
