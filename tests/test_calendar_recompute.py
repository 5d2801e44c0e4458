"""R-12.1: editing the calendar recomputes open deadlines; missing years are warned about."""
from __future__ import annotations

import datetime as dt

import pytest

import sqlalchemy as sa

from app import clock
from app.choices import Stage
from app.domain import approvals, workdays
from app.extensions import db
from app.models import CommissionItem
from app.states import CommissionState, ItemState
from tests import factories as f
from tests.clock import RUN_DAY

D = dt.date.fromisoformat


def _accepted_item(app):
    clock.freeze("2026-11-30")  # the deadlines below are still open on that day
    with app.app_context():
        item = f.case(CommissionState.pre_review,
                      items=[f.approval_item(Stage.s1, 5)]).items[0]
        f.advance_item(item, ItemState.accepted, on=D("2026-11-30"))
        db.session.commit()
        assert item.due_on == D("2026-12-07")
        return item.id


def test_adding_a_holiday_moves_open_deadlines(app, client):
    """R-12.1, R-6.6: a holiday entered on the calendar screen pushes the deadline back."""
    item_id = _accepted_item(app)
    response = client.post("/calendardayview/add", data={"day": "2026-12-02", "kind": "holiday",
                                                         "name": "临时停工"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(CommissionItem, item_id).due_on == D("2026-12-08")
        day_id = db.session.scalar(sa.text("SELECT id FROM calendar_day"))
    client.post(f"/calendardayview/delete/{day_id}")
    with app.app_context():
        assert db.session.get(CommissionItem, item_id).due_on == D("2026-12-07")


@pytest.mark.date_sensitive
def test_calendar_screen_warns_about_years_without_data(client, monkeypatch):
    """R-12.1, R-16.5: next year lacks holiday data (made so here, whatever the installed
    package holds): the calendar screen and dashboard say so."""
    next_year = RUN_DAY.year + 1
    monkeypatch.setattr(workdays, "PACKAGE_YEARS", frozenset(range(2004, next_year)))
    for url in ("/calendardayview/list/", "/"):
        html = client.get(url).get_data(as_text=True)
        assert "calendar-fallback" in html and str(next_year) in html


def test_a_suspended_item_keeps_its_deadline_until_the_supplement_arrives(app):
    """R-12.1, R-6.6: recomputing after a calendar change touches running deadlines only; an
    item waiting for a supplement (补正, its clock stopped) is recomputed when it arrives."""
    from app.domain.sweep import recompute_deadlines
    from app.models import CalendarDay
    from app.choices import CalendarDayKind

    item_id = _accepted_item(app)
    with app.app_context():
        item = db.session.get(CommissionItem, item_id)
        approvals.request_supplement(db.session, item, on=D("2026-12-01"))
        db.session.add(CalendarDay(day=D("2026-12-04"), kind=CalendarDayKind.holiday,
                                   name="临时停工"))
        db.session.flush()
        cal = workdays.load_calendar(db.session)
        assert recompute_deadlines(db.session, today=D("2026-12-03"), cal=cal) == 0
        assert item.due_on == D("2026-12-07")
        approvals.receive_supplement(db.session, item, on=D("2026-12-03"), cal=cal)
        # 12-01..12-03 stood still (2 working days), and 12-04 is now a holiday
        assert item.due_on == cal.add(D("2026-11-30"), 5 + 2) == D("2026-12-10")
        db.session.rollback()
