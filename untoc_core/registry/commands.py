"""Commands on the registry and the decisions that turn them into events.

``decide(registry, command)`` is pure: it either returns the events that record the
command or raises a refusal; it never records anything itself.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from untoc_core.errors import (
    ExpertLimitReached,
    InvalidInput,
    NotInMechanism,
    SignatoryCannotReview,
)
from untoc_core.events import Event
from untoc_core.registry.events import (
    ExpertListCirculated,
    FocalPointAppointed,
    GovernmentalExpertNominated,
    GovernmentalExpertWithdrawn,
)
from untoc_core.registry.model import Registry
from untoc_core.rules.rulebook import Rulebook
from untoc_core.terms import Instrument

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@attrs.frozen(kw_only=True)
class AppointFocalPoint:
    """Record the focal point a State appointed (ToR 17)."""

    code: str
    name: str
    email: str
    expertise: str = ""


@attrs.frozen(kw_only=True)
class NominateGovernmentalExpert:
    """Add a governmental expert to a State's roster (ToR 21)."""

    code: str
    expert_id: str
    name: str
    background: str = ""
    position: str = ""
    offices: str = ""
    expertise: tuple[str, ...] = ()
    instruments: frozenset[Instrument] = frozenset()


@attrs.frozen(kw_only=True)
class WithdrawGovernmentalExpert:
    """Remove a governmental expert from a State's roster."""

    code: str
    expert_id: str
    reason: str = ""


@attrs.frozen(kw_only=True)
class CirculateExpertList:
    """Record that the secretariat circulated the list of experts (ToR 21)."""

    circulated_on: dt.date


Command = (
    AppointFocalPoint
    | NominateGovernmentalExpert
    | WithdrawGovernmentalExpert
    | CirculateExpertList
)


def decide(state: Registry, command: Command, rulebook: Rulebook) -> tuple[Event, ...]:
    """Return the events recording ``command``, or raise the refusal that applies."""
    match command:
        case AppointFocalPoint():
            return _appoint_focal_point(state, command)
        case NominateGovernmentalExpert():
            return _nominate(state, command, rulebook)
        case WithdrawGovernmentalExpert():
            entry = state.entry(command.code)
            if all(x.expert_id != command.expert_id for x in entry.experts):
                msg = f"{entry.name()} has no governmental expert {command.expert_id!r}"
                raise InvalidInput(msg)
            return (
                GovernmentalExpertWithdrawn(
                    code=entry.code, expert_id=command.expert_id, reason=command.reason
                ),
            )
        case CirculateExpertList():
            ids = frozenset(
                x.expert_id for e in state.entries.values() for x in e.experts
            )
            if not ids:
                msg = "no governmental expert has been nominated: nothing to circulate"
                raise InvalidInput(msg)
            last = state.last_circulation()
            if last is not None and command.circulated_on < last.circulated_on:
                msg = (
                    f"circulation date {command.circulated_on} is before the last "
                    f"circulation ({last.circulated_on})"
                )
                raise InvalidInput(msg)
            return (
                ExpertListCirculated(
                    circulated_on=command.circulated_on, expert_ids=ids
                ),
            )


_MAX_NAME = 200
_MAX_TEXT = 2000
_NOT_TEXT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
    "\ud800-\udfff\ufffe\uffff]"
)
"""Control characters, zero-width and bidirectional formatting marks, and lone
surrogates: none belongs in a name or a one-line record of the roster."""


def _text(what: str, value: str, limit: int) -> str:
    """``value`` stripped; refuse it if too long or holding invisible controls."""
    text = value.strip()
    if len(text) > limit:
        msg = f"{what} has {len(text)} characters; at most {limit} are kept"
        raise InvalidInput(msg)
    found = _NOT_TEXT.search(text)
    if found is not None:
        msg = (
            f"{what} holds the invisible or control character "
            f"U+{ord(found.group()):04X}; type it without"
        )
        raise InvalidInput(msg)
    return text


def _appoint_focal_point(
    state: Registry, command: AppointFocalPoint
) -> tuple[Event, ...]:
    entry = state.entry(command.code)
    if not (entry.is_party or entry.is_signatory):
        raise NotInMechanism(entry.name())
    name = _text("the focal point's name", command.name, _MAX_NAME)
    _text("the focal point's expertise", command.expertise, _MAX_TEXT)
    if not name:
        msg = "the focal point needs a name"
        raise InvalidInput(msg)
    if not _EMAIL.match(command.email.strip()):
        msg = f"{command.email!r} is not an e-mail address"
        raise InvalidInput(msg)
    return (
        FocalPointAppointed(
            code=entry.code,
            name=name,
            email=command.email.strip(),
            expertise=command.expertise.strip(),
        ),
    )


def _nominate(
    state: Registry, command: NominateGovernmentalExpert, rulebook: Rulebook
) -> tuple[Event, ...]:
    entry = state.entry(command.code)
    if not (entry.is_party or entry.is_signatory):
        raise NotInMechanism(entry.name())
    if not entry.is_party:
        msg = (
            f"{entry.name()} is not a State party; a signatory takes part only as a "
            "State under review and nominates no reviewing experts"
        )
        raise SignatoryCannotReview(msg)
    name = _text("the expert's name", command.name, _MAX_NAME)
    if not name:
        msg = "a governmental expert needs a name"
        raise InvalidInput(msg)
    for what, value in (
        ("the expert's background", command.background),
        ("the expert's position", command.position),
        ("the expert's offices", command.offices),
        *(("an area of expertise", x) for x in command.expertise),
    ):
        _text(what, value, _MAX_TEXT)
    expert_id = command.expert_id.strip()
    if not expert_id:
        msg = "a governmental expert needs an id"
        raise InvalidInput(msg)
    taken = {x.expert_id for e in state.entries.values() for x in e.experts}
    if expert_id in taken:
        msg = f"expert id {expert_id!r} is already on the roster"
        raise InvalidInput(msg)
    limit = rulebook.draw.max_experts_per_party
    if len(entry.experts) >= limit:
        msg = (
            f"{entry.name()} already has {len(entry.experts)} governmental experts; "
            f"a State party appoints up to {limit}"
        )
        raise ExpertLimitReached(msg)
    return (
        GovernmentalExpertNominated(
            code=entry.code,
            expert_id=expert_id,
            name=name,
            background=command.background.strip(),
            position=command.position.strip(),
            offices=command.offices.strip(),
            expertise=tuple(x.strip() for x in command.expertise if x.strip()),
            instruments=command.instruments,
        ),
    )
