"""The ``pkcs11`` key service: key-encryption keys inside a PKCS#11 token (an HSM).

Each key-encryption key is an AES-256 secret key stored on the token (``CKA_TOKEN``),
labelled ``"untoc/kek/" + key_id``, generated inside the token with
``CKA_SENSITIVE=TRUE``, ``CKA_EXTRACTABLE=FALSE``, ``CKA_PRIVATE=TRUE`` (only a
logged-in user sees it), ``CKA_MODIFIABLE=FALSE``, ``CKA_COPYABLE=FALSE`` and the
``encrypt`` and ``decrypt`` capabilities only (no wrap, unwrap, sign or derive). Its
value never leaves the token: this library sends bytes in and gets bytes back.
A key is used only if the token reports it AES-256, ``CKA_ALWAYS_SENSITIVE`` and
``CKA_NEVER_EXTRACTABLE``, so a key imported from known bytes under the same label is
refused.

``wrap`` encrypts with ``CKM_AES_GCM`` inside the token, with 12 random bytes as IV
and a 128-bit tag: ``0x01 || iv (12) || ciphertext || tag (16)``, with associated
data ``"untoc/pkcs11/wrap/v1" 0x00 key_id 0x00 aad``. The all-zero IV is kept for the
fingerprint and never used by ``wrap``.

The fingerprint (``kid``) of a key whose value cannot be read is a known-answer
value: the token encrypts 32 zero bytes under the key with ``CKM_AES_GCM``, the
all-zero 12-byte IV and the associated data ``"untoc/pkcs11/kid/v1"``; the ``kid`` is
the first 16 bytes of SHA-256 of ``"untoc/pkcs11/kid/v1" 0x00`` and that output, in
hex. It is the same every time the key is asked, differs between keys, and reveals
nothing of the key (it is a hash of AES output under it).

``destroy_key`` removes the key with ``C_DestroyObject`` and returns a
:class:`~untoc_core.confidentiality.KeyShredded` record to store. What becomes of
the storage the object used is up to the token.

Sessions: one read/write session, logged in as the user with the PIN at
construction, serves every operation under a lock (:meth:`Pkcs11Keys.locked_session`
lends it, under the lock, to other objects on the token); :meth:`Pkcs11Keys.close`
logs out and closes it. The PIN is used for the login and not kept. PKCS#11 logs in per
application, not per session, so use one ``Pkcs11Keys`` per token in a process:
a second one opened while the first is logged in shares its login, and closing
either logs both out.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Final, Self

from untoc_adapters.crypto.denials import ignore_denial, refuse
from untoc_adapters.settings import Settings
from untoc_core.confidentiality import DenialHook, KeyShredded
from untoc_core.errors import ConfigurationError, InvalidInput
from untoc_core.ports import KeyService

try:
    import pkcs11
    from pkcs11 import (
        Attribute,
        GCMParams,
        KeyType,
        Mechanism,
        MechanismFlag,
        ObjectClass,
    )
    from pkcs11.exceptions import (
        EncryptedDataInvalid,
        EncryptedDataLenRange,
        GeneralError,
        PKCS11Error,
        UserAlreadyLoggedIn,
    )
    from pkcs11.types import DecryptMixin, EncryptMixin, Object, Session
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    msg = (
        "the pkcs11 key service needs python-pkcs11: install the extra with "
        "pip install 'untoc[pkcs11]'"
    )
    raise ConfigurationError(msg) from exc

NAME: Final = "pkcs11"
WRAP_FORMAT: Final = 1
KEY_BITS: Final = 256
IV_BYTES: Final = 12
TAG_BYTES: Final = 16
LABEL_PREFIX: Final = "untoc/kek/"
SHREDDING_METHOD: Final = (
    "PKCS#11 C_DestroyObject of a sensitive, never-extractable token key"
)
PIN_VARIABLE: Final = "UNTOC_PKCS11_PIN"
MODULE_VARIABLE: Final = "UNTOC_PKCS11_MODULE"
TOKEN_VARIABLE: Final = "UNTOC_PKCS11_TOKEN"  # noqa: S105 - a variable name

_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_WRAP_AAD: Final = b"untoc/pkcs11/wrap/v1\x00"
_KID_PURPOSE: Final = b"untoc/pkcs11/kid/v1"
_KID_IV: Final = bytes(IV_BYTES)
_KID_PLAINTEXT: Final = bytes(32)
_AEAD_ERRORS: Final = (GeneralError, EncryptedDataInvalid, EncryptedDataLenRange)
_KEY_TEMPLATE: Final = {
    Attribute.TOKEN: True,
    Attribute.PRIVATE: True,
    Attribute.SENSITIVE: True,
    Attribute.EXTRACTABLE: False,
    Attribute.MODIFIABLE: False,
    Attribute.COPYABLE: False,
    Attribute.WRAP: False,
    Attribute.UNWRAP: False,
    Attribute.SIGN: False,
    Attribute.VERIFY: False,
    Attribute.DERIVE: False,
}


class _Unusable(Exception):
    """A key that cannot be used; the argument is the denial reason."""


def _check_id(key_id: str) -> str:
    if not _ID.fullmatch(key_id):
        msg = (
            f"key id {key_id!r} is not valid: 1-64 lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"
        )
        raise InvalidInput(msg)
    return key_id


def _label(key_id: str) -> str:
    return LABEL_PREFIX + key_id


def _wrap_aad(key_id: str, aad: bytes) -> bytes:
    return _WRAP_AAD + key_id.encode("ascii") + b"\x00" + aad


def _error_name(error: PKCS11Error) -> str:
    return f"pkcs11-{type(error).__name__}"


class Pkcs11Keys:
    """The ``pkcs11`` key service (see the module docstring for the format).

    Args:
        module: The path of the token's PKCS#11 module, for example
            ``/usr/lib/softhsm/libsofthsm2.so``.
        token_label: The label of the token holding the keys.
        pin: The user PIN. Read it from the environment variable
            ``UNTOC_PKCS11_PIN`` (see :func:`open_pkcs11_keys`), never from a file
            under version control. It is used to log in and not kept.
        on_denied: Receives the reason of each refused use of a key (access log).
        random: The source of the GCM IVs.

    Raises:
        ConfigurationError: the module cannot be loaded, no single token has the
            label, or the login fails (the message never contains the PIN).
    """

    def __init__(
        self,
        module: str,
        token_label: str,
        pin: str,
        *,
        on_denied: DenialHook = ignore_denial,
        random: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self._module = module
        self._token_label = token_label
        self._on_denied = on_denied
        self._random = random
        self._lock = threading.Lock()
        self._session: Session | None = _open_session(module, token_label, pin)

    def __repr__(self) -> str:
        state = "closed" if self._session is None else "open"
        return f"Pkcs11Keys({self._module!r}, token {self._token_label!r}, {state})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def name(self) -> str:
        """``pkcs11``."""
        return NAME

    @property
    def token_label(self) -> str:
        """The label of the token holding the keys."""
        return self._token_label

    @contextlib.contextmanager
    def locked_session(self) -> Iterator[Session]:
        """The service's logged-in session, held under its lock for the block.

        For other untoc objects kept on the same token (a principal's key, see
        :mod:`untoc_adapters.crypto.pkcs11_principal`), so that one process keeps
        one login. Do not call the service's own methods inside the block.

        Raises:
            ConfigurationError: the service is closed.
        """
        with self._lock:
            yield self._open_session_or_fail()

    def close(self) -> None:
        """Log out and close the session; later uses are refused. Idempotent."""
        with self._lock:
            session, self._session = self._session, None
            if session is not None:
                with contextlib.suppress(PKCS11Error):
                    session.close()

    def create_key(self, key_id: str) -> str:
        """Generate a new AES-256 key-encryption key in the token; return its kid.

        Raises:
            InvalidInput: the id is not valid or a key with it exists.
            ConfigurationError: the service is closed or the token refused.
        """
        label = _label(_check_id(key_id))
        with self._lock:
            session = self._open_session_or_fail()
            try:
                if self._find(session, key_id):
                    msg = f"a key with id {key_id!r} exists"
                    raise InvalidInput(msg)
                key = session.generate_key(
                    KeyType.AES,
                    KEY_BITS,
                    label=label,
                    store=True,
                    capabilities=MechanismFlag.ENCRYPT | MechanismFlag.DECRYPT,
                    template=dict(_KEY_TEMPLATE),
                )
                return _kid(key)
            except (PKCS11Error, _Unusable) as exc:
                msg = f"the token refused to create key {key_id!r}: {exc!r}"
                raise ConfigurationError(msg) from exc

    def wrap(self, key_id: str, plaintext: bytes, *, aad: bytes) -> bytes:
        """Encrypt ``plaintext`` in the token, bound to the key id and ``aad``.

        Raises:
            AccessDenied: the key does not exist or cannot be used.
        """
        iv = self._iv()
        subject = f"key {key_id}"
        with self._lock:
            key = self._usable_key(key_id, "wrap")
            try:
                sealed = _encrypt(key, plaintext, GCMParams(iv, _wrap_aad(key_id, aad)))
            except PKCS11Error as exc:
                raise refuse(
                    self._on_denied, "wrap", _error_name(exc), subject
                ) from None
            except _Unusable as exc:
                raise refuse(self._on_denied, "wrap", str(exc), subject) from None
        return bytes([WRAP_FORMAT]) + iv + sealed

    def unwrap(self, key_id: str, wrapped: bytes, *, aad: bytes) -> bytes:
        """Return what :meth:`wrap` wrapped under the key with the same ``aad``.

        Raises:
            AccessDenied: for every failure, with one fixed message.
        """
        subject = f"key {key_id}"
        with self._lock:
            key = self._usable_key(key_id, "unwrap")
            if len(wrapped) < 1 + IV_BYTES + TAG_BYTES or wrapped[0] != WRAP_FORMAT:
                raise refuse(self._on_denied, "unwrap", "malformed", subject)
            iv = wrapped[1 : 1 + IV_BYTES]
            try:
                return _decrypt(
                    key,
                    wrapped[1 + IV_BYTES :],
                    GCMParams(iv, _wrap_aad(key_id, aad)),
                )
            except _AEAD_ERRORS:
                reason = "aead-failed"
            except PKCS11Error as exc:
                reason = _error_name(exc)
            except _Unusable as exc:
                reason = str(exc)
        raise refuse(self._on_denied, "unwrap", reason, subject)

    def destroy_key(self, key_id: str) -> KeyShredded:
        """Destroy the key in the token with ``C_DestroyObject``.

        Every object labelled with the key id is destroyed; the record's ``kid``
        is the key's fingerprint, or empty if there were several or it could not
        be computed.

        Raises:
            InvalidInput: the id is not valid or no key has it.
            ConfigurationError: the service is closed or the token refused.
        """
        _check_id(key_id)
        with self._lock:
            session = self._open_session_or_fail()
            try:
                found = self._find(session, key_id)
                if not found:
                    msg = f"no key has id {key_id!r}"
                    raise InvalidInput(msg)
                kid = ""
                if len(found) == 1:
                    with contextlib.suppress(PKCS11Error, _Unusable):
                        kid = _kid(found[0])
                for key in found:
                    key.destroy()
            except PKCS11Error as exc:
                msg = f"the token refused to destroy key {key_id!r}: {exc!r}"
                raise ConfigurationError(msg) from exc
        return KeyShredded(
            key_id=key_id, key_service=NAME, kid=kid, method=SHREDDING_METHOD
        )

    def key_ids(self) -> list[str]:
        """The ids of this service's AES keys on the token, sorted.

        Raises:
            ConfigurationError: the service is closed or the token refused.
        """
        with self._lock:
            session = self._open_session_or_fail()
            try:
                labels = [
                    str(key[Attribute.LABEL])
                    for key in session.get_objects(
                        {
                            Attribute.CLASS: ObjectClass.SECRET_KEY,
                            Attribute.KEY_TYPE: KeyType.AES,
                            Attribute.TOKEN: True,
                        }
                    )
                ]
            except PKCS11Error as exc:
                msg = f"the token refused to list keys: {exc!r}"
                raise ConfigurationError(msg) from exc
        return sorted(
            {
                label.removeprefix(LABEL_PREFIX)
                for label in labels
                if label.startswith(LABEL_PREFIX)
                and _ID.fullmatch(label.removeprefix(LABEL_PREFIX))
            }
        )

    def _open_session_or_fail(self) -> Session:
        if self._session is None:
            msg = "the pkcs11 key service is closed"
            raise ConfigurationError(msg)
        return self._session

    def _iv(self) -> bytes:
        while True:
            iv = self._random(IV_BYTES)
            if len(iv) != IV_BYTES:
                msg = "the random source returned an IV of the wrong size"
                raise ConfigurationError(msg)
            if iv != _KID_IV:
                return iv

    @staticmethod
    def _find(session: Session, key_id: str) -> list[Object]:
        return list(
            session.get_objects(
                {
                    Attribute.CLASS: ObjectClass.SECRET_KEY,
                    Attribute.LABEL: _label(key_id),
                    Attribute.TOKEN: True,
                }
            )
        )

    def _usable_key(self, key_id: str, operation: str) -> Object:
        """The one protected AES-256 key with the id, or raise the refusal."""
        subject = f"key {key_id}"
        session = self._session
        if session is None:
            raise refuse(self._on_denied, operation, "service-closed", subject)
        if not _ID.fullmatch(key_id):
            raise refuse(self._on_denied, operation, "unknown-key", subject)
        found: list[Object] = []
        try:
            found = self._find(session, key_id)
            if not found:
                reason = "unknown-key"
            elif len(found) > 1:
                reason = "duplicate-key"
            else:
                reason = _protection_problem(found[0])
        except PKCS11Error as exc:
            reason = _error_name(exc)
        if reason:
            raise refuse(self._on_denied, operation, reason, subject)
        return found[0]


def _protection_problem(key: Object) -> str:
    values = key.get_attributes(
        [
            Attribute.KEY_TYPE,
            Attribute.VALUE_LEN,
            Attribute.ALWAYS_SENSITIVE,
            Attribute.NEVER_EXTRACTABLE,
        ]
    )
    if values.get(Attribute.KEY_TYPE) != KeyType.AES:
        return "wrong-key-type"
    if values.get(Attribute.VALUE_LEN) != KEY_BITS // 8:
        return "wrong-key-size"
    if values.get(Attribute.ALWAYS_SENSITIVE) is not True:
        return "key-not-always-sensitive"
    if values.get(Attribute.NEVER_EXTRACTABLE) is not True:
        return "key-not-never-extractable"
    return ""


def _encrypt(key: Object, data: bytes, params: GCMParams) -> bytes:
    if not isinstance(key, EncryptMixin):
        raise _Unusable("key-cannot-encrypt")
    out = key.encrypt(data, mechanism=Mechanism.AES_GCM, mechanism_param=params)
    if not isinstance(out, bytes):  # pragma: no cover - bytes in, bytes out
        raise _Unusable("unexpected-output")
    return out


def _decrypt(key: Object, data: bytes, params: GCMParams) -> bytes:
    if not isinstance(key, DecryptMixin):
        raise _Unusable("key-cannot-decrypt")
    out = key.decrypt(data, mechanism=Mechanism.AES_GCM, mechanism_param=params)
    if not isinstance(out, bytes):  # pragma: no cover - bytes in, bytes out
        raise _Unusable("unexpected-output")
    return out


def _kid(key: Object) -> str:
    """The known-answer fingerprint of a key (see the module docstring)."""
    answer = _encrypt(key, _KID_PLAINTEXT, GCMParams(_KID_IV, _KID_PURPOSE))
    return hashlib.sha256(_KID_PURPOSE + b"\x00" + answer).digest()[:16].hex()


def _open_session(module: str, token_label: str, pin: str) -> Session:
    try:
        library = pkcs11.lib(module)
    except (OSError, PKCS11Error, RuntimeError) as exc:
        msg = f"cannot load the PKCS#11 module {module!r}: {exc!r}"
        raise ConfigurationError(msg) from exc
    try:
        token = library.get_token(token_label=token_label)
    except PKCS11Error as exc:
        msg = (
            f"no single PKCS#11 token labelled {token_label!r} in {module!r}: "
            f"{type(exc).__name__}"
        )
        raise ConfigurationError(msg) from None
    try:
        return token.open(rw=True, user_pin=pin)
    except UserAlreadyLoggedIn:
        # PKCS#11 logs in per application: this process already is.
        return token.open(rw=True)
    except PKCS11Error as exc:
        msg = (
            f"cannot log in to the PKCS#11 token {token_label!r}: "
            f"{type(exc).__name__} (check {PIN_VARIABLE})"
        )
        raise ConfigurationError(msg) from None


def open_pkcs11_keys(
    settings: Settings | None = None,
    *,
    module: str | None = None,
    token_label: str | None = None,
    pin: str | None = None,
    on_denied: DenialHook = ignore_denial,
) -> Pkcs11Keys:
    """The ``pkcs11`` factory: arguments first, then the environment.

    Args:
        settings: Accepted like every key-service factory; not used.
        module: The PKCS#11 module path; else ``UNTOC_PKCS11_MODULE``.
        token_label: The token's label; else ``UNTOC_PKCS11_TOKEN``.
        pin: The user PIN; else ``UNTOC_PKCS11_PIN`` (the recommended source).
        on_denied: Receives the reason of each refused use of a key.

    Raises:
        ConfigurationError: a value is missing, or the token cannot be opened.
    """
    del settings
    env = os.environ
    chosen_module = module or env.get(MODULE_VARIABLE, "")
    chosen_label = token_label or env.get(TOKEN_VARIABLE, "")
    chosen_pin = pin if pin is not None else env.get(PIN_VARIABLE, "")
    missing = [
        variable
        for variable, value in (
            (MODULE_VARIABLE, chosen_module),
            (TOKEN_VARIABLE, chosen_label),
            (PIN_VARIABLE, chosen_pin),
        )
        if not value
    ]
    if missing:
        msg = f"the pkcs11 key service needs {', '.join(missing)}"
        raise ConfigurationError(msg)
    return Pkcs11Keys(chosen_module, chosen_label, chosen_pin, on_denied=on_denied)


if TYPE_CHECKING:  # mypy checks that the adapter keeps the port's contract
    _PORT: type[KeyService] = Pkcs11Keys
