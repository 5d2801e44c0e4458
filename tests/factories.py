"""Small builders of valid rows for tests (flushed, not committed)."""
from __future__ import annotations

import datetime as dt
import itertools

from app.choices import (
    ConstructionKind,
    InvestmentKind,
    Stage,
    StaffRole,
    StaffStatus,
    UnitNature,
)
from app.extensions import db
from app.models import (
    ApprovalItem,
    Department,
    PreReview,
    Project,
    StaffMember,
    Town,
    Unit,
)
from app.states import PreReviewOutcome

_seq = itertools.count(1)


def department(name: str | None = None, **kw) -> Department:
    row = Department(name=name or f"部门{next(_seq)}", contact_name="李专人",
                     contact_phone="0662-3312345", **kw)
    db.session.add(row)
    db.session.flush()
    return row


def staff(role: StaffRole = StaffRole.coordinator, dept: Department | None = None,
          name: str | None = None, **kw) -> StaffMember:
    if role == StaffRole.specialist and dept is None:
        dept = department()
    row = StaffMember(name=name or f"员工{next(_seq)}", role=role, department=dept,
                      phone=kw.pop("phone", "13800138000"), status=kw.pop("status", StaffStatus.active),
                      admitted_on=kw.pop("admitted_on", dt.date(2025, 1, 1)), **kw)
    db.session.add(row)
    db.session.flush()
    return row


def town(name: str = "南恩街道", code: str = "441702001") -> Town:
    row = db.session.query(Town).filter_by(code=code).first()
    if row is None:
        row = Town(name=name, code=code)
        db.session.add(row)
        db.session.flush()
    return row


def unit(name: str | None = None, **kw) -> Unit:
    row = Unit(name=name or f"阳江市江城区建设公司{next(_seq)}", address="阳江市江城区东风路1号",
               nature=UnitNature.enterprise, leader_name="王总", leader_phone="13900139000",
               handler_name="陈经办", handler_phone=kw.pop("handler_phone", "13700137000"), **kw)
    db.session.add(row)
    db.session.flush()
    return row


def project(owner: Unit | None = None, **kw) -> Project:
    kw.setdefault("town", town())
    row = Project(unit=owner or unit(), name=kw.pop("name", f"江城项目{next(_seq)}"),
                  address="阳江市江城区", construction_kind=ConstructionKind.new,
                  investment_kind=kw.pop("investment_kind", InvestmentKind.social), **kw)
    db.session.add(row)
    db.session.flush()
    return row


def approval_item(stage: Stage = Stage.s1, days: int = 5, dept: Department | None = None,
                  name: str | None = None, **kw) -> ApprovalItem:
    row = ApprovalItem(name=name or f"审批事项{next(_seq)}", stage=stage,
                       department=dept or department(), promised_days=days, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def pre_review(proj: Project | None = None, receiver: StaffMember | None = None,
               outcome: PreReviewOutcome = PreReviewOutcome.pending) -> PreReview:
    row = PreReview(received_on=dt.date(2025, 9, 22), receiver=receiver or staff(),
                    project=proj if proj is not None else project(), enquirer_name="陈经办",
                    enquirer_phone="13700137000", enquiry="咨询委托协办", outcome=outcome)
    db.session.add(row)
    db.session.flush()
    return row
