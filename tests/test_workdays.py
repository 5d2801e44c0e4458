"""R-12.1: working days follow PRC statutory holidays and 调休, with editable overrides."""
from __future__ import annotations

import datetime as dt

import pytest

from app.choices import CalendarDayKind
from app.domain.workdays import (
    WorkCalendar,
    import_year,
    load_calendar,
    package_overrides,
)
from app.domain import workdays
from app.extensions import db
from app.models import CalendarDay

D = dt.date.fromisoformat
CAL = WorkCalendar()


def test_national_day_2025_with_make_up_days():
    """R-12.1: 2025-09-28 and 2025-10-11 are working days, 2025-10-01..08 are not."""
    assert CAL.is_working_day(D("2025-09-28"))  # Sunday, 调休
    assert CAL.is_working_day(D("2025-10-11"))  # Saturday, 调休
    for day in range(1, 9):
        assert not CAL.is_working_day(dt.date(2025, 10, day))
    assert CAL.is_working_day(D("2025-10-09"))


def test_add_working_days_across_national_day_2025():
    """R-12.1, R-5.2: one working day after 30 Sept 2025 is 9 Oct 2025."""
    assert CAL.add(D("2025-09-30"), 1) == D("2025-10-09")
    assert CAL.add(D("2025-09-26"), 1) == D("2025-09-28")  # Friday → the make-up Sunday
    assert CAL.add(D("2025-10-09"), 3) == D("2025-10-13")  # Thu → Fri, Sat(调休), Mon


def test_spring_festival_2026():
    """R-12.1: 2026 Spring Festival 15–23 Feb off, Saturdays 14 and 28 Feb working."""
    for day in range(15, 24):
        assert not CAL.is_working_day(dt.date(2026, 2, day))
    assert CAL.is_working_day(D("2026-02-14"))
    assert CAL.is_working_day(D("2026-02-28"))
    assert CAL.add(D("2026-02-13"), 1) == D("2026-02-14")
    assert CAL.add(D("2026-02-14"), 1) == D("2026-02-24")


def test_between_counts_working_days_in_half_open_interval():
    """R-12.1: working days in (start, end]; reversed order gives the negative."""
    assert CAL.between(D("2025-09-26"), D("2025-10-12")) == 6
    assert CAL.between(D("2025-10-12"), D("2025-09-26")) == -6
    assert CAL.between(D("2026-03-02"), D("2026-03-02")) == 0


def test_subtract_and_zero():
    """R-12.1: subtracting steps backwards; adding zero rolls forward to a working day."""
    assert CAL.subtract(D("2025-10-09"), 1) == D("2025-09-30")
    assert CAL.add(D("2025-10-04"), 0) == D("2025-10-09")
    assert CAL.add(D("2025-10-09"), 0) == D("2025-10-09")


def test_year_outside_the_package_falls_back_to_weekends_with_warning(monkeypatch):
    """R-12.1, R-16.5: a year the holiday data lacks counts weekends only, and is reported.
    The data is made to lack 2027 here, whatever the installed package holds."""
    monkeypatch.setattr(workdays, "PACKAGE_YEARS", frozenset(range(2004, 2027)))
    assert not CAL.knows_year(2027)
    assert CAL.fallback_years([2026, 2027]) == [2027]
    assert not CAL.is_working_day(D("2027-01-02"))  # Saturday
    assert CAL.is_working_day(D("2027-01-04"))  # a Monday
    assert CAL.is_working_day(D("2027-10-01"))  # no data: a Friday counts as working


def test_overrides_come_first_but_only_a_confirmation_makes_the_year_known(monkeypatch):
    """R-12.1, R-12.2: supervisors' overrides beat the package; a year becomes known when it
    is confirmed complete, not by its override rows."""
    monkeypatch.setattr(workdays, "PACKAGE_YEARS", frozenset(range(2004, 2027)))
    cal = WorkCalendar({
        D("2027-10-01"): CalendarDayKind.holiday,
        D("2027-09-26"): CalendarDayKind.workday,
        D("2025-10-08"): CalendarDayKind.workday,
    })
    assert not cal.is_working_day(D("2027-10-01"))
    assert cal.is_working_day(D("2027-09-26"))  # a Sunday made a working day
    assert cal.is_working_day(D("2025-10-08"))  # overrides the package too
    assert not cal.knows_year(2027)
    confirmed = WorkCalendar(cal.overrides, frozenset({2027}))
    assert confirmed.knows_year(2027)
    assert confirmed.fallback_years([2027, 2028]) == [2028]


def test_package_overrides_lists_only_exceptions():
    """R-12.1: a year's import holds weekday holidays and working weekends only."""
    exceptions = package_overrides(2025)
    assert exceptions[D("2025-10-01")][0] == CalendarDayKind.holiday
    assert exceptions[D("2025-09-28")][0] == CalendarDayKind.workday
    assert D("2025-10-04") not in exceptions  # a Saturday that is off anyway
    with pytest.raises(ValueError):
        package_overrides(2030)


def test_import_year_is_idempotent_and_keeps_manual_rows(ctx):
    """R-12.1: importing a year twice adds nothing; a supervisor's row is kept."""
    db.session.add(CalendarDay(day=D("2025-10-01"), kind=CalendarDayKind.workday, name="人工"))
    db.session.commit()
    added = import_year(db.session, 2025)
    db.session.commit()
    assert added == len(package_overrides(2025)) - 1
    assert import_year(db.session, 2025) == 0
    cal = load_calendar(db.session)
    assert cal.is_working_day(D("2025-10-01"))  # the manual override wins
    assert not cal.is_working_day(D("2025-10-02"))


def test_absurd_spans_raise_instead_of_looping():
    """R-12.1: arithmetic is bounded."""
    with pytest.raises(ValueError):
        CAL.add(D("2025-01-01"), 10**7)
