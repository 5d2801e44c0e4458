"""Who did it is the signed-in user (R-16.2): the author of a work-log entry, consultation,
escalation, one-time notice, revisit or pre-review comes from the session, is shown, not
chosen, and a posted value is ignored. Person selects open on nobody."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from conftest import form_errors

from app import roles
from app.choices import ContactMethod, EscalationTarget, Rating, StaffRole, WorkLogType
from app.extensions import db
from app.models import (
    Consultation,
    CoordinationMeeting,
    Escalation,
    MaterialNotice,
    PreReview,
    Revisit,
    WorkLogEntry,
)
from app.states import EscalationStatus, PreReviewOutcome
from tests import factories as f
from tests.factories import D
from tests.helpers import count, post
from tests.role_clients import role_client


@pytest.fixture
def case(app):
    """A commission of coordinator 林协办 with an item of 黄专办's department, another
    coordinator (陈晓敏, first in the roster's order) and another specialist; their ids."""
    with app.app_context():
        head = f.staff(StaffRole.coordinator, name="陈晓敏")
        coordinator = f.staff(StaffRole.coordinator, name="林协办")
        dept = f.department("市自然资源局江城分局")
        specialist = f.staff(StaffRole.specialist, dept, "黄专办")
        other_specialist = f.staff(StaffRole.specialist, dept, "周专办")
        commission = f.case(coordinator=coordinator, items=[
            f.approval_item(dept=dept, name="建设用地规划许可证")])
        item = commission.items[0]
        db.session.commit()
        return {"head": head.id, "coordinator": coordinator.id, "specialist": specialist.id,
                "other_specialist": other_specialist.id, "commission": commission.id,
                "item": item.id}


def _newest(model):
    """The row of ``model`` saved last (the case's steps wrote some before the test)."""
    return db.session.scalars(sa.select(model).order_by(model.id.desc())).first()


def _as(app, role: str, staff_id: int | None):
    return role_client(app, [role], staff_id)


def _field_html(html: str, name: str) -> str:
    """The form row of field ``name``: its control (a select, or the person as text)."""
    match = re.search(rf'<select[^>]*name="{name}".*?</select>|<p[^>]*id="{name}"[^>]*>.*?</p>',
                      html, re.S)
    assert match, name
    return match.group(0)


def test_work_log_author_is_the_signed_in_coordinator_not_the_posted_one(app, case):
    """R-16.2: a coordinator posting ``author=<someone else>`` stores the entry under their
    own roster entry; the form shows them as the author, with no select to change it."""
    client = _as(app, roles.COORDINATOR, case["coordinator"])
    html = client.get("/worklogentryview/add").get_data(as_text=True)
    author = _field_html(html, "author")
    assert "林协办" in author and "<select" not in author and "陈晓敏" not in author
    response = post(client, "/worklogentryview/add", {
        "commission": case["commission"], "logged_on": "2026-03-03",
        "author": case["head"], "entry_type": WorkLogType.contact.value,
        "content": "电话联系建设单位"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        assert _newest(WorkLogEntry).author_id == case["coordinator"]


def test_a_url_filter_naming_another_author_is_ignored(app, case):
    """R-16.2: ``?_flt_0_author=<id>`` (FAB fills filtered relations from the URL) does not
    name the author either."""
    client = _as(app, roles.COORDINATOR, case["coordinator"])
    response = post(client, f"/worklogentryview/add?_flt_0_author={case['head']}", {
        "commission": case["commission"], "logged_on": "2026-03-03",
        "entry_type": WorkLogType.contact.value, "content": "电话联系建设单位"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        assert _newest(WorkLogEntry).author_id == case["coordinator"]


@pytest.mark.parametrize("url, column, form", [
    ("/escalationview/add", "raised_by_id", lambda c: {
        "commission": c["commission"], "raised_by": c["head"],
        "target": EscalationTarget.window.value, "raised_on": "2026-03-07",
        "problem": "部门要求补充材料超出清单", "status": EscalationStatus.open.value}),
    ("/materialnoticeview/add", "issued_by_id", lambda c: {
        "commission": c["commission"], "issued_on": "2026-03-08", "issued_by": c["head"],
        "lines-0-commission_item": c["item"], "lines-0-material_name": "宗地图",
        "lines-0-problem": "missing"}),
    ("/revisitview/add", "visitor_id", lambda c: {
        "commission": c["commission"], "visited_on": "2026-03-09",
        "method": ContactMethod.phone.value, "visitor": c["head"], "person_reached": "陈经理",
        "rating": Rating.satisfied.value}),
    ("/prereviewview/add", "receiver_id", lambda c: {
        "received_on": "2026-03-02", "receiver": c["head"], "enquirer_name": "梁经办",
        "enquirer_phone": "13600001234", "enquiry": "新建厂房能否委托协办？",
        "outcome": PreReviewOutcome.eligible.value}),
])
def test_who_did_it_is_the_signed_in_user_on_every_record(app, case, url, column, form):
    """R-16.2: escalations (raised by), one-time notices (issued by), revisits (who made the
    call) and pre-reviews (first asked) name the signed-in user, whatever is posted."""
    client = _as(app, roles.SUPERVISOR, case["coordinator"])
    response = post(client, url, form(case))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    model = {"/escalationview/add": Escalation, "/materialnoticeview/add": MaterialNotice,
             "/revisitview/add": Revisit, "/prereviewview/add": PreReview}[url]
    with app.app_context():
        assert getattr(_newest(model), column) == case["coordinator"]


def test_consultation_the_user_is_their_own_side_and_picks_the_other(app, case):
    """R-16.2, R-6.3: a coordinator records a consultation as its coordinator and picks the
    specialist (the select opens on nobody); a specialist is the specialist side and picks
    the coordinator. Posting the user's own side as someone else changes nothing."""
    client = _as(app, roles.COORDINATOR, case["coordinator"])
    html = client.get("/consultationview/add").get_data(as_text=True)
    assert "林协办" in _field_html(html, "coordinator")
    specialist = _field_html(html, "specialist")
    assert re.search(r'<option selected value="__None">—</option>', specialist), specialist
    response = post(client, "/consultationview/add", {
        "commission": case["commission"], "coordinator": case["head"],
        "specialist": case["specialist"], "asked_on": "2026-03-05", "question": "红线图要盖章吗？"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))

    client = _as(app, roles.SPECIALIST, case["specialist"])
    response = post(client, "/consultationview/add", {
        "commission": case["commission"], "commission_item": case["item"],
        "coordinator": case["coordinator"], "specialist": case["other_specialist"],
        "asked_on": "2026-03-06", "question": "补正材料何时提交？"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        rows = db.session.query(Consultation).order_by(Consultation.id).all()
        assert [(r.coordinator_id, r.specialist_id) for r in rows] == [
            (case["coordinator"], case["specialist"]), (case["coordinator"], case["specialist"])]


def test_editing_keeps_who_did_it(app, case):
    """R-16.2: resolving someone else's escalation does not make the editor its author, nor
    does a posted ``raised_by``."""
    with app.app_context():
        row = Escalation(commission_id=case["commission"], raised_by_id=case["coordinator"],
                         target=EscalationTarget.window, raised_on=D("2026-03-07"),
                         problem="部门超期未受理")
        db.session.add(row)
        db.session.commit()
        pk = row.id
    client = _as(app, roles.SUPERVISOR, case["head"])
    html = client.get(f"/escalationview/edit/{pk}").get_data(as_text=True)
    raised_by = _field_html(html, "raised_by")
    assert "林协办" in raised_by and "<select" not in raised_by
    response = post(client, f"/escalationview/edit/{pk}", {
        "commission": case["commission"], "raised_by": case["head"],
        "target": EscalationTarget.window.value, "raised_on": "2026-03-07",
        "problem": "部门超期未受理", "status": EscalationStatus.resolved.value,
        "resolution": "协调后已受理", "resolved_on": "2026-03-09"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = db.session.get(Escalation, pk)
        assert (row.raised_by_id, row.status) == (case["coordinator"], EscalationStatus.resolved)


def test_an_account_without_a_roster_entry_is_told_why_and_saves_nothing(app, case, client):
    """R-16.2: the administrator's account, linked to no staff member, cannot write a work-log
    entry in someone's name: the form says why, in Chinese, and nothing is saved."""
    response = post(client, "/worklogentryview/add", {
        "commission": case["commission"], "logged_on": "2026-03-03",
        "author": case["coordinator"], "entry_type": WorkLogType.contact.value,
        "content": "管理员代记"})
    assert response.status_code == 200
    assert "您的账号未关联人员名册中的人员" in " ".join(
        form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert not db.session.scalars(
            sa.select(WorkLogEntry).where(WorkLogEntry.content == "管理员代记")).all()


def test_person_selects_open_on_nobody(app, case, client):
    """R-16.2: a required select of a person (a meeting's convener) opens on "—", not on the
    first person of the roster, and saving without choosing is refused."""
    html = client.get("/coordinationmeetingview/add").get_data(as_text=True)
    convener = _field_html(html, "convener")
    assert re.search(r'<option selected value="__None">—</option>', convener), convener
    assert 'selected value="%d"' % case["head"] not in convener
    response = post(client, "/coordinationmeetingview/add", {
        "kind": "coordination", "title": "用地问题协调会", "held_on": "2026-03-10",
        "place": "区政务服务中心", "issues": "用地红线"})
    assert response.status_code == 200
    with app.app_context():
        assert count(CoordinationMeeting) == 0


def test_assignment_selects_open_on_nobody(app, case):
    """R-16.2: assigning a coordinator (and handing a leaver's cases over) starts from an
    empty choice; nothing is assigned without picking someone."""
    from app.views.roster_forms import HandoverForm
    from app.views.workflow_forms import AssignForm

    with app.test_request_context("/", method="POST", data={"on": "2026-03-10"}):
        form = AssignForm(meta={"csrf": False})
        assert form.coordinator.choices[0] == ("", "—")
        assert not form.validate() and form.coordinator.errors
        handover = HandoverForm(meta={"csrf": False}).offer(case["coordinator"])
        assert handover.coordinator.choices[0] == ("", "—")
