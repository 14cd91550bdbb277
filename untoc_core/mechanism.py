"""The mechanism's application service: commands in, events recorded through the ports.

``Mechanism`` is what an embedding system calls. Each method loads the state it needs
from the event store, lets the pure ``decide`` functions check the command, and
appends the resulting events in one atomic write, expecting the version it read. A
refusal raises before anything is written.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, TypeVar

import attrs

from untoc_core import conference as conf
from untoc_core import confidentiality as acc
from untoc_core import registry as reg
from untoc_core.checklists import bank as ck_bank
from untoc_core.checklists import events as ck_events
from untoc_core.checklists import model as ck_model
from untoc_core.conference.commands import Command as ConferenceCommand
from untoc_core.conference.model import evolve as evolve_conference
from untoc_core.confidentiality import commands as acc_commands
from untoc_core.confidentiality import events as acc_events
from untoc_core.confidentiality import keys as acc_keys
from untoc_core.confidentiality import model as acc_model
from untoc_core.drawing import ceremony as cer
from untoc_core.drawing import commands as draws
from untoc_core.drawing.events import (
    Reviewers,
    ReviewersDrawn,
    ReviewYearsDrawn,
    SlotPick,
)
from untoc_core.drawing.events import stream_of as draw_stream_of
from untoc_core.drawing.inputs import (
    DrawInputs,
    experts_listed,
    parse_draw_id,
    reviewers_draw_id,
    reviewers_inputs,
    stale_blocks_of,
    years_draw_id,
    years_inputs,
)
from untoc_core.drawing.model import CycleDraws
from untoc_core.drawing.model import evolve as evolve_draws
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.refusals import InputsFrozen, SeedNotFixed
from untoc_core.drawing.stream import Lot
from untoc_core.drawing.verify import Discrepancy, verify_history
from untoc_core.errors import ConcurrencyConflict, InvalidInput, UntocError
from untoc_core.events import Event
from untoc_core.instruments import article_catalogue
from untoc_core.ports import (
    Clock,
    CompletionSolver,
    EventStore,
    KeyCustody,
    NewEvents,
    Recorded,
    SignatureCheck,
)
from untoc_core.registry import model as reg_model
from untoc_core.registry.commands import Command as RegistryCommand
from untoc_core.reports import oversight as ovs
from untoc_core.reports import publication as pub
from untoc_core.reviews import deadlines as review_deadlines
from untoc_core.reviews import events as review_events
from untoc_core.reviews import model as review_model
from untoc_core.reviews import refusals as review_refusals
from untoc_core.rules.rulebook import Rulebook, default_rulebook
from untoc_core.terms import TreatyStatus

_S = TypeVar("_S")

ACCESS_LOG_ATTEMPTS: Final = 5
"""How often an access decision is made and logged before a conflict is raised."""

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
        key_custody: Makes the key material of each access decision (data keys,
            wrapped grants, key releases). Without it only the decisions are
            recorded, and no material can be filed.
        signatures: Checks the signatures of principals registered with a public
            signing key (a consent, ToR 37).
    """

    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        rulebook: Rulebook | None = None,
        *,
        key_custody: KeyCustody | None = None,
        signatures: SignatureCheck | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.rulebook = rulebook or default_rulebook()
        self.key_custody = key_custody
        self.signatures = signatures
        self._folds: dict[str, tuple[Any, int]] = {}
        self._drawn_days: dict[tuple[int, int], dt.date] = {}

    # -- reading -------------------------------------------------------------------

    def registry(self, *, at_version: int | None = None) -> reg.Registry:
        """The registry now, or as it stood at a version of its stream."""
        if at_version is None:
            return self._folded(REGISTRY_STREAM, reg.Registry, reg_model.evolve)
        records = self.store.read_stream(REGISTRY_STREAM, to_version=at_version)
        return reg.replay((r.version, r.event) for r in records)

    def conference(self) -> conf.Conference:
        """Every recorded decision of the Conference."""
        return self._folded(CONFERENCE_STREAM, conf.Conference, evolve_conference)

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

    # -- seed ceremonies (ToR 3(a), 5) ----------------------------------------------

    def ceremony(self, draw_id: str) -> cer.Ceremony:
        """The seed ceremony of a draw, on its stream ``ceremony/<draw id>``.

        A draw never announced gives a ceremony whose ``status`` is
        ``not_announced``. ``ceremony(draw_id).seed()`` is the fixed seed, and
        ``require_seed(inputs_sha256)`` also checks the draw's inputs (T34).

        Raises:
            InvalidInput: the draw id is malformed.
        """
        records = self.store.read_stream(cer.stream_of(draw_id))
        return cer.replay(((r.version, r.event) for r in records), draw_id=draw_id)

    def announce_draw(
        self, command: cer.AnnounceDraw, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Record a draw's inputs hash and randomness source before the seed exists.

        Commit-reveal participants must be States parties or signatories in the
        registry. For a draw the mechanism records (``cycle-<n>/years``,
        ``cycle-<n>/year-<y>/reviewers``) the hash must be that of its inputs as the
        store stands (``draw_inputs(draw_id).sha256``): a seed fixed for other
        inputs could never be used, and the draw could not be announced again.

        Raises:
            DrawAlreadyAnnounced: the draw was announced and is not void (ToR-5).
            AnnouncementRefused: a deadline or due time is not in the future, reveals
                would close before commitments, the public value would be due
                before reveals close, or an earlier attempt named it (ToR-5).
            InputsChanged: a recorded draw announced with the hash of other inputs
                than its own (ToR-5).
            ReviewYearsAlreadyDrawn, ReviewYearsNotDrawn, ReviewersDrawRefused,
            ExpertListNotCirculated: a recorded draw that cannot come next (see
                ``draw_inputs``).
            InvalidInput: a malformed draw id, hash, State code or time, or a
                recorded draw of a cycle the Conference has not established.
        """
        parties = None
        if isinstance(command.source, cer.CommitReveal):
            parties = frozenset(
                e.code
                for e in self.registry().entries.values()
                if e.is_party or e.is_signatory
            )
        return self._ceremony_command(
            command, actor, parties, check=self._check_announced_inputs
        )

    def _check_announced_inputs(self, announced: cer.DrawAnnounced) -> None:
        """Refuse the hash of other inputs than a recorded draw's own (ToR 5)."""
        parsed = parse_draw_id(announced.draw_id)
        if parsed is None:
            return
        expected = self._next_draw_inputs(*parsed).sha256
        if announced.inputs_sha256 != expected:
            msg = (
                f"the inputs of draw {announced.draw_id!r} hash to {expected} as the "
                f"store stands, not {announced.inputs_sha256}; announce their hash "
                f"(untoc draw inputs {announced.draw_id}, or no hash at all: untoc "
                "draw announce computes it), since a draw runs only on the inputs "
                "announced and a seed fixed for others could never be used"
            )
            raise cer.InputsChanged(msg)

    def commit_secret(
        self, command: cer.CommitSecret, *, actor: str | None = None
    ) -> list[Recorded]:
        """Record a State's commitment to its secret (the actor is the State).

        Raises:
            CommitmentRefused: commitments are closed, the State committed already
                or does not take part, or the draw has no commit-reveal (ToR-5).
            UnknownDraw: no ceremony was announced for the draw.
        """
        return self._ceremony_command(
            command, actor or command.party.strip().upper(), None
        )

    def reveal_secret(
        self, command: cer.RevealSecret, *, actor: str | None = None
    ) -> list[Recorded]:
        """Record the secret a State committed to (the actor is the State).

        Raises:
            RevealMismatch: the secret does not match the commitment (ToR-5, T38).
            RevealRefused: commitments are still open, reveals are closed, the State
                made no commitment or revealed already (ToR-5).
            UnknownDraw: no ceremony was announced for the draw.
        """
        return self._ceremony_command(
            command, actor or command.party.strip().upper(), None
        )

    def fix_seed(
        self, command: cer.FixSeed, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Fix the draw's seed from its announced source: ``SeedFixed``.

        Under the ``restart`` rule a withheld reveal records ``CeremonyVoided``
        instead, as does a ceremony with no reveal and no public value; the draw
        is then announced again.

        Raises:
            SeedFixingRefused: reveals are open, the public value is not due, the
                seed is fixed already or the ceremony is void (ToR-5).
            WrongRandomnessSource: the value is not the announced one (ToR-5).
            InvalidInput: the value does not have the announced format.
        """
        return self._ceremony_command(command, actor, None)

    def _ceremony_command(
        self,
        command: cer.Command,
        actor: str,
        parties: frozenset[str] | None,
        check: Callable[[cer.DrawAnnounced], None] | None = None,
    ) -> list[Recorded]:
        state = self.ceremony(command.draw_id)
        events = cer.decide(state, command, now=self.clock.now(), parties=parties)
        if check is not None:
            for event in events:
                if isinstance(event, cer.DrawAnnounced):
                    check(event)
        return self._append(
            cer.stream_of(command.draw_id), state.version, events, actor
        )

    # -- the recorded drawing of lots (ToR 12-14, 18-21, 57) ---------------------------

    def cycle_draws(self, cycle: int) -> CycleDraws:
        """Everything drawn in a cycle, from its stream ``draw/cycle-<n>``."""
        return self._folded(
            draw_stream_of(cycle), lambda: CycleDraws(cycle=cycle), evolve_draws
        )

    def review_years(self, cycle: int) -> tuple[tuple[str, ...], ...]:
        """For years 1..N, the States reviewed that year, after deferrals (ToR 14).

        Empty before the review years are drawn.
        """
        return self.cycle_draws(cycle).review_years

    def reviewers(self, cycle: int, year: int) -> tuple[Reviewers, ...]:
        """The reviewing States of each State under review in a year (ToR 18, 19).

        A State whose reviewers are not drawn yet has none.
        """
        return self.cycle_draws(cycle).reviews(year)

    def redraw_counts(self, cycle: int, year: int) -> dict[str, int]:
        """For each State under review in a year, its repeated draws (ToR 19)."""
        return self.cycle_draws(cycle).redraw_counts(year)

    def transcript(self, cycle: int) -> tuple[Lot | SlotPick, ...]:
        """Every lot drawn in a cycle, in draw order (ToR 3(a)).

        The shuffles of the review years are ``Lot`` values; each reviewer pick, a
        ``SlotPick``.
        """
        return self.cycle_draws(cycle).transcript

    def draw_inputs(
        self, draw_id: str, *, solver: CompletionSolver | None = None
    ) -> DrawInputs:
        """The inputs of a draw the mechanism records, and their SHA-256, as of now.

        ``untoc draw announce`` announces this hash; the draw recomputes it from the
        store as it stood at the announcement and runs only if the two agree (ToR 5).
        ``draw_id`` is ``cycle-<n>/years`` or ``cycle-<n>/year-<y>/reviewers``. A draw
        that no outcome of its lots could complete on these inputs is refused here,
        before a ceremony is spent on it.

        Raises:
            InvalidInput: the draw id names no draw the mechanism records, or the
                Conference has not established the cycle.
            ReviewYearsAlreadyDrawn, ReviewYearsNotDrawn, ReviewersDrawRefused,
            ExpertListNotCirculated: the draw cannot come next (ToR 13(b), 14(b),
                19(b), 21).
            ConferenceDecisionRefused: the numbers per year do not fit (ToR 45).
            DrawImpossible: a subclass naming the rule the draw could not keep.
        """
        parsed = parse_draw_id(cer.check_draw_id(draw_id))
        if parsed is None:
            msg = (
                f"{draw_id!r} is not a draw the mechanism records; those are "
                "'cycle-N/years' and 'cycle-N/year-Y/reviewers'"
            )
            raise InvalidInput(msg)
        return self._next_draw_inputs(*parsed, solver=solver, check_possible=True)

    def _next_draw_inputs(
        self,
        cycle: int,
        year: int | None,
        *,
        solver: CompletionSolver | None = None,
        check_possible: bool = False,
    ) -> DrawInputs:
        """The inputs of the draw of ``year``'s reviewers (of the years if ``None``).

        Refuses a draw that cannot come next; with ``check_possible``, also one that
        no outcome of its lots could complete.
        """
        state = self.cycle_draws(cycle)
        registry = self.registry()
        if year is None:
            draws.check_years_draw(state)
            inputs, pool, established = self._years_facts(state, registry)
            if check_possible:
                draws.check_years_draw_possible(
                    cycle=cycle,
                    starts_on=established.starts_on,
                    pool=pool,
                    per_year=established.parties_per_year,
                    rulebook=self.rulebook,
                    solver=solver,
                )
            return inputs
        draws.check_reviewers_draw(state, year)
        inputs, _, _, without = self._reviewers_facts(state, year, registry)
        if check_possible:
            draws.check_reviewers_draw_possible(
                state, year, without, self.rulebook, solver
            )
        return inputs

    def volunteer_for_review(
        self, cycle: int, code: str, *, actor: str | None = None
    ) -> list[Recorded]:
        """Record that a signatory volunteers to be reviewed in a cycle (ToR 57).

        It is then drawn a review year with the States parties, is reviewed on the
        Convention only, and never serves as a reviewer.

        Raises:
            VolunteerRefused: the State is a party or not a signatory, volunteered
                already, or the review years are drawn (ToR 57).
            InputsFrozen: the draw of the review years is announced (ToR 5).
            UnknownParty: no State has that code.
            InvalidInput: the Conference has not established the cycle.
        """
        self.conference().cycle(cycle)
        entry = self.registry().entry(code)
        command = draws.VolunteerForReview(
            cycle=cycle, code=entry.code, status=entry.convention_status
        )
        return self._draw_command(command, actor or entry.code)

    def draw_review_years(
        self,
        cycle: int,
        *,
        accept_stale_registry: bool = False,
        solver: CompletionSolver | None = None,
        actor: str = SECRETARIAT,
    ) -> list[Recorded]:
        """Draw the year of review of every State of a cycle (ToR 12-14, 45, 57).

        The States are the parties at the start of the cycle and the signatories that
        volunteered, as the registry stood when the draw ``cycle-<n>/years`` was
        announced; the seed is the one its ceremony fixed. Each regional group's
        members are spread over the years in proportion (or by the Conference's
        numbers per year), then shuffled by lot. The whole cycle's reviewers must be
        possible, or nothing is recorded.

        Raises:
            ReviewYearsAlreadyDrawn: drawn before (ToR 13(b)).
            SeedNotFixed, InputsChanged: no seed fixed for the draw, or inputs that
                differ from those announced (ToR 5).
            StaleRegistry: the registry rests on stale reference data and
                ``accept_stale_registry`` is false (ADR 0006).
            ConferenceDecisionRefused: the Conference's numbers per year do not add
                up to the States to review (ToR 45).
            DrawImpossible: a subclass naming the rule no draw of reviewers could
                keep (ToR 18, 18 bis, 19, 20).
        """
        state = self.cycle_draws(cycle)
        draws.check_years_draw(state)
        ceremony, registry = self._announced(years_draw_id(cycle))
        inputs, pool, established = self._years_facts(state, registry)
        seed = ceremony.require_seed(inputs.sha256)
        command = draws.DrawReviewYears(
            cycle=cycle,
            starts_on=established.starts_on,
            years=established.years,
            parties_per_year=established.parties_per_year,
            pool=pool,
            registry_version=registry.version,
            seed=seed.hex(),
            stale_blocks=stale_blocks_of(registry),
            accept_stale_registry=accept_stale_registry,
        )
        return self._draw_command(command, actor, solver, state=state, guard=False)

    def defer_review_year(
        self,
        cycle: int,
        code: str,
        justification: str,
        *,
        solver: CompletionSolver | None = None,
        actor: str | None = None,
    ) -> list[Recorded]:
        """Move a State's review to the following year of the cycle (ToR 14(c)).

        Raises:
            ReviewYearDeferralRefused: no justification, deferred before, the last
                year of the cycle, or that year's reviewers are drawn (ToR 14(c)).
            InputsFrozen: the draw of that year's reviewers is announced (ToR 5).
            DrawImpossible: the cycle could no longer be completed.
        """
        command = draws.DeferReviewYear(
            cycle=cycle, code=code, justification=justification
        )
        return self._draw_command(command, actor or code.strip().upper(), solver)

    def draw_reviewers(
        self,
        cycle: int,
        year: int,
        *,
        accept_stale_registry: bool = False,
        solver: CompletionSolver | None = None,
        actor: str = SECRETARIAT,
    ) -> list[Recorded]:
        """Draw the two reviewing States of each State under review in a year.

        Drawn at the beginning of each year, in order (ToR 19(b)), from the seed of
        the draw ``cycle-<n>/year-<y>/reviewers``, on the pool of the review years'
        draw. States that deferred serving that year (ToR 20) and States with no
        governmental expert on the list circulated before the draw was announced
        (ToR 21) do not serve that year.

        Raises:
            ReviewYearsNotDrawn, ReviewersDrawRefused: out of order or drawn before
                (ToR 14(b), 19(b)).
            SeedNotFixed, InputsChanged: see ``draw_review_years`` (ToR 5).
            ExpertListNotCirculated: no list of experts was circulated (ToR 21).
            StaleRegistry: the pool rests on stale reference data (ADR 0006).
            DrawImpossible: a subclass naming the rule that cannot be kept.
        """
        state = self.cycle_draws(cycle)
        draws.check_reviewers_draw(state, year)
        ceremony, registry = self._announced(reviewers_draw_id(cycle, year))
        inputs, circulation_on, circulation_version, without = self._reviewers_facts(
            state, year, registry
        )
        seed = ceremony.require_seed(inputs.sha256)
        command = draws.DrawReviewers(
            cycle=cycle,
            year=year,
            seed=seed.hex(),
            registry_version=registry.version,
            circulated_on=circulation_on,
            circulation_version=circulation_version,
            without_experts=without,
            accept_stale_registry=accept_stale_registry,
        )
        return self._draw_command(command, actor, solver, state=state, guard=False)

    def authorise_exceptional_redraw(  # noqa: PLR0913 - the authorisation's facts
        self,
        cycle: int,
        year: int,
        under_review: str,
        reason: str,
        decided_by: str,
        *,
        actor: str = SECRETARIAT,
    ) -> list[Recorded]:
        """Record that a State's next repeated draw, beyond the second, may be held.

        Only in exceptional circumstances (ToR 19(d)); ``decided_by`` names who
        decided that they are, and by what decision.

        Raises:
            RedrawRefused: the year's reviewers are not drawn (ToR 19(d)).
            InvalidInput: no reason or decision, the State is not under review that
                year, it has repeated draws left, or that one is authorised already.
        """
        command = draws.AuthoriseExceptionalRedraw(
            cycle=cycle,
            year=year,
            under_review=under_review,
            reason=reason,
            decided_by=decided_by,
        )
        return self._draw_command(command, actor)

    def redraw(  # noqa: PLR0913 - the request and its authorisation
        self,
        cycle: int,
        year: int,
        under_review: str,
        authorisation: draws.ExceptionalRedraw | None = None,
        *,
        solver: CompletionSolver | None = None,
        actor: str | None = None,
    ) -> list[Recorded]:
        """At its request, draw again the reviewers of a State under review (ToR 19).

        At most twice per State and year; a further repeat needs an
        ``ExceptionalRedrawAuthorised`` event, recorded before by
        ``authorise_exceptional_redraw`` or with this call when ``authorisation`` is
        given. The reviewers released by the State's repeated draws are not drawn
        again for it that year (ADR 0005); the lots come from the year's seed under
        the labels ``reviewers/<year>/<CODE>/<kind>/redraw<k>``.

        Raises:
            RedrawRefused: a repeat beyond the second without authorisation, or no
                other reviewers can be drawn within the rules (ToR 19(d)).
            InputsFrozen: the next draw of the cycle is announced and this would
                change its inputs (ToR 5).
        """
        code = under_review.strip().upper()
        state = self.cycle_draws(cycle)
        events: list[Event] = []
        after = state
        if authorisation is not None:
            authorise = draws.AuthoriseExceptionalRedraw(
                cycle=cycle,
                year=year,
                under_review=code,
                reason=authorisation.reason,
                decided_by=authorisation.decided_by,
            )
            events.extend(draws.decide(after, authorise, rulebook=self.rulebook))
            after = evolve_draws(after, events[-1], after.version + 1)
        command = draws.RedrawReviewers(cycle=cycle, year=year, under_review=code)
        events.extend(
            draws.decide(after, command, rulebook=self.rulebook, solver=solver)
        )
        self._guard_pending(state, events)
        return self._append(draw_stream_of(cycle), state.version, events, actor or code)

    def defer_serving(  # noqa: PLR0913 - the deferral's facts
        self,
        cycle: int,
        year: int,
        code: str,
        justification: str = "",
        *,
        solver: CompletionSolver | None = None,
        actor: str | None = None,
    ) -> list[Recorded]:
        """Record that a State defers serving as a reviewer in a year (ToR 20(a)).

        A State under review that year, or one drawn to review a State that year,
        may defer. Any slot it fills that year is drawn again from the year's seed,
        under the label ``<slot label>/deferral<k>``.

        Raises:
            ServingDeferralRefused: the State is neither under review nor drawn as a
                reviewer that year, or deferred already (ToR 20(a)).
            SignatoryCannotReview: a signatory never serves (ToR 57).
            DrawImpossible: the cycle could no longer be completed; the subclass
                names the rule (often ToR 20(b)).
            InputsFrozen: the next draw of the cycle is announced and this would
                change its inputs (ToR 5).
        """
        command = draws.DeferServing(
            cycle=cycle, year=year, code=code, justification=justification
        )
        return self._draw_command(command, actor or code.strip().upper(), solver)

    def verify_draws(
        self, cycle: int, *, solver: CompletionSolver | None = None
    ) -> list[Discrepancy]:
        """Replay every recorded draw of a cycle; return where a record differs.

        Each event is decided again from its recorded command, seed and inputs
        (ToR 3(a)); a draw's seed and inputs' hash must also be those its ceremony
        fixed and announced. An empty list means everything verifies.
        """
        records = self.store.read_stream(draw_stream_of(cycle))
        found: list[Discrepancy] = []
        for r in records:
            event = r.event
            if not isinstance(event, ReviewYearsDrawn | ReviewersDrawn):
                continue
            ceremony = self.ceremony(event.draw_id)
            fixed = ceremony.fixed
            checks = (
                ("seed", fixed.seed if fixed else "(no seed fixed)", event.seed),
                (
                    "inputs_sha256",
                    fixed.inputs_sha256 if fixed else "(not announced)",
                    event.inputs_sha256,
                ),
            )
            found.extend(
                Discrepancy(
                    version=r.version,
                    event_type=event.TYPE,
                    field=name,
                    expected=expected,
                    found=given,
                )
                for name, expected, given in checks
                if expected != given
            )
        found.extend(
            verify_history(
                ((r.version, r.event) for r in records),
                rulebook=self.rulebook,
                solver=solver,
                cycle=cycle,
            )
        )
        return sorted(found, key=lambda d: d.version)

    def _draw_command(
        self,
        command: draws.Command,
        actor: str,
        solver: CompletionSolver | None = None,
        *,
        state: CycleDraws | None = None,
        guard: bool = True,
    ) -> list[Recorded]:
        current = state if state is not None else self.cycle_draws(command.cycle)
        events = draws.decide(current, command, rulebook=self.rulebook, solver=solver)
        if guard:
            self._guard_pending(current, events)
        return self._append(
            draw_stream_of(command.cycle), current.version, events, actor
        )

    def _announced(self, draw_id: str) -> tuple[cer.Ceremony, reg.Registry]:
        """A draw's fixed ceremony, and the registry as it was when announced."""
        records = self.store.read_stream(cer.stream_of(draw_id))
        ceremony = cer.replay(((r.version, r.event) for r in records), draw_id=draw_id)
        if ceremony.status is not cer.Status.FIXED:
            raise SeedNotFixed(_not_fixed(draw_id, ceremony.status))
        announced = max(
            r.position for r in records if isinstance(r.event, cer.DrawAnnounced)
        )
        return ceremony, self._registry_before(announced)

    def _registry_before(self, position: int) -> reg.Registry:
        """The registry as it stood just before the event at ``position``."""
        records = self.store.read_stream(REGISTRY_STREAM)
        return reg.replay(
            (r.version, r.event) for r in records if r.position < position
        )

    def _years_facts(
        self, state: CycleDraws, registry: reg.Registry
    ) -> tuple[DrawInputs, tuple[DrawParty, ...], conf.Cycle]:
        cycle = self.conference().cycle(state.cycle)
        entries = registry.parties(on=cycle.starts_on)
        pool = {e.code: DrawParty.from_entry(e) for e in entries}
        for code in state.volunteers:
            if code not in pool:  # a volunteer is reviewed as a signatory (ToR 57)
                party = DrawParty.from_entry(registry.entry(code))
                pool[code] = attrs.evolve(
                    party, status=TreatyStatus.SIGNATORY, protocols=frozenset()
                )
        ordered = tuple(pool[c] for c in sorted(pool))
        inputs = years_inputs(
            cycle=state.cycle,
            starts_on=cycle.starts_on,
            years=cycle.years,
            parties_per_year=cycle.parties_per_year,
            registry_version=registry.version,
            pool=ordered,
            rulebook=self.rulebook,
        )
        return inputs, ordered, cycle

    def _reviewers_facts(
        self, state: CycleDraws, year: int, registry: reg.Registry
    ) -> tuple[DrawInputs, dt.date, int, tuple[str, ...]]:
        circulation = draws.require_circulation(registry.last_circulation(), year)
        listed = experts_listed(registry, circulation)
        pool = state.require_years().pool
        without = tuple(
            sorted(p.code for p in pool if p.can_review and p.code not in listed)
        )
        inputs = reviewers_inputs(
            state=state,
            year=year,
            registry_version=registry.version,
            circulation=circulation,
            excluded=draws.year_exclusions(state, year, without),
            rulebook=self.rulebook,
        )
        return inputs, circulation.circulated_on, circulation.version, without

    def _pending(self, state: CycleDraws) -> tuple[str, reg.Registry] | None:
        """The next draw of the cycle if announced and not void, and its registry."""
        if state.years is None:
            draw_id = years_draw_id(state.cycle)
        else:
            year = state.next_year_to_draw()
            if year is None:
                return None
            draw_id = reviewers_draw_id(state.cycle, year)
        records = self.store.read_stream(cer.stream_of(draw_id))
        ceremony = cer.replay(((r.version, r.event) for r in records), draw_id=draw_id)
        if ceremony.status not in {cer.Status.OPEN, cer.Status.FIXED}:
            return None
        announced = max(
            r.position for r in records if isinstance(r.event, cer.DrawAnnounced)
        )
        return draw_id, self._registry_before(announced)

    def _inputs_hash(
        self, state: CycleDraws, draw_id: str, registry: reg.Registry
    ) -> str | None:
        """The hash of a draw's inputs on ``state``; ``None`` if it has none yet."""
        parsed = parse_draw_id(draw_id)
        if parsed is None:  # pragma: no cover - the ids come from _pending
            return None
        try:
            if parsed[1] is None:
                return self._years_facts(state, registry)[0].sha256
            return self._reviewers_facts(state, parsed[1], registry)[0].sha256
        except UntocError:
            return None

    def _guard_pending(self, state: CycleDraws, events: Sequence[Event]) -> None:
        """Refuse events that would change the inputs of an announced draw (ToR 5)."""
        pending = self._pending(state)
        if pending is None:
            return
        draw_id, registry = pending
        after = state
        for event in events:
            after = evolve_draws(after, event, after.version + 1)
        before = self._inputs_hash(state, draw_id, registry)
        if self._inputs_hash(after, draw_id, registry) != before:
            msg = (
                f"the inputs of draw {draw_id!r} were announced before its seed, and "
                "this would change them; record it after that draw (a slot is then "
                "drawn again if needed), or once its ceremony is void and before it "
                "is announced again"
            )
            raise InputsFrozen(msg)

    # -- access to review information (ToR 3(g), 30, 36, 37, 37 quater; GL 5) ------

    def principals(self) -> acc.Principals:
        """Every registered principal, from the stream ``access/principals``."""
        return self._folded(
            acc_events.PRINCIPALS_STREAM,
            acc.Principals,
            acc_model.evolve_principals,
        )

    def review_access(self, review: str) -> acc.ReviewAccess:
        """Everything recorded about access to a review, on ``access/<review>``.

        Raises:
            InvalidInput: ``review`` is not a review id ``cycle-<n>/<CODE>``.
        """
        return self._folded(
            acc_events.stream_of(review),
            lambda: acc.ReviewAccess.empty(review),
            acc_model.evolve_review,
        )

    def _folded(
        self,
        stream: str,
        start: Callable[[], _S],
        evolve: Callable[[_S, Event, int], _S],
    ) -> _S:
        """A stream's state, folding only the events recorded since last asked.

        Streams are append-only, so the state kept from an earlier read stays
        right; the events appended since (by anyone) are read and folded on.
        """
        cached = self._folds.get(stream)
        state: _S = cached[0] if cached is not None else start()
        version: int = cached[1] if cached is not None else 0
        for record in self.store.read_stream(stream, after_version=version):
            state = evolve(state, record.event, record.version)
            version = record.version
        self._folds[stream] = (state, version)
        return state

    def register_principal(
        self, command: acc.RegisterPrincipal, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Register a principal and the fingerprints of its keys.

        Raises:
            UnknownParty: a focal point's State is not in the registry.
            InvalidInput: a malformed id or fingerprint, or the id is taken.
        """
        if command.state is not None:
            self.registry().entry(command.state)
        state = self.principals()
        events = acc_commands.register(state, command)
        return self._append(acc_events.PRINCIPALS_STREAM, state.version, events, actor)

    def open_scope(
        self,
        review: str,
        scope: acc.Scope,
        reviewers: Sequence[str],
        *,
        actor: str = SECRETARIAT,
    ) -> list[Recorded]:
        """Open a key scope of a review, granting each registered principal of it.

        The party under review (named by the review id), its two ``reviewers`` and
        the secretariat hold the dossier and the final report; consented requesters
        the final report too; the group of experts the executive summary.
        """
        command = acc.OpenScope(review=review, scope=scope, reviewers=tuple(reviewers))
        return self._access_command(command, actor)

    def grant_access(
        self, review: str, scope: acc.Scope, principal: str, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Grant a principal registered since the scope opened (ToR 30, 37).

        Raises:
            GrantRefused, ReportAccessRefused, ExpertGroupAccessRefused: the rules
                do not authorise that principal for that scope.
        """
        command = acc.GrantAccess(review=review, scope=scope, principal=principal)
        return self._access_command(command, actor)

    def revoke_access(
        self,
        review: str,
        scope: acc.Scope,
        principal: str,
        reason: str,
        *,
        actor: str = SECRETARIAT,
    ) -> list[Recorded]:
        """Revoke a grant; the scope turns to a new epoch granted to the others."""
        command = acc.RevokeAccess(
            review=review, scope=scope, principal=principal, reason=reason
        )
        return self._access_command(command, actor)

    def rotate_epoch(
        self,
        review: str,
        reviewers: Sequence[str],
        reason: str,
        *,
        actor: str = SECRETARIAT,
    ) -> list[Recorded]:
        """Turn every opened scope to a new epoch for these reviewers (ToR 19, 20).

        A reviewer replaced by a deferral or a repeated draw is revoked and gets no
        grant at the new epoch: it cannot read material sealed from then on.
        """
        command = acc.RotateEpoch(
            review=review, reviewers=tuple(reviewers), reason=reason
        )
        return self._access_command(command, actor)

    def request_report(
        self, review: str, requester: str, *, actor: str | None = None
    ) -> list[Recorded]:
        """Record a State's request for another State's final report (ToR 37).

        Raises:
            ReportAccessRefused: the requester takes part in the review.
        """
        command = acc.RequestReport(review=review, requester=requester)
        return self._access_command(command, actor or requester)

    def give_consent(
        self,
        review: str,
        requester: str,
        given_by: str,
        signature: str,
        *,
        actor: str | None = None,
    ) -> list[Recorded]:
        """Record the party under review's consent, and grant the final report.

        Raises:
            ReportAccessRefused: ``given_by`` is not the party under review, or the
                requester made no request (ToR 37).
        """
        command = acc.GiveConsent(
            review=review, requester=requester, given_by=given_by, signature=signature
        )
        self._check_consent_signature(command)
        return self._access_command(command, actor or given_by)

    def _check_consent_signature(self, command: acc.GiveConsent) -> None:
        """A consent of a principal with a registered signing key must verify."""
        signer = self.principals().get(command.given_by)
        if signer is None or not signer.signing_key:
            return
        if self.signatures is None:
            msg = (
                f"{command.given_by} signs with a registered key, and this mechanism "
                "has no signature check configured"
            )
            raise InvalidInput(msg)
        message = acc_commands.consent_message(
            command.review, command.requester, command.given_by
        )
        try:
            signature = base64.b64decode(command.signature.strip(), validate=True)
        except binascii.Error:
            signature = b""
        if not self.signatures.verify(signer.signing_key, message, signature):
            msg = (
                f"the consent is not signed with the registered key of "
                f"{command.given_by}, the party under review"
            )
            raise acc.ReportAccessRefused(msg)

    def publish_sections(
        self,
        review: str,
        sections: Sequence[str],
        published_by: str,
        *,
        actor: str | None = None,
    ) -> list[Recorded]:
        """Record the sections of its report the party under review publishes.

        Raises:
            PublicationRefused: ``published_by`` is not the party under review
                (ToR 36).
        """
        command = acc.PublishSections(
            review=review, sections=tuple(sections), published_by=published_by
        )
        if self.key_custody is not None:
            filed = self.review_material(review).sections(acc.Scope.FINAL_REPORT)
            missing = [s for s in command.sections if s not in filed]
            if missing:
                msg = (
                    f"section(s) {', '.join(missing)} of the final report of {review} "
                    "were never filed, so there is nothing to publish"
                )
                raise InvalidInput(msg)
        return self._access_command(command, actor or published_by)

    def report_breach(
        self,
        review: str,
        reported_by: str,
        summary: str,
        *,
        referred_to: str = acc.IMPLEMENTATION_OVERSIGHT_GROUP,
        actor: str | None = None,
    ) -> list[Recorded]:
        """Record a suspected breach of confidentiality and where it is referred.

        The summary must not repeat confidential content (GL 5).
        """
        command = acc.ReportBreach(
            review=review,
            reported_by=reported_by,
            summary=summary,
            referred_to=referred_to,
        )
        return self._access_command(command, actor or reported_by)

    def decide_access(
        self,
        principal: str,
        review: str,
        scope: acc.Scope,
        action: acc.Action = acc.Action.READ,
        *,
        section: str = "",
    ) -> acc.AccessDecision:
        """Decide and log whether a principal may read a scope of a review.

        The decision is recorded as ``AccessDecided`` on the review's stream,
        allowed or denied, with its exact reason and basis. Every principal's
        decisions on a review go to that one stream: if another is logged at the
        same moment, the decision is made again on the state as it now is and
        logged after it (up to :data:`ACCESS_LOG_ATTEMPTS` times).

        Raises:
            AccessDenied: access is denied (ToR-30); the reason is only in the log.
            InvalidInput: a malformed principal, review or section id.
            ConcurrencyConflict: other decisions were logged at every attempt.
        """
        acc_commands.check_principal_id(principal)
        if section:
            acc_commands.check_section(section)
        decision = self._decide_and_log(principal, review, scope, action, section)
        if not decision.allowed:
            raise acc.AccessDenied
        return decision

    def _decide_and_log(
        self,
        principal: str,
        review: str,
        scope: acc.Scope,
        action: acc.Action,
        section: str,
    ) -> acc.AccessDecision:
        """The decision, made on the latest state and logged (see decide_access)."""
        attempt = 1
        while True:
            state = acc.AccessState(
                principals=self.principals(), review=self.review_access(review)
            )
            decision = acc.decide_access(
                state, principal, review, scope, action, section=section
            )
            try:
                self._append(
                    acc_events.stream_of(review),
                    state.review.version,
                    [decision.event()],
                    principal,
                )
            except ConcurrencyConflict:
                if attempt == ACCESS_LOG_ATTEMPTS:
                    raise
                attempt += 1
                continue
            return decision

    def access_log(self, review: str, principal: str) -> tuple[acc.AccessDecided, ...]:
        """The access log of a review, for an auditor or the secretariat.

        Reading it is itself logged.

        Raises:
            AccessDenied: ``principal`` may not read the log (ToR-30).
        """
        self.decide_access(principal, review, acc.Scope.DOSSIER, acc.Action.READ_LOG)
        return self.review_access(review).log

    def _access_command(
        self, command: acc_commands.Command, actor: str
    ) -> list[Recorded]:
        state = acc.AccessState(
            principals=self.principals(), review=self.review_access(command.review)
        )
        events = acc_commands.decide(state, command)
        if self.key_custody is not None and events:
            material = self.review_material(command.review)
            events = (*events, *self.key_custody.key_events(state, events, material))
        return self._append(
            acc_events.stream_of(command.review), state.review.version, events, actor
        )

    # -- country reviews (guidelines paras 12-34) ----------------------------------

    def country_review(self, review: str) -> review_model.CountryReview:
        """A country review as recorded on ``review/<review id>``.

        Raises:
            InvalidInput: ``review`` is not a review id ``cycle-<n>/<CODE>``.
        """
        _country_review_id(review)
        return self._folded(
            review_events.stream_of(review),
            lambda: review_model.CountryReview(review=review),
            review_model.evolve,
        )

    def country_reviews(self, cycle: int) -> list[review_model.CountryReview]:
        """The opened country reviews of a cycle, in draw order (year, then slot)."""
        found = []
        draws = self.cycle_draws(cycle)
        for year in range(1, len(draws.review_years) + 1):
            for drawn in self.reviewers(cycle, year):
                state = self.country_review(f"cycle-{cycle}/{drawn.under_review}")
                if state.opened is not None:
                    found.append(state)
        return found

    def training_courses(self) -> tuple[review_events.TrainingCourseHeld, ...]:
        """The training courses held for governmental experts (ToR 31, GL 11)."""
        records = self.store.read_stream(review_events.TRAINING_STREAM)
        return tuple(
            r.event
            for r in records
            if isinstance(r.event, review_events.TrainingCourseHeld)
        )

    def record_training_course(
        self,
        course: str,
        on: dt.date,
        participants: Sequence[str],
        *,
        actor: str = SECRETARIAT,
    ) -> list[Recorded]:
        """Record a training course and who attended it (ToR 31, GL 11).

        Raises:
            InvalidInput: a blank course name, no participant, a date after today,
                or a participant who is not a governmental expert on the roster.
        """
        name = course.strip()
        if not name:
            msg = "a training course has a name"
            raise InvalidInput(msg)
        if on > self.clock.now().date():
            msg = f"a course cannot be dated after today ({self.clock.now().date()})"
            raise InvalidInput(msg)
        roster = {e.expert_id for e in self.registry().experts()}
        attendees = tuple(dict.fromkeys(participants))
        unknown = [p for p in attendees if p not in roster]
        if not attendees or unknown:
            msg = (
                "the participants of a course are governmental experts on the roster"
                + (f"; not on it: {', '.join(unknown)}" if unknown else "")
            )
            raise InvalidInput(msg)
        event = review_events.TrainingCourseHeld(
            on=on, course=name, participants=attendees
        )
        stream = review_events.TRAINING_STREAM
        return self._append(stream, self.store.stream_version(stream), [event], actor)

    def review_timeline(
        self, review: str, *, as_of: dt.date
    ) -> tuple[review_deadlines.Deadline, ...]:
        """Every indicative deadline of a review, and its status on ``as_of``."""
        state = self.country_review(review)
        return review_deadlines.timeline(self.rulebook, state.steps, as_of=as_of)

    def open_review(self, review: str, *, actor: str = SECRETARIAT) -> list[Recorded]:
        """Open a country review from the reviewers drawn for it (ToR 19).

        Raises:
            InvalidInput: no reviewers were drawn for that State in that cycle, or
                the review is open already.
            CycleNotCompleted: a review of the previous cycle is not completed and
                the Conference granted no exception (ToR-13a).
        """
        cycle, code = _country_review_id(review)
        state = self.country_review(review)
        if state.opened is not None:
            msg = f"the country review {review} is already open"
            raise InvalidInput(msg)
        self._check_previous_cycle(cycle)
        drawn, drawn_on = self._drawn_reviewers(cycle, code)
        reviewers = tuple(drawn.reviewers)
        if drawn.same_region_reviewer in reviewers:
            reviewers = (
                drawn.same_region_reviewer,
                *(r for r in reviewers if r != drawn.same_region_reviewer),
            )
        event = review_events.ReviewOpened(
            review=review,
            cycle=cycle,
            year=drawn.year,
            party_under_review=code,
            reviewers=reviewers,
            drawn_on=drawn_on,
        )
        return self._append(review_events.stream_of(review), 0, [event], actor)

    def record_step(self, review: str, step: Event, *, actor: str) -> list[Recorded]:
        """Record one step of a country review, as ``actor``.

        Args:
            review: The review id.
            step: The step: an event of :mod:`untoc_core.reviews.events`, with the
                date it happened.
            actor: A State's code or ``secretariat``.

        Raises:
            InvalidInput: see :func:`untoc_core.reviews.model.decide`.
            DomainError: a step out of order, naming its provision.
        """
        state = self.country_review(review)
        events = review_model.decide(
            state,
            step,
            actor=actor,
            today=self.clock.now().date(),
            languages=[language.value for language in self.rulebook.languages],
        )
        return self._append(
            review_events.stream_of(review), state.version, events, actor
        )

    def _drawn_reviewers(self, cycle: int, code: str) -> tuple[Reviewers, dt.date]:
        draws = self.cycle_draws(cycle)
        for year in range(1, len(draws.review_years) + 1):
            drawn_on = self._drawn_on(cycle, year)
            for drawn in self.reviewers(cycle, year):
                if drawn.under_review == code and drawn.reviewers and drawn_on:
                    return drawn, drawn_on
        msg = f"no reviewers of {code} were drawn in cycle {cycle}; draw them first"
        raise InvalidInput(msg)

    def _drawn_on(self, cycle: int, year: int) -> dt.date | None:
        known = self._drawn_days.get((cycle, year))
        if known is not None:  # a draw, once recorded, never moves
            return known
        for record in self.store.read_stream(draw_stream_of(cycle)):
            event = record.event
            if isinstance(event, ReviewersDrawn) and event.year == year:
                day = record.recorded_at.date()
                self._drawn_days[(cycle, year)] = day
                return day
        return None

    def _check_previous_cycle(self, cycle: int) -> None:
        if cycle == 1:
            return
        open_reviews = [
            r.review for r in self.country_reviews(cycle - 1) if not r.completed
        ]
        exception = self.conference().has_exception(
            conf.ExceptionKind.EARLY_CYCLE, cycle
        )
        if open_reviews and not exception:
            msg = (
                f"cycle {cycle} cannot begin while reviews of cycle {cycle - 1} are "
                f"open ({', '.join(open_reviews)}), unless the Conference decides "
                "otherwise"
            )
            raise review_refusals.CycleNotCompleted(msg)

    # -- review material -----------------------------------------------------------

    def review_material(self, review: str) -> acc_keys.ReviewMaterial:
        """The material filed for a review (sealed; names and versions only).

        Raises:
            InvalidInput: ``review`` is not a review id.
        """
        return self._folded(
            acc_keys.material_stream(review),
            lambda: acc_keys.ReviewMaterial(review=review),
            acc_keys.evolve_material,
        )

    def file_material(  # noqa: PLR0913 - the filing and what records it
        self,
        principal: str,
        review: str,
        scope: acc.Scope,
        section: str,
        seal: Callable[[acc.SealContext], tuple[bytes, str, int]],
        *,
        also: Sequence[NewEvents] = (),
    ) -> Recorded:
        """File a piece of review material, sealed for its scope's current epoch.

        The principal's right to file is decided and logged first (``write``):
        only principals granted the scope at its current epoch file in it. ``seal``
        receives the exact context the value will be stored at (this stream, its
        next version, the section) and returns the sealed value's binary form, or
        ``b""`` with the SHA-256 and size of the blob that holds it.

        ``also`` are events of other streams that record what the filing is (a
        checklist draft); they are written in the same transaction, or not at all.

        Raises:
            AccessDenied: the principal may not file in this scope (ToR-30).
            ConcurrencyConflict: material was filed meanwhile; nothing is written.
        """
        acc_commands.check_section(section)
        decision = self.decide_access(principal, review, scope, acc.Action.WRITE)
        material = self.review_material(review)
        context = acc.SealContext(
            review=review,
            scope=scope.value,
            epoch=decision.epoch,
            aggregate=acc_keys.material_stream(review),
            version=material.version + 1,
            field=section,
        )
        sealed, blob_sha256, blob_size = seal(context)
        event = acc_keys.MaterialFiled(
            review=review,
            scope=scope,
            epoch=decision.epoch,
            section=section,
            filed_by=principal,
            sealed=sealed,
            blob_sha256=blob_sha256,
            blob_size=blob_size,
        )
        stream = acc_keys.material_stream(review)
        return self._append(stream, material.version, [event], principal, *also)[0]

    def material_to_read(
        self, principal: str, review: str, scope: acc.Scope, section: str
    ) -> MaterialToRead:
        """Decide and log a read of filed material; return what opening it needs.

        A published section of the final report (ToR 36) comes with its released
        one-use key; any other material with the principal's wrapped grant of the
        epoch it was sealed at.

        Raises:
            AccessDenied: the principal may not read it, or holds no grant of the
                epoch the material was sealed at (ToR-30).
            InvalidInput: nothing was filed under that section.
        """
        acc_commands.check_section(section)
        self.decide_access(principal, review, scope, section=section)
        material = self.review_material(review)
        filed = material.latest(scope, section)
        if filed is None:  # only a principal allowed to read the scope learns this
            msg = f"nothing is filed as {section!r} in the {scope.value} of {review}"
            raise InvalidInput(msg)
        keys = self.review_access(review).keys
        released = (
            keys.section_keys.get(section) if scope is acc.Scope.FINAL_REPORT else None
        )
        if released is not None and released.material_version == filed.version:
            return MaterialToRead(filed=filed, context=_context_of(filed), key=released)
        grant = keys.grants.get((scope, filed.event.epoch, principal))
        if grant is None:
            self.record_denial(
                principal, review, scope, "no-wrapped-grant-for-the-sealed-epoch"
            )
            raise acc.AccessDenied
        return MaterialToRead(filed=filed, context=_context_of(filed), key=grant)

    def record_denial(
        self, principal: str, review: str, scope: acc.Scope, reason: str
    ) -> None:
        """Log a refusal found after an allowed decision (a key that did not open).

        The entry names the principal, the scope and the reason, never content.
        """
        access = self.review_access(review)
        scoped = access.scopes.get(scope)
        entry = acc.AccessDecided(
            review=review,
            principal=principal,
            role=acc.role_of(access, self.principals().get(principal)),
            scope=scope,
            epoch=scoped.epoch if scoped is not None else 0,
            section="",
            action=acc.Action.READ,
            outcome=acc.Outcome.DENY,
            reason=reason,
            basis=acc.Basis.NONE,
        )
        self._append(acc_events.stream_of(review), access.version, [entry], principal)

    def record_shredding(
        self, review: str, shredded: acc.KeyShredded, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Record that the key-encryption key of a review's custodial copies is gone."""
        access = self.review_access(review)
        event = acc_keys.CustodialKeyShredded(
            review=review,
            key_service=shredded.key_service,
            kek_id=shredded.key_id,
            kid=shredded.kid,
            method=shredded.method,
        )
        return self._append(
            acc_events.stream_of(review), access.version, [event], actor
        )

    # -- the self-assessment checklist (ToR 15, 16, 27, 41) ------------------------

    def checklist(self, review: str) -> ck_model.Checklist:
        """The checklist of a review as recorded on ``checklist/<review id>``.

        Raises:
            InvalidInput: ``review`` is not a review id.
        """
        _country_review_id(review)
        return self._folded(
            ck_events.stream_of(review),
            lambda: ck_model.Checklist(review=review),
            ck_model.evolve,
        )

    def issue_checklist(
        self,
        review: str,
        *,
        bank: ck_bank.QuestionBank | None = None,
        actor: str = SECRETARIAT,
    ) -> list[Recorded]:
        """Issue the checklist of an open review (ToR 13(c), ToR 15, ToR 41).

        It asks the general part, then every article of the cycle's thematic scope
        in each instrument the party under review is bound by (a signatory: the
        Convention only), then, if the party had a review in an earlier cycle,
        for progress on each observation and technical assistance need of it.

        Raises:
            InvalidInput: the review is not open, or its checklist is issued.
        """
        cycle, code = _country_review_id(review)
        opened = self.country_review(review).opened
        if opened is None:
            msg = f"the country review {review} is not open"
            raise InvalidInput(msg)
        conference = self.conference()
        instruments = set(self.registry().instruments_under_review(code))
        articles = [
            (ref, cluster)
            for cluster in conference.cycle(cycle).clusters
            for ref in conference.clusters[cluster].articles
            if ref.instrument in instruments
        ]
        previous, findings = self._previous_findings(cycle, code)
        state = self.checklist(review)
        event = ck_model.issue(
            state,
            bank or ck_bank.default_bank(),
            articles=articles,
            previous_review=previous,
            findings=findings,
        )
        return self._append(ck_events.stream_of(review), state.version, [event], actor)

    def _previous_findings(
        self, cycle: int, code: str
    ) -> tuple[str, list[review_events.FindingRecorded]]:
        for earlier in range(cycle - 1, 0, -1):
            previous = self.country_review(f"cycle-{earlier}/{code}")
            if previous.opened is not None:
                return previous.review, list(previous.findings.values())
        return "", []

    def save_checklist_draft(  # noqa: PLR0913 - a draft and where it goes
        self,
        principal: str,
        review: str,
        *,
        language: str,
        answers: dict[str, str],
        stakeholders: int,
        seal: Callable[[acc.SealContext], tuple[bytes, str, int]],
        bank: ck_bank.QuestionBank | None = None,
    ) -> Recorded:
        """File a draft of the answers, sealed in the dossier, and record it.

        ``answers`` are checked first (:func:`untoc_core.checklists.model.
        check_answers`); ``seal`` then seals the whole draft as
        :meth:`file_material` describes. The filing and its record are written
        together.

        Raises:
            InvalidInput: the principal is not the focal point of the party under
                review, the checklist is not issued or is submitted, or an
                answer is invalid (the message names the question).
            AccessDenied: the principal may not file in the dossier (ToR-30).
        """
        _, code = _country_review_id(review)
        acting = self.principals().get(principal)
        if (
            acting is None
            or acting.kind is not acc.PrincipalKind.STATE_FOCAL_POINT
            or acting.state != code
        ):
            msg = (
                f"only the focal point of {code} answers its checklist (ToR 15); "
                f"{principal!r} is not"
            )
            raise InvalidInput(msg)
        the_bank = bank or ck_bank.default_bank()
        the_bank.check_language(language)
        state = self.checklist(review)
        checked = ck_model.check_answers(state, the_bank, answers)
        event = ck_model.save_draft(
            state,
            language=language,
            answers=checked,
            stakeholders=stakeholders,
            material_version=self.review_material(review).version + 1,
            saved_by=principal,
        )
        record = NewEvents(
            stream=ck_events.stream_of(review),
            expected_version=state.version,
            events=(event,),
        )
        return self.file_material(
            principal,
            review,
            acc.Scope.DOSSIER,
            ck_events.DRAFT_SECTION,
            seal,
            also=[record],
        )

    def submit_checklist(
        self,
        review: str,
        *,
        on: dt.date,
        consulted: Callable[[], Sequence[str]] = tuple,
        bank: ck_bank.QuestionBank | None = None,
    ) -> list[Recorded]:
        """Submit the latest draft as the party's checklist response (ToR 15).

        Records ``ChecklistResponseSubmitted`` on the review and the submission
        on the checklist, in one transaction, as the party under review.
        ``consulted`` gives the stakeholders the draft names (ToR 27); it is
        called only once every check has passed, so a refusal reads nothing.

        Raises:
            ChecklistIncomplete: a required question is unanswered (ToR-15),
                each listed in the draft's language.
            FollowUpIncomplete: progress on a previous finding is missing (ToR-41).
            DomainError: the review step is out of order, naming its provision.
            InvalidInput: nothing saved, or submitted already.
        """
        _, code = _country_review_id(review)
        state = self.checklist(review)
        submitted = ck_model.submit(
            state, bank or ck_bank.default_bank(), on=on, titles=self.article_titles()
        )
        country = self.country_review(review)
        review_model.decide(  # the order, dates and actor; it records the step as is
            country,
            review_events.ChecklistResponseSubmitted(on=on),
            actor=code,
            today=self.clock.now().date(),
            languages=[language.value for language in self.rulebook.languages],
        )
        events = [
            review_events.ChecklistResponseSubmitted(
                on=on, stakeholders_consulted=tuple(consulted())
            )
        ]
        record = NewEvents(
            stream=ck_events.stream_of(review),
            expected_version=state.version,
            events=(submitted,),
        )
        return self._append(
            review_events.stream_of(review), country.version, events, code, record
        )

    # -- publication of summaries and reports (ToR 35, 51) -------------------------

    def publication(self, document: str) -> pub.Publication:
        """The translations and publication of a document (``summary/cycle-1/ARC``).

        Raises:
            InvalidInput: ``document`` is not a document id.
        """
        pub.check_document(document)
        return self._folded(
            pub.stream_of(document),
            lambda: pub.Publication(document=document),
            pub.evolve,
        )

    def record_translation(
        self, step: Event, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Record that a language version was ordered, delivered or checked.

        Raises:
            InvalidInput: see :func:`untoc_core.reports.publication.decide_translation`.
        """
        document = str(getattr(step, "document", ""))
        state = self.publication(document)
        events = pub.decide_translation(state, step)
        return self._append(pub.stream_of(document), state.version, events, actor)

    def publish_document(
        self, document: str, *, published_by: str, signature: str
    ) -> list[Recorded]:
        """Publish a document in the six languages, signed by ``published_by``.

        The signature (base64 Ed25519 over
        :func:`untoc_core.reports.publication.publication_message`) must verify
        with the publisher's registered signing key.

        Raises:
            PublicationRefused: an executive summary lacks a language, or the
                three States have not agreed to it (ToR-35).
            PublicationIncomplete: another document lacks a language (ToR-51).
            InvalidInput: a signature that does not verify, or published already.
        """
        state = self.publication(document)
        kind = pub.check_document(document)
        agreed = True
        if kind is pub.DocumentKind.EXECUTIVE_SUMMARY:
            review = document.removeprefix("summary/")
            agreed = "review_completed" in self.country_review(review).steps
        event = pub.decide_publication(
            state, agreed=agreed, published_by=published_by, signature=signature
        )
        self._check_signature(
            published_by,
            pub.publication_message(document, event.versions),
            signature,
            "publication",
        )
        return self._append(
            pub.stream_of(document), state.version, [event], published_by
        )

    def _check_signature(
        self, signer_id: str, message: bytes, signature: str, what: str
    ) -> None:
        signer = self.principals().get(signer_id)
        if signer is None or not signer.signing_key or self.signatures is None:
            msg = f"the {what} is signed by a registered principal with a signing key"
            raise InvalidInput(msg)
        try:
            raw = base64.b64decode(signature.strip(), validate=True)
        except binascii.Error:
            raw = b""
        if not self.signatures.verify(signer.signing_key, message, raw):
            msg = f"the {what} is not signed with the registered key of {signer_id}"
            raise InvalidInput(msg)

    # -- the group of experts and the oversight (ToR 37 bis-septies, 40, 44) -------

    def oversight(self, cycle: int) -> ovs.Oversight:
        """What the group of experts and the oversight group recorded in a cycle."""
        return self._folded(
            ovs.stream_of(cycle),
            lambda: ovs.Oversight(cycle=cycle),
            ovs.evolve,
        )

    def record_oversight(
        self, event: Event, *, actor: str = SECRETARIAT
    ) -> list[Recorded]:
        """Record an event of the expert group or the oversight of a cycle.

        Raises:
            CountryAssessed: information for the experts names a State
                (ToR-37quinquies).
            InvalidInput: see :func:`untoc_core.reports.oversight.decide`.
        """
        cycle = int(getattr(event, "cycle", 0))
        self.conference().cycle(cycle)
        state = self.oversight(cycle)
        events = ovs.decide(state, event, registry=self.registry())
        return self._append(ovs.stream_of(cycle), state.version, events, actor)

    @staticmethod
    def article_titles() -> dict[str, str]:
        """The title of every article, by reference (``UNTOC 5``), in English."""
        return {str(ref): a.title for ref, a in article_catalogue().articles.items()}

    # -- writing -------------------------------------------------------------------

    def _append(
        self,
        stream: str,
        expected: int,
        events: Sequence[Event],
        actor: str,
        *also: NewEvents,
    ) -> list[Recorded]:
        if not events:
            return []
        batch = NewEvents(
            stream=stream, expected_version=expected, events=tuple(events)
        )
        return self.store.append(
            batch, *also, recorded_at=self.clock.now(), actor=actor
        )


@attrs.frozen(kw_only=True)
class MaterialToRead:
    """What opening a piece of filed material needs, once the read is allowed.

    Attributes:
        filed: The filing: its version and sealed value (or blob reference).
        context: The context the value was sealed for.
        key: The reader's wrapped grant of the epoch it was sealed at, or the
            released one-use key of a published section.
    """

    filed: acc_keys.Filed
    context: acc.SealContext
    key: acc_keys.GrantWrapped | acc_keys.SectionKeyReleased


def _country_review_id(review: str) -> tuple[int, str]:
    cycle, code = acc_events.parse_review(review)
    if not code:
        msg = f"{review!r} names compilations, not a country review"
        raise InvalidInput(msg)
    return cycle, code


def _context_of(filed: acc_keys.Filed) -> acc.SealContext:
    event = filed.event
    return acc.SealContext(
        review=event.review,
        scope=event.scope.value,
        epoch=event.epoch,
        aggregate=acc_keys.material_stream(event.review),
        version=filed.version,
        field=event.section,
    )


def _not_fixed(draw_id: str, status: cer.Status) -> str:
    if status is cer.Status.NOT_ANNOUNCED:
        return (
            f"draw {draw_id!r} has not been announced: announce its inputs and the "
            f"source of its seed (untoc draw announce {draw_id}), then fix its seed "
            "(untoc draw seed); a draw runs only on a seed fixed that way"
        )
    if status is cer.Status.VOIDED:
        return (
            f"the seed ceremony of draw {draw_id!r} is void; announce the draw again "
            "and fix its seed"
        )
    return (
        f"the seed of draw {draw_id!r} is not fixed yet; the draw runs once its "
        "ceremony has fixed it (untoc draw seed)"
    )
