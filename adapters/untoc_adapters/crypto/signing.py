"""Ed25519 signatures of principals: the ``SignatureCheck`` port, and signing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

if TYPE_CHECKING:
    from untoc_core.ports import SignatureCheck

SIGNATURE_BYTES = 64


class Ed25519Signatures:
    """Checks Ed25519 signatures against raw 32-byte public keys."""

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` over ``message`` verifies with ``public_key``.

        A malformed key or signature is simply ``False``.
        """
        if len(signature) != SIGNATURE_BYTES:
            return False
        try:
            ed25519.Ed25519PublicKey.from_public_bytes(public_key).verify(
                signature, message
            )
        except (InvalidSignature, ValueError):
            return False
        return True


def sign(private_key: bytes, message: bytes) -> bytes:
    """Sign ``message`` with a raw 32-byte Ed25519 private key."""
    return ed25519.Ed25519PrivateKey.from_private_bytes(private_key).sign(message)


def public_of(private_key: bytes) -> bytes:
    """The raw public key of a raw Ed25519 private key."""
    key = ed25519.Ed25519PrivateKey.from_private_bytes(private_key)
    return key.public_key().public_bytes_raw()


def new_signing_key() -> bytes:
    """A new raw Ed25519 private key (32 bytes)."""
    return ed25519.Ed25519PrivateKey.generate().private_bytes_raw()


if TYPE_CHECKING:  # mypy checks that the adapter keeps the port's contract
    _PORT: type[SignatureCheck] = Ed25519Signatures
