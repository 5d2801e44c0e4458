"""The commission lifecycle driven through the domain functions, with fixed dates."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.choices import ContactMethod, DeliveryMethod
from app.choices import DelegationScope, Stage, StaffRole, TerminationReason
from app.domain import approvals, closing, coordination, intake, planning
from app.domain.errors import DomainError
from app.domain.sweep import sweep
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import (
    Commission,
    CommissionStateChange,
    CoordinatorAssignment,
    Delivery,
    Notification,
    ResultReceipt,
    WorkLogEntry,
)
from app.states import CommissionState, ItemState, PreReviewOutcome
from tests import factories as f

D = dt.date.fromisoformat
CAL = WorkCalendar()


def _history(commission):
    rows = db.session.scalars(
        sa.select(CommissionStateChange).where(CommissionStateChange.commission_id == commission.id)
        .order_by(CommissionStateChange.id)
    ).all()
    return [(r.from_state, r.to_state) for r in rows]


def _opened(scope=DelegationScope.partial):
    s1a = f.approval_item(Stage.s1, 5, name="用地预审与选址意见书")
    s1b = f.approval_item(Stage.s1, 10, name="环境影响报告书审批")
    s2 = f.approval_item(Stage.s2, 5, name="建设工程规划许可证")
    par = f.approval_item(Stage.parallel, 3, name="供水报装")
    review = f.pre_review()
    intake.decide_pre_review(review, PreReviewOutcome.eligible)
    commission = intake.open_commission(db.session, review, scope=scope, items=[s1a, s1b, s2, par])
    db.session.commit()
    return commission


def _in_progress():
    commission = _opened()
    intake.accept(db.session, commission, applied_on=D("2025-09-30"))
    coordinator = f.staff(StaffRole.coordinator, name="张协办", phone="13600136000")
    coordination.assign(db.session, commission, coordinator, assigned_on=D("2025-09-30"), cal=CAL)
    coordination.record_contact(db.session, commission, method=ContactMethod.phone,
                                contacted_on=D("2025-10-09"))
    plan = planning.draft_plan(db.session, commission, start=D("2025-10-10"),
                               drafted_on=D("2025-10-09"), cal=CAL)
    planning.confirm_plan(db.session, commission, plan, confirmed_by="陈经办",
                          confirmed_on=D("2025-10-10"))
    db.session.commit()
    return commission


def _decide_all(commission, on=D("2025-10-20")):
    for item in list(commission.items):
        approvals.submit(db.session, item, on=D("2025-10-10"))
        approvals.accept(db.session, item, on=D("2025-10-13"), cal=CAL)
        approvals.approve(db.session, item, on=on)
    db.session.commit()


def test_completion_path(ctx):
    """R-4.2, R-5.1, R-5.2, R-5.3, R-8.3, R-9.1: enquiry to completion, every step dated."""
    commission = _in_progress()
    assert commission.application_no == "JCXB-2025-0001"
    assert commission.contact_due_on == D("2025-10-09")  # 1 working day after 30 Sept 2025
    assert commission.state == CommissionState.in_progress
    assert commission.plan_confirmed_on == D("2025-10-10")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CoordinatorAssignment)) == 1
    log = db.session.scalars(sa.select(WorkLogEntry)).one()
    assert log.entry_type.value == "contact"
    templates = [n.template for n in db.session.scalars(sa.select(Notification).order_by(Notification.id))]
    assert templates == ["coordinator_assigned", "plan_awaiting_confirmation"]

    with pytest.raises(DomainError):
        closing.start_delivery(db.session, commission)  # items still open
    db.session.rollback()
    _decide_all(commission)
    db.session.add(ResultReceipt(commission=commission, received_on=D("2025-10-21"),
                                 department=commission.items[0].department,
                                 documents="许可证正本"))  # results at the window
    closing.start_delivery(db.session, commission)
    db.session.commit()
    assert commission.state == CommissionState.delivering
    assert db.session.scalars(sa.select(Notification.template).order_by(Notification.id.desc())).first() == "results_ready"

    with pytest.raises(DomainError, match="送达回执|receipt"):
        closing.complete(db.session, commission, completed_on=D("2025-10-24"))
    db.session.rollback()
    db.session.add(Delivery(commission=commission, method=DeliveryMethod.visit,
                            delivered_on=D("2025-10-22"), receipt_signed_on=D("2025-10-22"),
                            signer="陈经办"))
    closing.complete(db.session, commission, completed_on=D("2025-10-23"))
    db.session.commit()
    assert commission.state == CommissionState.completed
    assert commission.completed_on == D("2025-10-23")
    assert _history(commission) == [
        (None, CommissionState.pre_review),
        (CommissionState.pre_review, CommissionState.accepted),
        (CommissionState.accepted, CommissionState.assigned),
        (CommissionState.assigned, CommissionState.planning),
        (CommissionState.planning, CommissionState.in_progress),
        (CommissionState.in_progress, CommissionState.delivering),
        (CommissionState.delivering, CommissionState.completed),
    ]
    # a completed commission cannot be completed twice or terminated
    with pytest.raises(DomainError):
        closing.complete(db.session, commission, completed_on=D("2025-10-24"))
    with pytest.raises(DomainError):
        closing.terminate(db.session, commission, reason=TerminationReason.unit_request,
                          reason_text=None, issued_on=D("2025-10-24"), confirm_days=5, cal=CAL)
    db.session.rollback()
    assert commission.state == CommissionState.completed


def test_plan_schedules_stages_in_order_and_parallel_side_by_side(ctx):
    """R-5.3: stage items side by side, next stage after the last, parallel with the start."""
    commission = _in_progress()
    plan = planning.latest_plan(commission)
    steps = {s.approval_item.name: (s.planned_submit_on, s.planned_done_on) for s in plan.steps}
    # 2025-10-11 is a make-up Saturday and counts
    assert steps["用地预审与选址意见书"] == (D("2025-10-10"), D("2025-10-16"))
    assert steps["环境影响报告书审批"] == (D("2025-10-10"), D("2025-10-23"))
    # stage 2 starts the working day after stage 1's last completion
    assert steps["建设工程规划许可证"] == (D("2025-10-24"), D("2025-10-31"))
    # no stage-3 item: parallel items run from the start
    assert steps["供水报装"] == (D("2025-10-10"), D("2025-10-14"))
    assert plan.confirmed_by == "陈经办"


def test_replan_keeps_old_versions(ctx):
    """R-5.3: a changed plan is a new version; the confirmed one stays."""
    commission = _in_progress()
    second = planning.draft_plan(db.session, commission, start=D("2025-11-03"),
                                 drafted_on=D("2025-11-01"), cal=CAL)
    db.session.commit()
    assert second.version == 2
    first = planning.latest_plan(commission)
    assert first.id == second.id
    versions = sorted(p.version for p in db.session.scalars(sa.select(planning.PlanVersion)))
    assert versions == [1, 2]
    with pytest.raises(DomainError):
        planning.confirm_plan(db.session, commission,
                              db.session.scalars(sa.select(planning.PlanVersion).filter_by(version=1)).one(),
                              confirmed_by="x", confirmed_on=D("2025-11-03"))


def test_refusal_and_reapplication(ctx):
    """R-6.2: refusal with reasons, unit told, a new attempt linked to the refused one."""
    commission = _in_progress()
    item = commission.items[0]
    approvals.submit(db.session, item, on=D("2025-10-10"))
    with pytest.raises(DomainError):
        approvals.refuse(db.session, item, on=D("2025-10-15"), reason="  ")
    approvals.refuse(db.session, item, on=D("2025-10-15"), reason="选址不符合规划")
    with pytest.raises(DomainError):
        approvals.reapply(db.session, item)  # the unit has not been told yet
    approvals.record_unit_informed(item, on=D("2025-10-16"))
    second = approvals.reapply(db.session, item)
    db.session.commit()
    assert second.attempt == 2 and second.previous_attempt_id == item.id
    assert second.state == ItemState.pending
    with pytest.raises(DomainError):
        approvals.reapply(db.session, item)
    assert [i.id for i in planning.current_items(commission)].count(item.id) == 0


def test_supplement_stops_the_clock(ctx):
    """R-6.1, R-6.6: 补正 suspends the deadline by the working days it lasted."""
    commission = _in_progress()
    item = next(i for i in commission.items if i.approval_item.promised_days == 5)
    approvals.submit(db.session, item, on=D("2025-10-10"))
    approvals.accept(db.session, item, on=D("2025-10-13"), cal=CAL)
    assert item.due_on == D("2025-10-20")
    approvals.request_supplement(db.session, item, on=D("2025-10-14"))
    db.session.commit()
    with pytest.raises(DomainError):
        approvals.approve(db.session, item, on=D("2025-10-15"))  # not from 补正中
    db.session.rollback()
    approvals.receive_supplement(db.session, item, on=D("2025-10-17"), cal=CAL)
    assert item.state == ItemState.accepted
    assert item.due_on == D("2025-10-23")  # three working days later


def test_termination_confirmed_by_unit(ctx):
    """R-10.1, R-10.2, R-10.3: form issued, unit notified, confirmed, handover due in 1 day."""
    commission = _in_progress()
    termination = closing.terminate(db.session, commission, reason=TerminationReason.unit_request,
                                    reason_text=None, issued_on=D("2025-09-30"), confirm_days=5,
                                    cal=CAL)
    db.session.commit()
    assert commission.state == CommissionState.terminating
    # 5 working days across National Day, the make-up Saturday 11 Oct included
    assert termination.confirm_due_on == D("2025-10-14")
    assert db.session.scalars(sa.select(Notification.template).order_by(Notification.id.desc())).first() == "termination_notice"
    closing.confirm_termination(db.session, commission, confirmed_on=D("2025-10-10"), cal=CAL)
    db.session.commit()
    assert commission.state == CommissionState.terminated
    assert termination.handover_due_on == D("2025-10-11")  # the make-up Saturday
    closing.record_handover(termination, on=D("2025-10-11"))
    assert termination.handed_over_on == D("2025-10-11")


def test_other_reason_needs_text(ctx):
    """R-10.1: “其他” needs its text; nothing changes when refused."""
    commission = _in_progress()
    with pytest.raises(DomainError):
        closing.terminate(db.session, commission, reason=TerminationReason.other, reason_text=" ",
                          issued_on=D("2025-10-20"), confirm_days=5, cal=CAL)
    db.session.rollback()
    assert commission.state == CommissionState.in_progress


def test_termination_by_announcement_takes_effect_by_itself(ctx):
    """R-10.4: not confirmed in time → announced → terminated 10 working days later by the sweep."""
    commission = _in_progress()
    termination = closing.terminate(db.session, commission, reason=TerminationReason.force_majeure,
                                    reason_text=None, issued_on=D("2025-10-20"), confirm_days=5,
                                    cal=CAL)
    db.session.commit()
    assert termination.confirm_due_on == D("2025-10-27")
    with pytest.raises(DomainError):
        closing.announce(db.session, commission, published_on=D("2025-10-27"),
                         url="https://www.gdzwfw.gov.cn/notice/1", cal=CAL)
    db.session.rollback()
    with pytest.raises(DomainError):
        closing.announce(db.session, commission, published_on=D("2025-10-28"), url="ftp://x", cal=CAL)
    db.session.rollback()
    announcement = closing.announce(db.session, commission, published_on=D("2025-10-28"),
                                    url="https://www.gdzwfw.gov.cn/notice/1", cal=CAL)
    db.session.commit()
    assert announcement.effective_on == D("2025-11-11")
    assert sweep(db.session, today=D("2025-11-10"), cal=CAL).terminated == 0
    assert commission.state == CommissionState.announced
    assert sweep(db.session, today=D("2025-11-11"), cal=CAL).terminated == 1
    assert sweep(db.session, today=D("2025-11-11"), cal=CAL).terminated == 0  # idempotent
    db.session.refresh(commission)
    assert commission.state == CommissionState.terminated
    assert commission.terminated_on == D("2025-11-11")
    last = _history(commission)[-1]
    assert last == (CommissionState.announced, CommissionState.terminated)


def test_sweep_marks_overdue_contacts_and_items_once(ctx):
    """R-5.2, R-13.1: the sweep stamps overdue deadlines the first time only."""
    commission = _opened()
    intake.accept(db.session, commission, applied_on=D("2025-09-30"))
    coordination.assign(db.session, commission, f.staff(), assigned_on=D("2025-09-30"), cal=CAL)
    db.session.commit()
    result = sweep(db.session, today=D("2025-10-10"), cal=CAL)
    assert result.contacts_marked == 1
    assert sweep(db.session, today=D("2025-10-11"), cal=CAL).contacts_marked == 0
    db.session.refresh(commission)
    assert commission.contact_overdue_on == D("2025-10-10")
    assert coordination.contact_overdue(commission, D("2025-10-10"))


def test_illegal_transitions_are_refused_and_change_nothing(ctx):
    """R-5.2, R-6.1: steps out of order are refused with a reason; the state stays."""
    commission = _opened()
    coordinator = f.staff()
    with pytest.raises(DomainError):
        coordination.assign(db.session, commission, coordinator, assigned_on=D("2025-10-09"), cal=CAL)
    db.session.rollback()
    with pytest.raises(DomainError):
        coordination.record_contact(db.session, commission, method=ContactMethod.phone,
                                    contacted_on=D("2025-10-09"))
    db.session.rollback()
    with pytest.raises(DomainError):
        approvals.accept(db.session, commission.items[0], on=D("2025-10-09"), cal=CAL)
    db.session.rollback()
    specialist = f.staff(StaffRole.specialist)
    intake.accept(db.session, commission, applied_on=D("2025-09-30"))
    db.session.commit()
    with pytest.raises(DomainError):
        coordination.assign(db.session, commission, specialist, assigned_on=D("2025-09-30"), cal=CAL)
    db.session.rollback()
    db.session.refresh(commission)
    assert commission.state == CommissionState.accepted
    assert _history(commission)[-1] == (CommissionState.pre_review, CommissionState.accepted)


def test_stale_state_loses_the_race(ctx):
    """A second clerk acting on an outdated page is refused (compare-and-set)."""
    commission = _opened()
    intake.accept(db.session, commission, applied_on=D("2025-09-30"))
    db.session.commit()
    db.session.execute(sa.update(Commission).values(state=CommissionState.assigned))
    from sqlalchemy.orm.attributes import set_committed_value

    set_committed_value(commission, "state", CommissionState.accepted)  # the stale view
    with pytest.raises(DomainError):
        coordination.assign(db.session, commission, f.staff(), assigned_on=D("2025-09-30"), cal=CAL)


def test_pre_review_rules(ctx):
    """R-1.1, R-1.2, R-1.3: excluded or out-of-district projects are ineligible, with reasons."""
    special = f.pre_review(f.project(is_special_project=True))
    with pytest.raises(DomainError):
        intake.decide_pre_review(special, PreReviewOutcome.eligible)
    outside = f.pre_review(f.project(town=None))
    with pytest.raises(DomainError):
        intake.decide_pre_review(outside, PreReviewOutcome.eligible)
    with pytest.raises(DomainError):
        intake.decide_pre_review(special, PreReviewOutcome.ineligible, reason="特殊工程")
    intake.decide_pre_review(special, PreReviewOutcome.ineligible, reason="特殊工程",
                             other_channel="市住建局窗口")
    assert special.outcome == PreReviewOutcome.ineligible
    with pytest.raises(DomainError):
        intake.open_commission(db.session, special, scope=DelegationScope.full)


def test_intermediary_services_cannot_be_delegated(ctx):
    """R-1.4: intermediary services are refused, also from a full delegation's default."""
    normal = f.approval_item(name="建设工程规划许可证")
    service = f.approval_item(name="环境影响评价文件编制", is_intermediary=True)
    review = f.pre_review()
    intake.decide_pre_review(review, PreReviewOutcome.eligible)
    with pytest.raises(DomainError, match="环境影响评价文件编制"):
        intake.open_commission(db.session, review, scope=DelegationScope.partial,
                               items=[normal, service])
    commission = intake.open_commission(db.session, review, scope=DelegationScope.full)
    assert [i.approval_item.name for i in commission.items] == ["建设工程规划许可证"]


def test_one_open_commission_per_project(ctx):
    """R-4.4: a project has at most one open commission."""
    commission = _opened()
    again = f.pre_review(commission.project)
    intake.decide_pre_review(again, PreReviewOutcome.eligible)
    with pytest.raises(DomainError):
        intake.open_commission(db.session, again, scope=DelegationScope.full)


def test_a_pre_review_opens_one_commission_only(ctx):
    """R-4.4 (R-1.4): an enquiry that opened a commission cannot open another after that one
    closed; the project's next delegation starts with a new enquiry, which may."""
    finished = f.case(CommissionState.terminated)
    with pytest.raises(DomainError, match="new enquiry|重新登记咨询"):
        intake.check_open_commission(db.session, finished.pre_review)
    again = f.pre_review(finished.project, outcome=PreReviewOutcome.eligible)
    intake.check_open_commission(db.session, again)
