"""Clocks: the system clock, and a fixed or stepping clock for tests and the demo."""

from __future__ import annotations

import datetime as dt

import attrs


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> dt.datetime:
        """The current time (UTC)."""
        return dt.datetime.now(dt.UTC)


@attrs.define
class SimulatedClock:
    """A clock that returns a set time, moved on only when told (tests, demo)."""

    current: dt.datetime

    def __attrs_post_init__(self) -> None:
        if self.current.tzinfo is None:
            msg = "a simulated clock needs a timezone-aware time"
            raise ValueError(msg)

    def now(self) -> dt.datetime:
        """The simulated time."""
        return self.current

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward."""
        self.current += delta
