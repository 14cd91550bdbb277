"""untoc_adapters: the technology behind untoc's ports.

Storage on eventsourcing's recorders (memory, SQLite, PostgreSQL), the key
services (local key files, PKCS#11), sealing and key custody, the vault of review
material, settings and entry-point loading, and the ``untoc`` command line.
Nothing in ``untoc_core`` imports from here.
"""

from __future__ import annotations

from untoc_adapters.bootstrap import open_mechanism, open_vault
from untoc_adapters.settings import Settings

__all__ = ["Settings", "open_mechanism", "open_vault"]
