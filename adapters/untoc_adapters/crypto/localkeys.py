"""The ``localkeys`` key service: key-encryption keys in files under the data dir.

Each key is one file, ``DATA_DIR/keys/<key id>.key``, created with mode 0600 in a
folder of mode 0700, written atomically (a temporary file, flushed, then linked into
place, so a key is never half written and never replaced). The file is JSON:

* ``format`` (1), ``key_id``, ``kid`` (the key's fingerprint: the first 16 bytes of
  SHA-256 of ``"untoc/kek/v1"`` and the key, in hex), ``protection``;
* with ``protection: "none"``, ``key``: the 32-byte key in hex;
* with ``protection: "argon2id"`` (a passphrase was given), ``argon2id``: the salt
  and parameters, ``nonce`` and ``key``: the key encrypted with AES-256-GCM under
  Argon2id(passphrase), bound to the key id and kid.

``wrap`` encrypts with AES-256-GCM under the key: ``0x01 || nonce (12) ||
ciphertext``, with associated data ``"untoc/localkeys/wrap/v1" 0x00 key_id 0x00
aad``. ``destroy_key`` overwrites the file with random bytes, flushes it, unlinks it
and returns a :class:`~untoc_core.confidentiality.KeyShredded` record to store.
Overwriting does not reach copies kept by backups, snapshots, journaling or
copy-on-write file systems and SSD wear levelling: a passphrase keeps such copies
useless without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from untoc_adapters.crypto.denials import ignore_denial, refuse
from untoc_adapters.files import (
    make_private_folder,
    read_private,
    sync_folder,
    write_new,
)
from untoc_adapters.settings import Settings
from untoc_core.confidentiality import DenialHook, KeyShredded, canonical_json
from untoc_core.errors import ConfigurationError, InvalidInput
from untoc_core.ports import KeyService

NAME: Final = "localkeys"
KEYS_FOLDER: Final = "keys"
FILE_FORMAT: Final = 1
WRAP_FORMAT: Final = 1
KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12
SHREDDING_METHOD: Final = "key file overwritten with random bytes, flushed, unlinked"

_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_SUFFIX: Final = ".key"
_WRAP_AAD: Final = b"untoc/localkeys/wrap/v1\x00"
_FILE_PURPOSE: Final = "untoc-localkeys-file/v1"
_MAX_ITERATIONS: Final = 64
_MAX_LANES: Final = 64
_MAX_MEMORY_KIB: Final = 4 * 1024 * 1024
_MAX_FILE_BYTES: Final = 64 * 1024


@attrs.frozen(kw_only=True)
class Argon2Parameters:
    """Argon2id parameters; the default is RFC 9106's second recommendation."""

    iterations: int = 3
    lanes: int = 4
    memory_cost: int = 64 * 1024
    """In KiB: 64 MiB."""


def _kid(key: bytes) -> str:
    return hashlib.sha256(b"untoc/kek/v1" + key).digest()[:16].hex()


def _check_id(key_id: str) -> str:
    if not _ID.fullmatch(key_id):
        msg = (
            f"key id {key_id!r} is not valid: 1-64 lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"
        )
        raise InvalidInput(msg)
    return key_id


class LocalKeys:
    """The ``localkeys`` key service (see the module docstring for the format).

    Args:
        folder: The folder of the key files (``DATA_DIR/keys``); created with mode
            0700 if missing.
        passphrase: If given, new key files are encrypted under it, and only such
            files are used; if not, only unprotected files are used.
        argon2: The Argon2id parameters for new key files.
        on_denied: Receives the reason of each refused use of a key (access log).
        random: The source of keys, salts and nonces.

    Raises:
        ConfigurationError: the folder cannot be created, or other users may read
            or enter it.
    """

    def __init__(
        self,
        folder: Path,
        *,
        passphrase: str | None = None,
        argon2: Argon2Parameters | None = None,
        on_denied: DenialHook = ignore_denial,
        random: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self._folder = folder
        self._passphrase = (
            None
            if passphrase is None
            else unicodedata.normalize("NFC", passphrase).encode("utf-8")
        )
        self._argon2 = argon2 or Argon2Parameters()
        self._on_denied = on_denied
        self._random = random
        self._cache: dict[str, bytes] = {}
        self._ciphers: dict[str, AESGCM] = {}
        make_private_folder(folder, "keys")

    def __repr__(self) -> str:
        protected = "with" if self._passphrase is not None else "without"
        return f"LocalKeys({str(self._folder)!r}, {protected} passphrase)"

    @property
    def name(self) -> str:
        """``localkeys``."""
        return NAME

    @property
    def folder(self) -> Path:
        """The folder of the key files."""
        return self._folder

    def path_of(self, key_id: str) -> Path:
        """The file of a key."""
        return self._folder / f"{_check_id(key_id)}{_SUFFIX}"

    def create_key(self, key_id: str) -> str:
        """Create a new random key-encryption key; return its fingerprint.

        Raises:
            InvalidInput: the id is not valid or a key with it exists.
        """
        path = self.path_of(key_id)
        if path.exists():
            msg = f"a key with id {key_id!r} exists"
            raise InvalidInput(msg)
        key = self._random(KEY_BYTES)
        if len(key) != KEY_BYTES:
            msg = "the random source returned a key of the wrong size"
            raise ConfigurationError(msg)
        kid = _kid(key)
        document: dict[str, Any] = {
            "format": FILE_FORMAT,
            "key_id": key_id,
            "kid": kid,
        }
        if self._passphrase is None:
            document |= {"protection": "none", "key": key.hex()}
        else:
            salt = self._random(16)
            nonce = self._random(NONCE_BYTES)
            params = self._argon2
            wrapping = _derive(self._passphrase, salt, params)
            sealed = AESGCM(wrapping).encrypt(nonce, key, _file_aad(key_id, kid))
            document |= {
                "protection": "argon2id",
                "argon2id": {
                    "salt": salt.hex(),
                    "iterations": params.iterations,
                    "lanes": params.lanes,
                    "memory_cost": params.memory_cost,
                },
                "nonce": nonce.hex(),
                "key": sealed.hex(),
            }
        write_new(
            path,
            canonical_json(document),
            self._random,
            exists=f"a key with id {key_id!r} exists",
        )
        self._cache[key_id] = key
        return kid

    def wrap(self, key_id: str, plaintext: bytes, *, aad: bytes) -> bytes:
        """Encrypt ``plaintext`` under the key, bound to the key id and ``aad``.

        Raises:
            AccessDenied: the key does not exist or cannot be opened.
        """
        cipher = self._cipher(key_id, "wrap")
        nonce = self._random(NONCE_BYTES)
        sealed = cipher.encrypt(nonce, plaintext, _wrap_aad(key_id, aad))
        return bytes([WRAP_FORMAT]) + nonce + sealed

    def unwrap(self, key_id: str, wrapped: bytes, *, aad: bytes) -> bytes:
        """Return what :meth:`wrap` wrapped under the key with the same ``aad``.

        Raises:
            AccessDenied: for every failure, with one fixed message.
        """
        cipher = self._cipher(key_id, "unwrap")
        if len(wrapped) < 1 + NONCE_BYTES + 16 or wrapped[0] != WRAP_FORMAT:
            raise refuse(self._on_denied, "unwrap", "malformed", f"key {key_id}")
        nonce = wrapped[1 : 1 + NONCE_BYTES]
        try:
            return cipher.decrypt(
                nonce, wrapped[1 + NONCE_BYTES :], _wrap_aad(key_id, aad)
            )
        except InvalidTag:
            raise refuse(
                self._on_denied, "unwrap", "aead-failed", f"key {key_id}"
            ) from None

    def destroy_key(self, key_id: str) -> KeyShredded:
        """Overwrite the key file with random bytes, flush it, unlink it.

        Raises:
            InvalidInput: no key has that id.
        """
        path = self.path_of(key_id)
        self._cache.pop(key_id, None)
        self._ciphers.pop(key_id, None)
        try:
            kid = str(json.loads(read_private(path)).get("kid", ""))
        except FileNotFoundError:
            msg = f"no key has id {key_id!r}"
            raise InvalidInput(msg) from None
        except (ValueError, AttributeError):
            kid = ""
        size = path.stat().st_size
        descriptor = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
        try:
            os.write(descriptor, self._random(size))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        path.unlink()
        sync_folder(self._folder)
        return KeyShredded(
            key_id=key_id, key_service=NAME, kid=kid, method=SHREDDING_METHOD
        )

    def key_ids(self) -> list[str]:
        """The ids of the keys in the folder, sorted."""
        return sorted(
            p.name.removesuffix(_SUFFIX)
            for p in self._folder.iterdir()
            if p.name.endswith(_SUFFIX) and _ID.fullmatch(p.name.removesuffix(_SUFFIX))
        )

    def _cipher(self, key_id: str, operation: str) -> AESGCM:
        """The AES-256-GCM cipher of a key, made once per key and kept with it."""
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            cipher = AESGCM(self._key(key_id, operation))
            self._ciphers[key_id] = cipher
        return cipher

    def _key(self, key_id: str, operation: str) -> bytes:
        cached = self._cache.get(key_id)
        if cached is not None:
            return cached
        subject = f"key {key_id}"
        try:
            path = self.path_of(key_id)
            document = json.loads(read_private(path))
        except (InvalidInput, FileNotFoundError):
            raise refuse(self._on_denied, operation, "unknown-key", subject) from None
        except (ValueError, OSError):
            raise refuse(
                self._on_denied, operation, "unreadable-key-file", subject
            ) from None
        reason, key = self._decode(key_id, document)
        if key is None:
            raise refuse(self._on_denied, operation, reason, subject)
        self._cache[key_id] = key
        return key

    def _decode(self, key_id: str, document: object) -> tuple[str, bytes | None]:
        expected = "none" if self._passphrase is None else "argon2id"
        if not isinstance(document, dict):
            return "unknown-file-format", None
        reason = _header_problem(key_id, document, expected)
        if reason:
            return reason, None
        kid = str(document.get("kid"))
        try:
            if self._passphrase is None:
                key = bytes.fromhex(document["key"])
            else:
                key = _open_protected(self._passphrase, key_id, kid, document)
        except InvalidTag:
            return "wrong-passphrase", None
        except (KeyError, TypeError, ValueError):
            return "malformed-key-file", None
        if len(key) != KEY_BYTES or _kid(key) != kid:
            return "kid-mismatch", None
        return "", key


def _header_problem(key_id: str, document: dict[str, Any], expected: str) -> str:
    if document.get("format") != FILE_FORMAT:
        return "unknown-file-format"
    if document.get("key_id") != key_id:
        return "key-id-mismatch"
    protection = document.get("protection")
    if protection != expected:
        return f"key-file-protection-{protection}-not-{expected}"
    return ""


def _open_protected(
    passphrase: bytes, key_id: str, kid: str, document: dict[str, Any]
) -> bytes:
    params = document["argon2id"]
    chosen = Argon2Parameters(
        iterations=int(params["iterations"]),
        lanes=int(params["lanes"]),
        memory_cost=int(params["memory_cost"]),
    )
    if not _reasonable(chosen):
        msg = "Argon2id parameters out of bounds"
        raise ValueError(msg)
    wrapping = _derive(passphrase, bytes.fromhex(params["salt"]), chosen)
    return AESGCM(wrapping).decrypt(
        bytes.fromhex(document["nonce"]),
        bytes.fromhex(document["key"]),
        _file_aad(key_id, kid),
    )


def open_local_keys(
    settings: Settings,
    *,
    passphrase: str | None = None,
    on_denied: DenialHook = ignore_denial,
) -> LocalKeys:
    """The ``localkeys`` factory: keys in ``settings.data_dir / "keys"``."""
    return LocalKeys(
        settings.data_dir / KEYS_FOLDER, passphrase=passphrase, on_denied=on_denied
    )


def _reasonable(params: Argon2Parameters) -> bool:
    return (
        1 <= params.iterations <= _MAX_ITERATIONS
        and 1 <= params.lanes <= _MAX_LANES
        and 8 * params.lanes <= params.memory_cost <= _MAX_MEMORY_KIB
    )


def _derive(passphrase: bytes, salt: bytes, params: Argon2Parameters) -> bytes:
    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_cost,
    ).derive(passphrase)


def _file_aad(key_id: str, kid: str) -> bytes:
    return canonical_json({"key_id": key_id, "kid": kid, "purpose": _FILE_PURPOSE})


def _wrap_aad(key_id: str, aad: bytes) -> bytes:
    return _WRAP_AAD + key_id.encode("ascii") + b"\x00" + aad


if TYPE_CHECKING:  # mypy checks that the adapter keeps the port's contract
    _PORT: type[KeyService] = LocalKeys
