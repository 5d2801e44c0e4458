"""回访 and 整改 (Art.10 项目回访制, R-13.2): what is due, and what a bad rating opens.

- A completed commission is due for a revisit a number of working days after its
  completion (config ``REVISIT_DUE_WORKING_DAYS``, default 5); until one is recorded it
  stays on the to-do list (待回访).
- A 不满意 or 非常不满意 rating opens a rectification (整改) in the same transaction as
  the revisit; it stays open until closed with the measures taken, who verified them and
  the date of the feedback to the unit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.choices import ContactMethod
from app.domain.workdays import WorkCalendar
from app.models.client import Project
from app.models.commission import Commission
from app.models.revisits import Rectification, Revisit
from app.states import CommissionState

#: the ways a revisit is made (电话 / 上门 / 微信 / 短信)
REVISIT_METHODS = (ContactMethod.phone, ContactMethod.visit, ContactMethod.wechat,
                   ContactMethod.sms)
#: working days after completion a revisit is due, unless configured otherwise
DEFAULT_DUE_WORKING_DAYS = 5
#: open rectifications listed at most (oldest first)
OPEN_LIMIT = 200


@dataclass(frozen=True)
class DueRevisit:
    """A completed commission waiting for its revisit."""

    commission: Commission
    due_on: dt.date


def due_on(completed_on: dt.date, cal: WorkCalendar,
           working_days: int = DEFAULT_DUE_WORKING_DAYS) -> dt.date:
    """The day a revisit of a commission completed on ``completed_on`` is due."""
    return cal.add(completed_on, working_days)


def _without_revisit() -> ColumnElement:
    return ~sa.exists().where(Revisit.commission_id == Commission.id)


def due_revisits(session: Session, *, cal: WorkCalendar,
                 working_days: int = DEFAULT_DUE_WORKING_DAYS,
                 scope: ColumnElement | None = None, page: int = 1,
                 per_page: int = 50) -> tuple[list[DueRevisit], int]:
    """Completed commissions without a revisit, the earliest due first, one page.

    ``scope`` is a clause over Commission limiting what the caller may see (None: all).
    The due date grows with the completion date, so ordering by completion is ordering
    by due date, on an indexed column.
    """
    query = sa.select(Commission).where(
        Commission.state == CommissionState.completed, Commission.completed_on.is_not(None),
        _without_revisit())
    if scope is not None:
        query = query.where(scope)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Commission.completed_on, Commission.id)
        .options(selectinload(Commission.project).selectinload(Project.unit))
        .offset((max(page, 1) - 1) * per_page).limit(per_page)
    ).all()
    return [DueRevisit(c, due_on(c.completed_on, cal, working_days)) for c in rows], total


def needs_rectification(revisit: Revisit) -> bool:
    """A 不满意 / 非常不满意 rating without a rectification yet."""
    return revisit.rating is not None and revisit.rating.is_bad and revisit.rectification is None


def open_rectification(session: Session, revisit: Revisit) -> Rectification | None:
    """Open the rectification a bad rating calls for; None when none is needed.

    Called before the revisit is saved, so both are written in one transaction. A rating
    later corrected to a good one leaves an opened rectification as it is: it is closed
    (with who verified it) like any other, so the record of the complaint is kept.
    """
    if not needs_rectification(revisit):
        return None
    rectification = Rectification(revisit=revisit, closed=False)
    session.add(rectification)
    return rectification


def open_rectifications(session: Session, *, scope: ColumnElement | None = None,
                        limit: int = OPEN_LIMIT) -> list[Rectification]:
    """Rectifications not closed yet, the oldest first (revisit and commission loaded).

    ``scope`` is a clause over Rectification limiting what the caller may see.
    """
    query = sa.select(Rectification).where(Rectification.closed.is_(False))
    if scope is not None:
        query = query.where(scope)
    return list(session.scalars(
        query.order_by(Rectification.id)
        .options(selectinload(Rectification.revisit).selectinload(Revisit.commission))
        .limit(limit)
    ))
