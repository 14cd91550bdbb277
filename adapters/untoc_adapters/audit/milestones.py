"""Checkpoints of the transparency log: on demand and at the mechanism's milestones.

``checkpoint`` follows the store into the log and signs a checkpoint of the new
size, if there is anything new. ``untoc audit log`` runs it on demand (for example
from cron); the commands that record a milestone (lots drawn, a report made final
or its summary agreed, a publication) run it right after, so that a checkpoint
covering the milestone exists as soon as it is recorded (ADR 0012).
"""

from __future__ import annotations

import attrs

from untoc_adapters.audit.logkey import ORIGIN, log_signer
from untoc_adapters.audit.tlog import follow, open_log_store
from untoc_adapters.bootstrap import LazyKeyService
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_core.ports import EventStore


@attrs.frozen(kw_only=True)
class Checkpointed:
    """What one checkpoint run did.

    Attributes:
        added: The rows added to the log.
        size: The log's size after the run.
        root: The log's root after the run (hex).
        signed: Whether a new checkpoint was signed.
    """

    added: int
    size: int
    root: str
    signed: bool


def checkpoint(settings: Settings, store: EventStore) -> Checkpointed | None:
    """Log the rows recorded since the last run and sign a checkpoint of them.

    Returns ``None`` for a store whose rows cannot be read (not one of untoc's
    recorder stores).
    """
    if not isinstance(store, RecorderEventStore):
        return None
    signer = log_signer(settings.data_dir, LazyKeyService(settings))
    with open_log_store(settings) as log_store:
        added = follow(store, log_store, ORIGIN)
        log = log_store.load(ORIGIN)
        signed = False
        if log.size and log.size not in {c.size for c in log_store.checkpoints()}:
            log_store.save_checkpoint(log.size, log.root(), log.sign(signer))
            signed = True
    return Checkpointed(
        added=added, size=log.size, root=log.root().hex(), signed=signed
    )
