"""R-12.2: a year is known only when a supervisor confirms it complete; the notice is pasted
on the calendar screen, previewed, saved as overrides; until then deadlines warn."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app import clock
from app.choices import CalendarDayKind, Stage
from app.documents import archive, content
from app.domain import calendar_years, workdays
from app.domain.errors import DomainError
from app.domain.workdays import WorkCalendar, load_calendar
from app.extensions import db
from app.models import CalendarDay, CalendarYear, CommissionItem, DocumentKind
from app.roles import SUPERVISOR
from app.states import CommissionState, ItemState
from tests import factories as f
from tests.pdf_helpers import pdf_text
from tests.role_clients import role_client

D = dt.date.fromisoformat
#: the example sentences of issue 12 for 2027 (not the published notice: a stand-in with
#: the same form, 元旦 and 春节 only)
NOTICE_2027 = ("国务院办公厅关于2027年部分节假日安排的通知\n"
               "一、元旦：1月1日放假，与周末连休。\n"
               "二、春节：2月6日（农历除夕）至13日（农历正月初七）放假调休，共8天。"
               "2月14日（星期日）上班。\n")


@pytest.fixture
def no_2027(monkeypatch):
    """The holiday data lacks 2027 (whatever the installed chinesecalendar holds)."""
    monkeypatch.setattr(workdays, "PACKAGE_YEARS", range(2004, 2027))


def test_one_override_row_does_not_make_a_year_known(no_2027):
    """R-12.2: an override row for 2027 leaves 2027 unknown; a confirmation makes it known."""
    cal = WorkCalendar({D("2027-10-01"): CalendarDayKind.holiday})
    assert not cal.knows_year(2027)
    assert cal.fallback_years([2026, 2027]) == [2027]
    confirmed = WorkCalendar(cal.overrides, frozenset({2027}))
    assert confirmed.knows_year(2027) and confirmed.fallback_years([2027, 2028]) == [2028]


def test_confirming_a_year_refuses_package_years_empty_years_and_twice(ctx, no_2027):
    """R-12.2: confirmation is refused (Chinese) for a package year, a year with no entries,
    or a year already confirmed; it records who and when."""
    with pytest.raises(DomainError, match="chinesecalendar"):
        calendar_years.confirm_year(db.session, 2026, by=None)
    with pytest.raises(DomainError, match="还没有任何节假日"):
        calendar_years.confirm_year(db.session, 2027, by=None)
    db.session.add(CalendarDay(day=D("2027-01-01"), kind=CalendarDayKind.holiday, name="元旦"))
    row = calendar_years.confirm_year(db.session, 2027, by=None)
    db.session.commit()
    assert row.confirmed_at is not None and load_calendar(db.session).knows_year(2027)
    with pytest.raises(DomainError, match="已确认过"):
        calendar_years.confirm_year(db.session, 2027, by=None)


def test_saving_a_notice_replaces_an_earlier_paste_and_keeps_other_rows(ctx, no_2027):
    """R-12.2: a second paste of the same year replaces the first one's rows; a supervisor's
    row on another day stays."""
    from app.domain.holiday_notice import parse_notice

    db.session.add(CalendarDay(day=D("2027-03-03"), kind=CalendarDayKind.holiday, name="停电"))
    calendar_years.save_notice(db.session, parse_notice(
        NOTICE_2027.replace("2月14日（星期日）上班", "2月20日（星期六）上班"), 2027))
    saved = calendar_years.save_notice(db.session, parse_notice(NOTICE_2027))
    db.session.commit()
    rows = {r.day: r for r in db.session.scalars(sa.select(CalendarDay))}
    assert D("2027-02-20") not in rows and rows[D("2027-02-14")].kind == CalendarDayKind.workday
    assert D("2027-03-03") in rows
    # 1 Jan (Fri), 8–12 Feb (Mon–Fri) off, 14 Feb (Sun) worked; 6, 7, 13 Feb are weekends
    assert saved == 7


def _item_accepted_on(app, day: str, days: int) -> int:
    """An item of a newly opened commission, accepted on ``day`` by its department; its
    catalogue entry promises ``days`` working days."""
    with app.app_context():
        item = f.case(CommissionState.pre_review,
                      items=[f.approval_item(Stage.s1, days)]).items[0]
        f.advance_item(item, ItemState.accepted, on=D(day))
        db.session.commit()
        return item.id


@pytest.mark.date_sensitive
def test_2027_deadlines_before_and_after_the_notice_is_pasted_and_confirmed(app, no_2027):
    """R-12.2, R-12.1, R-6.6: before the notice, one working day after 2026-12-31 is
    2027-01-01 (元旦) and 2027-02-08 (春节 week) is a working day, and every screen warns about
    2027 (dashboard banner, the deadline cell); a supervisor pastes the notice, previews the
    changed days, saves them (deadlines move), confirms the year (recorded as the signed-in
    account): the warnings go."""
    clock.freeze("2026-12-31")
    one_day = _item_accepted_on(app, "2026-12-31", 1)
    six_days = _item_accepted_on(app, "2027-02-03", 5)
    with app.app_context():
        assert db.session.get(CommissionItem, one_day).due_on == D("2027-01-01")
        assert db.session.get(CommissionItem, six_days).due_on == D("2027-02-10")
        assert load_calendar(db.session).is_working_day(D("2027-02-08"))
    supervisor = role_client(app, [SUPERVISOR])
    for url in ("/", "/calendardayview/list/"):
        html = supervisor.get(url).get_data(as_text=True)
        assert "calendar-fallback" in html and "2027" in html
    html = supervisor.get("/commissionitemview/list/").get_data(as_text=True)
    assert "calendar-unknown" in html

    preview = supervisor.post("/calendardayview/notice", data={"text": NOTICE_2027})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "notice-change" in html and "2027-02-08" in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CalendarDay.id))) == 0  # preview only
    saved = supervisor.post("/calendardayview/notice", data={"text": NOTICE_2027, "save": "1"})
    assert saved.status_code == 302
    with app.app_context():
        cal = load_calendar(db.session)
        assert cal.add(D("2026-12-31"), 1) == D("2027-01-04")
        assert not cal.is_working_day(D("2027-02-08")) and cal.is_working_day(D("2027-02-14"))
        assert db.session.get(CommissionItem, one_day).due_on == D("2027-01-04")
        assert db.session.get(CommissionItem, six_days).due_on == D("2027-02-16")  # 4, 5, 14, 15, 16
        assert not cal.knows_year(2027)  # saved, not yet confirmed
    html = supervisor.get("/").get_data(as_text=True)
    assert "calendar-fallback" in html

    assert supervisor.post("/calendardayview/confirm/2027",
                           data={"confirmed_by_id": "1"}).status_code == 302
    with app.app_context():
        row = db.session.scalar(sa.select(CalendarYear).where(CalendarYear.year == 2027))
        assert row is not None and row.confirmed_by.username.startswith("rc-")
        assert load_calendar(db.session).knows_year(2027)
    for url in ("/", "/calendardayview/list/", "/commissionitemview/list/"):
        html = supervisor.get(url).get_data(as_text=True)
        assert "calendar-fallback" not in html and "calendar-unknown" not in html, url


def test_deadline_years_beyond_next_year_warn_too(app, client, no_2027, monkeypatch):
    """R-12.2: the warning is for any year a stored deadline falls in, not only this year and
    next: a deadline in 2029 (clock in 2026) names 2029."""
    clock.freeze("2026-12-02")
    monkeypatch.setattr(workdays, "PACKAGE_YEARS", range(2004, 2029))
    # recorded as accepted in 2029 (no step asks the clock): its deadline falls in 2029 too
    _item_accepted_on(app, "2029-02-20", 5)
    html = client.get("/").get_data(as_text=True)
    assert "calendar-fallback" in html and "2029" in html


def test_a_paper_with_dates_in_an_unconfirmed_year_says_so(ctx, monkeypatch):
    """R-12.2, R-15.1: the approval plan whose dates fall in an unconfirmed year carries the
    note that they were counted on weekends only; once confirmed it does not."""
    ids = f.full_case()
    monkeypatch.setattr(workdays, "PACKAGE_YEARS", range(2004, 2025))  # 2025 "unknown"
    from app.models import Commission, PlanVersion

    commission = db.session.get(Commission, ids.commission)
    plan = db.session.get(PlanVersion, ids.plan)
    data = content.context(DocumentKind.approval_plan, commission, plan, load_calendar(db.session))
    assert data["unknown_years"] == [2025]
    document, _ = archive.issue(db.session, DocumentKind.approval_plan, commission, plan)
    text = pdf_text(archive.file_of(document).read_bytes())
    assert "2025年的法定节假日尚未确认" in text
    db.session.add(CalendarDay(day=D("2025-10-01"), kind=CalendarDayKind.holiday))
    db.session.add(CalendarYear(year=2025))
    db.session.flush()
    again, created = archive.issue(db.session, DocumentKind.approval_plan, commission, plan)
    assert created and "尚未确认" not in pdf_text(archive.file_of(again).read_bytes())


def test_the_termination_form_warns_about_its_handover_deadline(app, no_2027):
    """R-12.2, R-10.3: a final 终止单 whose materials are still to be handed over by a day in
    an unconfirmed year says the day was counted on weekends only."""
    from types import SimpleNamespace

    from app.choices import TerminationReason

    termination = SimpleNamespace(
        reason=TerminationReason.unit_request, reason_text=None, announcement=None,
        effective_on=D("2026-12-31"), unit_confirmed_on=D("2026-12-31"),
        issued_on=D("2026-12-28"), handed_over_on=None, handover_due_on=D("2027-01-01"))
    commission = SimpleNamespace(project=SimpleNamespace(name="江城项目"),
                                 application_no="JCXB-2026-0009", termination=termination)
    unknown = content.context(DocumentKind.termination, commission, None, WorkCalendar())
    assert unknown["unknown_years"] == [2027]
    known = content.context(DocumentKind.termination, commission, None,
                            WorkCalendar(confirmed_years=frozenset({2027})))
    assert known["unknown_years"] == []
    termination.handed_over_on = D("2026-12-31")
    assert content.context(DocumentKind.termination, commission, None,
                           WorkCalendar())["unknown_years"] == []
