"""Builders and a visitor for the construction unit's own pages (R-17, app/public).

``planning_case`` drives a commission through the real domain to a drafted plan waiting for
the unit; ``Visitor`` is a test client that walks the look-up as the unit does (the number,
the code read from the outbox, the code entered)."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from app.choices import Stage, StaffRole
from app.domain import planning
from app.extensions import db
from app.models import Commission, Notification
from app.notify.templates import Template
from app.states import CommissionState
from tests import factories as f

D = f.D
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE_RE = re.compile(r"验证码：(\d{6})")


def planning_case(name: str = "江城滨海智造产业园一期", *, coordinator_phone="13600136000",
                  draft: bool = True, start=None) -> Commission:
    """A commission with a coordinator, contacted, its plan drafted (not confirmed); the
    plan starts on ``start`` (default 2025-10-10, applied ten days before)."""
    start = start or D("2025-10-10")
    applied = start - dt.timedelta(days=10)
    items = [f.approval_item(Stage.s1, 5, name=f"用地预审与选址意见书{name}",
                             dept=f.department(f"市自然资源局{name}")),
             f.approval_item(Stage.s2, 10, name=f"建设工程规划许可证{name}",
                             dept=f.department(f"区住房和城乡建设局{name}"))]
    coordinator = f.staff(StaffRole.coordinator, name=f"张协办{name[-2:]}",
                          phone=coordinator_phone)
    contacted = applied + dt.timedelta(days=1)
    commission = f.case(CommissionState.planning, items=items, project=f.full_project(name),
                        coordinator=coordinator, intention="全程代办", on=applied,
                        contacted_on=contacted)
    if draft:  # the draft step's function; the unit's confirmation is the test's
        planning.draft_plan(db.session, commission, start=start, drafted_on=contacted,
                            cal=f.calendar())
        db.session.flush()
    return commission


def last_code(app, number: str) -> str | None:
    """The newest look-up code sent for ``number``, read from the outbox."""
    with app.app_context():
        bodies = db.session.scalars(
            sa.select(Notification.body).join(Commission)
            .where(Commission.application_no == number,
                   Notification.template == Template.lookup_code.value)
            .order_by(Notification.id.desc())).all()
        db.session.remove()
    for body in bodies:
        found = CODE_RE.search(body)
        if found:
            return found.group(1)
    return None


def rating_link(app, pk: int) -> str:
    """Complete commission ``pk`` (its state and day set directly, for the rating only) and
    invite its unit to rate: the path of the link the SMS carries."""
    from app.clock import utc_now
    from app.domain import ratings

    with app.app_context():
        commission = db.session.get(Commission, pk)
        commission.state, commission.completed_on = CommissionState.completed, commission.applied_on
        ratings.invite(db.session, commission, now=utc_now(), secret=app.secret_key,
                       base_url="http://127.0.0.1")
        db.session.commit()
        body = db.session.scalars(sa.select(Notification.body).where(
            Notification.commission_id == pk,
            Notification.template == Template.rating_invitation.value)).one()
        db.session.remove()
    return re.search(r"http://127\.0\.0\.1(/unit/rate/\S+)", body).group(1)


class Visitor:
    """A browser-less unit: a Flask test client on the public pages."""

    def __init__(self, app, client=None):
        self.app = app
        self.client = client or app.test_client()

    def csrf(self, url: str = "/unit/") -> str:
        html = self.client.get(url).get_data(as_text=True)
        found = CSRF_RE.search(html)
        assert found, html[:500]
        return found.group(1)

    def ask(self, number: str, contact: str = "handler"):
        return self.client.post("/unit/code", data={
            "csrf_token": self.csrf(), "no": number, "contact": contact})

    def enter(self, code: str):
        return self.client.post("/unit/verify", data={
            "csrf_token": self.csrf("/unit/verify"), "code": code})

    def look_up(self, number: str, contact: str = "handler"):
        """Ask for a code, read it from the outbox, enter it: the answer to the code."""
        assert self.ask(number, contact).status_code == 303
        code = last_code(self.app, number)
        assert code is not None
        return self.enter(code)

    def post(self, url: str, data: dict | None = None, page: str = "/unit/case"):
        return self.client.post(url, data={"csrf_token": self.csrf(page), **(data or {})})
