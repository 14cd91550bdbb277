"""Commands of the recorded drawing of lots, and the decisions that check them.

``decide(state, command, rulebook=..., solver=...)`` returns the one event that
records a command, or raises the refusal that applies; nothing else is read. Every
fact from outside the cycle's stream (the seed, the pool, the registry version, the
list of governmental experts) is a field of the command and is recorded in the
event, so deciding the same command on the same state again gives the same event:
that is how a draw is verified (:mod:`untoc_core.drawing.verify`).

Reviewers are picked as :func:`untoc_core.drawing.simulate.draw_cycle` picks them:
each pick is uniform over the exact set of States that keep the rest of the cycle
completable (:class:`untoc_core.drawing.assignment.CycleAssignment`), and for the
same-region slot over those of a similar legal system whenever one of them is
allowed ("if possible", ToR 19). A repeated draw (ToR 19) or a deferral (ToR 20)
draws its slots again from the same seed under labels of their own, so no word of
the stream is ever used twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs

from untoc_core.drawing.assignment import CycleAssignment
from untoc_core.drawing.events import (
    ExceptionalRedrawAuthorised,
    ExclusionReason,
    Reviewers,
    ReviewersDrawn,
    ReviewersRedrawn,
    ReviewYearDeferred,
    ReviewYearsDrawn,
    ServingDeferred,
    ServingExclusion,
    ServingRole,
    SignatoryVolunteered,
    SlotPick,
)
from untoc_core.drawing.inputs import (
    reviewers_draw_id,
    reviewers_inputs,
    years_draw_id,
    years_inputs,
)
from untoc_core.drawing.model import (
    SAME_REGION,
    CycleDraws,
    evolve,
    slot_kinds,
)
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.refusals import (
    ExpertListNotCirculated,
    NotEnoughReviewers,
    RedrawRefused,
    ReviewersDrawRefused,
    ReviewYearDeferralRefused,
    ReviewYearsAlreadyDrawn,
    ReviewYearsNotDrawn,
    ServingDeferralRefused,
    StaleRegistry,
    VolunteerRefused,
)
from untoc_core.drawing.simulate import candidates_digest
from untoc_core.drawing.stream import LotStream
from untoc_core.drawing.years import draw_years
from untoc_core.errors import (
    ConferenceDecisionRefused,
    DomainError,
    InvalidInput,
    NoEligibleReviewer,
    NoSameRegionReviewer,
    SignatoryCannotReview,
)
from untoc_core.events import Event
from untoc_core.ports import CompletionSolver
from untoc_core.registry.model import Circulation
from untoc_core.rules.rulebook import Rulebook
from untoc_core.terms import TreatyStatus

# -- commands --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class VolunteerForReview:
    """A signatory volunteers to be reviewed in a cycle (ToR 57).

    Attributes:
        status: The State's standing towards the Convention in the registry.
    """

    cycle: int
    code: str
    status: TreatyStatus


@attrs.frozen(kw_only=True)
class DrawReviewYears:
    """Draw the year of review of each State of a cycle (ToR 12-14).

    Attributes:
        pool: The States parties at the start of the cycle and the volunteering
            signatories, as the registry said when the draw was announced.
        registry_version: That registry's version.
        seed: The seed the draw's ceremony fixed, hex.
        stale_blocks: The stale blocks of reference data the registry rests on.
        accept_stale_registry: The operator accepts them; recorded.
    """

    cycle: int
    starts_on: dt.date
    years: int
    parties_per_year: tuple[int, ...]
    pool: tuple[DrawParty, ...]
    registry_version: int
    seed: str
    stale_blocks: tuple[str, ...] = ()
    accept_stale_registry: bool = False


@attrs.frozen(kw_only=True)
class DeferReviewYear:
    """A State defers its review to the following year of the cycle (ToR 14)."""

    cycle: int
    code: str
    justification: str


@attrs.frozen(kw_only=True)
class DrawReviewers:
    """Draw the reviewers of the States under review in a year (ToR 18-21).

    Attributes:
        registry_version: The registry's version the list of experts was read at.
        circulated_on: The date of the last circulation of that list (ToR 21).
        circulation_version: The registry's version that recorded it.
        without_experts: States parties of the pool with no governmental expert on
            that list; they do not serve this year.
    """

    cycle: int
    year: int
    seed: str
    registry_version: int
    circulated_on: dt.date
    circulation_version: int
    without_experts: tuple[str, ...] = ()
    accept_stale_registry: bool = False


@attrs.frozen(kw_only=True)
class AuthoriseExceptionalRedraw:
    """Record that a State's next repeated draw, beyond the second, is exceptional."""

    cycle: int
    year: int
    under_review: str
    reason: str
    decided_by: str


@attrs.frozen(kw_only=True)
class ExceptionalRedraw:
    """An authorisation given with a request for a repeated draw beyond the second.

    Attributes:
        reason: The exceptional circumstances.
        decided_by: Who decided that they are exceptional, and by what decision.
    """

    reason: str
    decided_by: str


@attrs.frozen(kw_only=True)
class RedrawReviewers:
    """At its request, draw again the reviewers of a State under review (ToR 19)."""

    cycle: int
    year: int
    under_review: str


@attrs.frozen(kw_only=True)
class DeferServing:
    """A State defers serving as a reviewer in a year (ToR 20)."""

    cycle: int
    year: int
    code: str
    justification: str = ""


Command = (
    VolunteerForReview
    | DrawReviewYears
    | DeferReviewYear
    | DrawReviewers
    | AuthoriseExceptionalRedraw
    | RedrawReviewers
    | DeferServing
)


def decide(  # noqa: PLR0911 - one return per command
    state: CycleDraws,
    command: Command,
    *,
    rulebook: Rulebook,
    solver: CompletionSolver | None = None,
) -> tuple[Event, ...]:
    """Return the event recording ``command``, or raise the refusal that applies.

    Args:
        state: The draws of the command's cycle so far.
        command: What to do.
        rulebook: Gives the fewest and most reviews per State party and the number of
            repeated draws allowed (ToR 19, 20).
        solver: Answers the engine's questions; every exact solver gives the same
            draw. The engine's plain search when not given.
    """
    match command:
        case VolunteerForReview():
            return (_volunteer(state, command),)
        case DrawReviewYears():
            return (_draw_years(state, command, rulebook, solver),)
        case DeferReviewYear():
            return (_defer_year(state, command, rulebook, solver),)
        case DrawReviewers():
            return (_draw_reviewers(state, command, rulebook, solver),)
        case AuthoriseExceptionalRedraw():
            return (_authorise(state, command, rulebook),)
        case RedrawReviewers():
            return (_redraw(state, command, rulebook, solver),)
        case DeferServing():
            return (_defer_serving(state, command, rulebook, solver),)


# -- checks shared by the commands -----------------------------------------------------


def _years(
    state: CycleDraws, refusal: type[DomainError] = ReviewYearsNotDrawn
) -> ReviewYearsDrawn:
    if state.years is None:
        msg = (
            f"the review years of cycle {state.cycle} have not been drawn; they are "
            "drawn by lot at the beginning of the cycle, before anything else"
        )
        raise refusal(msg)
    return state.years


def _check_year(state: CycleDraws, year: int) -> None:
    if not 1 <= year <= state.number_of_years:
        msg = f"cycle {state.cycle} has years 1 to {state.number_of_years}, not {year}"
        raise InvalidInput(msg)


def _code(value: str) -> str:
    return value.strip().upper()


def _under_review_in(state: CycleDraws, code: str, year: int) -> None:
    found = state.year_of(code)
    if found != year:
        where = f"in year {found}" if found else "in this cycle at all"
        msg = (
            f"{code} is not under review in year {year} of cycle {state.cycle} "
            f"({where})"
        )
        raise InvalidInput(msg)


def _need_text(value: str, what: str) -> str:
    text = " ".join(value.split())
    if not text:
        msg = f"{what} is required"
        raise InvalidInput(msg)
    return text


def check_pool(pool: Sequence[DrawParty]) -> None:
    """Refuse a pool in which some State under review cannot get two reviewers.

    Checked before the engine, so that the refusal names the rule that binds: two
    reviewers (ToR 18), parties to every Protocol of the State under review
    (ToR 18 bis), one of them from its regional group (ToR 19).
    """
    reviewers = [p for p in pool if p.can_review]
    for under in sorted(pool, key=lambda p: p.code):
        others = [r for r in reviewers if r.code != under.code]
        able = [r for r in others if under.protocols <= r.protocols]
        protocols = ", ".join(sorted(p.value for p in under.protocols))
        if len(others) < 2:  # noqa: PLR2004 - two reviewers (ToR 18)
            msg = (
                f"{under.code} must be reviewed by two other States parties, but the "
                f"cycle has {len(others)} other State(s) party"
            )
            raise NotEnoughReviewers(msg)
        if len(able) < 2:  # noqa: PLR2004 - two reviewers (ToR 18)
            names = ", ".join(r.code for r in able) or "none"
            msg = (
                f"{under.code} is a party to {protocols}; its reviewers must be "
                f"parties to every one of them, and only {len(able)} State(s) party "
                f"can be ({names}), not two"
            )
            raise NoEligibleReviewer(msg)
        if under.regional_group is None:
            continue
        same = [r for r in others if r.regional_group == under.regional_group]
        if not same:
            msg = (
                f"{under.code} is the only State party of the group of "
                f"{under.regional_group}: no reviewer can come from its region"
            )
            raise NoSameRegionReviewer(msg)
        if not any(under.protocols <= r.protocols for r in same):
            msg = (
                f"no other State party of the group of {under.regional_group} is a "
                f"party to every Protocol {under.code} is party to ({protocols}), so "
                "none can be its same-region reviewer"
            )
            raise NoEligibleReviewer(msg)


def _refuse_stale(blocks: Sequence[str], accepted: bool, what: str) -> None:  # noqa: FBT001
    if blocks and not accepted:
        msg = (
            f"the registry the {what} rests on holds reference data known to be out "
            f"of date: {'; '.join(blocks)}. Import current data first (untoc "
            "parties import FILE), or accept the stale data explicitly "
            "(accept_stale_registry, --accept-stale-registry); the acceptance is "
            "recorded with the draw"
        )
        raise StaleRegistry(msg, tuple(blocks))


def engine_of(
    state: CycleDraws, rulebook: Rulebook, solver: CompletionSolver | None
) -> CycleAssignment:
    """The engine of the cycle's reviewers, with every recorded exclusion and pick.

    Raises:
        DrawImpossible: the recorded exclusions leave the cycle impossible to
            complete; the refusal names the rule.
    """
    drawn = _years(state)
    rules = rulebook.draw
    engine = CycleAssignment(
        drawn.pool,
        state.review_years,
        min_reviews=rules.min_reviews_per_cycle,
        max_reviews=rules.max_reviews_per_cycle,
        solver=solver,
    )
    for year in range(1, state.number_of_years + 1):
        for exclusion in state.exclusions(year):
            engine.exclude(year, exclusion.code)
    for s, slot in enumerate(engine.slots):
        reviewer = state.filled.get((slot.year, slot.under_review, slot.kind))
        if reviewer is not None:
            engine.pick(s, reviewer)
    return engine


# -- picking slots ---------------------------------------------------------------------


def _search(
    engine: CycleAssignment, todo: Sequence[int], banned: Mapping[int, frozenset[str]]
) -> bool:
    """Can the open slots ``todo`` be filled, each avoiding its banned States?"""
    if not todo:
        return True
    s, rest = todo[0], todo[1:]
    for code in engine.allowed(s):
        if code in banned.get(s, frozenset()):
            continue
        if not rest:
            return True
        engine.pick(s, code)
        try:
            if _search(engine, rest, banned):
                return True
        finally:
            engine.release(s)
    return False


def _fillable(
    engine: CycleAssignment, slots: Sequence[int], banned: Mapping[int, frozenset[str]]
) -> bool:
    """True if every slot with banned States can be filled without them.

    The engine's sets are exact, so once those slots are filled the others can be.
    """
    return _search(engine, [s for s in slots if banned.get(s)], banned)


def _keeps_fillable(
    engine: CycleAssignment,
    s: int,
    code: str,
    later: Sequence[int],
    banned: Mapping[int, frozenset[str]],
) -> bool:
    engine.pick(s, code)
    try:
        return _search(engine, later, banned)
    finally:
        engine.release(s)


def _draw_slots(
    engine: CycleAssignment,
    slots: Sequence[int],
    stream: LotStream,
    labels: Mapping[int, str],
    banned: Mapping[int, frozenset[str]],
) -> list[SlotPick]:
    """Fill open ``slots`` in order, each by lot among its exact candidates.

    A slot's candidates are the engine's allowed States, less its banned ones, less
    those that would leave a later slot with banned States unfillable; for the
    same-region slot, narrowed to a similar legal system when one of them remains.
    The caller has checked with :func:`_fillable` that every slot can be filled.
    """
    picks: list[SlotPick] = []
    for i, s in enumerate(slots):
        slot = engine.slots[s]
        later = [t for t in slots[i + 1 :] if banned.get(t)]
        allowed = [c for c in engine.allowed(s) if c not in banned.get(s, frozenset())]
        if later:
            allowed = [
                c for c in allowed if _keeps_fillable(engine, s, c, later, banned)
            ]
        if slot.kind == SAME_REGION:
            allowed = engine.similar(s, allowed) or allowed
        lot = stream.below(len(allowed), labels[s])
        choice = allowed[lot.value]
        engine.pick(s, choice)
        picks.append(
            SlotPick(
                year=slot.year,
                under_review=slot.under_review,
                kind=slot.kind,
                label=lot.label,
                candidates=len(allowed),
                candidates_sha256=candidates_digest(allowed),
                words=lot.words,
                choice=choice,
            )
        )
    return picks


def _reviewers(engine: CycleAssignment, party: DrawParty, year: int) -> Reviewers:
    got = engine.reviewers_of(party.code, year)
    kinds = slot_kinds(party)
    return Reviewers(
        year=year,
        under_review=party.code,
        reviewers=tuple(got[k] for k in kinds if k in got),
        same_region_reviewer=got.get(SAME_REGION),
    )


# -- volunteers and review years (ToR 12-14, 57) ---------------------------------------


def _volunteer(state: CycleDraws, command: VolunteerForReview) -> Event:
    code = _code(command.code)
    if command.status is TreatyStatus.PARTY:
        msg = (
            f"{code} is a State party: it is reviewed in every cycle without "
            "volunteering; only a signatory volunteers"
        )
        raise VolunteerRefused(msg)
    if command.status is not TreatyStatus.SIGNATORY:
        msg = f"{code} is not a signatory of the Convention and cannot volunteer"
        raise VolunteerRefused(msg)
    if state.years is not None:
        msg = (
            f"the review years of cycle {state.cycle} are drawn; a signatory "
            "volunteers before that draw"
        )
        raise VolunteerRefused(msg)
    if code in state.volunteers:
        msg = f"{code} already volunteered for cycle {state.cycle}"
        raise VolunteerRefused(msg)
    return SignatoryVolunteered(cycle=command.cycle, code=code)


def _draw_years(
    state: CycleDraws,
    command: DrawReviewYears,
    rulebook: Rulebook,
    solver: CompletionSolver | None,
) -> Event:
    check_years_draw(state)
    _refuse_stale(
        command.stale_blocks, command.accept_stale_registry, "draw of the review years"
    )
    pool = tuple(sorted(command.pool, key=lambda p: p.code))
    per_year = command.parties_per_year
    check_years_draw_possible(
        cycle=command.cycle,
        starts_on=command.starts_on,
        pool=pool,
        per_year=per_year,
        rulebook=rulebook,
        solver=solver,
    )
    inputs = years_inputs(
        cycle=command.cycle,
        starts_on=command.starts_on,
        years=command.years,
        parties_per_year=per_year,
        registry_version=command.registry_version,
        pool=pool,
        rulebook=rulebook,
    )
    drawn = draw_years(pool, command.years, LotStream(_seed(command.seed)), per_year)
    return ReviewYearsDrawn(
        cycle=command.cycle,
        draw_id=years_draw_id(command.cycle),
        seed=command.seed,
        inputs_sha256=inputs.sha256,
        registry_version=command.registry_version,
        starts_on=command.starts_on,
        years=command.years,
        parties_per_year=per_year,
        pool=pool,
        quotas={g: tuple(q) for g, q in drawn.quotas.items()},
        review_years=drawn.review_years,
        lots=drawn.lots,
        stale_blocks=command.stale_blocks,
        stale_registry_accepted=command.accept_stale_registry,
    )


def check_years_draw_possible(  # noqa: PLR0913 - the facts the check needs
    *,
    cycle: int,
    starts_on: dt.date,
    pool: Sequence[DrawParty],
    per_year: Sequence[int],
    rulebook: Rulebook,
    solver: CompletionSolver | None,
) -> None:
    """Refuse a draw of review years after which the cycle's reviewers are impossible.

    Before the review years are drawn no State is excluded from any year, so whether
    the reviewers can be drawn does not depend on the years: the check holds for any
    outcome of the draw, and can be made when the draw is announced.

    Raises:
        InvalidInput: no State to review.
        ConferenceDecisionRefused: the Conference's numbers per year do not add up
            to the States to review (ToR 45).
        DrawImpossible: a subclass naming the rule no draw of reviewers can keep.
    """
    if not pool:
        msg = (
            f"the registry has no State party on {starts_on}, the first day of cycle "
            f"{cycle}: load it first"
        )
        raise InvalidInput(msg)
    if per_year and sum(per_year) != len(pool):
        msg = (
            f"the Conference set {', '.join(map(str, per_year))} States to review in "
            f"the years of cycle {cycle} ({sum(per_year)} in all), but {len(pool)} "
            "are to be reviewed in it"
        )
        raise ConferenceDecisionRefused(msg)
    check_pool(pool)
    rules = rulebook.draw
    CycleAssignment(
        pool,
        (tuple(p.code for p in pool),),
        min_reviews=rules.min_reviews_per_cycle,
        max_reviews=rules.max_reviews_per_cycle,
        solver=solver,
    )


def check_reviewers_draw_possible(
    state: CycleDraws,
    year: int,
    without_experts: Sequence[str],
    rulebook: Rulebook,
    solver: CompletionSolver | None,
) -> None:
    """Refuse a year's draw of reviewers that no outcome could complete.

    Raises:
        DrawImpossible: with the States that do not serve that year excluded, the
            cycle cannot be completed; the subclass names the rule.
    """
    engine = engine_of(state, rulebook, solver)
    for code in without_experts:
        engine.exclude(year, code)


def _seed(text: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:
        msg = f"a seed is written in hex, not {text!r}"
        raise InvalidInput(msg) from None


def _defer_year(
    state: CycleDraws,
    command: DeferReviewYear,
    rulebook: Rulebook,
    solver: CompletionSolver | None,
) -> Event:
    drawn = _years(state, ReviewYearDeferralRefused)
    code = _code(command.code)
    justification = " ".join(command.justification.split())
    year = state.year_of(code)
    if year is None:
        msg = f"{code} is not reviewed in cycle {state.cycle}"
        raise InvalidInput(msg)
    if not justification:
        msg = f"{code} may defer its review only with a reasonable justification"
        raise ReviewYearDeferralRefused(msg)
    earlier = state.year_deferrals.get(code)
    if earlier is not None:
        msg = (
            f"{code} deferred its review from year {earlier.from_year} to year "
            f"{earlier.to_year} already; it may defer once, to the year following "
            "the one drawn for it"
        )
        raise ReviewYearDeferralRefused(msg)
    if year >= drawn.years:
        msg = (
            f"{code} is reviewed in year {year}, the last of cycle {state.cycle}; it "
            "cannot defer beyond the cycle"
        )
        raise ReviewYearDeferralRefused(msg)
    if year in state.drawn:
        msg = (
            f"the reviewers of year {year} are drawn; {code} could defer its review "
            "only before that draw"
        )
        raise ReviewYearDeferralRefused(msg)
    event = ReviewYearDeferred(
        cycle=state.cycle,
        code=code,
        from_year=year,
        to_year=year + 1,
        justification=justification,
    )
    engine_of(evolve(state, event, state.version + 1), rulebook, solver)
    return event


# -- reviewers (ToR 18-21) -------------------------------------------------------------


def year_exclusions(
    state: CycleDraws, year: int, without_experts: Sequence[str]
) -> tuple[ServingExclusion, ...]:
    """The States that do not serve in ``year``: deferrals, then lack of experts."""
    found = {e.code: e for e in state.exclusions(year)}
    for code in without_experts:
        found.setdefault(
            code,
            ServingExclusion(code=code, reason=ExclusionReason.NO_GOVERNMENTAL_EXPERT),
        )
    return tuple(found[c] for c in sorted(found))


def check_years_draw(state: CycleDraws) -> None:
    """Refuse a second draw of the review years of a cycle (ToR 13(b))."""
    if state.years is not None:
        msg = (
            f"the review years of cycle {state.cycle} were drawn already; each "
            "State is scheduled once, and a State drawn for a year may only defer to "
            "the following year"
        )
        raise ReviewYearsAlreadyDrawn(msg)


def check_reviewers_draw(state: CycleDraws, year: int) -> ReviewYearsDrawn:
    """Refuse to draw a year's reviewers twice or out of order (ToR 14(b), 19(b)).

    Returns:
        The draw of the review years, which the reviewers' draw builds on.
    """
    drawn = _years(state)
    _check_year(state, year)
    if year in state.drawn:
        msg = (
            f"the reviewers of year {year} of cycle {state.cycle} were drawn already; "
            "a State under review may ask for its own to be drawn again (ToR 19)"
        )
        raise ReviewersDrawRefused(msg)
    first = state.next_year_to_draw()
    if first != year:
        msg = (
            f"the reviewers of year {first} of cycle {state.cycle} are not drawn yet; "
            "each year's reviewers are drawn at its beginning, year after year"
        )
        raise ReviewersDrawRefused(msg)
    return drawn


def _draw_reviewers(
    state: CycleDraws,
    command: DrawReviewers,
    rulebook: Rulebook,
    solver: CompletionSolver | None,
) -> Event:
    drawn = check_reviewers_draw(state, command.year)
    year = command.year
    _refuse_stale(
        drawn.stale_blocks, command.accept_stale_registry, "draw of the reviewers"
    )
    excluded = year_exclusions(state, year, command.without_experts)
    inputs = reviewers_inputs(
        state=state,
        year=year,
        registry_version=command.registry_version,
        circulation=Circulation(
            circulated_on=command.circulated_on,
            expert_ids=frozenset(),
            version=command.circulation_version,
        ),
        excluded=excluded,
        rulebook=rulebook,
    )
    engine = engine_of(state, rulebook, solver)
    for exclusion in excluded:
        if exclusion.reason is ExclusionReason.NO_GOVERNMENTAL_EXPERT:
            engine.exclude(year, exclusion.code)
    slots = [s for s, slot in enumerate(engine.slots) if slot.year == year]
    picks = _draw_slots(
        engine,
        slots,
        LotStream(_seed(command.seed)),
        {s: engine.slots[s].label for s in slots},
        {},
    )
    pool = state.pool
    return ReviewersDrawn(
        cycle=state.cycle,
        year=year,
        draw_id=reviewers_draw_id(state.cycle, year),
        seed=command.seed,
        inputs_sha256=inputs.sha256,
        registry_version=command.registry_version,
        circulated_on=command.circulated_on,
        circulation_version=command.circulation_version,
        excluded=excluded,
        picks=tuple(picks),
        reviews=tuple(
            _reviewers(engine, pool[c], year) for c in state.review_years[year - 1]
        ),
        stale_registry_accepted=command.accept_stale_registry,
    )


def require_circulation(circulation: Circulation | None, year: int) -> Circulation:
    """The list of experts the draw of ``year`` relies on; refuse if none (ToR 21)."""
    if circulation is None:
        msg = (
            f"the secretariat has not circulated the list of governmental experts; it "
            f"is circulated before the reviewers of year {year} are drawn"
        )
        raise ExpertListNotCirculated(msg)
    return circulation


# -- repeated draws (ToR 19) -----------------------------------------------------------


def _drawn_year(
    state: CycleDraws, year: int, refusal: type[DomainError]
) -> ReviewersDrawn:
    _years(state)
    _check_year(state, year)
    drawn = state.drawn.get(year)
    if drawn is None:
        msg = f"the reviewers of year {year} of cycle {state.cycle} are not drawn yet"
        raise refusal(msg)
    return drawn


def _authorise(
    state: CycleDraws, command: AuthoriseExceptionalRedraw, rulebook: Rulebook
) -> Event:
    _drawn_year(state, command.year, RedrawRefused)
    code = _code(command.under_review)
    _under_review_in(state, code, command.year)
    reason = _need_text(command.reason, "the exceptional circumstances (a reason)")
    decided_by = _need_text(command.decided_by, "who decided (decided_by)")
    allowed = rulebook.draw.max_redraws
    number = state.redraw_count(command.year, code) + 1
    if number <= allowed:
        msg = (
            f"{code} has had {number - 1} of its {allowed} repeated draws in year "
            f"{command.year}; an authorisation is needed only beyond them"
        )
        raise InvalidInput(msg)
    if state.authorisation(command.year, code, number) is not None:
        msg = f"repeated draw {number} of {code} in year {command.year} is authorised"
        raise InvalidInput(msg)
    return ExceptionalRedrawAuthorised(
        cycle=state.cycle,
        year=command.year,
        under_review=code,
        redraw=number,
        reason=reason,
        decided_by=decided_by,
    )


def _redraw(
    state: CycleDraws,
    command: RedrawReviewers,
    rulebook: Rulebook,
    solver: CompletionSolver | None,
) -> Event:
    drawn = _drawn_year(state, command.year, RedrawRefused)
    year = command.year
    code = _code(command.under_review)
    _under_review_in(state, code, year)
    allowed = rulebook.draw.max_redraws
    number = state.redraw_count(year, code) + 1
    authorised_by = ""
    if number > allowed:
        found = state.authorisation(year, code, number)
        if found is None:
            msg = (
                f"{code} has had its reviewers drawn again {number - 1} times in year "
                f"{year}; it may ask at most {allowed} times, and a further repeat "
                "needs a recorded authorisation for exceptional circumstances"
            )
            raise RedrawRefused(msg)
        authorised_by = found.decided_by
    engine = engine_of(state, rulebook, solver)
    party = state.pool[code]
    slots = [engine.slot_of(year, code, kind) for kind in slot_kinds(party)]
    released = tuple(state.filled[(year, code, k)] for k in slot_kinds(party))
    for s in slots:
        engine.release(s)
    excluded = state.released(year, code) | frozenset(released)
    banned = dict.fromkeys(slots, excluded)
    if not _fillable(engine, slots, banned):
        msg = (
            f"no other reviewers can be drawn for {code} in year {year}: every way to "
            f"keep the rules (ToR 18-20) would draw again a State it asked to replace "
            f"({', '.join(sorted(excluded))}). Its reviewers stay as drawn"
        )
        raise RedrawRefused(msg)
    picks = _draw_slots(
        engine,
        slots,
        LotStream(_seed(drawn.seed)),
        {s: f"{engine.slots[s].label}/redraw{number}" for s in slots},
        banned,
    )
    return ReviewersRedrawn(
        cycle=state.cycle,
        year=year,
        under_review=code,
        redraw=number,
        authorised_by=authorised_by,
        released=released,
        excluded=tuple(sorted(excluded)),
        picks=tuple(picks),
        reviews=_reviewers(engine, party, year),
    )


# -- deferring service (ToR 20) --------------------------------------------------------


def _defer_serving(
    state: CycleDraws,
    command: DeferServing,
    rulebook: Rulebook,
    solver: CompletionSolver | None,
) -> Event:
    _years(state, ServingDeferralRefused)
    year = command.year
    _check_year(state, year)
    code = _code(command.code)
    party = state.pool.get(code)
    if party is None:
        msg = f"{code} is not a State of cycle {state.cycle}"
        raise InvalidInput(msg)
    if not party.can_review:
        msg = f"{code} is a signatory: it never serves as a reviewing State"
        raise SignatoryCannotReview(msg)
    if code in state.serving.get(year, {}):
        msg = f"{code} already deferred serving as a reviewer in year {year}"
        raise ServingDeferralRefused(msg)
    under_review = state.year_of(code) == year
    reviewing = sorted(
        p for (y, p, _), r in state.filled.items() if y == year and r == code
    )
    if not under_review and not reviewing:
        msg = (
            f"{code} is neither under review in year {year} nor drawn to review a "
            "State that year; only those may defer serving as a reviewer"
        )
        raise ServingDeferralRefused(msg)
    engine = engine_of(state, rulebook, solver)
    held = [
        s
        for s, slot in enumerate(engine.slots)
        if slot.year == year
        and state.filled.get((year, slot.under_review, slot.kind)) == code
    ]
    engine.exclude(year, code)  # opens its slots; DrawImpossible if the cycle fails
    picks: list[SlotPick] = []
    lifted = False
    if held:
        banned = {s: state.released(year, engine.slots[s].under_review) for s in held}
        banned = {s: b for s, b in banned.items() if b}
        if banned and not _fillable(engine, held, banned):
            banned, lifted = {}, True
        labels = {}
        for s in held:
            slot = engine.slots[s]
            again = state.replacements.get((year, slot.under_review, slot.kind), 0) + 1
            labels[s] = f"{slot.label}/deferral{again}"
        picks = _draw_slots(
            engine, held, LotStream(_seed(state.drawn[year].seed)), labels, banned
        )
    pool = state.pool
    return ServingDeferred(
        cycle=state.cycle,
        year=year,
        code=code,
        role=ServingRole.UNDER_REVIEW if under_review else ServingRole.REVIEWER,
        justification=" ".join(command.justification.split()),
        picks=tuple(picks),
        reviews=tuple(_reviewers(engine, pool[p], year) for p in reviewing),
        redraw_exclusions_lifted=lifted,
    )
