"""Specialists (专办员), R-6.9 and R-6.7: an item's 专办员 is one of its department's; a
specialist decides only items of their department; specialists raise and see escalations."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.choices import EscalationTarget, StaffRole
from app.domain import approvals
from app.domain.errors import DomainError
from app.extensions import db
from app.models import CommissionItem, Escalation, StaffMember
from app.roles import SPECIALIST, SUPERVISOR
from app.states import ItemState
from tests import factories as f
from tests.factories import D
from tests.helpers import page, post
from tests.role_clients import role_client


@pytest.fixture
def two_departments(app):
    """An accepted item of 住建局 in a commission; specialists of 住建局 and 自然资源局."""
    with app.app_context():
        housing, land = f.department("区住房和城乡建设局"), f.department("市自然资源局")
        own = f.staff(StaffRole.specialist, housing, "周专办")
        other = f.staff(StaffRole.specialist, land, "吴专办")
        coordinator = f.staff(StaffRole.coordinator, None, "张协办")
        commission = f.case(coordinator=coordinator, on=D("2026-03-02"), items=[
            f.approval_item(dept=housing, name="建筑工程施工许可证核发"),
            f.approval_item(dept=land, name="建设用地规划许可证")])
        item, land_item = commission.items
        f.advance_item(item, ItemState.accepted, submitted_on=D("2026-03-02"),
                       accepted_on=D("2026-03-03"))
        db.session.commit()
        return SimpleNamespace(item=item.id, land_item=land_item.id, own=own.id,
                               other=other.id, coordinator=coordinator.id,
                               commission=commission.id)


def _account(app, roles, staff_id):
    client = role_client(app, roles, staff_id)
    with app.app_context():
        user_id = db.session.get(StaffMember, staff_id).user_id
    return client, SimpleNamespace(id=user_id)


def test_item_specialist_select_offers_only_its_departments_specialists_R_6_9(
        app, client, two_departments):
    """R-6.9: the edit form's 专办员 select lists the item's department's specialists only."""
    html = page(client, f"/commissionitemview/edit/{two_departments.item}")
    select = html.split('name="specialist"', 1)[1].split("</select>", 1)[0]
    assert "周专办" in select
    assert "吴专办" not in select and "张协办" not in select


def test_specialist_decides_only_own_department_items_R_6_9(app, ctx, two_departments):
    """R-6.9: the domain refuses a decision by a specialist of another department, in
    Chinese; the item's own specialist, a coordinator or the system may record it."""
    _client, other = _account(app, [SPECIALIST], two_departments.other)
    _client, own = _account(app, [SPECIALIST], two_departments.own)
    item = db.session.get(CommissionItem, two_departments.item)
    with pytest.raises(DomainError, match="本部门|own department"):
        approvals.approve(db.session, item, on=D("2026-03-05"), actor=other)
    db.session.rollback()
    with pytest.raises(DomainError, match="本部门|own department"):
        approvals.refuse(db.session, item, on=D("2026-03-05"), reason="不符合", actor=other)
    db.session.rollback()
    approvals.approve(db.session, item, on=D("2026-03-05"), actor=own)
    db.session.commit()
    assert item.state == ItemState.approved


def test_decision_buttons_follow_the_department_check_R_6_9(app, two_departments):
    """R-6.9: an account of a specialist of another department (here with a supervisor's
    reach) sees no 准予/不予 button on the item and its POST is refused; the item's own
    specialist sees both."""
    pk = two_departments.item
    other, _user = _account(app, [SUPERVISOR], two_departments.other)
    html = page(other, f"/commissionitemview/show/{pk}")
    assert f"/workflow/item/{pk}/approve" not in html
    assert f"/workflow/item/{pk}/refuse" not in html
    response = post(other, f"/workflow/item/{pk}/approve", {"on": "2026-03-05"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(CommissionItem, pk).state == ItemState.accepted
    own, _user = _account(app, [SPECIALIST], two_departments.own)
    html = page(own, f"/commissionitemview/show/{pk}")
    assert f"/workflow/item/{pk}/approve" in html and f"/workflow/item/{pk}/refuse" in html


def test_specialists_raise_and_see_escalations_R_6_7(app, two_departments):
    """R-6.7, R-6.9: a specialist raises an escalation (to the department head), signed as
    themselves; they see their department's items' escalations, not another's."""
    own, _user = _account(app, [SPECIALIST], two_departments.own)
    with app.app_context():
        db.session.add(Escalation(
            commission_id=two_departments.commission,
            commission_item_id=two_departments.land_item,
            raised_by_id=two_departments.coordinator, target=EscalationTarget.window,
            raised_on=D("2026-03-04"), problem="用地规划条件未明确"))
        db.session.add(Escalation(
            commission_id=two_departments.commission, commission_item_id=two_departments.item,
            raised_by_id=two_departments.coordinator, target=EscalationTarget.window,
            raised_on=D("2026-03-04"), problem="施工图审查意见未反馈"))
        db.session.commit()
    assert own.get("/escalationview/add").status_code == 200
    response = post(own, "/escalationview/add", {
        "commission": two_departments.commission, "commission_item": two_departments.item,
        "target": EscalationTarget.department_head.value, "raised_on": "2026-03-05",
        "problem": "消防设计审查意见与规划条件冲突", "status": "open"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        raised = db.session.scalars(sa.select(Escalation).where(
            Escalation.problem == "消防设计审查意见与规划条件冲突")).one()
        assert raised.raised_by_id == two_departments.own
    listing = page(own, "/escalationview/list/")
    assert "消防设计审查意见" in listing and "施工图审查意见未反馈" in listing
    assert "用地规划条件未明确" not in listing
