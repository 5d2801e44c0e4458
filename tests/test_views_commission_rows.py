"""Rows and helpers for the tests of the commission screens and everything under a commission.

No tests here: the builders add valid rows directly with ``db.session`` (independent of the
unit, project, department and staff screens) and flush; the caller commits. Use them inside
``with app.app_context():`` so that each HTTP request afterwards has a fresh session.
"""
from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import sqlalchemy as sa

from app.choices import ConstructionKind, InvestmentKind, Stage, StaffRole, UnitNature
from app.extensions import db
from app.models import (
    ApprovalItem,
    Commission,
    CommissionItem,
    Department,
    Project,
    StaffMember,
    Unit,
)
from app.states import CommissionState, ItemState

D = dt.date.fromisoformat
_seq = itertools.count(1)


def make_department(name: str | None = None) -> Department:
    """An approval department."""
    row = Department(name=name or f"测试审批部门{next(_seq)}", contact_name="李专人",
                     contact_phone="0662-3312345")
    db.session.add(row)
    db.session.flush()
    return row


def make_staff(role: StaffRole = StaffRole.coordinator, department: Department | None = None,
               name: str | None = None) -> StaffMember:
    """A coordinator, or a specialist of ``department``."""
    if role == StaffRole.specialist and department is None:
        department = make_department()
    row = StaffMember(name=name or f"人员{next(_seq)}", role=role, department=department,
                      phone="13800138000", admitted_on=D("2025-01-02"))
    db.session.add(row)
    db.session.flush()
    return row


def make_approval_item(department: Department | None = None, name: str | None = None,
                       **kw: Any) -> ApprovalItem:
    """A catalogue item of ``department``."""
    row = ApprovalItem(name=name or f"测试审批事项{next(_seq)}", stage=Stage.s1,
                       department=department or make_department(), promised_days=5, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def make_commission(application_no: str | None = None, coordinator: StaffMember | None = None,
                    state: CommissionState = CommissionState.in_progress) -> Commission:
    """A commission with its own unit and project (one open commission per project)."""
    n = next(_seq)
    unit = Unit(name=f"阳江测试建设单位{n}", address="阳江市江城区东风路1号",
                nature=UnitNature.enterprise, leader_name="王总", leader_phone="13900139000",
                handler_name="陈经办", handler_phone="13700137000")
    project = Project(unit=unit, name=f"江城测试项目{n}", address="阳江市江城区",
                      construction_kind=ConstructionKind.new,
                      investment_kind=InvestmentKind.social)
    row = Commission(project=project, application_no=application_no or f"JC2026-{n:04d}",
                     coordinator=coordinator, state=state, applied_on=D("2026-03-02"))
    db.session.add_all([unit, project, row])
    db.session.flush()
    return row


def make_item(commission: Commission, approval_item: ApprovalItem | None = None,
              **kw: Any) -> CommissionItem:
    """A delegated item of ``commission``."""
    row = CommissionItem(commission=commission,
                         approval_item=approval_item or make_approval_item(),
                         state=kw.pop("state", ItemState.pending), **kw)
    db.session.add(row)
    db.session.flush()
    return row


def count(model: type) -> int:
    """Rows of ``model`` in the database."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def only(model: type) -> Any:
    """The single row of ``model`` (fails when there is not exactly one)."""
    return db.session.scalars(sa.select(model)).one()


def post(client, url: str, data: dict[str, Any]):
    """POST a form; None values are left out (an empty field)."""
    return client.post(url, data={k: v for k, v in data.items() if v is not None},
                       follow_redirects=False)


def page(client, url: str) -> str:
    """GET a page that must answer 200; its HTML."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)
