"""The seed ceremony of one draw: announce, commit, reveal, fix the seed (ToR 3(a), 5).

Draws are by lot, never by hand (ToR 5), and anyone can check them (ToR 3(a)). So
before a draw's seed exists, the ceremony records the SHA-256 of every input of the
draw and the source the seed will come from (:mod:`untoc_core.drawing.randomness`):
a named future public value, or commit-reveal among States with its deadlines and
the rule for a withheld or wrong reveal (T38). The seed is then fixed from that
source only, once.

Each draw has its own stream, ``ceremony/<draw id>``, for example
``ceremony/cycle-1/years`` or ``ceremony/cycle-1/year-2/reviewers``. A ceremony made
void under the ``restart`` rule may be announced again on the same stream; each
announcement is one attempt, numbered from 1.

Time is passed in as ``now``; it is compared with the announced deadlines:
commitments are accepted while ``now < commit_until``, reveals while
``commit_until <= now < reveal_until``, and the seed is fixed once ``now`` is at or
after ``reveal_until`` and the public value's due time.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import ClassVar

import attrs

from untoc_core.drawing.randomness import (
    CommitReveal,
    MissingRevealRule,
    PublishedSeed,
    SeedCeremonyRefused,
    ValueFormat,
    WrongRandomnessSource,
    check_sha256,
    commitment,
    normalise_secret,
    reveals_sha256,
)
from untoc_core.errors import InvalidInput
from untoc_core.events import Event

STREAM_PREFIX = "ceremony/"
"""Every ceremony's stream id is this prefix followed by the draw id."""

MAX_DRAW_ID = 100
_DRAW_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)*$")
_CODE = re.compile(r"^[A-Z]{3}$")

Source = PublishedSeed | CommitReveal
"""The randomness sources a ceremony may announce."""


# -- refusals -------------------------------------------------------------------------


class DrawAlreadyAnnounced(SeedCeremonyRefused):
    """A draw's source and inputs are announced once; only a void ceremony restarts."""


class AnnouncementRefused(SeedCeremonyRefused):
    """An announcement would let the seed be known or chosen before it is fixed."""


class CommitmentRefused(SeedCeremonyRefused):
    """A commitment came too late, twice, or from a State that does not take part."""


class RevealRefused(SeedCeremonyRefused):
    """A reveal came outside the reveal window, twice, or without a commitment."""


class RevealMismatch(RevealRefused):
    """A revealed secret does not match the State's commitment (T38)."""


class SeedFixingRefused(SeedCeremonyRefused):
    """The seed cannot be fixed yet, or is fixed already, or the ceremony is void."""


class InputsChanged(SeedCeremonyRefused):
    """A draw's inputs differ from those announced with its source (T34).

    Also raised by ``Mechanism.announce_draw`` when a draw the mechanism records is
    announced with the hash of other inputs than its own.
    """


class UnknownDraw(InvalidInput):
    """No ceremony was announced for that draw id."""

    def __init__(self, draw_id: str) -> None:
        super().__init__(f"no seed ceremony has been announced for draw {draw_id!r}")
        self.draw_id = draw_id


# -- values ---------------------------------------------------------------------------


class ExclusionReason(enum.StrEnum):
    """Why a participant's contribution is not part of the seed."""

    NOT_COMMITTED = "not_committed"
    """It made no commitment before commitments closed."""
    NOT_REVEALED = "not_revealed"
    """It committed but revealed no matching secret before reveals closed."""


@attrs.frozen(kw_only=True)
class Exclusion:
    """A participant left out of the seed, and why."""

    party: str
    reason: ExclusionReason


class VoidReason(enum.StrEnum):
    """Why a ceremony was made void instead of fixing a seed."""

    WITHHELD_REVEAL = "withheld_reveal"
    """A State that committed revealed no matching secret, under the restart rule."""
    NO_RANDOMNESS = "no_randomness"
    """No secret was revealed and no public value was announced: nothing random."""


# -- events ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DrawAnnounced(Event):
    """A draw's inputs and randomness source were fixed before the seed existed.

    Exactly one of ``published`` and ``commit_reveal`` is set.
    """

    TYPE: ClassVar[str] = "ceremony.DrawAnnounced"

    draw_id: str
    attempt: int
    """1 for the first announcement, one more after each void ceremony."""
    inputs_sha256: str
    """SHA-256 of every input of the draw, as the caller supplied it."""
    source: str
    """The source in words (``RandomnessSource.describe()``)."""
    published: PublishedSeed | None
    """The source when the seed comes from a published value alone."""
    commit_reveal: CommitReveal | None
    """The source when States commit and reveal, with its deadlines and T38 rule."""
    announced_at: dt.datetime


@attrs.frozen(kw_only=True)
class SecretCommitted(Event):
    """A State committed to a secret, without disclosing it."""

    TYPE: ClassVar[str] = "ceremony.SecretCommitted"

    draw_id: str
    attempt: int
    party: str
    commitment: str
    """``SHA-256(canon({"party": party, "secret": secret}))``, hex."""
    committed_at: dt.datetime


@attrs.frozen(kw_only=True)
class SecretRevealed(Event):
    """A State revealed the secret matching its commitment."""

    TYPE: ClassVar[str] = "ceremony.SecretRevealed"

    draw_id: str
    attempt: int
    party: str
    secret: str
    """Lowercase hex."""
    revealed_at: dt.datetime


@attrs.frozen(kw_only=True)
class SeedFixed(Event):
    """The draw's seed was fixed from its announced source, once."""

    TYPE: ClassVar[str] = "ceremony.SeedFixed"

    draw_id: str
    attempt: int
    inputs_sha256: str
    value_name: str
    """The announced public value's name; empty if none was announced."""
    value: str
    """The public value in canonical form; empty if none was announced."""
    counted: tuple[str, ...]
    """States whose revealed secrets are part of the seed, in code order."""
    excluded: tuple[Exclusion, ...]
    """Participants left out, and why, in code order."""
    reveals_sha256: str
    """``SHA-256(canon(reveals))`` of the counted reveals, hex."""
    seed: str
    """The 32-byte seed, hex."""
    fixed_at: dt.datetime


@attrs.frozen(kw_only=True)
class CeremonyVoided(Event):
    """The ceremony ended without a seed; the draw must be announced again."""

    TYPE: ClassVar[str] = "ceremony.CeremonyVoided"

    draw_id: str
    attempt: int
    reason: VoidReason
    missing: tuple[Exclusion, ...]
    """Participants without a counted contribution, in code order."""
    voided_at: dt.datetime


CEREMONY_EVENTS: tuple[type[Event], ...] = (
    DrawAnnounced,
    SecretCommitted,
    SecretRevealed,
    SeedFixed,
    CeremonyVoided,
)


# -- commands -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AnnounceDraw:
    """Announce a draw's inputs and the source of its seed, before the seed exists.

    Attributes:
        draw_id: Names the draw: lowercase letters, digits, ``.``, ``_``, ``-``,
            in parts separated by ``/`` (``cycle-1/years``).
        inputs_sha256: SHA-256 (hex) of every input of the draw: pool, deferrals,
            earlier assignments, rules and algorithm version.
        source: A :class:`PublishedSeed` or a :class:`CommitReveal`.
    """

    draw_id: str
    inputs_sha256: str
    source: Source


@attrs.frozen(kw_only=True)
class CommitSecret:
    """Record a State's commitment to a secret (see ``randomness.commitment``)."""

    draw_id: str
    party: str
    commitment: str


@attrs.frozen(kw_only=True)
class RevealSecret:
    """Record the secret a State committed to."""

    draw_id: str
    party: str
    secret: str


@attrs.frozen(kw_only=True)
class FixSeed:
    """Fix the draw's seed from the announced source.

    Attributes:
        draw_id: The draw.
        value_name: The name of the public value supplied (``drand round
            4821333``); must be the announced one. Empty when none was announced.
        value: The public value as published; empty when none was announced.
    """

    draw_id: str
    value_name: str = ""
    value: str = ""


Command = AnnounceDraw | CommitSecret | RevealSecret | FixSeed


# -- state ----------------------------------------------------------------------------


class Status(enum.StrEnum):
    """Where a ceremony stands, by its events alone."""

    NOT_ANNOUNCED = "not_announced"
    OPEN = "open"
    FIXED = "fixed"
    VOIDED = "voided"


class Stage(enum.StrEnum):
    """Where a ceremony stands at a given time."""

    NOT_ANNOUNCED = "not_announced"
    COMMITTING = "committing"
    """Commitments are open."""
    REVEALING = "revealing"
    """Commitments are closed and reveals are open."""
    AWAITING_VALUE = "awaiting_value"
    """Reveals (if any) are closed; the public value is not due yet."""
    READY = "ready"
    """The seed can be fixed."""
    FIXED = "fixed"
    VOIDED = "voided"


@attrs.frozen(kw_only=True)
class Ceremony:
    """A draw's seed ceremony, as its stream records it.

    ``commitments`` and ``reveals`` are those of the current attempt.
    """

    draw_id: str = ""
    version: int = 0
    status: Status = Status.NOT_ANNOUNCED
    announcement: DrawAnnounced | None = None
    attempts: tuple[DrawAnnounced, ...] = ()
    commitments: Mapping[str, SecretCommitted] = attrs.field(factory=dict)
    reveals: Mapping[str, SecretRevealed] = attrs.field(factory=dict)
    fixed: SeedFixed | None = None
    voided: tuple[CeremonyVoided, ...] = ()

    @property
    def source(self) -> Source:
        """The announced source; ``UnknownDraw`` if nothing was announced."""
        announced = self._announced()
        found = announced.commit_reveal or announced.published
        if found is None:  # pragma: no cover - decide always sets one
            msg = f"the announcement of draw {self.draw_id!r} names no source"
            raise InvalidInput(msg)
        return found

    def stage(self, now: dt.datetime) -> Stage:
        """Where the ceremony stands at ``now``."""
        if self.status is not Status.OPEN:
            return Stage(self.status.value)
        source = self.source
        public = source if isinstance(source, PublishedSeed) else source.public_value
        if isinstance(source, CommitReveal):
            if now < source.commit_until:
                return Stage.COMMITTING
            if now < source.reveal_until:
                return Stage.REVEALING
        if public is not None and now < public.due:
            return Stage.AWAITING_VALUE
        return Stage.READY

    def seed(self) -> bytes:
        """The fixed seed; ``InvalidInput`` if it is not fixed."""
        if self.fixed is None:
            msg = f"the seed of draw {self.draw_id!r} is not fixed ({self.status})"
            raise InvalidInput(msg)
        return bytes.fromhex(self.fixed.seed)

    def require_seed(self, inputs_sha256: str) -> bytes:
        """The fixed seed, for a draw whose inputs hash to ``inputs_sha256``.

        Raises:
            InputsChanged: the inputs differ from those announced (T34): the draw
                would not be the one the seed was fixed for.
            InvalidInput: the seed is not fixed, or the hash is malformed.
        """
        seed = self.seed()
        given = check_sha256(inputs_sha256, "the inputs' hash")
        announced = self._announced().inputs_sha256
        if given != announced:
            msg = (
                f"the inputs of draw {self.draw_id!r} hash to {given}, but "
                f"{announced} was announced before the seed was fixed; a draw runs "
                "only on the inputs announced"
            )
            raise InputsChanged(msg)
        return seed

    def _announced(self) -> DrawAnnounced:
        if self.announcement is None:
            raise UnknownDraw(self.draw_id)
        return self.announcement


def evolve(state: Ceremony, event: Event, version: int) -> Ceremony:
    """Return the ceremony after ``event`` at stream ``version``."""
    match event:
        case DrawAnnounced():
            return attrs.evolve(
                state,
                draw_id=event.draw_id,
                version=version,
                status=Status.OPEN,
                announcement=event,
                attempts=(*state.attempts, event),
                commitments={},
                reveals={},
                fixed=None,
            )
        case SecretCommitted():
            return attrs.evolve(
                state,
                version=version,
                commitments={**state.commitments, event.party: event},
            )
        case SecretRevealed():
            return attrs.evolve(
                state, version=version, reveals={**state.reveals, event.party: event}
            )
        case SeedFixed():
            return attrs.evolve(
                state, version=version, status=Status.FIXED, fixed=event
            )
        case CeremonyVoided():
            return attrs.evolve(
                state,
                version=version,
                status=Status.VOIDED,
                voided=(*state.voided, event),
            )
    return attrs.evolve(state, version=version)


def replay(events: Iterable[tuple[int, Event]], draw_id: str = "") -> Ceremony:
    """Build a ceremony from its stream's ``(version, event)`` pairs."""
    state = Ceremony(draw_id=draw_id)
    for version, event in events:
        state = evolve(state, event, version)
    return state


def public_value_of(announcement: DrawAnnounced) -> PublishedSeed | None:
    """The public value an announcement names, alone or with commit-reveal."""
    if announcement.commit_reveal is not None:
        return announcement.commit_reveal.public_value
    return announcement.published


def check_draw_id(draw_id: str) -> str:
    """``draw_id`` if well formed (``cycle-1/years``), else ``InvalidInput``."""
    if len(draw_id) > MAX_DRAW_ID or not _DRAW_ID.match(draw_id):
        msg = (
            f"{draw_id!r} is not a draw id: lowercase letters, digits, '.', '_' and "
            f"'-' in parts separated by '/', such as 'cycle-1/years', at most "
            f"{MAX_DRAW_ID} characters"
        )
        raise InvalidInput(msg)
    return draw_id


def stream_of(draw_id: str) -> str:
    """The stream that records the ceremony of ``draw_id``."""
    return STREAM_PREFIX + check_draw_id(draw_id)


# -- decisions ------------------------------------------------------------------------


def decide(
    state: Ceremony,
    command: Command,
    *,
    now: dt.datetime,
    parties: AbstractSet[str] | None = None,
) -> tuple[Event, ...]:
    """Return the events recording ``command``, or raise the refusal that applies.

    Args:
        state: The ceremony of the command's draw.
        command: What to do.
        now: The current time (timezone-aware).
        parties: The codes of the States that may take part in commit-reveal (the
            mechanism passes the registry's parties and signatories); ``None``
            checks only the codes' form.
    """
    if now.tzinfo is None:
        msg = "the current time needs a time zone"
        raise InvalidInput(msg)
    now = now.astimezone(dt.UTC)
    check_draw_id(command.draw_id)
    match command:
        case AnnounceDraw():
            return (_announce(state, command, now, parties),)
        case CommitSecret():
            return (_commit(state, command, now),)
        case RevealSecret():
            return (_reveal(state, command, now),)
        case FixSeed():
            return (_fix(state, command, now),)


def _utc(moment: dt.datetime, what: str) -> dt.datetime:
    if moment.tzinfo is None:
        msg = f"{what} needs a time zone"
        raise InvalidInput(msg)
    return moment.astimezone(dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _published(source: PublishedSeed, now: dt.datetime) -> PublishedSeed:
    name = " ".join(source.name.split())
    if not name:
        msg = "a published value needs a name, such as 'drand round 4821333'"
        raise InvalidInput(msg)
    due = _utc(source.due, "the public value's due time")
    if due <= now:
        msg = (
            f"the public value {name!r} is due at {_stamp(due)}, not after the "
            f"announcement at {_stamp(now)}: it may already be known, and a known "
            "value lets the seed be chosen"
        )
        raise AnnouncementRefused(msg)
    return PublishedSeed(name=name, due=due, value_format=source.value_format)


def _participants(
    codes: Iterable[str], parties: AbstractSet[str] | None
) -> tuple[str, ...]:
    chosen = [c.strip().upper() for c in codes]
    if not chosen:
        msg = "commit-reveal needs at least one participating State"
        raise InvalidInput(msg)
    bad = [c for c in chosen if not _CODE.match(c)]
    if bad:
        msg = f"not State codes (three letters): {', '.join(map(repr, bad))}"
        raise InvalidInput(msg)
    if len(set(chosen)) != len(chosen):
        msg = "a State is named twice among the participants"
        raise InvalidInput(msg)
    if parties is not None:
        unknown = sorted(set(chosen) - parties)
        if unknown:
            msg = (
                f"not States parties or signatories in the registry: "
                f"{', '.join(unknown)}"
            )
            raise InvalidInput(msg)
    return tuple(sorted(chosen))


def _commit_reveal(
    source: CommitReveal, now: dt.datetime, parties: AbstractSet[str] | None
) -> CommitReveal:
    participants = _participants(source.participants, parties)
    commit_until = _utc(source.commit_until, "the commitment deadline")
    reveal_until = _utc(source.reveal_until, "the reveal deadline")
    if commit_until <= now:
        msg = (
            f"commitments would close at {_stamp(commit_until)}, not after the "
            f"announcement at {_stamp(now)}"
        )
        raise AnnouncementRefused(msg)
    if reveal_until <= commit_until:
        msg = (
            f"reveals must close after commitments close ({_stamp(commit_until)}), "
            f"not at {_stamp(reveal_until)}"
        )
        raise AnnouncementRefused(msg)
    public = None
    if source.public_value is not None:
        public = _published(source.public_value, now)
        if public.due <= reveal_until:
            msg = (
                f"the public value {public.name!r} is due at {_stamp(public.due)}, "
                f"before reveals close at {_stamp(reveal_until)}: the last State to "
                "reveal could compute the seed and withhold its reveal"
            )
            raise AnnouncementRefused(msg)
    return CommitReveal(
        participants=participants,
        commit_until=commit_until,
        reveal_until=reveal_until,
        on_missing_reveal=MissingRevealRule(source.on_missing_reveal),
        public_value=public,
    )


def _announce(
    state: Ceremony,
    command: AnnounceDraw,
    now: dt.datetime,
    parties: AbstractSet[str] | None,
) -> Event:
    if state.status in {Status.OPEN, Status.FIXED} and state.announcement is not None:
        what = "its seed is fixed" if state.status is Status.FIXED else "it is open"
        msg = (
            f"draw {command.draw_id!r} was announced at "
            f"{_stamp(state.announcement.announced_at)} and {what}; its inputs and "
            "source cannot change (only a void ceremony is announced again)"
        )
        raise DrawAlreadyAnnounced(msg)
    inputs = check_sha256(command.inputs_sha256, "the inputs' hash")
    published: PublishedSeed | None = None
    commit_reveal: CommitReveal | None = None
    if isinstance(command.source, CommitReveal):
        commit_reveal = _commit_reveal(command.source, now, parties)
        public = commit_reveal.public_value
        source: Source = commit_reveal
    else:
        published = public = _published(command.source, now)
        source = published
    if public is not None:
        earlier = {
            p.name.casefold()
            for p in (public_value_of(a) for a in state.attempts)
            if p is not None
        }
        if public.name.casefold() in earlier:
            msg = (
                f"the public value {public.name!r} was named by an earlier attempt of "
                f"draw {command.draw_id!r}; a new attempt names a new future value"
            )
            raise AnnouncementRefused(msg)
    return DrawAnnounced(
        draw_id=command.draw_id,
        attempt=len(state.attempts) + 1,
        inputs_sha256=inputs,
        source=source.describe(),
        published=published,
        commit_reveal=commit_reveal,
        announced_at=now,
    )


def _open_commit_reveal(
    state: Ceremony, draw_id: str, refusal: type[SeedCeremonyRefused]
) -> CommitReveal:
    if state.announcement is None:
        raise UnknownDraw(draw_id)
    if state.status is Status.FIXED:
        msg = f"the seed of draw {draw_id!r} is fixed; the ceremony is over"
        raise refusal(msg)
    if state.status is Status.VOIDED:
        msg = f"the ceremony of draw {draw_id!r} is void; it must be announced again"
        raise refusal(msg)
    source = state.source
    if not isinstance(source, CommitReveal):
        msg = (
            f"draw {draw_id!r} takes its seed from a published value alone; it has "
            "no commit-reveal"
        )
        raise refusal(msg)
    return source


def _commit(state: Ceremony, command: CommitSecret, now: dt.datetime) -> Event:
    source = _open_commit_reveal(state, command.draw_id, CommitmentRefused)
    party = command.party.strip().upper()
    if party not in source.participants:
        msg = (
            f"{party} does not take part in the commit-reveal of draw "
            f"{command.draw_id!r}; the participants are "
            f"{', '.join(source.participants)}"
        )
        raise CommitmentRefused(msg)
    if now >= source.commit_until:
        msg = (
            f"commitments for draw {command.draw_id!r} closed at "
            f"{_stamp(source.commit_until)}"
        )
        raise CommitmentRefused(msg)
    if party in state.commitments:
        msg = (
            f"{party} already committed for draw {command.draw_id!r}; a commitment "
            "cannot be replaced"
        )
        raise CommitmentRefused(msg)
    return SecretCommitted(
        draw_id=command.draw_id,
        attempt=len(state.attempts),
        party=party,
        commitment=check_sha256(command.commitment, "a commitment"),
        committed_at=now,
    )


def _reveal(state: Ceremony, command: RevealSecret, now: dt.datetime) -> Event:
    source = _open_commit_reveal(state, command.draw_id, RevealRefused)
    party = command.party.strip().upper()
    if party not in source.participants:
        msg = (
            f"{party} does not take part in the commit-reveal of draw "
            f"{command.draw_id!r}"
        )
        raise RevealRefused(msg)
    if now < source.commit_until:
        msg = (
            f"reveals for draw {command.draw_id!r} open when commitments close, at "
            f"{_stamp(source.commit_until)}"
        )
        raise RevealRefused(msg)
    if now >= source.reveal_until:
        msg = (
            f"reveals for draw {command.draw_id!r} closed at "
            f"{_stamp(source.reveal_until)}"
        )
        raise RevealRefused(msg)
    committed = state.commitments.get(party)
    if committed is None:
        msg = f"{party} made no commitment for draw {command.draw_id!r}"
        raise RevealRefused(msg)
    if party in state.reveals:
        msg = f"{party} already revealed its secret for draw {command.draw_id!r}"
        raise RevealRefused(msg)
    secret = normalise_secret(command.secret)
    if commitment(party, secret) != committed.commitment:
        msg = (
            f"the secret does not match the commitment {party} made for draw "
            f"{command.draw_id!r}; nothing was recorded. Without a matching reveal "
            f"by {_stamp(source.reveal_until)}, the announced rule applies: "
            f"{source.on_missing_reveal.value} "
            f"({source.on_missing_reveal.describe()})"
        )
        raise RevealMismatch(msg)
    return SecretRevealed(
        draw_id=command.draw_id,
        attempt=len(state.attempts),
        party=party,
        secret=secret,
        revealed_at=now,
    )


def _fixable(state: Ceremony, draw_id: str, now: dt.datetime) -> DrawAnnounced:
    """The announcement, if the seed may be fixed at ``now``; else the refusal."""
    if state.announcement is None:
        raise UnknownDraw(draw_id)
    if state.fixed is not None and state.status is Status.FIXED:
        msg = (
            f"the seed of draw {draw_id!r} was fixed at "
            f"{_stamp(state.fixed.fixed_at)}; it is fixed once"
        )
        raise SeedFixingRefused(msg)
    if state.status is Status.VOIDED:
        msg = f"the ceremony of draw {draw_id!r} is void; it must be announced again"
        raise SeedFixingRefused(msg)
    source = state.source
    if isinstance(source, CommitReveal) and now < source.reveal_until:
        msg = (
            f"reveals for draw {draw_id!r} close at "
            f"{_stamp(source.reveal_until)}; the seed is fixed after that"
        )
        raise SeedFixingRefused(msg)
    public = public_value_of(state.announcement)
    if public is not None and now < public.due:
        msg = f"the public value {public.name!r} is not due until {_stamp(public.due)}"
        raise SeedFixingRefused(msg)
    return state.announcement


def _tally(
    state: Ceremony, source: CommitReveal
) -> tuple[dict[str, str], list[Exclusion]]:
    """The counted reveals, and the participants left out with the reason."""
    counted: dict[str, str] = {}
    missing: list[Exclusion] = []
    for party in source.participants:
        if party in state.reveals:
            counted[party] = state.reveals[party].secret
        else:
            reason = (
                ExclusionReason.NOT_REVEALED
                if party in state.commitments
                else ExclusionReason.NOT_COMMITTED
            )
            missing.append(Exclusion(party=party, reason=reason))
    return counted, missing


def _fix(state: Ceremony, command: FixSeed, now: dt.datetime) -> Event:
    announced = _fixable(state, command.draw_id, now)
    source = state.source
    public = public_value_of(announced)
    value = source.verify(name=command.value_name, value=command.value)
    counted: dict[str, str] = {}
    missing: list[Exclusion] = []
    if isinstance(source, CommitReveal):
        counted, missing = _tally(state, source)
        withheld = any(m.reason is ExclusionReason.NOT_REVEALED for m in missing)
        void = None
        if withheld and source.on_missing_reveal is MissingRevealRule.RESTART:
            void = VoidReason.WITHHELD_REVEAL
        elif not counted and public is None:
            void = VoidReason.NO_RANDOMNESS
        if void is not None:
            return CeremonyVoided(
                draw_id=command.draw_id,
                attempt=announced.attempt,
                reason=void,
                missing=tuple(missing),
                voided_at=now,
            )
    seed = source.seed(announced.inputs_sha256, value=value, reveals=counted)
    return SeedFixed(
        draw_id=command.draw_id,
        attempt=announced.attempt,
        inputs_sha256=announced.inputs_sha256,
        value_name=public.name if public is not None else "",
        value=value,
        counted=tuple(sorted(counted)),
        excluded=tuple(missing),
        reveals_sha256=reveals_sha256(counted),
        seed=seed.hex(),
        fixed_at=now,
    )


__all__ = [
    "CEREMONY_EVENTS",
    "STREAM_PREFIX",
    "AnnounceDraw",
    "AnnouncementRefused",
    "Ceremony",
    "CeremonyVoided",
    "CommitReveal",
    "CommitSecret",
    "CommitmentRefused",
    "DrawAlreadyAnnounced",
    "DrawAnnounced",
    "Exclusion",
    "ExclusionReason",
    "FixSeed",
    "InputsChanged",
    "MissingRevealRule",
    "PublishedSeed",
    "RevealMismatch",
    "RevealRefused",
    "RevealSecret",
    "SecretCommitted",
    "SecretRevealed",
    "SeedCeremonyRefused",
    "SeedFixed",
    "SeedFixingRefused",
    "Source",
    "Stage",
    "Status",
    "UnknownDraw",
    "ValueFormat",
    "VoidReason",
    "WrongRandomnessSource",
    "check_draw_id",
    "commitment",
    "decide",
    "evolve",
    "public_value_of",
    "replay",
    "stream_of",
]
