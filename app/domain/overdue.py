"""What is late or nearly late, for the supervision screen (督办, R-13.1).

"Overdue" and "late contact" are those of app/domain/definitions.py (R-13.7), the ones the
dashboard, the sweep and the assessment count.

Each query takes an optional row scope (R-14.2): ``items`` a clause over CommissionItem,
``commissions`` a clause over Commission (app.access.item_scope / commission_scope);
None shows everything.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, lazyload, selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.domain import definitions as defs
from app.domain.workdays import WorkCalendar
from app.models.client import Project
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.organisation import Department, StaffMember
from app.models.reference import ApprovalItem
from app.models.termination import Termination
from app.states import CommissionState

SORTS = ("days", "department")


@dataclass(frozen=True)
class LateItem:
    """An item past (or near) its promised date."""

    item: CommissionItem
    working_days_late: int


def listed_commission() -> tuple:
    """Loader options (under Commission) for a row of 督办: it shows the commission by its
    number and its coordinator by name. What the models load with them by default -- the
    coordinator's department and account, the project's unit and town, the termination --
    is left unloaded (nine statements of a page, and their rows)."""
    return (selectinload(Commission.coordinator).options(lazyload(StaffMember.department),
                                                         lazyload(StaffMember.user)),
            selectinload(Commission.project).options(lazyload(Project.town),
                                                     lazyload(Project.unit)),
            lazyload(Commission.termination))


def listed_item() -> tuple:
    """Loader options (under CommissionItem) for an item row of 督办: its approval item and
    department, its commission as :func:`listed_commission`; not its specialist."""
    return (selectinload(CommissionItem.commission).options(*listed_commission()),
            lazyload(CommissionItem.specialist))


def late_items(session: Session, *, today: dt.date, cal: WorkCalendar, until: dt.date | None = None,
               department_id: int | None = None, sort: str = "days", page: int = 1,
               per_page: int = 50,
               items: ColumnElement | None = None) -> tuple[list[LateItem], int]:
    """Overdue items (default), or with ``until`` those overdue by the day after it (due
    soon), one page; only those matching ``items`` when given."""
    overdue_on = today if until is None else until + dt.timedelta(days=1)
    query = (
        sa.select(CommissionItem.id, CommissionItem.due_on, Department.name)
        .join(ApprovalItem, CommissionItem.approval_item_id == ApprovalItem.id)
        .join(Department, ApprovalItem.department_id == Department.id)
        .join(Commission, CommissionItem.commission_id == Commission.id)
        .where(defs.overdue_item(overdue_on))
    )
    if department_id:
        query = query.where(Department.id == department_id)
    if items is not None:
        query = query.where(items)
    # The late items first, on the (state, due_on) index (each joined to its commission by
    # primary key, to leave out closed ones), then sorted and paged, then the
    # page's rows loaded by id. Asked in one query, the planners walk every past item in
    # due_on order instead (0.1 s at 400,000 items), misjudging how few of them still run.
    # The page's ids carry the count of all late items (a window over the whole set, taken
    # before the page is cut): the late items are gathered once, not once more to count.
    late = query.cte("late").prefix_with("MATERIALIZED")
    order = ((late.c.name, late.c.due_on) if sort == "department"
             else (late.c.due_on, late.c.name))
    page_rows = session.execute(
        sa.select(late.c.id, sa.func.count().over().label("total"))
        .order_by(*order, late.c.id).offset((page - 1) * per_page).limit(per_page)).all()
    ids = [row.id for row in page_rows]
    total = page_rows[0].total if page_rows else (
        session.scalar(sa.select(sa.func.count()).select_from(late)) if page > 1 else 0)
    loaded = {item.id: item for item in session.scalars(
        sa.select(CommissionItem).where(CommissionItem.id.in_(ids)).options(*listed_item()))}
    rows = [loaded[pk] for pk in ids]
    return [LateItem(item, defs.working_days_late(item.due_on, today, cal))
            for item in rows], total


def _within(clause: ColumnElement | None) -> tuple[ColumnElement, ...]:
    return () if clause is None else (clause,)


def late_contacts(session: Session, *, today: dt.date,
                  commissions: ColumnElement | None = None) -> list[Commission]:
    """Commissions whose 1-working-day contact deadline has passed uncontacted (R-5.2)."""
    return list(session.scalars(
        sa.select(Commission)
        .where(defs.late_contact(today), *_within(commissions))
        .order_by(Commission.contact_due_on).limit(200).options(*listed_commission())
    ))


def awaiting_announcement(session: Session, *, today: dt.date,
                          commissions: ColumnElement | None = None) -> list[Termination]:
    """Terminations the unit has not confirmed in time: an announcement is due (R-10.4)."""
    return list(session.scalars(
        sa.select(Termination).join(Commission, Termination.commission_id == Commission.id)
        .where(Commission.state == CommissionState.terminating,
               Termination.confirm_due_on < today, *_within(commissions))
        .order_by(Termination.confirm_due_on).limit(200)
    ))


def late_handovers(session: Session, *, today: dt.date,
                   commissions: ColumnElement | None = None) -> list[Termination]:
    """Materials not handed back within 1 working day of the termination (R-10.3)."""
    scoped = () if commissions is None else (Termination.commission.has(commissions),)
    return list(session.scalars(
        sa.select(Termination)
        .where(Termination.handed_over_on.is_(None), Termination.handover_due_on < today,
               *scoped)
        .order_by(Termination.handover_due_on).limit(200)
    ))
