"""The indicative deadlines of one country review, as they stand on a given day.

A rulebook's ``[[deadline]]`` rules say that a step is due a period after another
step. Given the dates at which a review's steps were recorded, :func:`timeline`
works out, for every rule, when the period started, when the step is due, whether
it was recorded and how late it is. Every one of these timelines is indicative
(GL-9): lateness is reported, and nothing is ever refused because of it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from untoc_core.dates import Period
from untoc_core.errors import InvalidInput
from untoc_core.rules.rulebook import DeadlineRule, DeadlineStrength, Rulebook

_STRENGTH_WORDS = {
    DeadlineStrength.WITHIN: "within",
    DeadlineStrength.PREFERABLY: "preferably within",
    DeadlineStrength.IDEALLY: "ideally within",
}


class DeadlineStatus(enum.StrEnum):
    """Where a deadline stands on the as-of date.

    Attributes:
        PENDING: The step the period runs from is not recorded yet, so there is no
            due date.
        DUE: The due date is known, the step is not recorded, and the due date has
            not passed (the as-of date is on or before it).
        MET: The step was recorded on or before its due date.
        MET_LATE: The step was recorded after its due date.
        OVERDUE: The step is not recorded and its due date has passed.
    """

    PENDING = "pending"
    DUE = "due"
    MET = "met"
    MET_LATE = "met_late"
    OVERDUE = "overdue"


@attrs.frozen(kw_only=True)
class Deadline:
    """One deadline rule applied to one review's recorded steps.

    Attributes:
        provision: The provision that sets the period, such as ``GL-15a``.
        step: The step that is due.
        after: The step the period runs from.
        strength: How firmly the provision words the period.
        period: The period itself.
        starts: When ``after`` was recorded; ``None`` while it is not.
        due: ``period`` after ``starts``; ``None`` while ``starts`` is.
        done: When ``step`` was recorded; ``None`` while it is not. It can be set
            while ``starts`` is not, if the steps were recorded out of order.
        status: Where the deadline stands on the as-of date.
        days_late: Days past the due date for ``MET_LATE`` (until the step was
            recorded) and ``OVERDUE`` (until the as-of date); 0 otherwise.
    """

    provision: str
    step: str
    after: str
    strength: DeadlineStrength
    period: Period
    starts: dt.date | None
    due: dt.date | None
    done: dt.date | None
    status: DeadlineStatus
    days_late: int

    def describe(self) -> str:
        """One line for a person: the rule, its dates and where it stands.

        Returns:
            For example ``GL-15a: checklist response submitted within 2 months of
            official notification (2027-01-31): due 2027-03-31, recorded
            2027-04-05, 5 days late``.
        """
        rule = (
            f"{self.provision}: {_words(self.step)} "
            f"{_STRENGTH_WORDS[self.strength]} {self.period} of {_words(self.after)}"
        )
        if self.status is DeadlineStatus.PENDING:
            line = f"{rule}: pending until {_words(self.after)} is recorded"
            if self.done is not None:
                line += f" (the step itself was recorded {self.done.isoformat()})"
            return line
        due = f"{rule} ({_iso(self.starts)}): due {_iso(self.due)}"
        match self.status:
            case DeadlineStatus.DUE:
                return f"{due}, not recorded yet"
            case DeadlineStatus.MET:
                return f"{due}, met on {_iso(self.done)}"
            case DeadlineStatus.MET_LATE:
                return (
                    f"{due}, recorded {_iso(self.done)}, {_days(self.days_late)} late"
                )
            case DeadlineStatus.OVERDUE:
                return f"{due}, not recorded, {_days(self.days_late)} overdue"


def timeline(
    rulebook: Rulebook, recorded: Mapping[str, dt.date], *, as_of: dt.date
) -> tuple[Deadline, ...]:
    """Every deadline of one review, in the rulebook's order, as it stands on a day.

    A date in ``recorded`` later than ``as_of`` is treated as not yet recorded, so
    the timeline is the one that could have been seen on ``as_of``. Steps that no
    rule names (the review may record more steps than have deadlines) are ignored.

    Args:
        rulebook: The rulebook whose ``[[deadline]]`` rules apply.
        recorded: The date each step of the review was recorded, by step name.
        as_of: The day the timeline is judged on.

    Returns:
        One :class:`Deadline` per rule of ``rulebook.deadlines``, in that order.

    Raises:
        InvalidInput: a recorded value is not a calendar date (a ``datetime`` is
            refused too: deadlines are counted in whole days).
    """
    for step, day in recorded.items():
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            msg = f"step {step!r} was recorded on {day!r}, which is not a date"
            raise InvalidInput(msg)
    seen = {step: day for step, day in recorded.items() if day <= as_of}
    return tuple(
        _deadline(
            rule, starts=seen.get(rule.after), done=seen.get(rule.step), as_of=as_of
        )
        for rule in rulebook.deadlines
    )


def due_soon(
    deadlines: Iterable[Deadline], *, as_of: dt.date, within_days: int
) -> tuple[Deadline, ...]:
    """The deadlines already overdue or falling due within a window, soonest first.

    A deadline is included when its step is not recorded, its due date is known and
    that date is no later than ``within_days`` days after ``as_of``. Deadlines whose
    due date has passed (overdue) therefore always come first. Ties keep the order
    they were given in.

    Args:
        deadlines: Deadlines, usually one review's :func:`timeline`.
        as_of: The day the window opens.
        within_days: The window's length in days; 0 means due today or overdue.

    Returns:
        The selected deadlines ordered by due date.

    Raises:
        InvalidInput: ``within_days`` is negative.
    """
    if within_days < 0:
        msg = f"the window must be 0 days or more, not {within_days}"
        raise InvalidInput(msg)
    horizon = as_of + dt.timedelta(days=within_days)
    chosen = [
        d
        for d in deadlines
        if d.done is None and d.due is not None and d.due <= horizon
    ]
    return tuple(sorted(chosen, key=lambda d: d.due or horizon))


def _deadline(
    rule: DeadlineRule,
    *,
    starts: dt.date | None,
    done: dt.date | None,
    as_of: dt.date,
) -> Deadline:
    due = None if starts is None else rule.period.after(starts)
    days_late = 0
    if due is None:
        status = DeadlineStatus.PENDING
    elif done is not None:
        days_late = max(0, (done - due).days)
        status = DeadlineStatus.MET_LATE if days_late else DeadlineStatus.MET
    elif as_of > due:
        days_late = (as_of - due).days
        status = DeadlineStatus.OVERDUE
    else:
        status = DeadlineStatus.DUE
    return Deadline(
        provision=rule.provision,
        step=rule.step,
        after=rule.after,
        strength=rule.strength,
        period=rule.period,
        starts=starts,
        due=due,
        done=done,
        status=status,
        days_late=days_late,
    )


def _words(step: str) -> str:
    return step.replace("_", " ")


def _iso(day: dt.date | None) -> str:
    return "-" if day is None else day.isoformat()


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"
