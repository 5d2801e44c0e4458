"""人员报备 carried out (R-2.2, R-2.3): approval before effect, effect on the effective date,
no leaving while holding open commissions, the hand-over of a leaver's cases."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.choices import RosterChangeKind, StaffRole, StaffStatus
from app.domain import roster
from app.domain.errors import DomainError
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import Commission, CoordinatorAssignment, RosterChange, StaffMember
from app.roster_cli import apply_roster_command
from app.states import CommissionState
from tests import factories as f

D = dt.date.fromisoformat
CAL = WorkCalendar()


def assigned_commission(coordinator: StaffMember, on: dt.date = D("2026-03-02")) -> Commission:
    """An accepted commission assigned to ``coordinator`` (open)."""
    return f.case(CommissionState.assigned, coordinator=coordinator, on=on)


def filing(staff: StaffMember, kind: RosterChangeKind, *, effective: str = "2026-03-16",
           filed: str = "2026-03-02", **kw) -> RosterChange:
    change = RosterChange(staff=staff, kind=kind, filed_on=D(filed), effective_on=D(effective),
                          reason="工作调整", **kw)
    db.session.add(change)
    db.session.flush()
    return change


def test_leave_refused_while_coordinating_open_commissions(ctx):
    """R-2.3: a coordinator with open commissions cannot leave: the approval is refused
    with the commissions named, and nothing changes."""
    leaver = f.staff(name="周协办")
    commissions = [assigned_commission(leaver) for _ in range(2)]
    change = filing(leaver, RosterChangeKind.leave)
    db.session.commit()
    with pytest.raises(roster.LeaveBlocked) as refused:
        roster.approve(db.session, change, approved_by="窗口负责人", approved_on=D("2026-03-03"),
                       today=D("2026-03-03"))
    db.session.rollback()
    message = str(refused.value)
    assert "周协办" in message and "2" in message
    assert all(c.application_no in message for c in commissions)
    assert refused.value.commissions == commissions
    db.session.expire_all()
    assert db.session.get(RosterChange, change.id).approved_on is None
    assert db.session.get(StaffMember, leaver.id).status == StaffStatus.active


def test_leave_allowed_after_reassignment(ctx):
    """R-2.3: once every open commission is handed over, the leave is approved and takes
    effect on its date: status 调离, exit date set; the cases' history shows the hand-over."""
    leaver, successor = f.staff(name="周协办"), f.staff(name="吴协办")
    commissions = [assigned_commission(leaver) for _ in range(2)]
    change = filing(leaver, RosterChangeKind.leave, effective="2026-03-16")
    db.session.commit()

    moved = roster.hand_over(db.session, leaver, successor, on=D("2026-03-10"),
                             reason="离岗交接")
    assert moved == commissions
    waiting = roster.approve(db.session, change, approved_by="窗口负责人",
                             approved_on=D("2026-03-10"), today=D("2026-03-10"))
    db.session.commit()
    assert waiting is None and change.applied_on is None  # approved, not yet in effect
    assert all(c.coordinator_id == successor.id for c in commissions)
    ended = db.session.scalars(sa.select(CoordinatorAssignment).where(
        CoordinatorAssignment.staff_id == leaver.id)).all()
    assert [a.ended_on for a in ended] == [D("2026-03-10")] * 2

    result = roster.apply_due(db.session, today=D("2026-03-16"))
    assert result.applied == [change] and result.blocked == []
    db.session.expire_all()
    person = db.session.get(StaffMember, leaver.id)
    assert (person.status, person.exited_on) == (StaffStatus.transferred, D("2026-03-16"))
    assert db.session.get(RosterChange, change.id).applied_on == D("2026-03-16")


def test_approval_comes_before_the_effect(ctx):
    """R-2.3: a filing nobody approved never takes effect, however late it is."""
    person = f.staff(status=StaffStatus.disabled)
    change = filing(person, RosterChangeKind.join, effective="2026-03-09")
    db.session.commit()
    result = roster.apply_due(db.session, today=D("2026-12-31"))
    assert result.applied == [] and result.blocked == []
    with pytest.raises(DomainError, match="尚未批准"):
        roster.apply_change(db.session, change, today=D("2026-12-31"))
    db.session.rollback()
    assert db.session.get(StaffMember, person.id).status == StaffStatus.disabled


def test_approval_rules(ctx):
    """R-2.3: approval is dated on or after the filing, not in the future, and only once."""
    change = filing(f.staff(), RosterChangeKind.join, filed="2026-03-02")
    db.session.commit()
    for approved_on, today, text in ((D("2026-03-01"), D("2026-03-05"), "报备之日或之后"),
                                     (D("2026-03-06"), D("2026-03-05"), "不能晚于今天")):
        with pytest.raises(DomainError, match=text):
            roster.approve(db.session, change, approved_by="窗口负责人", approved_on=approved_on,
                           today=today)
        db.session.rollback()
    with pytest.raises(DomainError, match="批准人"):
        roster.approve(db.session, change, approved_by="  ", approved_on=D("2026-03-03"),
                       today=D("2026-03-05"))
    db.session.rollback()
    roster.approve(db.session, change, approved_by="窗口负责人", approved_on=D("2026-03-03"),
                   today=D("2026-03-05"))
    with pytest.raises(DomainError, match="已批准"):
        roster.approve(db.session, change, approved_by="窗口负责人",
                       approved_on=D("2026-03-03"), today=D("2026-03-05"))


def test_changes_apply_on_the_effective_date(ctx):
    """R-2.3: approved changes take effect on (not before) their effective date: a join puts
    the person on duty from that day, a transfer moves them, a replacement hands the open
    commissions to the successor and the person leaves."""
    old_dept, new_dept = f.department("区自然资源局"), f.department("区住房和城乡建设局")
    newcomer = f.staff(status=StaffStatus.disabled, admitted_on=D("2025-01-01"))
    specialist = f.staff(StaffRole.specialist, dept=old_dept)
    leaver, successor = f.staff(name="周协办"), f.staff(name="吴协办")
    case = assigned_commission(leaver)
    changes = [
        filing(newcomer, RosterChangeKind.join, effective="2026-03-16"),
        filing(specialist, RosterChangeKind.transfer, effective="2026-03-16",
               to_department=new_dept),
        filing(leaver, RosterChangeKind.replace, effective="2026-03-17", replacement=successor),
    ]
    for change in changes:
        roster.approve(db.session, change, approved_by="窗口负责人", approved_on=D("2026-03-03"),
                       today=D("2026-03-03"))
    db.session.commit()

    assert roster.apply_due(db.session, today=D("2026-03-13")).applied == []
    assert newcomer.status == StaffStatus.disabled

    result = roster.apply_due(db.session, today=D("2026-03-16"))
    assert result.applied == changes[:2]
    db.session.expire_all()
    assert (newcomer.status, newcomer.admitted_on, newcomer.exited_on) == (
        StaffStatus.active, D("2026-03-16"), None)
    assert specialist.department_id == new_dept.id
    assert changes[1].from_department_id == old_dept.id  # recorded for the history
    assert case.coordinator_id == leaver.id

    result = roster.apply_due(db.session, today=D("2026-03-18"))  # one day late: still done
    assert result.applied == changes[2:]
    db.session.expire_all()
    assert case.coordinator_id == successor.id
    assert (leaver.status, leaver.exited_on) == (StaffStatus.transferred, D("2026-03-17"))
    assert changes[2].applied_on == D("2026-03-18")
    assert roster.apply_due(db.session, today=D("2026-03-19")).applied == []  # once only


def test_blocked_change_is_reported_and_retried(ctx):
    """R-2.3: a due leave whose coordinator received a new case after approval waits, is
    reported, and takes effect on the next run after the reassignment."""
    leaver, successor = f.staff(), f.staff()
    change = filing(leaver, RosterChangeKind.leave, effective="2026-03-16")
    roster.approve(db.session, change, approved_by="窗口负责人", approved_on=D("2026-03-03"),
                   today=D("2026-03-03"))
    case = assigned_commission(leaver, on=D("2026-03-05"))
    db.session.commit()
    result = roster.apply_due(db.session, today=D("2026-03-16"))
    assert result.applied == [] and len(result.blocked) == 1
    assert case.application_no in result.blocked[0][1]
    roster.hand_over(db.session, leaver, successor, on=D("2026-03-16"), reason="交接")
    db.session.commit()
    assert roster.apply_due(db.session, today=D("2026-03-16")).applied == [change]


def test_replacement_must_be_a_coordinator_on_duty(ctx):
    """R-2.3: the open commissions go only to a coordinator on duty; otherwise the change waits."""
    leaver = f.staff()
    absent = f.staff(status=StaffStatus.disabled, name="未到岗")
    assigned_commission(leaver)
    change = filing(leaver, RosterChangeKind.replace, effective="2026-03-03", replacement=absent)
    db.session.commit()
    waiting = roster.approve(db.session, change, approved_by="窗口负责人",
                             approved_on=D("2026-03-03"), today=D("2026-03-03"))
    db.session.commit()
    assert "未到岗" in str(waiting) and change.applied_on is None
    assert change.approved_on == D("2026-03-03")  # the approval stands


def test_hand_over_refusals(ctx):
    """R-2.3: the hand-over needs another coordinator on duty and something to hand over."""
    leaver, other = f.staff(), f.staff(StaffRole.specialist)
    with pytest.raises(DomainError, match="没有未办结"):
        roster.hand_over(db.session, leaver, f.staff(), on=D("2026-03-10"), reason="交接")
    assigned_commission(leaver)
    with pytest.raises(DomainError, match="其他协办员"):
        roster.hand_over(db.session, leaver, leaver, on=D("2026-03-10"), reason="交接")
    with pytest.raises(DomainError, match="协办员"):
        roster.hand_over(db.session, leaver, other, on=D("2026-03-10"), reason="交接")


def test_editing_what_a_change_does_voids_its_approval(ctx):
    """R-2.3: moving the effective date of an approved filing needs approval again."""
    change = filing(f.staff(), RosterChangeKind.join)
    roster.approve(db.session, change, approved_by="窗口负责人", approved_on=D("2026-03-03"),
                   today=D("2026-03-03"))
    db.session.commit()
    change.reason = "改一下原因"
    assert roster.void_approval_if_changed(change) is False
    change.effective_on = D("2026-03-20")
    assert roster.void_approval_if_changed(change) is True
    assert change.approved_on is None and change.approved_by is None


def test_apply_roster_command(app, ctx):
    """R-2.3: `flask apply-roster --today` carries out the due changes and names the waiting."""
    person = f.staff(status=StaffStatus.disabled)
    leaver = f.staff(name="周协办")
    join = filing(person, RosterChangeKind.join, effective="2026-03-16")
    leave = filing(leaver, RosterChangeKind.leave, effective="2026-03-16")
    for change in (join, leave):
        roster.approve(db.session, change, approved_by="窗口负责人", approved_on=D("2026-03-03"),
                       today=D("2026-03-03"))
    assigned_commission(leaver, on=D("2026-03-05"))
    db.session.commit()
    result = app.test_cli_runner().invoke(apply_roster_command, ["--today", "2026-03-16"])
    assert result.exit_code == 0, result.output
    assert "applied 1" in result.output and "waiting 1" in result.output
    assert "周协办" in result.output
    db.session.expire_all()
    assert db.session.get(StaffMember, person.id).status == StaffStatus.active
