"""A small hand-checked district for the assessment tests (R-13.3).

Period: 2025-04-01 … 2025-06-30. Two departments with work (D1 住建, D2 自然资源), one
active department without work (D4), one inactive (D3); coordinators 张 (C1) and 李 (C2),
plus one who left before the period and one who joined after it. Every row has fixed
dates; each is commented with what it should count for. EXPECTED holds the hand-computed
figures.
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from app.choices import ContactMethod, EscalationTarget, Rating, StaffRole
from app.extensions import db
from app.models import (
    Commission,
    CommissionItem,
    CoordinatorAssignment,
    Escalation,
    ItemSupplement,
    Revisit,
)
from app.states import CommissionState, EscalationStatus, ItemState
from tests import factories as f

D = dt.date.fromisoformat
START, END = D("2025-04-01"), D("2025-06-30")
Dec = decimal.Decimal

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
    catalogue: dict


def _commission(coordinator, state, **dates) -> Commission:
    row = Commission(project=f.project(), state=state, coordinator=coordinator,
                     contact_method=ContactMethod.phone if dates.get("contacted_on") else None,
                     **dates)
    db.session.add(row)
    db.session.flush()
    return row


def _assign(commission, staff, since, until=None) -> None:
    db.session.add(CoordinatorAssignment(commission=commission, staff=staff, assigned_on=D(since),
                                         ended_on=D(until) if until else None))


def _item(commission, approval_item, state=ItemState.approved, **dates) -> CommissionItem:
    values = {k: D(v) if isinstance(v, str) else v for k, v in dates.items()}
    if state == ItemState.refused:
        values["refusal_reason"] = "不符合规划条件"
    row = CommissionItem(commission=commission, approval_item=approval_item, state=state,
                         **values)
    db.session.add(row)
    db.session.flush()
    return row


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
    """Create the district (flushed, not committed)."""
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
    a1 = f.approval_item(dept=d1, name="建设工程规划许可")
    a2 = f.approval_item(dept=d2, name="用地预审")
    a3 = f.approval_item(dept=d1, name="施工许可")
    a4 = f.approval_item(dept=d2, name="不动产登记")
    S = CommissionState

    # K1: 张 throughout.
    k1 = _commission(c1, S.in_progress, applied_on=D("2025-03-03"), assigned_on=D("2025-03-03"),
                     contact_due_on=D("2025-03-04"), contacted_on=D("2025-03-04"))
    _assign(k1, c1, "2025-03-03")
    # i1 D1/张: decided on its due day → on time.
    i1 = _item(k1, a1, submitted_on="2025-03-10", accepted_on="2025-03-11", due_on="2025-04-10",
               decided_on="2025-04-10")
    # i2 D1/张: marked overdue on the first day → overdue in the period, decided late.
    _item(k1, a3, submitted_on="2025-03-10", accepted_on="2025-03-11", due_on="2025-03-31",
          overdue_on="2025-04-01", decided_on="2025-04-20")
    # i3 D2/张: refused on time.
    _item(k1, a2, ItemState.refused, submitted_on="2025-04-01", accepted_on="2025-04-02",
          due_on="2025-05-10", decided_on="2025-05-06")
    _escalation(k1, c1, "2025-04-02", i1, resolved="2025-06-30")  # resolved on the last day
    _escalation(k1, c1, "2025-07-01")                              # raised after the period

    # K2: 张 until 05-15, then 李. Contact late (张), items split by date.
    k2 = _commission(c2, S.in_progress, applied_on=D("2025-04-01"), assigned_on=D("2025-04-01"),
                     contact_due_on=D("2025-04-02"), contacted_on=D("2025-04-03"),
                     contact_overdue_on=D("2025-04-03"))
    _assign(k2, c1, "2025-04-01", "2025-05-15")
    _assign(k2, c2, "2025-05-15")
    # i4 D1/李 (decided and marked under 李): late, overdue in the period.
    i4 = _item(k2, a3, submitted_on="2025-04-10", accepted_on="2025-04-11", due_on="2025-05-20",
               overdue_on="2025-05-21", decided_on="2025-05-25")
    # i5 D2/李: still running past its date at the end, never marked → overdue at the end.
    i5 = _item(k2, a2, ItemState.accepted, submitted_on="2025-04-10", accepted_on="2025-04-11",
               due_on="2025-06-20")
    # i6 D2: past its date but in 补正 at the end → not overdue.
    i6 = _item(k2, a4, ItemState.supplementing, submitted_on="2025-04-10",
               accepted_on="2025-04-11", due_on="2025-06-10")
    db.session.add(ItemSupplement(commission_item=i6, requested_on=D("2025-06-05")))
    # i11 D1/张: refused before acceptance (no deadline ran) → on time, a refusal.
    _item(k2, a1, ItemState.refused, submitted_on="2025-04-10", decided_on="2025-04-12")
    _escalation(k2, c1, "2025-05-01", i4, resolved="2025-06-10")  # resolved in the period
    _escalation(k2, c2, "2025-06-20", i5)                          # open: D2, 李

    # K3: 李, completed in the period.
    k3 = _commission(c2, S.completed, applied_on=D("2025-01-06"), assigned_on=D("2025-01-06"),
                     contact_due_on=D("2025-01-07"), contacted_on=D("2025-01-07"),
                     completed_on=D("2025-04-15"))
    _assign(k3, c2, "2025-01-06")
    _item(k3, a1, submitted_on="2025-02-01", accepted_on="2025-02-02", due_on="2025-03-20",
          decided_on="2025-03-18")                               # decided before: not counted
    _item(k3, a2, submitted_on="2025-02-01", accepted_on="2025-02-02", due_on="2025-04-05",
          decided_on="2025-04-03")                               # D2/李 on time
    _revisit(k3, "2025-04-25", Rating.satisfied)                 # 4: 李, D1, D2
    _revisit(k3, "2025-06-30", Rating.basically_satisfied)       # 3: 李, D1, D2 (last day)
    _revisit(k3, "2025-07-05", Rating.very_dissatisfied)         # after the period
    _escalation(k3, c2, "2025-03-01", resolved="2025-07-10")      # open at the end: 李 only

    # K4: 张, completed before the period; revisited in it.
    k4 = _commission(c1, S.completed, applied_on=D("2025-01-10"), assigned_on=D("2025-01-10"),
                     contact_due_on=D("2025-01-13"), contacted_on=D("2025-01-11"),
                     completed_on=D("2025-03-20"))
    _assign(k4, c1, "2025-01-10")
    _item(k4, a1, submitted_on="2025-01-15", accepted_on="2025-01-16", due_on="2025-03-05",
          decided_on="2025-03-01")
    _revisit(k4, "2025-04-10", Rating.very_dissatisfied)         # 1: 张, D1

    # K5: 李, assigned late in the period, contact marked overdue.
    k5 = _commission(c2, S.assigned, applied_on=D("2025-06-24"), assigned_on=D("2025-06-25"),
                     contact_due_on=D("2025-06-26"), contact_overdue_on=D("2025-06-27"))
    _assign(k5, c2, "2025-06-25")
    # K6: 张, contact due in the period, made after it, never marked → overdue at the end.
    k6 = _commission(c1, S.planning, applied_on=D("2025-06-26"), assigned_on=D("2025-06-26"),
                     contact_due_on=D("2025-06-27"), contacted_on=D("2025-07-02"))
    _assign(k6, c1, "2025-06-26")
    # K7: 李, terminated before the period: its open item is not overdue; its escalation is.
    k7 = _commission(c2, S.terminated, applied_on=D("2025-01-20"), assigned_on=D("2025-01-20"),
                     contact_due_on=D("2025-01-21"), contacted_on=D("2025-01-21"),
                     terminated_on=D("2025-03-31"))
    _assign(k7, c2, "2025-01-20")
    i10 = _item(k7, a2, ItemState.accepted, submitted_on="2025-02-01", accepted_on="2025-02-02",
                due_on="2025-03-15", overdue_on="2025-03-16")
    _escalation(k7, c2, "2025-03-10", i10)                         # open: D2, 李
    # K8: 李, contact on time in the period.
    k8 = _commission(c2, S.planning, applied_on=D("2025-06-02"), assigned_on=D("2025-06-02"),
                     contact_due_on=D("2025-06-03"), contacted_on=D("2025-06-03"))
    _assign(k8, c2, "2025-06-02")
    # K9: 张, no assignment history (older records): charged to its coordinator; on time.
    k9 = _commission(c1, S.planning, applied_on=D("2025-05-05"), assigned_on=D("2025-05-05"),
                     contact_due_on=D("2025-05-06"), contacted_on=D("2025-05-05"))
    db.session.flush()
    return District(
        subjects={"D1": d1, "D2": d2, "D4": d4, "C1": c1, "C2": c2},
        commissions={"K1": k1, "K2": k2, "K3": k3, "K4": k4, "K9": k9},
        catalogue={"a1": a1, "a2": a2, "i5": i5},
    )
