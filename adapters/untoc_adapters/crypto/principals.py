"""The private keys of the principals acting from this installation.

A principal (a State's focal point, the secretariat, the group of experts) holds
an HPKE decryption key, for the data keys wrapped for it, and an Ed25519 signing
key, for its consents. :class:`PrincipalKeys` keeps them in files under
``DATA_DIR/principals`` (folder 0700, files 0600), never in clear: the private
keys are wrapped under a key-encryption key of the key service (``localkeys`` or
``pkcs11``), one per principal, bound to the principal's id and fingerprints. A
passphrase on ``localkeys``, or an HSM, therefore protects them too.

File format (JSON): ``format`` (1), ``principal``, ``suite``, ``encryption_key``
and ``signing_key`` (the public keys, base64), ``kek_id`` and ``wrapped`` (the
private keys wrapped by the key service, base64).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Final

import attrs

from untoc_adapters.crypto.grants import (
    DEFAULT_SUITE,
    GrantSuite,
    PrincipalPrivateKey,
)
from untoc_adapters.crypto.signing import new_signing_key, public_of, sign
from untoc_adapters.files import make_private_folder, read_private, write_new
from untoc_core.canonical import canonical_json
from untoc_core.confidentiality import AccessDenied, PrincipalKind, RegisterPrincipal
from untoc_core.confidentiality.commands import check_principal_id, fingerprint
from untoc_core.errors import InvalidInput
from untoc_core.ports import KeyService

PRINCIPALS_FOLDER: Final = "principals"
FILE_FORMAT: Final = 1
_SIGNING_BYTES: Final = 32
_PURPOSE: Final = "untoc-principal-keys/v1"


def _file_name(principal: str) -> str:
    slug = re.sub(r"[^a-z0-9]", "-", principal.lower())[:40]
    return f"{slug}-{hashlib.sha256(principal.encode()).hexdigest()[:12]}"


@attrs.frozen
class PrincipalIdentity:
    """A principal's private keys, in memory only. Its repr shows no key."""

    principal: str
    decryption_key: PrincipalPrivateKey = attrs.field(repr=False)
    signing_key: bytes = attrs.field(repr=False)

    def sign(self, message: bytes) -> bytes:
        """Sign ``message`` (Ed25519)."""
        return sign(self.signing_key, message)

    def registration(
        self, kind: PrincipalKind, state: str | None = None
    ) -> RegisterPrincipal:
        """The command registering this principal with its public keys."""
        public = self.decryption_key.public_key()
        signing_public = public_of(self.signing_key)
        return RegisterPrincipal(
            principal=self.principal,
            kind=kind,
            state=state,
            encryption_kid=public.kid,
            signing_kid=fingerprint(signing_public),
            encryption_suite=public.suite.value,
            encryption_key=public.raw,
            signing_key=signing_public,
        )


class PrincipalKeys:
    """Private keys of principals, wrapped under a key service, in files.

    Args:
        folder: The folder of the files (``DATA_DIR/principals``).
        keys: The key service that wraps them.
    """

    def __init__(self, folder: Path, keys: KeyService) -> None:
        self._folder = folder
        self._keys = keys
        make_private_folder(folder, "principal keys")

    def __repr__(self) -> str:
        return f"PrincipalKeys({str(self._folder)!r}, {self._keys.name})"

    def create(
        self, principal: str, suite: GrantSuite = DEFAULT_SUITE
    ) -> PrincipalIdentity:
        """Make new keys for ``principal`` and keep them.

        Raises:
            InvalidInput: a malformed id, or keys exist for it already.
        """
        identity = self.generate(principal, suite)
        self.keep(identity)
        return identity

    def generate(
        self, principal: str, suite: GrantSuite = DEFAULT_SUITE
    ) -> PrincipalIdentity:
        """Make new keys for ``principal`` in memory only (see :meth:`keep`).

        Raises:
            InvalidInput: a malformed id, or keys exist for it already.
        """
        check_principal_id(principal)
        if self._path(principal).exists():
            msg = f"keys for principal {principal!r} exist already"
            raise InvalidInput(msg)
        return PrincipalIdentity(
            principal=principal,
            decryption_key=PrincipalPrivateKey.generate(suite),
            signing_key=new_signing_key(),
        )

    def keep(self, identity: PrincipalIdentity) -> None:
        """Write a principal's keys, wrapped under the key service, to its file.

        Raises:
            InvalidInput: keys exist for that principal already.
        """
        principal = identity.principal
        path = self._path(principal)
        suite = identity.decryption_key.suite
        kek_id = "principal-" + _file_name(principal)
        if kek_id not in self._keys.key_ids():
            self._keys.create_key(kek_id)
        public = identity.decryption_key.public_key()
        signing_public = public_of(identity.signing_key)
        wrapped = self._keys.wrap(
            kek_id,
            identity.decryption_key.raw + identity.signing_key,
            aad=_aad(principal, public.kid, fingerprint(signing_public)),
        )
        document = {
            "encryption_key": _b64(public.raw),
            "format": FILE_FORMAT,
            "kek_id": kek_id,
            "principal": principal,
            "signing_key": _b64(signing_public),
            "suite": suite.value,
            "wrapped": _b64(wrapped),
        }
        write_new(path, canonical_json(document), os.urandom)

    def load(self, principal: str) -> PrincipalIdentity:
        """The keys of ``principal``.

        Raises:
            InvalidInput: no keys are kept here for that principal.
            AccessDenied: the file does not open (tampered, or its key is gone).
        """
        check_principal_id(principal)
        path = self._path(principal)
        if not path.exists():
            msg = (
                f"no keys for principal {principal!r} are kept in {self._folder}; "
                "act as a principal whose keys this installation holds"
            )
            raise InvalidInput(msg)
        try:
            document: dict[str, Any] = json.loads(read_private(path))
            suite = GrantSuite(document["suite"])
            encryption_public = base64.b64decode(document["encryption_key"])
            signing_public = base64.b64decode(document["signing_key"])
            if document["format"] != FILE_FORMAT or document["principal"] != principal:
                raise ValueError(principal)  # noqa: TRY301 - one error path
            raw = self._keys.unwrap(
                str(document["kek_id"]),
                base64.b64decode(document["wrapped"]),
                aad=_aad(
                    principal,
                    fingerprint(encryption_public),
                    fingerprint(signing_public),
                ),
            )
        except (ValueError, KeyError, TypeError):
            raise AccessDenied from None
        identity = PrincipalIdentity(
            principal=principal,
            decryption_key=PrincipalPrivateKey(suite, raw[:-_SIGNING_BYTES]),
            signing_key=raw[-_SIGNING_BYTES:],
        )
        if identity.decryption_key.public_key().raw != encryption_public:
            raise AccessDenied
        return identity

    def principals(self) -> list[str]:
        """The principals whose keys are kept here, sorted."""
        found = []
        for path in self._folder.glob("*.json"):
            try:
                found.append(str(json.loads(read_private(path))["principal"]))
            except (ValueError, KeyError, OSError):
                continue
        return sorted(found)

    def _path(self, principal: str) -> Path:
        return self._folder / f"{_file_name(principal)}.json"


def _aad(principal: str, encryption_kid: str, signing_kid: str) -> bytes:
    return canonical_json(
        {
            "encryption_kid": encryption_kid,
            "principal": principal,
            "purpose": _PURPOSE,
            "signing_kid": signing_kid,
        }
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
