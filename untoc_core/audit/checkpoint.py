r"""Signed checkpoints: C2SP ``tlog-checkpoint`` bodies in C2SP signed notes.

A checkpoint states a log's size and root::

    <origin>\n<size>\n<base64 root>\n[extension lines\n]

A signed note is that text, a blank line, and one line per signature::

    \u2014 <key name> <base64(key id (4 bytes) || signature)>\n

For Ed25519 the key id is ``SHA-256(key name || 0x0A || 0x01 || public key)[:4]``
(:func:`ed25519_key_id`). The core never signs or checks a signature itself: it
calls a :class:`CheckpointSigner` or :class:`SignatureVerifier`, which adapters
implement (``untoc_adapters.audit.ed25519``).

Opening a note (:func:`open_checkpoint`) rejects anything malformed, a note with
no valid signature from a trusted key, a bad signature from a trusted key, and a
checkpoint for another origin. :func:`detect_split_view` turns two verified notes
of the same size with different roots into evidence of misbehaviour.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from typing import Final, Protocol

import attrs

from untoc_core.audit.merkle import HASH_SIZE
from untoc_core.errors import InvalidInput

SIGNATURE_PREFIX: Final = "\u2014 "
"""Start of a signature line: an em dash and a space."""

KEY_ID_SIZE: Final = 4
"""Length in bytes of a signed note's key id."""

ED25519_ALGORITHM: Final = 0x01
"""The signature type byte of Ed25519 in C2SP signed notes."""

MAX_SIGNATURES: Final = 100
"""More signature lines than this make a note malformed."""

MAX_NOTE_BYTES: Final = 1 << 20
"""A note longer than this (in UTF-8 bytes) is refused before parsing."""

_SIZE_RE: Final = re.compile(r"0|[1-9][0-9]{0,19}")


class CheckpointRejected(InvalidInput):
    """A checkpoint or signed note is malformed, unsigned, or for another origin."""


class CheckpointSigner(Protocol):
    """Signs checkpoint text; implemented by adapters (for example Ed25519)."""

    @property
    def key_name(self) -> str:
        """The key's name, written on the signature line."""
        ...

    @property
    def key_id(self) -> bytes:
        """The key's 4-byte id, written before the signature."""
        ...

    def sign(self, message: bytes) -> bytes:
        """Sign ``message`` (the note text) and return the bare signature."""
        ...


class SignatureVerifier(Protocol):
    """Checks a signature by one trusted key; implemented by adapters."""

    @property
    def key_name(self) -> str:
        """The trusted key's name."""
        ...

    @property
    def key_id(self) -> bytes:
        """The trusted key's 4-byte id."""
        ...

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True if ``signature`` is this key's signature of ``message``."""
        ...


def check_key_name(name: str) -> str:
    """Check that ``name`` can name a key in a signed note.

    Args:
        name: The key name.

    Returns:
        The name, unchanged.

    Raises:
        InvalidInput: the name is empty, or holds a space, a control character
            or ``+``.
    """
    if not name or "+" in name or any(c.isspace() or not c.isprintable() for c in name):
        msg = f"{name!r} cannot name a key: it must be non-empty, with no spaces or '+'"
        raise InvalidInput(msg)
    return name


def ed25519_key_id(key_name: str, public_key: bytes) -> bytes:
    """The signed-note key id of an Ed25519 key.

    Args:
        key_name: The key's name.
        public_key: The 32-byte raw public key.

    Returns:
        ``SHA-256(key_name || 0x0A || 0x01 || public_key)[:4]``.
    """
    check_key_name(key_name)
    material = key_name.encode() + b"\n" + bytes([ED25519_ALGORITHM]) + public_key
    return hashlib.sha256(material).digest()[:KEY_ID_SIZE]


@attrs.frozen(kw_only=True)
class Checkpoint:
    """A log's size and root, for one origin.

    Attributes:
        origin: The log's name; it should be unique, for example a URL-like name.
        size: The number of leaves.
        root: The RFC 9162 tree head (32 bytes).
        extensions: Extra body lines after the root, kept as they are.
    """

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            msg = "a checkpoint origin must be one non-empty line"
            raise InvalidInput(msg)
        if self.size < 0:
            msg = f"a checkpoint size cannot be negative, got {self.size}"
            raise InvalidInput(msg)
        if len(self.root) != HASH_SIZE:
            msg = f"a checkpoint root has {HASH_SIZE} bytes, got {len(self.root)}"
            raise InvalidInput(msg)
        if any(not line or "\n" in line for line in self.extensions):
            msg = "checkpoint extension lines must be single non-empty lines"
            raise InvalidInput(msg)

    def to_text(self) -> str:
        r"""The checkpoint body, every line ending in a newline.

        Returns:
            ``"<origin>\n<size>\n<base64 root>\n"`` plus any extension lines.
        """
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        lines.extend(self.extensions)
        return "".join(f"{line}\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read a checkpoint body.

        Args:
            text: The body, as found before the blank line of a signed note.

        Returns:
            The checkpoint.

        Raises:
            CheckpointRejected: the body is not a well-formed checkpoint.
        """
        if not text.endswith("\n"):
            msg = "a checkpoint body must end with a newline"
            raise CheckpointRejected(msg)
        lines = text[:-1].split("\n")
        if len(lines) < 3:  # noqa: PLR2004 - origin, size and root
            msg = "a checkpoint body needs an origin, a size and a root"
            raise CheckpointRejected(msg)
        origin, size_text, root_text, *extensions = lines
        if not _SIZE_RE.fullmatch(size_text):
            msg = f"checkpoint size {size_text!r} is not a plain decimal number"
            raise CheckpointRejected(msg)
        root = _b64(root_text, "checkpoint root")
        try:
            return cls(
                origin=origin,
                size=int(size_text),
                root=root,
                extensions=tuple(extensions),
            )
        except CheckpointRejected:
            raise
        except InvalidInput as exc:
            raise CheckpointRejected(str(exc)) from exc


@attrs.frozen(kw_only=True)
class NoteSignature:
    """One signature line of a signed note.

    Attributes:
        key_name: The name on the line.
        key_id: The 4-byte key id.
        signature: The signature bytes after the key id.
    """

    key_name: str
    key_id: bytes
    signature: bytes

    def to_line(self) -> str:
        r"""The signature line, ending in a newline.

        Returns:
            ``"\u2014 <name> <base64(key id || signature)>\n"``.
        """
        blob = base64.b64encode(self.key_id + self.signature).decode()
        return f"{SIGNATURE_PREFIX}{self.key_name} {blob}\n"


@attrs.frozen(kw_only=True)
class SignedNote:
    """A note's text and its signatures, as parsed (not yet verified).

    Attributes:
        text: The signed text, ending in a newline.
        signatures: The signature lines, in order.
    """

    text: str
    signatures: tuple[NoteSignature, ...]

    def to_text(self) -> str:
        """The whole note: text, blank line, signature lines.

        Returns:
            The note as it is distributed.
        """
        return self.text + "\n" + "".join(s.to_line() for s in self.signatures)

    @classmethod
    def parse(cls, note: str) -> SignedNote:
        """Split a signed note into its text and signature lines.

        Args:
            note: The whole note.

        Returns:
            The parsed note; no signature has been checked.

        Raises:
            CheckpointRejected: the note is too long, holds a carriage return or
                NUL, has no blank line before its signatures, no signature, too
                many signatures, or a malformed signature line.
        """
        if len(note.encode("utf-8", "surrogatepass")) > MAX_NOTE_BYTES:
            msg = "the note is too long"
            raise CheckpointRejected(msg)
        if "\r" in note or "\x00" in note or not note.endswith("\n"):
            msg = "a signed note uses \\n line ends only and ends with one"
            raise CheckpointRejected(msg)
        cut = note.rfind("\n\n")
        if cut < 0:
            msg = "a signed note needs a blank line before its signatures"
            raise CheckpointRejected(msg)
        text, block = note[: cut + 1], note[cut + 2 :]
        lines = block[:-1].split("\n")
        if not block or len(lines) > MAX_SIGNATURES:
            msg = "a signed note needs between 1 and 100 signature lines"
            raise CheckpointRejected(msg)
        return cls(text=text, signatures=tuple(_signature(line) for line in lines))


def _b64(text: str, what: str) -> bytes:
    try:
        value = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        msg = f"{what} is not standard base64"
        raise CheckpointRejected(msg) from exc
    if base64.b64encode(value).decode() != text:
        msg = f"{what} is not canonical base64"
        raise CheckpointRejected(msg)
    return value


def _signature(line: str) -> NoteSignature:
    if not line.startswith(SIGNATURE_PREFIX):
        msg = "a signature line must start with an em dash and a space"
        raise CheckpointRejected(msg)
    parts = line[len(SIGNATURE_PREFIX) :].split(" ")
    if len(parts) != 2:  # noqa: PLR2004 - key name and signature
        msg = "a signature line holds a key name and a signature, one space apart"
        raise CheckpointRejected(msg)
    name, blob_text = parts
    try:
        check_key_name(name)
    except InvalidInput as exc:
        raise CheckpointRejected(str(exc)) from exc
    blob = _b64(blob_text, "signature")
    if len(blob) <= KEY_ID_SIZE:
        msg = "a signature holds a 4-byte key id and the signature"
        raise CheckpointRejected(msg)
    return NoteSignature(
        key_name=name, key_id=blob[:KEY_ID_SIZE], signature=blob[KEY_ID_SIZE:]
    )


@attrs.frozen(kw_only=True)
class SignedCheckpoint:
    """A checkpoint whose note was opened with a trusted key.

    Attributes:
        checkpoint: The checkpoint the note states.
        note: The whole note text, kept as evidence.
        key_name: The trusted key whose signature verified.
    """

    checkpoint: Checkpoint
    note: str
    key_name: str


def sign_checkpoint(checkpoint: Checkpoint, signer: CheckpointSigner) -> str:
    """Sign a checkpoint and return the signed note.

    Args:
        checkpoint: The checkpoint to sign.
        signer: The log's signing key.

    Returns:
        The note: checkpoint body, blank line, one signature line.
    """
    text = checkpoint.to_text()
    signature = NoteSignature(
        key_name=check_key_name(signer.key_name),
        key_id=signer.key_id,
        signature=signer.sign(text.encode()),
    )
    return SignedNote(text=text, signatures=(signature,)).to_text()


def add_signature(note: str, signer: CheckpointSigner) -> str:
    """Add a signature (for example a witness's) to an existing signed note.

    The note's existing signatures are not checked here.

    Args:
        note: The signed note.
        signer: The additional key.

    Returns:
        The note with one more signature line.

    Raises:
        CheckpointRejected: ``note`` is malformed.
    """
    parsed = SignedNote.parse(note)
    extra = NoteSignature(
        key_name=check_key_name(signer.key_name),
        key_id=signer.key_id,
        signature=signer.sign(parsed.text.encode()),
    )
    return attrs.evolve(parsed, signatures=(*parsed.signatures, extra)).to_text()


def open_checkpoint(
    note: str, verifiers: Iterable[SignatureVerifier], *, origin: str | None = None
) -> SignedCheckpoint:
    """Verify a signed checkpoint note and read its checkpoint.

    Signatures by keys that are not trusted are ignored, as the signed-note format
    asks; a signature that names a trusted key (name and key id) but does not
    verify rejects the note.

    Args:
        note: The whole signed note.
        verifiers: The trusted keys; at least one must have signed.
        origin: The origin the checkpoint must be for; None accepts any.

    Returns:
        The checkpoint and the name of the trusted key that signed it.

    Raises:
        CheckpointRejected: the note is malformed, a trusted key's signature is
            bad, no trusted key signed it, or the origin differs.
    """
    parsed = SignedNote.parse(note)
    trusted = {(v.key_name, bytes(v.key_id)): v for v in verifiers}
    message = parsed.text.encode()
    signed_by: str | None = None
    for sig in parsed.signatures:
        verifier = trusted.get((sig.key_name, sig.key_id))
        if verifier is None:
            continue
        if not verifier.verify(message, sig.signature):
            msg = f"the signature by {sig.key_name} does not verify"
            raise CheckpointRejected(msg)
        signed_by = signed_by or sig.key_name
    if signed_by is None:
        msg = "no trusted key signed this checkpoint"
        raise CheckpointRejected(msg)
    checkpoint = Checkpoint.parse(parsed.text)
    if origin is not None and checkpoint.origin != origin:
        msg = f"the checkpoint is for {checkpoint.origin!r}, expected {origin!r}"
        raise CheckpointRejected(msg)
    return SignedCheckpoint(checkpoint=checkpoint, note=note, key_name=signed_by)


@attrs.frozen(kw_only=True)
class SplitView:
    """Proof that a log showed two different trees of the same size.

    Both notes verify under the log's key, so together they prove the log signed
    two incompatible histories.

    Attributes:
        origin: The log.
        size: The size both checkpoints state.
        first: The first note, verbatim.
        second: The second note, verbatim.
    """

    origin: str
    size: int
    first: str
    second: str


def detect_split_view(a: SignedCheckpoint, b: SignedCheckpoint) -> SplitView | None:
    """Compare two verified checkpoints of one log for a split view.

    Checkpoints of different sizes are not compared here: a consistency proof
    between them settles whether they agree.

    Args:
        a: One verified checkpoint.
        b: Another verified checkpoint.

    Returns:
        The evidence if both are for the same origin and size but their roots
        differ; None otherwise.
    """
    first, second = a.checkpoint, b.checkpoint
    if first.origin != second.origin or first.size != second.size:
        return None
    if first.root == second.root:
        return None
    return SplitView(origin=first.origin, size=first.size, first=a.note, second=b.note)
