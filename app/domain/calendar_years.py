"""Which years the working-day calendar knows, and the steps that make one known (R-12.2).

A year is known when chinesecalendar covers it or a supervisor confirmed it complete. The
supervisor pastes the State Council's notice (app/domain/holiday_notice.py), saves what it
changes against weekends-only as the year's overrides (``save_notice``), and confirms the
year (``confirm_year``). Until then every deadline in that year is flagged as counted on
weekends only (``unknown_deadline_years`` for the banners, ``WorkCalendar.knows_year`` for
the cells and the PDFs).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.holiday_notice import HolidayNotice
from app.domain.workdays import PACKAGE_YEARS, WorkCalendar
from app.models import (
    CalendarDay,
    CalendarYear,
    Commission,
    CommissionItem,
    MeetingActionItem,
    Termination,
)

#: the note on override rows saved from a pasted notice (a new paste replaces them)
NOTICE_NOTE = "国务院办公厅通知"
#: every stored deadline a screen shows (indexed columns: one cheap statement)
DEADLINE_COLUMNS = (
    Commission.contact_due_on, CommissionItem.due_on, Termination.confirm_due_on,
    Termination.handover_due_on, MeetingActionItem.due_on,
)
#: a deadline years away is a typing error, not a reason to list every year in between
MAX_YEARS_LISTED = 20


def _year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def deadline_years(session: Session) -> set[int]:
    """The years from the earliest to the latest stored deadline (one statement of index
    look-ups; a year in between without a deadline is listed too, which only errs on the
    side of warning)."""
    bounds = [sa.select(func(column)).scalar_subquery()
              for column in DEADLINE_COLUMNS for func in (sa.func.min, sa.func.max)]
    found = [day for day in session.execute(sa.select(*bounds)).one() if day is not None]
    if not found:
        return set()
    first, last = min(found).year, max(found).year
    return set(range(max(first, last - MAX_YEARS_LISTED), last + 1))


def unknown_deadline_years(session: Session, cal: WorkCalendar, today: dt.date) -> list[int]:
    """Years counted on weekends only that matter now: this year, next, and any deadline's."""
    return cal.fallback_years({today.year, today.year + 1} | deadline_years(session))


def save_notice(session: Session, notice: HolidayNotice) -> int:
    """The notice's changes against weekends-only become the year's overrides.

    Rows saved from an earlier paste of the same year are replaced; a supervisor's own row
    on a day the notice names is overwritten (the notice decides), others are kept.
    Returns the number of days saved.
    """
    first, last = _year_span(notice.year)
    session.execute(sa.delete(CalendarDay).where(
        CalendarDay.day.between(first, last), CalendarDay.note == NOTICE_NOTE))
    changes = notice.changes()
    existing = {row.day: row for row in session.scalars(sa.select(CalendarDay).where(
        CalendarDay.day.in_([change.day for change in changes])))}
    for change in changes:
        row = existing.get(change.day) or CalendarDay(day=change.day)
        row.kind, row.name, row.note = change.kind, change.name[:50], NOTICE_NOTE
        session.add(row)
    session.flush()
    return len(changes)


def confirm_year(session: Session, year: int, *, by: Any, note: str | None = None
                 ) -> CalendarYear:
    """The supervisor ``by`` says the year's holidays are all entered: the year is known."""
    if year in PACKAGE_YEARS:
        raise DomainError(f"{year}年的节假日已由 chinesecalendar 数据提供，无需确认。")
    if session.scalar(sa.select(CalendarYear.id).where(CalendarYear.year == year)):
        raise DomainError(f"{year}年已确认过。")
    first, last = _year_span(year)
    entered = session.scalar(sa.select(sa.func.count(CalendarDay.id)).where(
        CalendarDay.day.between(first, last)))
    if not entered:
        raise DomainError(f"{year}年还没有任何节假日或调休记录：请先粘贴国务院办公厅的通知"
                          "或逐日录入，再确认。")
    confirmed = CalendarYear(year=year, confirmed_by_id=getattr(by, "id", None), note=note)
    session.add(confirmed)
    session.flush()
    return confirmed


@dataclass(frozen=True)
class YearStatus:
    """One year on the calendar screen: where its holidays come from."""

    year: int
    from_package: bool
    confirmed: CalendarYear | None
    overrides: int

    @property
    def known(self) -> bool:
        return self.from_package or self.confirmed is not None


def year_statuses(session: Session, today: dt.date) -> list[YearStatus]:
    """This year, next year and every year with overrides, confirmations or deadlines."""
    confirmed = {row.year: row for row in session.scalars(sa.select(CalendarYear))}
    counts: dict[int, int] = {}
    for day in session.scalars(sa.select(CalendarDay.day)):
        counts[day.year] = counts.get(day.year, 0) + 1
    years = {today.year, today.year + 1} | set(confirmed) | set(counts)
    years |= {y for y in deadline_years(session) if y >= today.year}
    return [YearStatus(y, y in PACKAGE_YEARS, confirmed.get(y), counts.get(y, 0))
            for y in sorted(years, reverse=True)]
