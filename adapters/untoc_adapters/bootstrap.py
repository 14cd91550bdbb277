"""The composition root: builds a Mechanism from settings, choosing adapters by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from untoc_adapters.clock import SystemClock
from untoc_adapters.crypto.custody import Custody
from untoc_adapters.crypto.principals import PRINCIPALS_FOLDER, PrincipalKeys
from untoc_adapters.crypto.signing import Ed25519Signatures
from untoc_adapters.plugins import EVENT_STORE_GROUP, KEY_SERVICE_GROUP, load_adapter
from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.blobs import FileBlobStore
from untoc_adapters.storage.mapper import KeyServiceRows, RowRefused
from untoc_adapters.vault import Vault
from untoc_core.blobs import BlobRef
from untoc_core.confidentiality.keys import (
    MATERIAL_PREFIX,
    STORE_STREAM,
    StoredRowRefused,
)
from untoc_core.mechanism import Mechanism
from untoc_core.ports import Clock, EventStore, KeyService, NewEvents

BLOBS_FOLDER = "blobs"


def open_store(settings: Settings) -> EventStore:
    """Open the event store named by ``settings.store``.

    A stored row refused on read (moved, downgraded or altered in the database) is
    recorded as ``StoredRowRefused`` on the stream ``access/store``.
    """
    factory = load_adapter(EVENT_STORE_GROUP, settings.store)
    store: EventStore = factory(settings)
    if isinstance(store, RecorderEventStore):
        store.on_refused = _refusal_log(store)
    return store


def _refusal_log(store: RecorderEventStore) -> Callable[[RowRefused, int], None]:
    def log(refused: RowRefused, position: int) -> None:
        event = StoredRowRefused(
            stream=refused.stream,
            version=refused.version,
            position=position,
            reason=refused.reason,
        )
        batch = NewEvents(
            stream=STORE_STREAM,
            expected_version=store.stream_version(STORE_STREAM),
            events=(event,),
        )
        store.append(batch, recorded_at=dt.datetime.now(dt.UTC), actor="untoc")

    return log


def open_mechanism(
    settings: Settings | None = None, clock: Clock | None = None
) -> Mechanism:
    """Open the mechanism on the configured store (``Settings.load()`` by default).

    Close it with ``mechanism.store.close()`` when done.
    """
    resolved = settings or Settings.load()
    return Mechanism(open_store(resolved), clock or SystemClock())


def open_key_service(settings: Settings) -> KeyService:
    """Open the key service named by ``settings.key_service``."""
    factory = load_adapter(KEY_SERVICE_GROUP, settings.key_service)
    keys: KeyService = factory(settings)
    return keys


def open_vault(settings: Settings | None = None, clock: Clock | None = None) -> Vault:
    """Open the vault: the mechanism with key custody, signatures and blob store.

    Principals' private keys are kept under ``DATA_DIR/principals`` and large
    sealed values under ``DATA_DIR/blobs``. Close it with
    ``vault.mechanism.store.close()`` when done.
    """
    resolved = settings or Settings.load()
    keys = open_key_service(resolved)
    blobs = FileBlobStore(resolved.data_dir / BLOBS_FOLDER)
    store = open_store(resolved)
    if isinstance(store, RecorderEventStore):
        store.mapper = attrs.evolve(
            store.mapper, sealed=((MATERIAL_PREFIX, KeyServiceRows(keys)),)
        )

    def read_blob(sha256: str, size: int) -> bytes:
        return blobs.get(BlobRef(sha256=sha256, size=size))

    mechanism = Mechanism(
        store,
        clock or SystemClock(),
        key_custody=Custody(keys, read_blob=read_blob),
        signatures=Ed25519Signatures(),
    )
    return Vault(
        mechanism=mechanism,
        principals=PrincipalKeys(resolved.data_dir / PRINCIPALS_FOLDER, keys),
        keys=keys,
        blobs=blobs,
    )
