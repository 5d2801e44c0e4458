"""Chinese working days (R-12.1): the one place that answers "is this a working day".

Order of authority for a date:
1. an override row in ``calendar_day`` (supervisors edit these, e.g. for years the
   ``chinesecalendar`` package does not know yet);
2. the ``chinesecalendar`` package (PRC statutory holidays and 调休 working weekends);
3. weekends only — the *fallback*, which callers surface as a warning.

A year counts as "known" when the package covers it or a supervisor confirmed it complete
(``calendar_year``, R-12.2). One override row does not make a year known: a year with a
single holiday entered is still counted on weekends for every other day, and says so.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import chinese_calendar
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.choices import CalendarDayKind
from app.models.calendar import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)
# Guard against runaway loops on absurd inputs (e.g. 10**9 working days).
MAX_SPAN_DAYS = 366 * 30


def _package_years() -> range:
    """The years the installed chinesecalendar package has data for."""
    holidays = chinese_calendar.holidays
    years = {d.year for d in holidays}
    return range(min(years), max(years) + 1)


PACKAGE_YEARS = _package_years()


@functools.lru_cache(maxsize=16384)
def _package_is_workday(day: dt.date) -> bool:
    """chinesecalendar's answer, remembered: the package re-checks its range on every call."""
    return chinese_calendar.is_workday(day)


@dataclass(frozen=True)
class WorkCalendar:
    """Working-day arithmetic over the package data plus a snapshot of the overrides."""

    overrides: Mapping[dt.date, CalendarDayKind] = field(default_factory=dict)
    #: the years a supervisor confirmed complete (R-12.2)
    confirmed_years: frozenset[int] = frozenset()

    @property
    def override_years(self) -> frozenset[int]:
        return frozenset(d.year for d in self.overrides)

    def knows_year(self, year: int) -> bool:
        """True when the year's holidays come from the package or a confirmed year (R-12.2)."""
        return year in PACKAGE_YEARS or year in self.confirmed_years

    def is_working_day(self, day: dt.date) -> bool:
        """Is ``day`` a working day?"""
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == CalendarDayKind.workday
        if day.year in PACKAGE_YEARS:
            return _package_is_workday(day)
        return day.weekday() < 5

    def add(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (before it when negative).

        ``add(d, 0)`` is ``d`` itself if it is a working day, else the next working day.
        ``start`` itself never counts: "within 1 working day of Friday" is Monday.
        """
        step = ONE_DAY if days >= 0 else -ONE_DAY
        remaining = abs(days)
        current = start
        if remaining == 0:
            while not self.is_working_day(current):
                current += ONE_DAY
            return current
        for _ in range(MAX_SPAN_DAYS):
            current += step
            if self.is_working_day(current):
                remaining -= 1
                if remaining == 0:
                    return current
        raise ValueError(f"{days} working days from {start} is out of range")

    def subtract(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days before ``start``."""
        return self.add(start, -days)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.between(end, start)
        if (end - start).days > MAX_SPAN_DAYS:
            raise ValueError("date span out of range")
        count = 0
        current = start
        while current < end:
            current += ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count

    def fallback_years(self, years: Iterable[int]) -> list[int]:
        """Those of ``years`` computed on weekends only (for the dashboard's warning)."""
        return sorted({y for y in years if not self.knows_year(y)})


def load_calendar(session: Session) -> WorkCalendar:
    """A calendar with the current override rows and confirmed years."""
    rows = session.execute(sa.select(CalendarDay.day, CalendarDay.kind)).all()
    confirmed = frozenset(session.scalars(sa.select(CalendarYear.year)))
    return WorkCalendar({day: kind for day, kind in rows}, confirmed)


def package_overrides(year: int) -> dict[dt.date, tuple[CalendarDayKind, str | None]]:
    """The year's exceptions to the weekend rule according to chinesecalendar.

    Raises ``ValueError`` for a year the package does not cover.
    """
    if year not in PACKAGE_YEARS:
        raise ValueError(f"chinesecalendar has no data for {year}")
    result: dict[dt.date, tuple[CalendarDayKind, str | None]] = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        is_weekend = day.weekday() >= 5
        working = chinese_calendar.is_workday(day)
        if is_weekend == working:  # a weekday holiday or a working weekend
            _, name = chinese_calendar.get_holiday_detail(day)
            kind = CalendarDayKind.workday if working else CalendarDayKind.holiday
            result[day] = (kind, name)
        day += ONE_DAY
    return result


def import_year(session: Session, year: int) -> int:
    """Copy the package's exceptions for ``year`` into the override table; returns rows added.

    Existing rows for the same dates are left as supervisors set them.
    """
    existing = set(session.scalars(
        sa.select(CalendarDay.day).where(
            CalendarDay.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31))
        )
    ))
    added = 0
    for day, (kind, name) in sorted(package_overrides(year).items()):
        if day in existing:
            continue
        session.add(CalendarDay(day=day, kind=kind, name=name, note="chinesecalendar"))
        added += 1
    return added
