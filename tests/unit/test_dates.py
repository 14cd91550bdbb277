"""Calendar values: partial treaty dates and the periods deadlines are stated in."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from untoc_core.dates import ApproxDate, Period

# -- ApproxDate -----------------------------------------------------------------------


@given(day=st.dates())
def test_an_approximate_date_round_trips_through_its_string(day: dt.date) -> None:
    for value in (
        ApproxDate(year=day.year),
        ApproxDate(year=day.year, month=day.month),
        ApproxDate(year=day.year, month=day.month, day=day.day),
    ):
        assert ApproxDate.parse(str(value)) == value
        assert str(ApproxDate.parse(str(value))) == str(value)
    assert str(ApproxDate(year=day.year, month=day.month, day=day.day)) == (
        f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    )


@given(day=st.dates())
def test_the_latest_day_of_an_approximate_date_is_never_before_its_start(
    day: dt.date,
) -> None:
    month = ApproxDate(year=day.year, month=day.month)
    year = ApproxDate(year=day.year)
    assert month.latest() >= day.replace(day=1)
    assert month.latest().month == day.month
    assert year.latest() == dt.date(day.year, 12, 31)
    assert ApproxDate(year=day.year, month=day.month, day=day.day).latest() == day


def test_the_latest_day_of_february_knows_leap_years() -> None:
    assert ApproxDate.parse("2024-02").latest() == dt.date(2024, 2, 29)
    assert ApproxDate.parse("2023-02").latest() == dt.date(2023, 2, 28)


def test_surrounding_blanks_are_ignored_when_parsing() -> None:
    assert ApproxDate.parse("  2003-09-29 \n") == ApproxDate(year=2003, month=9, day=29)


@pytest.mark.parametrize(
    "text",
    ["2014-13-01", "2014-02-30", "0000", "14", "2014-1", "2014/01/01", "", "c.2023"],
)
def test_a_malformed_or_impossible_date_is_refused(text: str) -> None:
    with pytest.raises(
        ValueError, match=r"not a date of the form|out of range|must be in"
    ):
        ApproxDate.parse(text)


def test_a_day_without_a_month_is_refused() -> None:
    with pytest.raises(ValueError, match="a day needs a month"):
        ApproxDate(year=2014, day=3)


def test_approximate_dates_order_by_year_then_month_then_day() -> None:
    values = [
        ApproxDate.parse(t) for t in ("2014-05-02", "2013", "2014-05-01", "2014-01")
    ]
    assert [str(v) for v in sorted(values)] == [
        "2013",
        "2014-01",
        "2014-05-01",
        "2014-05-02",
    ]


# -- Period ---------------------------------------------------------------------------

starts = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(8999, 12, 31))


@given(start=starts, months=st.integers(min_value=0, max_value=1200))
def test_months_later_lands_in_the_right_month_clamped_to_its_end(
    start: dt.date, months: int
) -> None:
    end = Period(months=months).after(start)
    month_count = (end.year * 12 + end.month) - (start.year * 12 + start.month)
    assert month_count == months
    assert end.day == min(start.day, calendar.monthrange(end.year, end.month)[1])
    assert end.day <= start.day
    if start.day <= 28:
        assert end.day == start.day


@given(start=starts, months=st.integers(min_value=0, max_value=1200))
def test_a_later_period_never_ends_earlier(start: dt.date, months: int) -> None:
    assert Period(months=months).after(start) <= Period(months=months + 1).after(start)
    assert Period(months=months).after(start) >= start


@given(
    start=starts,
    months=st.integers(min_value=0, max_value=120),
    weeks=st.integers(min_value=0, max_value=60),
    days=st.integers(min_value=0, max_value=400),
)
def test_weeks_and_days_are_added_after_the_months(
    start: dt.date, months: int, weeks: int, days: int
) -> None:
    period = Period(months=months, weeks=weeks, days=days)
    expected = Period(months=months).after(start) + dt.timedelta(weeks=weeks, days=days)
    assert period.after(start) == expected


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (dt.date(2024, 1, 31), Period(months=1), dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 31), Period(months=1), dt.date(2023, 2, 28)),
        (dt.date(2024, 2, 29), Period(months=12), dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), Period(months=48), dt.date(2028, 2, 29)),
        (dt.date(2025, 11, 30), Period(months=2), dt.date(2026, 1, 30)),
        (dt.date(2025, 3, 10), Period(weeks=3), dt.date(2025, 3, 31)),
        (dt.date(2025, 3, 10), Period(), dt.date(2025, 3, 10)),
    ],
)
def test_known_deadlines(start: dt.date, period: Period, end: dt.date) -> None:
    assert period.after(start) == end


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (Period(months=1), "1 month"),
        (Period(months=2, weeks=1), "2 months 1 week"),
        (Period(weeks=3, days=1), "3 weeks 1 day"),
        (Period(), "0 days"),
    ],
)
def test_a_period_reads_as_the_guidelines_write_it(period: Period, text: str) -> None:
    assert str(period) == text
