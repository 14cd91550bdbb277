"""Calendar values: partial dates from treaty records and periods for deadlines."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import attrs

_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


@attrs.frozen(kw_only=True, order=True)
class ApproxDate:
    """A date known to the year, the month or the day (treaty records are uneven).

    Stored and printed as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.day is not None and self.month is None:
            msg = "a day needs a month"
            raise ValueError(msg)
        dt.date(self.year, self.month or 1, self.day or 1)  # raises if impossible

    @classmethod
    def parse(cls, text: str) -> ApproxDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; else raise ``ValueError``."""
        m = _PARTIAL.match(text.strip())
        if not m:
            msg = f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
            raise ValueError(msg)
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None  # noqa: S101 - the pattern requires it
        return cls(year=year, month=month, day=day)

    @property
    def is_exact(self) -> bool:
        """True when the day is known."""
        return self.day is not None

    def latest(self) -> dt.date:
        """The last calendar day this value could stand for."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@attrs.frozen(kw_only=True)
class Period:
    """A span of months, weeks and days, as the guidelines state deadlines."""

    months: int = 0
    weeks: int = 0
    days: int = 0

    def after(self, start: dt.date) -> dt.date:
        """The date this period after ``start``; month ends are clamped.

        One month after 31 January is the last day of February.
        """
        month_index = start.month - 1 + self.months
        year = start.year + month_index // 12
        month = month_index % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day) + dt.timedelta(
            weeks=self.weeks, days=self.days
        )

    def __str__(self) -> str:
        parts = [
            f"{n} {unit}{'s' if n != 1 else ''}"
            for n, unit in (
                (self.months, "month"),
                (self.weeks, "week"),
                (self.days, "day"),
            )
            if n
        ]
        return " ".join(parts) or "0 days"
