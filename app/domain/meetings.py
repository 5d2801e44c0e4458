"""Meeting action items (督办事项, R-7.1): working-day due dates, done dates, the open list.

A decision of a 协调会议 / 联席会议 becomes an action item with an owner and a due date,
given as a date or as "N working days after the meeting" (counted on the office calendar).
Open items show on the supervision screen with the same lights as every other deadline.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.domain.transitions import require
from app.domain.workdays import WorkCalendar
from app.models.meetings import MeetingActionItem

#: the open action items the supervision screen shows at most (oldest due first)
OPEN_LIMIT = 200
#: the most working days a due date may lie after the meeting (a year of work)
MAX_DUE_WORKING_DAYS = 250


def due_after_meeting(held_on: dt.date, working_days: int, cal: WorkCalendar) -> dt.date:
    """The date ``working_days`` working days after the meeting day."""
    require(1 <= working_days <= MAX_DUE_WORKING_DAYS,
            _("The number of working days must be between 1 and %(most)s.",
              most=MAX_DUE_WORKING_DAYS))
    return cal.add(held_on, working_days)


def mark_done(item: MeetingActionItem, *, on: dt.date) -> None:
    """Record that ``item`` was done on ``on`` (the done date is kept with the flag)."""
    require(not item.done, _("This action item is already done."))
    require(item.meeting is None or on >= item.meeting.held_on,
            _("An action item cannot be done before its meeting."))
    item.done = True
    item.done_on = on


def open_action_items(session: Session, *, limit: int = OPEN_LIMIT,
                      scope: Any = None) -> list[MeetingActionItem]:
    """Action items not done yet, the earliest due first; ``scope``: a clause limiting rows."""
    query = sa.select(MeetingActionItem).where(MeetingActionItem.done.is_(False))
    if scope is not None:
        query = query.where(scope)
    return list(session.scalars(
        query
        .order_by(MeetingActionItem.due_on, MeetingActionItem.id)
        .limit(limit)
    ))
