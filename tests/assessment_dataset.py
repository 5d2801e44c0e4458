"""A small hand-checked district for the assessment tests (R-13.3), built by the steps.

Period: 2025-04-01 … 2025-06-30. Two departments with work (D1 住建, D2 自然资源), one
active department without work (D4), one inactive (D3); coordinators 张 (C1) and 李 (C2),
plus one who left before the period and one who joined after it. Every commission and item
goes through the lifecycle's own steps (tests/factories.py) on fixed dates: the deadlines
are the steps' (an item's catalogue entry promises the working days that put its deadline
on the day commented), the assignments the assign and reassign steps', and the overdue marks
the deadline sweep's, run on the days named (not on every day). Each row is commented with
what it should count for; EXPECTED holds the hand-computed figures. ``build`` commits (the
sweep does).
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from app.choices import ContactMethod, EscalationTarget, Rating, StaffRole
from app.domain import coordination
from app.domain.sweep import sweep
from app.extensions import db
from app.models import ApprovalItem, CommissionItem, Department, Escalation, Revisit
from app.states import CommissionState, EscalationStatus, ItemState
from tests import factories as f

D = dt.date.fromisoformat
START, END = D("2025-04-01"), D("2025-06-30")
Dec = decimal.Decimal
S, I = CommissionState, ItemState

# subject → (handled, on-time rate, overdue, refusals, average rating, open escalations)
EXPECTED = {
    "D1": (2, Dec("50.00"), 2, 1, Dec("2.67"), 0),
    "D2": (3, Dec("100.00"), 1, 1, Dec("3.50"), 2),
    "D4": (0, None, 0, 0, None, 0),
    "C1": (4, Dec("66.67"), 3, 2, Dec("1.00"), 0),
    "C2": (4, Dec("66.67"), 3, 0, Dec("3.50"), 3),
}
# subject → (items decided, on time, contacts made, on time, items overdue, contacts overdue)
BREAKDOWN = {
    "D1": (4, 2, 0, 0, 2, 0),
    "D2": (2, 2, 0, 0, 1, 0),
    "C1": (4, 3, 2, 1, 1, 2),
    "C2": (2, 1, 1, 1, 2, 1),
}


@dataclass
class District:
    """The rows a test may want to touch again."""

    subjects: dict
    commissions: dict
    items: dict


def _entry(dept: Department, name: str, accepted: str | None = None,
           due: str | None = None) -> ApprovalItem:
    """A catalogue entry of ``dept`` whose deadline, accepted on ``accepted``, is ``due``."""
    if accepted is None:
        return f.approval_item(dept=dept, name=name)
    return f.due_item(D(accepted), D(due), dept=dept, name=name)


def _take(item: CommissionItem, state: ItemState = I.approved, *, due: str | None = None,
          **dates: str) -> CommissionItem:
    """``item`` taken to ``state`` by its steps on ``dates`` (accepted by the department
    only when ``accepted_on`` is among them); its deadline is then ``due`` when given."""
    f.advance_item(item, state, accept="accepted_on" in dates,
                   **{name: D(day) for name, day in dates.items()})
    assert due is None or item.due_on == D(due), (item, item.due_on)
    return item


def _sweep(day: str) -> None:
    """The deadline sweep's pass on ``day``: it marks what is overdue then."""
    sweep(db.session, today=D(day), cal=f.calendar())


def _revisit(commission, on, rating) -> None:
    db.session.add(Revisit(commission=commission, visited_on=D(on), method=ContactMethod.phone,
                           person_reached="陈经办", rating=rating))


def _escalation(commission, by, raised, item=None, resolved=None) -> None:
    db.session.add(Escalation(
        commission=commission, commission_item=item, raised_by=by,
        target=EscalationTarget.window, raised_on=D(raised), problem="部门未按时出具意见",
        status=EscalationStatus.resolved if resolved else EscalationStatus.open,
        resolution="已协调" if resolved else None, resolved_on=D(resolved) if resolved else None))


def build() -> District:
    """Create the district (committed)."""
    d1 = f.department("区住房和城乡建设局", sort_order=1)
    d2 = f.department("区自然资源局", sort_order=2)
    f.department("已撤销部门", active=False)  # inactive, no work: not listed
    d4 = f.department("区交通运输局", sort_order=4)  # active, no work: listed with zeros
    c1 = f.staff(StaffRole.coordinator, name="张协办")
    c2 = f.staff(StaffRole.coordinator, name="李协办")
    f.staff(StaffRole.coordinator, name="离任协办", admitted_on=D("2024-01-01"),
            exited_on=D("2025-03-01"))                      # left before: not listed
    f.staff(StaffRole.coordinator, name="新任协办", admitted_on=D("2025-07-01"))  # joined after
    f.staff(StaffRole.specialist, dept=d1, name="住建专办")  # specialists are not assessed

    # K7: 李, terminated before the period: its undecided item was withdrawn by the
    # termination, not overdue in the period; its escalation is open (D2, 李).
    k7 = f.case(S.in_progress, coordinator=c2, on=D("2025-01-20"), items=[
        _entry(d2, "用地预审（K7）", "2025-02-02", "2025-03-14")])
    i10 = _take(k7.items[0], I.accepted, submitted_on="2025-02-01", accepted_on="2025-02-02",
                due="2025-03-14")
    _sweep("2025-03-15")                                             # marked, before the period
    _escalation(k7, c2, "2025-03-10", i10)
    f.advance(k7, S.terminated, issued_on=D("2025-03-25"), terminated_on=D("2025-03-31"))

    # K1: 张 throughout; contacted on its due day.
    k1 = f.case(S.in_progress, coordinator=c1, on=D("2025-03-03"),
                contacted_on=D("2025-03-04"), items=[
                    _entry(d1, "建设工程规划许可（K1）", "2025-03-11", "2025-04-10"),
                    _entry(d1, "施工许可（K1）", "2025-03-11", "2025-03-31"),
                    _entry(d2, "用地预审（K1）", "2025-04-02", "2025-05-09")])
    i1, i2, i3 = k1.items
    for item in (i1, i2):
        _take(item, I.accepted, submitted_on="2025-03-10", accepted_on="2025-03-11")
    # i2 D1/张: marked overdue on the first day → overdue in the period, decided late.
    _sweep("2025-04-01")
    _take(i2, due="2025-03-31", decided_on="2025-04-20")
    # i1 D1/张: decided on its due day → on time.
    _take(i1, due="2025-04-10", decided_on="2025-04-10")
    # i3 D2/张: refused on time.
    _take(i3, I.refused, submitted_on="2025-04-01", accepted_on="2025-04-02", due="2025-05-09",
          decided_on="2025-05-06")
    _escalation(k1, c1, "2025-04-02", i1, resolved="2025-06-30")  # resolved on the last day
    _escalation(k1, c1, "2025-07-01")                              # raised after the period

    # K2: 张 until 05-15, then 李. Contact late (张), marked; items split by date.
    k2 = f.case(S.assigned, coordinator=c1, on=D("2025-04-01"), items=[
        _entry(d1, "施工许可（K2）", "2025-04-11", "2025-05-20"),
        _entry(d2, "用地预审（K2）", "2025-04-11", "2025-06-27"),
        _entry(d2, "不动产登记（K2）", "2025-04-11", "2025-06-10"),
        _entry(d1, "建设工程规划许可（K2）")])
    _sweep("2025-04-03")                                             # the contact, due 04-02
    f.advance(k2, S.in_progress, contacted_on=D("2025-04-03"))
    i4, i5, i6, i11 = k2.items
    for item in (i4, i5, i6):
        _take(item, I.accepted, submitted_on="2025-04-10", accepted_on="2025-04-11")
    # i11 D1/张: refused before acceptance (no deadline ran) → on time, a refusal.
    _take(i11, I.refused, submitted_on="2025-04-10", decided_on="2025-04-12")
    _escalation(k2, c1, "2025-05-01", i4, resolved="2025-06-10")   # resolved in the period
    coordination.reassign(db.session, k2, c2, on=D("2025-05-15"), reason="工作调整")
    # i4 D1/李 (decided and marked under 李): late, overdue in the period.
    _sweep("2025-05-21")
    _take(i4, due="2025-05-20", decided_on="2025-05-25")
    # i6 D2: past its date but in 补正 at the end → not overdue.
    _take(i6, I.supplementing, due="2025-06-10", requested_on="2025-06-05")
    # i5 D2/李: still running past its date at the end, never marked → overdue at the end.
    _escalation(k2, c2, "2025-06-20", i5)                          # open: D2, 李

    # K3: 李, completed in the period.
    k3 = f.case(S.in_progress, coordinator=c2, on=D("2025-01-06"), contacted_on=D("2025-01-07"),
                items=[_entry(d1, "建设工程规划许可（K3）", "2025-02-02", "2025-03-20"),
                       _entry(d2, "用地预审（K3）", "2025-02-02", "2025-04-07")])
    _take(k3.items[0], submitted_on="2025-02-01", accepted_on="2025-02-02", due="2025-03-20",
          decided_on="2025-03-18")                                 # decided before: not counted
    _take(k3.items[1], submitted_on="2025-02-01", accepted_on="2025-02-02", due="2025-04-07",
          decided_on="2025-04-03")                                 # D2/李 on time
    f.advance(k3, S.completed, completed_on=D("2025-04-15"))
    _revisit(k3, "2025-04-25", Rating.satisfied)                 # 4: 李, D1, D2
    _revisit(k3, "2025-06-30", Rating.basically_satisfied)       # 3: 李, D1, D2 (last day)
    _revisit(k3, "2025-07-05", Rating.very_dissatisfied)         # after the period
    _escalation(k3, c2, "2025-03-01", resolved="2025-07-10")      # open at the end: 李 only

    # K4: 张, completed before the period; revisited in it.
    k4 = f.case(S.in_progress, coordinator=c1, on=D("2025-01-10"), contacted_on=D("2025-01-11"),
                items=[_entry(d1, "建设工程规划许可（K4）", "2025-01-16", "2025-03-05")])
    _take(k4.items[0], submitted_on="2025-01-15", accepted_on="2025-01-16", due="2025-03-05",
          decided_on="2025-03-01")
    f.advance(k4, S.completed, completed_on=D("2025-03-20"))
    _revisit(k4, "2025-04-10", Rating.very_dissatisfied)         # 1: 张, D1

    # K9: 张, contact on time (the day it was accepted).
    k9 = f.case(S.planning, coordinator=c1, on=D("2025-05-05"),
                items=[_entry(d1, "施工许可（K9）")])
    # K8: 李, contact on time in the period.
    f.case(S.planning, coordinator=c2, on=D("2025-06-02"), contacted_on=D("2025-06-03"),
           items=[_entry(d1, "施工许可（K8）")])
    # K5: 李, assigned late in the period, contact (due 06-26) marked overdue.
    f.case(S.assigned, coordinator=c2, on=D("2025-06-25"), items=[_entry(d1, "施工许可（K5）")])
    _sweep("2025-06-27")
    # K6: 张, contact due 06-27 in the period, made after it, never marked → overdue at the end.
    f.case(S.planning, coordinator=c1, on=D("2025-06-26"), contacted_on=D("2025-07-02"),
           items=[_entry(d1, "施工许可（K6）")])
    db.session.commit()
    return District(
        subjects={"D1": d1, "D2": d2, "D4": d4, "C1": c1, "C2": c2},
        commissions={"K1": k1, "K2": k2, "K3": k3, "K4": k4, "K9": k9},
        items={"i3": i3, "i5": i5},
    )
