"""Ed25519 keys for signed checkpoints (C2SP signed notes), with ``cryptography``.

:class:`Ed25519CheckpointSigner` implements the core's
:class:`~untoc_core.audit.checkpoint.CheckpointSigner` and
:class:`Ed25519SignatureVerifier` its
:class:`~untoc_core.audit.checkpoint.SignatureVerifier`. A verifier key can be
written as a signed-note verifier key string, ``<name>+<hex key id>+<base64(0x01 ||
public key)>``, which is what an auditor is given to trust.
"""

from __future__ import annotations

import base64
import binascii
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from untoc_core.audit.checkpoint import (
    ED25519_ALGORITHM,
    check_key_name,
    ed25519_key_id,
)
from untoc_core.errors import InvalidInput

KEY_BYTES: Final = 32
"""Length of a raw Ed25519 private or public key."""


class Ed25519SignatureVerifier:
    """Checks checkpoint signatures made by one Ed25519 key."""

    def __init__(self, key_name: str, public_key: bytes) -> None:
        """Trust the Ed25519 ``public_key`` under ``key_name``.

        Args:
            key_name: The key's name in signed notes.
            public_key: The 32-byte raw public key.

        Raises:
            InvalidInput: the name is not a valid key name or the key is not 32
                bytes.
        """
        check_key_name(key_name)
        if len(public_key) != KEY_BYTES:
            msg = f"an Ed25519 public key has {KEY_BYTES} bytes, got {len(public_key)}"
            raise InvalidInput(msg)
        self._name = key_name
        self._public = bytes(public_key)
        self._key = Ed25519PublicKey.from_public_bytes(self._public)
        self._id = ed25519_key_id(key_name, self._public)

    @classmethod
    def from_vkey(cls, vkey: str) -> Ed25519SignatureVerifier:
        """Read a signed-note verifier key string.

        Args:
            vkey: ``<name>+<hex key id>+<base64(0x01 || public key)>``.

        Returns:
            The verifier.

        Raises:
            InvalidInput: the string is malformed, names another algorithm, or its
                key id does not match the key.
        """
        parts = vkey.split("+", 2)
        if len(parts) != 3:  # noqa: PLR2004 - name, key id, key
            msg = "a verifier key is <name>+<key id>+<key>"
            raise InvalidInput(msg)
        name, key_id_hex, key_b64 = parts
        try:
            key_id = bytes.fromhex(key_id_hex)
            material = base64.b64decode(key_b64, validate=True)
        except (ValueError, binascii.Error) as exc:
            msg = "a verifier key's id must be hex and its key base64"
            raise InvalidInput(msg) from exc
        if not material or material[0] != ED25519_ALGORITHM:
            msg = "the verifier key is not an Ed25519 key"
            raise InvalidInput(msg)
        verifier = cls(name, material[1:])
        if verifier.key_id != key_id:
            msg = "the verifier key's id does not match its name and key"
            raise InvalidInput(msg)
        return verifier

    @property
    def key_name(self) -> str:
        """The key's name."""
        return self._name

    @property
    def key_id(self) -> bytes:
        """The key's 4-byte id."""
        return self._id

    @property
    def public_key(self) -> bytes:
        """The 32-byte raw public key."""
        return self._public

    @property
    def vkey(self) -> str:
        """The key as a signed-note verifier key string."""
        material = base64.b64encode(bytes([ED25519_ALGORITHM]) + self._public).decode()
        return f"{self._name}+{self._id.hex()}+{material}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's signature of ``message``.

        Args:
            message: The signed bytes.
            signature: The 64-byte Ed25519 signature.

        Returns:
            True if it verifies; False otherwise, including for a wrong length.
        """
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


class Ed25519CheckpointSigner:
    """Signs checkpoints with an Ed25519 private key."""

    def __init__(self, key_name: str, private_key: Ed25519PrivateKey) -> None:
        """Sign as ``key_name`` with ``private_key``.

        Args:
            key_name: The key's name in signed notes.
            private_key: The private key.

        Raises:
            InvalidInput: the name is not a valid key name.
        """
        check_key_name(key_name)
        self._name = key_name
        self._key = private_key
        self._verifier = Ed25519SignatureVerifier(
            key_name, private_key.public_key().public_bytes_raw()
        )

    @classmethod
    def generate(cls, key_name: str) -> Ed25519CheckpointSigner:
        """Make a new random key.

        Args:
            key_name: The key's name.

        Returns:
            The signer.
        """
        return cls(key_name, Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(
        cls, key_name: str, private_key: bytes
    ) -> Ed25519CheckpointSigner:
        """Load a key from its 32 raw private bytes.

        Args:
            key_name: The key's name.
            private_key: The raw private key (the seed).

        Returns:
            The signer.

        Raises:
            InvalidInput: the key is not 32 bytes.
        """
        if len(private_key) != KEY_BYTES:
            msg = (
                f"an Ed25519 private key has {KEY_BYTES} bytes, got {len(private_key)}"
            )
            raise InvalidInput(msg)
        return cls(key_name, Ed25519PrivateKey.from_private_bytes(private_key))

    def private_bytes(self) -> bytes:
        """The 32 raw private bytes, to store in a protected place.

        Returns:
            The raw private key.
        """
        return self._key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )

    @property
    def key_name(self) -> str:
        """The key's name."""
        return self._name

    @property
    def key_id(self) -> bytes:
        """The key's 4-byte id."""
        return self._verifier.key_id

    @property
    def public_key(self) -> bytes:
        """The 32-byte raw public key."""
        return self._verifier.public_key

    def verifier(self) -> Ed25519SignatureVerifier:
        """The verifier for this key, to hand to auditors.

        Returns:
            The matching verifier.
        """
        return self._verifier

    def sign(self, message: bytes) -> bytes:
        """Sign ``message``.

        Args:
            message: The note text's bytes.

        Returns:
            The 64-byte Ed25519 signature.
        """
        return self._key.sign(message)
