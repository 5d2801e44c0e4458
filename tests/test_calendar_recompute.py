"""R-12.1: editing the calendar recomputes open deadlines; missing years are warned about."""
from __future__ import annotations

import datetime as dt

import pytest

import sqlalchemy as sa

from app import clock
from app.choices import DelegationScope, Stage
from app.domain import approvals, intake, workdays
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import CommissionItem
from app.states import PreReviewOutcome
from tests import factories as f
from tests.clock import RUN_DAY

D = dt.date.fromisoformat


def _accepted_item(app):
    clock.freeze("2026-11-30")  # the deadlines below are still open on that day
    with app.app_context():
        catalogue = f.approval_item(Stage.s1, 5)
        review = f.pre_review()
        intake.decide_pre_review(review, PreReviewOutcome.eligible)
        commission = intake.open_commission(db.session, review, scope=DelegationScope.partial,
                                            items=[catalogue])
        item = commission.items[0]
        approvals.submit(db.session, item, on=D("2026-11-30"))
        approvals.accept(db.session, item, on=D("2026-11-30"), cal=WorkCalendar())
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