"""The mechanism's application service: commands in, events recorded through the ports.

``Mechanism`` is what an embedding system calls. Each method loads the state it needs
from the event store, lets the pure ``decide`` functions check the command, and
appends the resulting events in one atomic write, expecting the version it read. A
refusal raises before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence

import attrs

from untoc_core import conference as conf
from untoc_core import registry as reg
from untoc_core.conference.commands import Command as ConferenceCommand
from untoc_core.conference.model import evolve as evolve_conference
from untoc_core.events import Event
from untoc_core.ports import Clock, EventStore, NewEvents, Recorded
from untoc_core.registry.commands import Command as RegistryCommand
from untoc_core.rules.rulebook import Rulebook, default_rulebook

REGISTRY_STREAM = "registry"
CONFERENCE_STREAM = "conference"
SECRETARIAT = "secretariat"


@attrs.frozen(kw_only=True)
class ImportResult:
    """What importing a registry file changed."""

    changes: int
    """Events recorded, besides the one recording the import itself (0: nothing new)."""
    rows: int
    """Rows read from the file (0 when a snapshot was already imported)."""
    registry_version: int


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Mechanism:
    """The review mechanism over one event store.

    Args:
        store: Where events are recorded (see :class:`untoc_core.ports.EventStore`).
        clock: The source of the time recorded with each event.
        rulebook: The rules in force; resolution 5/5 by default.
    """

    def __init__(
        self, store: EventStore, clock: Clock, rulebook: Rulebook | None = None
    ) -> None:
        self.store = store
        self.clock = clock
        self.rulebook = rulebook or default_rulebook()

    # -- reading -------------------------------------------------------------------

    def registry(self, *, at_version: int | None = None) -> reg.Registry:
        """The registry now, or as it stood at a version of its stream."""
        records = self.store.read_stream(REGISTRY_STREAM, to_version=at_version)
        return reg.replay((r.version, r.event) for r in records)

    def conference(self) -> conf.Conference:
        """Every recorded decision of the Conference."""
        records = self.store.read_stream(CONFERENCE_STREAM)
        return conf.replay((r.version, r.event) for r in records)

    def parties_at_start(self, cycle: int) -> list[reg.RegistryEntry]:
        """The States parties at the start of a cycle: all to be reviewed (ToR 12)."""
        starts_on = self.conference().cycle(cycle).starts_on
        return self.registry().parties(on=starts_on)

    # -- registry ------------------------------------------------------------------

    def import_registry(
        self, text: str, *, source: str, actor: str = SECRETARIAT
    ) -> ImportResult:
        """Import a registry CSV file; record only what differs from the registry.

        Raises:
            FileRefused: a row or cell is bad; the message names each row and column.
                Nothing is recorded.
        """
        entries = reg.parse_registry_csv(text, source=source)
        state = self.registry()
        events = reg.plan_import(state, entries, source=source, sha256=_sha256(text))
        if len(events) == 1:  # only the import marker: the file brings nothing new
            return ImportResult(
                changes=0, rows=len(entries), registry_version=state.version
            )
        recorded = self._append(REGISTRY_STREAM, state.version, events, actor)
        return ImportResult(
            changes=len(events) - 1,
            rows=len(entries),
            registry_version=recorded[-1].version,
        )

    def load_reference_snapshot(self, *, actor: str = SECRETARIAT) -> ImportResult:
        """Import the reference snapshot shipped with the package, once.

        If this very snapshot was imported before, nothing is recorded: corrections
        imported since then are kept, not overwritten by the older snapshot.
        """
        snapshot = reg.reference_snapshot()
        state = self.registry()
        if any(i.sha256 == _sha256(snapshot.text) for i in state.imports):
            return ImportResult(changes=0, rows=0, registry_version=state.version)
        return self.import_registry(snapshot.text, source=snapshot.name, actor=actor)

    def appoint_focal_point(
        self, command: reg.AppointFocalPoint, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Record a State's focal point (ToR 17)."""
        return self._registry_command(command, actor)

    def nominate_expert(
        self, command: reg.NominateGovernmentalExpert, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Add a governmental expert to a State's roster (ToR 21: at most 20)."""
        return self._registry_command(command, actor)

    def withdraw_expert(
        self, command: reg.WithdrawGovernmentalExpert, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Remove a governmental expert from a State's roster."""
        return self._registry_command(command, actor)

    def circulate_expert_list(
        self, on: dt.date | None = None, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Record that the secretariat circulated the list of experts (ToR 21)."""
        day = on or self.clock.now().date()
        return self._registry_command(reg.CirculateExpertList(circulated_on=day), actor)

    def _registry_command(self, command: RegistryCommand, actor: str) -> list[Recorded]:
        state = self.registry()
        events = reg.decide(state, command, self.rulebook)
        return self._append(REGISTRY_STREAM, state.version, events, actor)

    # -- Conference ----------------------------------------------------------------

    def record_conference(
        self, commands: Iterable[ConferenceCommand], *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Record one or more decisions of the Conference atomically (ToR 10, 45).

        Each command is checked against the state the earlier ones leave, so a
        cluster defined in the same call can be used by a cycle after it.
        """
        state = self.conference()
        start = state.version
        events: list[Event] = []
        for command in commands:
            new = conf.decide(state, command)
            for event in new:
                state = evolve_conference(state, event, state.version + 1)
            events.extend(new)
        return self._append(CONFERENCE_STREAM, start, events, actor)

    def establish_default_distribution(
        self, *, decision: conf.Decision, starts_on: dt.date, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Record annex II's distribution as phase 1 with its two cycles (AX2)."""
        commands = conf.default_distribution(
            self.rulebook, decision=decision, starts_on=starts_on
        )
        return self.record_conference(commands, actor=actor)

    # -- writing -------------------------------------------------------------------

    def _append(
        self, stream: str, expected: int, events: Sequence[Event], actor: str
    ) -> list[Recorded]:
        if not events:
            return []
        batch = NewEvents(
            stream=stream, expected_version=expected, events=tuple(events)
        )
        return self.store.append(batch, recorded_at=self.clock.now(), actor=actor)
