"""The roster screens (R-2.2, R-2.3): approve and carry out filings, refuse leaving with open
commissions and offer the reassignment, the person's history on their page."""
from __future__ import annotations

import datetime as dt

import pytest

import sqlalchemy as sa

from app.choices import RosterChangeKind, StaffStatus
from app.extensions import db
from app.models import Commission, RosterChange, StaffMember
from tests import factories as f
from tests.conftest import form_errors
from tests.test_roster import assigned_commission
from tests.clock import RUN_DAY

# Every test here counts from the run day (TODAY): rerun in a later year by CI.
pytestmark = pytest.mark.date_sensitive

TODAY = RUN_DAY
DAYS = dt.timedelta(days=1)


def _filing(staff: StaffMember, kind: RosterChangeKind = RosterChangeKind.leave,
            effective: dt.date = TODAY, **kw) -> RosterChange:
    change = RosterChange(staff=staff, kind=kind, filed_on=TODAY - 7 * DAYS,
                          effective_on=effective, reason="工作调整", **kw)
    db.session.add(change)
    db.session.commit()
    return change


def _staff_form(person: StaffMember, **changes) -> dict:
    data = {"name": person.name, "role": "coordinator", "phone": "13800138000",
            "status": "active", "admitted_on": person.admitted_on.isoformat()}
    data.update(changes)
    return data


def test_staff_form_refuses_leaving_with_open_commissions(client, ctx):
    """R-2.2, R-2.3: a coordinator with open commissions cannot be set 调离 or 停用 on the
    staff form: refused in Chinese with the commissions named; the page offers the
    reassignment, after which the same edit is saved."""
    leaver, successor = f.staff(name="周协办"), f.staff(name="吴协办")
    cases = [assigned_commission(leaver, on=TODAY - 5 * DAYS) for _ in range(2)]
    db.session.commit()
    numbers = [c.application_no for c in cases]

    for status in ("transferred", "disabled"):
        response = client.post(f"/staffmemberview/edit/{leaver.id}",
                               data=_staff_form(leaver, status=status))
        assert response.status_code == 200
        errors = " ".join(form_errors(response.get_data(as_text=True)))
        assert "周协办仍有2件未办结的委托协办" in errors
        assert all(n in errors for n in numbers) and "改派在办委托" in errors
    db.session.expire_all()
    assert db.session.get(StaffMember, leaver.id).status == StaffStatus.active

    html = client.get(f"/staffmemberview/show/{leaver.id}").get_data(as_text=True)
    assert f"/staffmemberview/handover/{leaver.id}" in html and numbers[0] in html

    html = client.get(f"/staffmemberview/handover/{leaver.id}").get_data(as_text=True)
    assert "改派在办委托" in html and all(n in html for n in numbers)
    assert "吴协办" in html and '<option value="%d"' % leaver.id not in html
    response = client.post(f"/staffmemberview/handover/{leaver.id}", data={
        "coordinator": str(successor.id), "on": TODAY.isoformat(), "reason": "离岗交接"})
    assert response.status_code == 302
    db.session.expire_all()
    assert {c.coordinator_id for c in db.session.scalars(sa.select(Commission))} == {successor.id}
    html = client.get(f"/staffmemberview/show/{leaver.id}").get_data(as_text=True)
    assert f"/staffmemberview/handover/{leaver.id}" not in html

    response = client.post(f"/staffmemberview/edit/{leaver.id}", data=_staff_form(
        leaver, status="transferred", exited_on=TODAY.isoformat()))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    assert db.session.get(StaffMember, leaver.id).status == StaffStatus.transferred


def test_approve_step_refuses_leave_and_offers_reassignment(client, ctx):
    """R-2.3: approving a leave of a coordinator with open commissions is refused with
    links to the commissions and to the reassignment screen; nothing is approved."""
    leaver = f.staff(name="周协办")
    case = assigned_commission(leaver, on=TODAY - 5 * DAYS)
    change = _filing(leaver)
    html = client.get(f"/rosterchangeview/show/{change.id}").get_data(as_text=True)
    assert "待批准" in html and f"/rosterchangeview/approve/{change.id}" in html
    html = client.get(f"/rosterchangeview/approve/{change.id}").get_data(as_text=True)
    assert "批准人" in html and "系统管理员" in html  # the approver defaults to the user

    response = client.post(f"/rosterchangeview/approve/{change.id}", data={
        "approved_by": "窗口负责人", "approved_on": TODAY.isoformat()})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "须先改派给其他协办员" in html
    assert f"/commissionview/show/{case.id}" in html
    assert f"/staffmemberview/handover/{leaver.id}" in html
    db.session.expire_all()
    assert db.session.get(RosterChange, change.id).approved_on is None


def test_approve_step_applies_a_due_change_at_once(client, ctx):
    """R-2.3: approving a filing whose effective date has come carries it out at once;
    afterwards it is history and cannot be edited."""
    person = f.staff(status=StaffStatus.disabled, admitted_on=TODAY - 400 * DAYS)
    change = _filing(person, RosterChangeKind.join, effective=TODAY - DAYS)
    response = client.post(f"/rosterchangeview/approve/{change.id}", data={
        "approved_by": "窗口负责人", "approved_on": TODAY.isoformat()}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "人员报备已批准" in html and "人员报备已于" in html
    db.session.expire_all()
    change = db.session.get(RosterChange, change.id)
    assert (change.approved_by, change.approved_on, change.applied_on) == (
        "窗口负责人", TODAY, TODAY)
    person = db.session.get(StaffMember, person.id)
    assert (person.status, person.admitted_on) == (StaffStatus.active, TODAY - DAYS)

    response = client.post(f"/rosterchangeview/edit/{change.id}", data={
        "staff": str(person.id), "kind": "join", "filed_on": change.filed_on.isoformat(),
        "effective_on": change.effective_on.isoformat(), "reason": "改"})
    assert response.status_code == 200
    assert "已生效，作为历史记录保留" in " ".join(form_errors(response.get_data(as_text=True)))


def test_future_change_waits_then_take_effect_button(client, ctx):
    """R-2.3: an approved filing whose date has not come waits (no button); once the date
    has come, the page offers "take effect now" and the button carries it out."""
    person = f.staff(status=StaffStatus.disabled, admitted_on=TODAY - 400 * DAYS)
    change = _filing(person, RosterChangeKind.join, effective=TODAY + 30 * DAYS)
    client.post(f"/rosterchangeview/approve/{change.id}", data={
        "approved_by": "窗口负责人", "approved_on": TODAY.isoformat()})
    db.session.expire_all()
    assert db.session.get(RosterChange, change.id).applied_on is None
    html = client.get(f"/rosterchangeview/show/{change.id}").get_data(as_text=True)
    assert "将于" in html and f"/rosterchangeview/apply/{change.id}" not in html
    response = client.post(f"/rosterchangeview/apply/{change.id}", follow_redirects=True)
    assert "尚未到生效日期" in response.get_data(as_text=True)

    change = db.session.get(RosterChange, change.id)
    change.effective_on = TODAY
    db.session.commit()
    html = client.get(f"/rosterchangeview/show/{change.id}").get_data(as_text=True)
    assert f"/rosterchangeview/apply/{change.id}" in html and "立即生效" in html
    assert client.post(f"/rosterchangeview/apply/{change.id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(StaffMember, person.id).status == StaffStatus.active
    assert db.session.get(RosterChange, change.id).applied_on == TODAY


def test_filing_entered_with_its_approval_obeys_the_rules(client, ctx):
    """R-2.3: a filing entered as already approved is refused for a leave with open
    commissions, and for an approval dated before the filing."""
    leaver = f.staff(name="周协办")
    assigned_commission(leaver, on=TODAY - 5 * DAYS)
    db.session.commit()
    data = {"staff": str(leaver.id), "kind": "leave",
            "filed_on": (TODAY - 7 * DAYS).isoformat(), "effective_on": TODAY.isoformat(),
            "reason": "离岗", "approved_by": "窗口负责人", "approved_on": TODAY.isoformat()}
    response = client.post("/rosterchangeview/add", data=data)
    assert "周协办仍有1件未办结的委托协办" in " ".join(
        form_errors(response.get_data(as_text=True)))
    response = client.post("/rosterchangeview/add", data={
        **data, "kind": "join", "approved_on": (TODAY - 8 * DAYS).isoformat()})
    assert "报备之日或之后" in " ".join(form_errors(response.get_data(as_text=True)))
    response = client.post("/rosterchangeview/add", data={**data, "kind": "join",
                                                           "approved_on": ""})
    assert "请填写批准日期" in " ".join(form_errors(response.get_data(as_text=True)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterChange)) == 0
    # Unapproved filings are fine: approval comes later.
    response = client.post("/rosterchangeview/add", data={
        **data, "approved_by": "", "approved_on": ""})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
