"""Plan against actual (R-5.6): each delegated item's real dates beside the confirmed plan.

The slip of an item is counted in working days against the newest plan version the unit
confirmed, once, here: the case page (its Gantt chart and table), 督办 and the 审批进度计划表
import it.

- decided: its decision day against its planned completion (negative: ahead of plan);
- undecided, past its planned completion: the working days since (and still growing);
- submitted, not yet due by the plan: its submission day against its planned submission;
- not submitted, past its planned submission: the working days since; else on plan (0).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.domain import definitions as defs
from app.domain.overdue import listed_item
from app.domain.planning import confirmed_plan, current_items
from app.domain.workdays import WorkCalendar
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.plan import PlanStep, PlanVersion
from app.models.reference import ApprovalItem


@dataclass(frozen=True)
class Slip:
    """One line of plan against actual."""

    approval_item: ApprovalItem
    item: CommissionItem | None
    planned_submit_on: dt.date | None
    planned_done_on: dt.date | None
    critical: bool
    days: int | None        # working days behind (+) or ahead (−) of plan; None: not planned

    @property
    def submitted_on(self) -> dt.date | None:
        return self.item.submitted_on if self.item is not None else None

    @property
    def decided_on(self) -> dt.date | None:
        return self.item.decided_on if self.item is not None else None

    @property
    def late(self) -> bool:
        """Behind the confirmed plan."""
        return bool(self.days and self.days > 0)


def slip_days(planned_submit_on: dt.date, planned_done_on: dt.date,
              submitted_on: dt.date | None, decided_on: dt.date | None, *, today: dt.date,
              cal: WorkCalendar) -> int:
    """An item's slip in working days against its planned dates (rule in the module docstring)."""
    if decided_on is not None:
        return cal.between(planned_done_on, decided_on)
    if today > planned_done_on:
        return cal.between(planned_done_on, today)
    if submitted_on is not None:
        return cal.between(planned_submit_on, submitted_on)
    return max(cal.between(planned_submit_on, today), 0)


def step_slip(step: PlanStep, item: CommissionItem | None, *, today: dt.date,
              cal: WorkCalendar) -> Slip:
    """The slip of one plan line, given the current attempt of its item (if any)."""
    days = slip_days(step.planned_submit_on, step.planned_done_on,
                     item.submitted_on if item else None, item.decided_on if item else None,
                     today=today, cal=cal)
    return Slip(step.approval_item, item, step.planned_submit_on, step.planned_done_on,
                step.critical, days)


def item_slip(item: CommissionItem, *, today: dt.date, cal: WorkCalendar) -> Slip:
    """The slip of an item against the plan dates confirm_plan wrote onto it."""
    if item.planned_done_on is None:
        return Slip(item.approval_item, item, None, None, False, None)
    days = slip_days(item.planned_submit_on, item.planned_done_on, item.submitted_on,
                     item.decided_on, today=today, cal=cal)
    return Slip(item.approval_item, item, item.planned_submit_on, item.planned_done_on,
                False, days)


def plan_slips(session: Session, commission: Commission, *, today: dt.date,
               cal: WorkCalendar, plan: PlanVersion | None = None) -> list[Slip]:
    """Every item of the confirmed plan (or ``plan``) with its actual dates and slip, in plan
    order, then the delegated items the plan does not hold (no slip). [] without a plan."""
    plan = plan or confirmed_plan(commission)
    if plan is None:
        return []
    items = {item.approval_item_id: item for item in current_items(commission)}
    slips = [step_slip(step, items.pop(step.approval_item_id, None), today=today, cal=cal)
             for step in plan.steps]
    return slips + [Slip(item.approval_item, item, None, None, False, None)
                    for item in items.values()]


@dataclass(frozen=True)
class SlippingItem:
    """A delegated item of an open commission behind its confirmed plan, for 督办."""

    item: CommissionItem
    slip: Slip


def slipping_items(session: Session, *, today: dt.date, cal: WorkCalendar, limit: int = 50,
                   commissions: sa.ColumnElement | None = None) -> tuple[list[SlippingItem], int]:
    """Undecided items of open commissions behind their confirmed plan (at most ``limit``:
    the oldest planned completions, furthest behind first), and how many there are; only
    commissions matching ``commissions`` (a row scope over Commission) when given. Items
    decided late are history: the case page and the plan's paper show them. The planned
    dates are those confirm_plan wrote onto the items (app/domain/planning.hold_plan)."""
    query = (
        sa.select(CommissionItem.id, CommissionItem.planned_done_on)
        .join(Commission, Commission.id == CommissionItem.commission_id)
        .where(defs.open_item(), defs.open_commission(),
               # an item withdrawn by the termination is no longer followed up
               CommissionItem.withdrawn_on.is_(None),
               CommissionItem.planned_submit_on < today,
               sa.or_(CommissionItem.planned_done_on < today,
                      CommissionItem.submitted_on.is_(None),
                      CommissionItem.submitted_on > CommissionItem.planned_submit_on))
    )
    if commissions is not None:
        query = query.where(commissions)
    found = query.cte("slipping")
    total = session.scalar(sa.select(sa.func.count()).select_from(found)) or 0
    ids = list(session.scalars(sa.select(found.c.id)
                               .order_by(found.c.planned_done_on, found.c.id).limit(limit)))
    items = session.scalars(
        sa.select(CommissionItem).where(CommissionItem.id.in_(ids)).options(*listed_item()))
    rows = [SlippingItem(item, item_slip(item, today=today, cal=cal)) for item in items]
    rows = [row for row in rows if row.slip.late]
    rows.sort(key=lambda row: (-row.slip.days, row.item.id))
    return rows, total
