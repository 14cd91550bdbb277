"""Randomness sources for the seed of a draw, and the seed's derivation (ToR 3(a), 5).

A draw's seed must come from a source announced before its value exists, so no one
can try seeds until one suits (ToR 5: non-selective). Two sources implement the
:class:`untoc_core.ports.RandomnessSource` port:

* :class:`PublishedSeed`: a named future public value, such as ``drand round
  4821333``, ``NIST beacon pulse 2027-01-15T12:00Z`` or ``lottery results of
  2027-01-15``, with the time it is due and its format. The value is supplied when
  it is published.
* :class:`CommitReveal`: named States commit to secrets before a deadline, reveal them
  after commitments close and before a second deadline, and the reveals are combined
  with an optional public value due after the reveals close. The rule for a withheld
  or wrong reveal (:class:`MissingRevealRule`) is part of the announcement (T38).

Every source derives the seed the same way::

    seed = SHA-256("untoc-lots/v1" || inputs_hash || value || SHA-256(canon(reveals)))

``inputs_hash`` is the 32 bytes of the SHA-256 of every input of the draw, announced
with the source; ``value`` is the public value in its canonical form (see
:class:`ValueFormat`), UTF-8 encoded, or nothing if none was announced; ``reveals``
maps each counted State's code to its secret (lowercase hex), and ``canon`` is JSON
with sorted keys and no spaces. The two hashes have a fixed length, so the
concatenation cannot be read two ways. A commitment is
``SHA-256(canon({"party": code, "secret": hex}))``.

Checking a beacon's signature (drand's BLS12-381 signature, the NIST beacon's
signature and hash chain) is out of scope: the core has no cryptography, and
``cryptography`` has no BLS12-381. ``verify`` checks that a value is the one
announced, by its name, and that it has the announced format; an adapter may wrap a
source to check signatures too.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from collections.abc import Mapping

import attrs

from untoc_core.canonical import canonical_json
from untoc_core.errors import DomainError, InvalidInput
from untoc_core.ports import RandomnessSource

SEED_DOMAIN = b"untoc-lots/v1"
"""The domain-separation prefix of every seed."""

MIN_SECRET_HEX = 32
"""A secret has at least 32 hex digits (128 bits)."""
MAX_SECRET_HEX = 128
"""A secret has at most 128 hex digits (512 bits)."""

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_NUMBER = re.compile(r"[0-9]+")
_NUMBERS = re.compile(r"^[0-9]+(?:[\s,;/.-]+[0-9]+)*$")


class SeedCeremonyRefused(DomainError):
    """A step of a draw's seed ceremony would let someone choose the seed (ToR 5).

    Draws are by lot, never by hand: the seed comes only from the source announced
    before its value existed. The subclasses name the step that was refused.
    """

    provision = "ToR-5"


class WrongRandomnessSource(SeedCeremonyRefused):
    """A value is offered for another source than the one announced (ToR 5, T40)."""


canon = canonical_json
"""The canonical JSON of a value (:func:`untoc_core.canonical.canonical_json`)."""


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def check_sha256(value: str, what: str) -> str:
    """``value`` as 64 lowercase hex digits, or ``InvalidInput`` naming ``what``."""
    text = value.strip().lower()
    if not _SHA256_HEX.match(text):
        msg = f"{what} must be a SHA-256 digest: 64 hex digits, not {value!r}"
        raise InvalidInput(msg)
    return text


def normalise_secret(secret: str) -> str:
    """A secret in canonical form (lowercase hex), or ``InvalidInput``.

    A secret is an even number of hex digits, from 32 (128 bits) to 128 (512 bits).
    """
    text = secret.strip()
    if (
        not _HEX.match(text)
        or len(text) % 2
        or not MIN_SECRET_HEX <= len(text) <= MAX_SECRET_HEX
    ):
        msg = (
            f"a secret is an even number of hex digits, from {MIN_SECRET_HEX} to "
            f"{MAX_SECRET_HEX}; got {len(text)} characters"
        )
        raise InvalidInput(msg)
    return text.lower()


def commitment(party: str, secret: str) -> str:
    """The commitment a State publishes: ``SHA-256(canon({party, secret}))`` in hex.

    Args:
        party: The State's code (upper case).
        secret: The State's secret, hex; it is put in canonical form first.
    """
    return sha256_hex(canon({"party": party, "secret": normalise_secret(secret)}))


def reveals_sha256(reveals: Mapping[str, str]) -> str:
    """``SHA-256(canon(reveals))`` in hex; ``reveals`` maps State codes to secrets."""
    return sha256_hex(canon({p: normalise_secret(s) for p, s in reveals.items()}))


def derive_seed(inputs_sha256: str, value: str, reveals: Mapping[str, str]) -> bytes:
    """The seed of a draw (see the module docstring for the formula).

    Args:
        inputs_sha256: The announced SHA-256 of every input of the draw, hex.
        value: The public value in canonical form, or ``""`` if none was announced.
        reveals: The counted reveals: State code to secret.

    Returns:
        The 32-byte seed.
    """
    params = bytes.fromhex(check_sha256(inputs_sha256, "the inputs' hash"))
    digest = bytes.fromhex(reveals_sha256(reveals))
    return hashlib.sha256(
        SEED_DOMAIN + params + value.encode("utf-8") + digest
    ).digest()


def _utc(moment: dt.datetime, what: str) -> str:
    if moment.tzinfo is None:
        msg = f"{what} needs a time zone"
        raise InvalidInput(msg)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _name(text: str) -> str:
    """A value's name compared as written, ignoring case and runs of spaces."""
    return " ".join(text.split()).casefold()


class ValueFormat(enum.StrEnum):
    """The form of a public value, and how it is put in canonical form."""

    HEX = "hex"
    """Hex digits, an even number, at least 32 (a drand round's randomness, a NIST
    beacon pulse's output value); canonical form: lower case."""
    NUMBERS = "numbers"
    """Whole numbers separated by spaces or punctuation (lottery results, RFC 3797
    style); canonical form: the numbers without leading zeros, in the order given,
    separated by single spaces."""
    TEXT = "text"
    """Any text; canonical form: runs of white space become one space, trimmed."""

    def normalise(self, value: str) -> str:
        """``value`` in canonical form, or ``InvalidInput`` if it has not this form."""
        text = " ".join(value.split())
        if not text:
            msg = "the public value is empty"
            raise InvalidInput(msg)
        if self is ValueFormat.HEX:
            if not _HEX.match(text) or len(text) % 2 or len(text) < MIN_SECRET_HEX:
                msg = (
                    f"the public value must be hex: an even number of hex digits, at "
                    f"least {MIN_SECRET_HEX}"
                )
                raise InvalidInput(msg)
            return text.lower()
        if self is ValueFormat.NUMBERS:
            if not _NUMBERS.match(text):
                msg = "the public value must be whole numbers separated by spaces"
                raise InvalidInput(msg)
            return " ".join(str(int(n)) for n in _NUMBER.findall(text))
        return text


class MissingRevealRule(enum.StrEnum):
    """What happens when a State that committed does not reveal a matching secret.

    Chosen when the ceremony is announced, never after (T38). A State that did not
    commit at all is left out under either rule: it chose before seeing any reveal,
    so its absence can bias nothing.
    """

    EXCLUDE = "exclude"
    """Its contribution is left out of the seed, and the exclusion is recorded."""
    RESTART = "restart"
    """The ceremony is void and the draw must be announced again."""

    def describe(self) -> str:
        """What the rule does, in words."""
        if self is MissingRevealRule.EXCLUDE:
            return "its contribution is left out and that is recorded"
        return "the ceremony is void and is announced again"


@attrs.frozen(kw_only=True)
class PublishedSeed:
    """A named future public value, announced before it exists.

    Implements :class:`untoc_core.ports.RandomnessSource`.

    Attributes:
        name: What the value is, so anyone can look it up: ``drand round 4821333``,
            ``NIST beacon pulse 2027-01-15T12:00Z``, ``lottery results of
            2027-01-15``.
        due: When the value is published (timezone-aware). It must be later than the
            announcement, and, when combined with commit-reveal, later than the
            reveal deadline.
        value_format: The value's form, checked when it is supplied.
    """

    name: str
    due: dt.datetime
    value_format: ValueFormat = ValueFormat.TEXT

    def describe(self) -> str:
        """The announced source, in words."""
        return (
            f"published value {' '.join(self.name.split())!r}, due "
            f"{_utc(self.due, 'the due time')}, format {self.value_format.value}"
        )

    def verify(self, *, name: str, value: str) -> str:
        """Check that ``value`` is the announced one; return its canonical form.

        Args:
            name: The name of the value supplied, as written by whoever read it.
                It must be the announced name (ignoring case and spacing).
            value: The value as published.

        Raises:
            WrongRandomnessSource: the name is not the announced one (ToR 5).
            InvalidInput: the value is not of the announced format.
        """
        if _name(name) != _name(self.name):
            msg = (
                f"the value offered is {name.strip()!r}, but the announced source is "
                f"{' '.join(self.name.split())!r}; only the announced value can fix "
                "the seed"
            )
            raise WrongRandomnessSource(msg)
        return self.value_format.normalise(value)

    def seed(
        self, inputs_sha256: str, *, value: str, reveals: Mapping[str, str]
    ) -> bytes:
        """The seed from the published value (see the module docstring).

        Raises:
            InvalidInput: ``reveals`` is not empty (this source has none), or the
                value is not of the announced format.
        """
        if reveals:
            msg = "a published seed has no commit-reveal contributions"
            raise InvalidInput(msg)
        return derive_seed(inputs_sha256, self.value_format.normalise(value), {})


@attrs.frozen(kw_only=True)
class CommitReveal:
    """Commit-reveal among States, optionally combined with a public value.

    Implements :class:`untoc_core.ports.RandomnessSource`. Each participant commits
    to a secret before ``commit_until``; reveals are accepted from ``commit_until``
    until ``reveal_until``; the seed is fixed after ``reveal_until`` (and after the
    public value is due). Because reveals close before the public value exists, the
    last revealer cannot compute the seed; without a public value, a State that
    withholds its reveal chooses between two outcomes, so announce one.

    Attributes:
        participants: The States' codes, in code order.
        commit_until: Commitments close (timezone-aware).
        reveal_until: Reveals close; later than ``commit_until``.
        on_missing_reveal: The T38 rule for a withheld or wrong reveal.
        public_value: The public value combined with the reveals, if any.
    """

    participants: tuple[str, ...]
    commit_until: dt.datetime
    reveal_until: dt.datetime
    on_missing_reveal: MissingRevealRule
    public_value: PublishedSeed | None = None

    def describe(self) -> str:
        """The announced source, in words."""
        combined = (
            f"; combined with the {self.public_value.describe()}"
            if self.public_value is not None
            else "; no public value"
        )
        return (
            f"commit-reveal among {', '.join(self.participants)}: commitments until "
            f"{_utc(self.commit_until, 'the commitment deadline')}, reveals until "
            f"{_utc(self.reveal_until, 'the reveal deadline')}; a withheld or wrong "
            f"reveal: {self.on_missing_reveal.value} ("
            f"{self.on_missing_reveal.describe()}){combined}"
        )

    def verify(self, *, name: str, value: str) -> str:
        """Check the public value offered; return its canonical form.

        Without an announced public value, ``name`` and ``value`` must be empty and
        the canonical value is ``""``.

        Raises:
            WrongRandomnessSource: a value is offered when none was announced, none
                is offered when one was, or it is named differently (ToR 5).
            InvalidInput: the value is not of the announced format.
        """
        if self.public_value is None:
            if name.strip() or value.strip():
                msg = (
                    "this ceremony announced no public value; the seed comes from the "
                    "reveals alone"
                )
                raise WrongRandomnessSource(msg)
            return ""
        if not value.strip():
            msg = (
                f"the seed needs the announced public value "
                f"{' '.join(self.public_value.name.split())!r}"
            )
            raise WrongRandomnessSource(msg)
        return self.public_value.verify(name=name, value=value)

    def seed(
        self, inputs_sha256: str, *, value: str, reveals: Mapping[str, str]
    ) -> bytes:
        """The seed from the counted reveals and the public value, if any.

        Args:
            inputs_sha256: The announced hash of the draw's inputs.
            value: The public value (``""`` if none was announced).
            reveals: The counted reveals; every code is a participant.

        Raises:
            InvalidInput: a reveal from a State that is not a participant, a
                malformed secret, or a value that does not fit the announcement.
        """
        strangers = sorted(set(reveals) - set(self.participants))
        if strangers:
            msg = f"not participants of this ceremony: {', '.join(strangers)}"
            raise InvalidInput(msg)
        if self.public_value is None:
            if value.strip():
                msg = "this ceremony announced no public value"
                raise InvalidInput(msg)
            canonical = ""
        else:
            canonical = self.public_value.value_format.normalise(value)
        return derive_seed(inputs_sha256, canonical, reveals)


def _conforms(
    published: PublishedSeed, commit_reveal: CommitReveal
) -> tuple[RandomnessSource, RandomnessSource]:
    """Nothing at run time: mypy checks here that both sources fit the port."""
    return published, commit_reveal
