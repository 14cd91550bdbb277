"""How long the stages of country reviews take: figures on the mechanism, not States.

After each review cycle the Conference assesses the performance of the mechanism
(ToR-46). :func:`mechanism_performance` gives it, for every deadline rule of the
rulebook (a stage runs from the rule's ``after`` step to its ``step``), how many
reviews went through the stage, how many days it took (median, quartiles, minimum
and maximum) and what share of the steps were on time - for the whole cycle and
for each regional group.

Nothing in the result names or ranks a State party (ToR-3b, ToR-37quinquies):

* no field holds a review id, a State code or anything else tied to one review;
  the review ids given in :class:`ReviewFacts` are only used to refuse a review
  counted twice;
* regional groups are listed by name, never sorted by their figures;
* a figure resting on fewer than :data:`MINIMUM_REVIEWS` reviews is suppressed,
  because with a handful of reviews in a group everyone knows which States they
  were. A second group is suppressed as well when needed, so a suppressed group's
  figures cannot be worked out by subtracting the other groups from the whole.
"""

from __future__ import annotations

import datetime as dt
import statistics
import types
from collections.abc import Mapping, Sequence

import attrs

from untoc_core.dates import Period
from untoc_core.errors import InvalidInput
from untoc_core.reviews.deadlines import Deadline, DeadlineStatus, timeline
from untoc_core.rules.rulebook import DeadlineRule, DeadlineStrength, Rulebook

MINIMUM_REVIEWS = 5
"""The fewest reviews a published figure may rest on."""

_JUDGED = frozenset(
    {DeadlineStatus.MET, DeadlineStatus.MET_LATE, DeadlineStatus.OVERDUE}
)
_TOO_FEW = (
    f"fewer than {MINIMUM_REVIEWS} reviews went through this stage, so the "
    "figures could identify a State party"
)
_COMPLEMENT = (
    "suppressed as well, so that the suppressed regional groups together cover at "
    f"least {MINIMUM_REVIEWS} reviews and cannot be worked out from the whole-cycle "
    "figures"
)


def _frozen(recorded: Mapping[str, dt.date]) -> Mapping[str, dt.date]:
    return types.MappingProxyType(dict(recorded))


@attrs.frozen(kw_only=True)
class ReviewFacts:
    """What the performance figures need to know about one country review.

    Attributes:
        review: The review's id. It is used only to refuse a review given twice and
            never appears in the result.
        regional_group: The regional group of the party under review (the value of
            a :class:`~untoc_core.terms.RegionalGroup`, or any label the caller
            chooses for parties outside the groups).
        recorded: The date each step of the review was recorded, by step name.
    """

    review: str
    regional_group: str
    recorded: Mapping[str, dt.date] = attrs.field(converter=_frozen)


@attrs.frozen(kw_only=True)
class Spread:
    """How stage durations in days are spread (quartiles by the inclusive method).

    Attributes:
        minimum: The shortest duration.
        lower_quartile: The first quartile.
        upper_quartile: The third quartile.
        maximum: The longest duration.
    """

    minimum: int
    lower_quartile: float
    upper_quartile: float
    maximum: int


@attrs.frozen(kw_only=True)
class StageFigures:
    """The figures of one stage (one deadline rule) over a set of reviews.

    When ``suppressed`` is true every figure is ``None`` and ``reason`` says why.

    Attributes:
        provision: The provision of the deadline rule, such as ``GL-15a``.
        after: The step the stage starts at.
        step: The step the stage ends at.
        strength: How firmly the provision words its period.
        period: The period the provision allows.
        reviews: How many reviews recorded both steps (on or before the as-of
            date); the durations rest on these.
        judged: How many reviews' deadlines can be judged on time or not: those
            met, met late or overdue on the as-of date.
        median_days: The median duration in days.
        spread: Minimum, quartiles and maximum of the durations.
        on_time_share: Met on time divided by ``judged``, between 0 and 1.
        suppressed: True when the figures are withheld.
        reason: Why they are withheld; ``None`` when they are not.
    """

    provision: str
    after: str
    step: str
    strength: DeadlineStrength
    period: Period
    reviews: int | None
    judged: int | None
    median_days: float | None
    spread: Spread | None
    on_time_share: float | None
    suppressed: bool
    reason: str | None


@attrs.frozen(kw_only=True)
class Figures:
    """The figures of every stage over one set of reviews.

    Attributes:
        regional_group: The regional group the reviews belong to; ``None`` for the
            whole cycle (all groups together).
        stages: One entry per deadline rule, in the rulebook's order.
    """

    regional_group: str | None
    stages: tuple[StageFigures, ...]


@attrs.frozen(kw_only=True)
class Performance:
    """Stage durations and timeliness for the mechanism as a whole (ToR-46).

    Attributes:
        rulebook: The id of the rulebook whose deadlines define the stages.
        as_of: The day the figures were computed for; later records are ignored.
        minimum_reviews: The fewest reviews a published figure rests on.
        whole_cycle: The figures over all reviews given.
        regional_groups: The figures per regional group, ordered by group name.
    """

    rulebook: str
    as_of: dt.date
    minimum_reviews: int
    whole_cycle: Figures
    regional_groups: tuple[Figures, ...]


def mechanism_performance(
    facts: Sequence[ReviewFacts], rulebook: Rulebook, *, as_of: dt.date
) -> Performance:
    """Stage durations and on-time shares, for the whole cycle and per group.

    Each review's steps are judged with :func:`~untoc_core.reviews.deadlines.timeline`
    on ``as_of``. A stage's duration is the number of days from its start step to
    its end step, for the reviews that recorded both.

    Args:
        facts: The reviews to describe, typically every review of one cycle.
        rulebook: The rulebook whose deadline rules define the stages.
        as_of: The day to compute the figures for.

    Returns:
        The figures, with every cell resting on fewer than
        :data:`MINIMUM_REVIEWS` reviews suppressed.

    Raises:
        InvalidInput: the same review id is given twice, or a recorded value is not
            a date.
    """
    seen: set[str] = set()
    by_group: dict[str, list[tuple[Deadline, ...]]] = {}
    for fact in facts:
        if fact.review in seen:
            msg = "a review is given twice; each review is counted once"
            raise InvalidInput(msg)
        seen.add(fact.review)
        lines = timeline(rulebook, fact.recorded, as_of=as_of)
        by_group.setdefault(fact.regional_group, []).append(lines)

    everyone = [lines for group in by_group.values() for lines in group]
    whole = [_stage(rule, i, everyone) for i, rule in enumerate(rulebook.deadlines)]
    names = sorted(by_group)
    per_group: dict[str, list[_Cell]] = {name: [] for name in names}
    for i, rule in enumerate(rulebook.deadlines):
        cells = {name: _stage(rule, i, by_group[name]) for name in names}
        for name, cell in _complement(cells).items():
            per_group[name].append(cell)
    return Performance(
        rulebook=rulebook.id,
        as_of=as_of,
        minimum_reviews=MINIMUM_REVIEWS,
        whole_cycle=Figures(
            regional_group=None, stages=tuple(_published(c) for c in whole)
        ),
        regional_groups=tuple(
            Figures(
                regional_group=name,
                stages=tuple(_published(c) for c in per_group[name]),
            )
            for name in names
        ),
    )


@attrs.frozen(kw_only=True)
class _Cell:
    """A stage's raw figures over some reviews, before suppression."""

    rule: DeadlineRule
    durations: tuple[int, ...]
    on_time: int
    judged: int
    reason: str | None = None


def _stage(
    rule: DeadlineRule, index: int, reviews: list[tuple[Deadline, ...]]
) -> _Cell:
    durations: list[int] = []
    on_time = judged = 0
    for lines in reviews:
        line = lines[index]
        if line.starts is not None and line.done is not None:
            durations.append((line.done - line.starts).days)
        if line.status in _JUDGED:
            judged += 1
            if line.status is DeadlineStatus.MET:
                on_time += 1
    reason = _TOO_FEW if len(durations) < MINIMUM_REVIEWS else None
    return _Cell(
        rule=rule,
        durations=tuple(durations),
        on_time=on_time,
        judged=judged,
        reason=reason,
    )


def _complement(cells: dict[str, _Cell]) -> dict[str, _Cell]:
    """Suppress further groups until the suppressed ones cover enough reviews.

    Otherwise a lone suppressed group's figures (its count of on-time steps, say)
    would be the whole cycle's minus the published groups'.
    """
    hidden = [c for c in cells.values() if c.reason is not None]
    shown = sorted(
        (name for name, c in cells.items() if c.reason is None),
        key=lambda name: (len(cells[name].durations), cells[name].judged, name),
    )
    result = dict(cells)
    while (
        shown
        and sum(c.judged for c in hidden) > 0
        and sum(len(c.durations) for c in hidden) < MINIMUM_REVIEWS
    ):
        name = shown.pop(0)
        result[name] = attrs.evolve(cells[name], reason=_COMPLEMENT)
        hidden.append(result[name])
    return result


def _published(cell: _Cell) -> StageFigures:
    rule = cell.rule
    if cell.reason is not None:
        return StageFigures(
            provision=rule.provision,
            after=rule.after,
            step=rule.step,
            strength=rule.strength,
            period=rule.period,
            reviews=None,
            judged=None,
            median_days=None,
            spread=None,
            on_time_share=None,
            suppressed=True,
            reason=cell.reason,
        )
    q1, _, q3 = statistics.quantiles(cell.durations, n=4, method="inclusive")
    return StageFigures(
        provision=rule.provision,
        after=rule.after,
        step=rule.step,
        strength=rule.strength,
        period=rule.period,
        reviews=len(cell.durations),
        judged=cell.judged,
        median_days=float(statistics.median(cell.durations)),
        spread=Spread(
            minimum=min(cell.durations),
            lower_quartile=q1,
            upper_quartile=q3,
            maximum=max(cell.durations),
        ),
        on_time_share=cell.on_time / cell.judged,
        suppressed=False,
        reason=None,
    )
