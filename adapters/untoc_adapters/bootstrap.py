"""The composition root: builds the mechanism and the vault from settings.

Adapters are chosen by name (entry points): the event store (``settings.store``)
and the key service (``settings.key_service``). The key service is opened only
when a key is first needed, so commands that touch no confidential material never
ask an HSM for its PIN.
"""

from __future__ import annotations

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
from untoc_core.confidentiality.values import KeyShredded
from untoc_core.mechanism import Mechanism
from untoc_core.ports import Clock, EventStore, KeyService, NewEvents

BLOBS_FOLDER = "blobs"


def open_key_service(settings: Settings) -> KeyService:
    """Open the key service named by ``settings.key_service`` now."""
    factory = load_adapter(KEY_SERVICE_GROUP, settings.key_service)
    keys: KeyService = factory(settings)
    return keys


class LazyKeyService:
    """A key service opened on first use (see the module docstring).

    Args:
        settings: Which key service to open, and where.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._opened: KeyService | None = None

    def __repr__(self) -> str:
        return f"LazyKeyService({self._settings.key_service!r})"

    @property
    def service(self) -> KeyService:
        """The key service, opened if it was not yet."""
        if self._opened is None:
            self._opened = open_key_service(self._settings)
        return self._opened

    @property
    def name(self) -> str:
        """The key service's entry-point name."""
        return self._settings.key_service

    def create_key(self, key_id: str) -> str:
        """See :meth:`untoc_core.ports.KeyService.create_key`."""
        return self.service.create_key(key_id)

    def wrap(self, key_id: str, plaintext: bytes, *, aad: bytes) -> bytes:
        """See :meth:`untoc_core.ports.KeyService.wrap`."""
        return self.service.wrap(key_id, plaintext, aad=aad)

    def unwrap(self, key_id: str, wrapped: bytes, *, aad: bytes) -> bytes:
        """See :meth:`untoc_core.ports.KeyService.unwrap`."""
        return self.service.unwrap(key_id, wrapped, aad=aad)

    def destroy_key(self, key_id: str) -> KeyShredded:
        """See :meth:`untoc_core.ports.KeyService.destroy_key`."""
        return self.service.destroy_key(key_id)

    def key_ids(self) -> list[str]:
        """See :meth:`untoc_core.ports.KeyService.key_ids`."""
        return self.service.key_ids()


def open_store(
    settings: Settings, keys: KeyService | None = None, clock: Clock | None = None
) -> EventStore:
    """Open the event store named by ``settings.store``.

    Rows of review material (streams ``material/...``) are sealed whole under the
    key service. A stored row refused on read (moved, downgraded or altered in the
    database) is recorded as ``StoredRowRefused`` on the stream ``access/store``.

    Args:
        settings: The settings.
        keys: The key service; by default the configured one, opened when first
            needed.
        clock: The time recorded with a refusal; the system clock by default.
    """
    factory = load_adapter(EVENT_STORE_GROUP, settings.store)
    store: EventStore = factory(settings)
    if isinstance(store, RecorderEventStore):
        sealer = KeyServiceRows(keys or LazyKeyService(settings))
        store.mapper = attrs.evolve(store.mapper, sealed=((MATERIAL_PREFIX, sealer),))
        store.on_refused = _refusal_log(store, clock or SystemClock())
    return store


def _refusal_log(
    store: RecorderEventStore, clock: Clock
) -> Callable[[RowRefused, int], None]:
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
        store.append(batch, recorded_at=clock.now(), actor="untoc")

    return log


def open_mechanism(
    settings: Settings | None = None, clock: Clock | None = None
) -> Mechanism:
    """Open the mechanism on the configured store (``Settings.load()`` by default).

    It is configured with key custody under the configured key service, and checks
    principals' signatures. Close it with ``mechanism.store.close()`` when done.
    """
    return open_vault(settings, clock).mechanism


def open_vault(settings: Settings | None = None, clock: Clock | None = None) -> Vault:
    """Open the vault: the mechanism with key custody, signatures and blob store.

    Principals' private keys are kept under ``DATA_DIR/principals`` and large
    sealed values under ``DATA_DIR/blobs``. Close it with
    ``vault.mechanism.store.close()`` when done.
    """
    resolved = settings or Settings.load()
    keys = LazyKeyService(resolved)
    blobs = FileBlobStore(resolved.data_dir / BLOBS_FOLDER)

    def read_blob(sha256: str, size: int) -> bytes:
        return blobs.get(BlobRef(sha256=sha256, size=size))

    chosen_clock = clock or SystemClock()
    mechanism = Mechanism(
        open_store(resolved, keys, chosen_clock),
        chosen_clock,
        key_custody=Custody(keys, read_blob=read_blob),
        signatures=Ed25519Signatures(),
    )
    return Vault(
        mechanism=mechanism,
        principals=PrincipalKeys(resolved.data_dir / PRINCIPALS_FOLDER, keys),
        keys=keys,
        blobs=blobs,
    )
