"""回访 due after completion (待回访) and 整改 opened by a bad rating (R-13.2)."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.choices import ContactMethod, Rating
from app.domain import revisits
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import Commission, Rectification, Revisit
from app.states import CommissionState
from tests import factories as f
from tests.conftest import form_errors
from tests.role_clients import link_account
from tests.clock import RUN_DAY

D = dt.date.fromisoformat
CAL = WorkCalendar()
_numbers = iter(range(1, 10_000))


@pytest.fixture(autouse=True)
def _signed_in_staff(app):
    """The admin client is linked to a roster entry: who made the call is the signed-in
    user (R-16.2)."""
    with app.app_context():
        link_account(f.staff(name="回访员"))


def completed(on: dt.date, state: CommissionState = CommissionState.completed) -> Commission:
    """A commission completed on ``on`` (its own project), by the steps; at work or terminated
    on that day instead when ``state`` says so."""
    n = next(_numbers)
    return f.case(state, project=f.project(name=f"回访项目{n}"), on=on - dt.timedelta(60),
                  completed_on=on, terminated_on=on)


def revisit_form(commission: Commission, rating: str, **changes) -> dict:
    data = {"commission": str(commission.id), "visited_on": "2026-04-01", "method": "phone",
            "person_reached": "陈经理", "rating": rating, "opinions": "意见", "follow_up": ""}
    data.update(changes)
    return data


def _rectifications() -> list[Rectification]:
    return list(db.session.scalars(sa.select(Rectification).order_by(Rectification.id)))


@pytest.mark.parametrize("rating", ["dissatisfied", "very_dissatisfied"])
def test_bad_rating_opens_a_rectification(client, ctx, rating):
    """R-13.2: saving a 不满意 / 非常不满意 revisit opens an open rectification with it."""
    commission = completed(D("2026-03-02"))
    db.session.commit()
    response = client.post("/revisitview/add", data=revisit_form(commission, rating))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    revisit = db.session.scalars(sa.select(Revisit)).one()
    [rect] = _rectifications()
    assert (rect.revisit_id, rect.closed, rect.verified_by, rect.feedback_on) == (
        revisit.id, False, None, None)


@pytest.mark.parametrize("rating", ["very_satisfied", "satisfied", "basically_satisfied"])
def test_good_rating_opens_no_rectification(client, ctx, rating):
    """R-13.2: a 非常满意 / 满意 / 基本满意 revisit opens no rectification."""
    commission = completed(D("2026-03-02"))
    db.session.commit()
    response = client.post("/revisitview/add", data=revisit_form(commission, rating))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    assert db.session.scalars(sa.select(Revisit)).one().rating == Rating(rating)
    assert _rectifications() == []


def test_rating_edited_to_bad_opens_one_rectification_only(client, ctx):
    """R-13.2: a rating corrected to 不满意 opens the rectification; saving again does not
    open a second one; it stays open until closed with verifier and feedback date."""
    commission = completed(D("2026-03-02"))
    db.session.commit()
    client.post("/revisitview/add", data=revisit_form(commission, "satisfied"))
    revisit = db.session.scalars(sa.select(Revisit)).one()
    for _ in range(2):
        response = client.post(f"/revisitview/edit/{revisit.id}",
                               data=revisit_form(commission, "dissatisfied"))
        assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    [rect] = _rectifications()
    assert not rect.closed
    html = client.get("/revisits-due/").get_data(as_text=True)
    assert f"/rectificationview/edit/{rect.id}" in html and "未办结的整改" in html

    response = client.post(f"/rectificationview/edit/{rect.id}", data={
        "revisit": str(revisit.id), "measures": "约谈协办员", "closed": "y"})
    assert response.status_code == 200  # closing needs who verified it and the feedback date
    response = client.post(f"/rectificationview/edit/{rect.id}", data={
        "revisit": str(revisit.id), "measures": "约谈协办员", "verified_by": "刘科长",
        "feedback_on": "2026-04-10", "closed": "y"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    html = client.get("/revisits-due/").get_data(as_text=True)
    assert f"/rectificationview/edit/{rect.id}" not in html


def test_revisit_methods_are_the_four_ways(client, ctx):
    """R-13.2: a revisit is made by 电话 / 上门 / 微信 / 短信; e-mail is not offered."""
    html = client.get("/revisitview/add").get_data(as_text=True)
    for label in ("电话", "上门走访", "微信", "短信"):
        assert f">{label}</option>" in html
    assert 'value="email"' not in html
    commission = completed(D("2026-03-02"))
    db.session.commit()
    response = client.post("/revisitview/add", data=revisit_form(commission, "satisfied",
                                                                 method="email"))
    assert response.status_code == 200 and form_errors(response.get_data(as_text=True))
    assert db.session.scalars(sa.select(Revisit)).all() == []


def test_due_revisits_list(ctx):
    """R-13.2: completed commissions without a revisit are due 5 working days after
    completion (counted on the calendar), the earliest first; revisited, open and
    terminated commissions are not listed."""
    late = completed(D("2025-09-26"))  # Friday before National Day
    early = completed(D("2025-09-01"))
    done = completed(D("2025-09-10"))
    completed(D("2025-09-12"), CommissionState.in_progress)
    completed(D("2025-09-12"), CommissionState.terminated)
    db.session.add(Revisit(commission=done, visited_on=D("2025-09-15"),
                           method=ContactMethod.phone, person_reached="陈经理",
                           rating=Rating.satisfied))
    db.session.commit()
    rows, total = revisits.due_revisits(db.session, cal=CAL)
    assert total == 2
    # 26 Sep 2025 + 5: 28 Sep (a working Sunday), 29, 30 Sep, then 9 and 10 Oct after the holiday
    assert [(r.commission, r.due_on) for r in rows] == [
        (early, D("2025-09-08")), (late, D("2025-10-10"))]
    rows, _ = revisits.due_revisits(db.session, cal=CAL, working_days=10)
    assert rows[0].due_on == CAL.add(D("2025-09-01"), 10)
    page, total = revisits.due_revisits(db.session, cal=CAL, page=2, per_page=1)
    assert total == 2 and [r.commission for r in page] == [late]


@pytest.mark.date_sensitive
def test_revisits_due_screen(app, client, ctx):
    """R-13.2: the 待回访 screen lists due revisits with their date and light and a link to
    record the revisit; the working days come from REVISIT_DUE_WORKING_DAYS."""
    today = RUN_DAY
    overdue = completed(today - dt.timedelta(days=30))
    fresh = completed(today)
    db.session.commit()
    html = client.get("/revisits-due/").get_data(as_text=True)
    assert "待回访" in html and "回访期限" in html
    assert overdue.application_no in html and fresh.application_no in html
    assert "label-danger" in html  # a month late: red
    assert f"_flt_0_commission={overdue.id}" in html and "登记回访" in html
    assert CAL.add(today, 5).isoformat() in html  # due 5 working days after today

    app.config["REVISIT_DUE_WORKING_DAYS"] = 7
    try:
        html = client.get("/revisits-due/").get_data(as_text=True)
    finally:
        app.config.pop("REVISIT_DUE_WORKING_DAYS")
    assert "7个工作日" in html
