"""The unit hears of every item event (R-6.8), and "results ready" waits for the paper
results and names the statutory fees still to pay (R-8.5, R-3.1)."""
from __future__ import annotations

import decimal

import sqlalchemy as sa

from app.choices import MaterialProblem
from app.domain import approvals, closing
from app.domain.sweep import sweep
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import FeeNotice, MaterialNotice, MaterialNoticeLine, Notification, ResultReceipt
from tests.factories import D, opened

CAL = WorkCalendar()


def _messages(commission, template=None):
    query = sa.select(Notification).where(Notification.commission_id == commission.id)
    if template:
        query = query.where(Notification.template == template)
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_unit_hears_of_every_item_event_R_6_8(ctx):
    """R-6.8: 受理, 补正 (with the one-time notice's materials), 准予 and 不予 (with the
    reasons) each queue a message to the unit, naming the item and its department."""
    commission = opened()
    first, second = commission.items
    notice = MaterialNotice(commission=commission, issued_on=D("2025-10-14"),
                            issued_by=commission.coordinator)
    notice.lines = [
        MaterialNoticeLine(commission_item=first, material_name="勘测定界图",
                           problem=MaterialProblem.insufficient, note="须加盖测绘单位公章"),
        MaterialNoticeLine(commission_item=first, material_name="建设项目用地预审申请表",
                           problem=MaterialProblem.missing),
        MaterialNoticeLine(commission_item=second, material_name="设计方案总平面图",
                           problem=MaterialProblem.missing),
    ]
    db.session.add(notice)
    approvals.submit(db.session, first, on=D("2025-10-13"))
    approvals.accept(db.session, first, on=D("2025-10-13"), cal=CAL)
    approvals.request_supplement(db.session, first, on=D("2025-10-14"))
    approvals.receive_supplement(db.session, first, on=D("2025-10-16"), cal=CAL)
    approvals.approve(db.session, first, on=D("2025-10-17"))
    approvals.submit(db.session, second, on=D("2025-10-13"))
    approvals.refuse(db.session, second, on=D("2025-10-15"), reason="不符合控制性详细规划")
    db.session.commit()
    sent = {m.template: m.body for m in _messages(commission)}
    accepted = sent["item_accepted"]
    assert first.approval_item.name in accepted and first.department.name in accepted
    assert "2025年10月13日" in accepted and "受理" in accepted
    supplement = sent["item_supplement"]
    assert "勘测定界图（不符合要求：须加盖测绘单位公章）" in supplement
    assert "建设项目用地预审申请表（缺少）" in supplement
    assert "设计方案总平面图" not in supplement  # the other item's line
    assert "准予许可" in sent["item_approved"] and "2025年10月17日" in sent["item_approved"]
    refused = sent["item_refused"]
    assert second.approval_item.name in refused and "不符合控制性详细规划" in refused


def _decided():
    commission = opened()
    for item in commission.items:
        approvals.submit(db.session, item, on=D("2025-10-13"))
        approvals.accept(db.session, item, on=D("2025-10-13"), cal=CAL)
        approvals.approve(db.session, item, on=D("2025-10-20"))
    db.session.commit()
    return commission


def test_results_ready_only_after_results_are_received_R_8_5(ctx):
    """R-8.5: starting delivery without paper results at the window sends no results-ready;
    recording them lets the next sweep send it once, naming the unpaid statutory fees."""
    commission = _decided()
    first = commission.items[0]
    db.session.add_all([
        FeeNotice(commission=commission, commission_item=first, department=first.department,
                  fee_name="不动产登记费", amount=decimal.Decimal("80"), issued_on=D("2025-10-20")),
        FeeNotice(commission=commission, commission_item=first, department=first.department,
                  fee_name="防空地下室易地建设费", amount=decimal.Decimal("3500"),
                  issued_on=D("2025-10-20"), paid_on=D("2025-10-21")),
    ])
    closing.start_delivery(db.session, commission)
    db.session.commit()
    assert _messages(commission, "results_ready") == []
    assert sweep(db.session, today=D("2025-10-22"), cal=CAL) is not None
    assert _messages(commission, "results_ready") == []
    db.session.add(ResultReceipt(commission=commission, department=first.department,
                                 received_on=D("2025-10-22"), documents="用地预审意见书"))
    db.session.commit()
    sweep(db.session, today=D("2025-10-22"), cal=CAL)
    sweep(db.session, today=D("2025-10-23"), cal=CAL)
    [ready] = _messages(commission, "results_ready")
    assert "不动产登记费80.00元" in ready.body and "防空地下室易地建设费" not in ready.body


def test_results_ready_at_once_when_results_are_in_and_no_fee_R_8_5(ctx):
    """R-8.5: results already at the window: sent with the delivery, saying no fee is due."""
    commission = _decided()
    db.session.add(ResultReceipt(commission=commission, department=commission.items[0].department,
                                 received_on=D("2025-10-21"), documents="许可证正本"))
    closing.start_delivery(db.session, commission)
    db.session.commit()
    [ready] = _messages(commission, "results_ready")
    assert "无需缴纳费用" in ready.body
