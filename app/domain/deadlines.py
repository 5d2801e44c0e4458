"""Deadline lights (R-13.1) and due-date arithmetic shared by the lifecycle, the sweep and the
demo seed: each deadline of the policy is computed here, once."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from app.domain.policy import (
    ANNOUNCEMENT_WORKING_DAYS,
    CONTACT_WORKING_DAYS,
    HANDOVER_WORKING_DAYS,
)
from app.domain.workdays import WorkCalendar
from app.states import DeadlineLight


def light(due_on: dt.date | None, today: dt.date, cal: WorkCalendar,
          warning_days: int) -> DeadlineLight | None:
    """Green, yellow (due within ``warning_days`` working days) or red (past due)."""
    if due_on is None:
        return None
    if due_on < today:
        return DeadlineLight.red
    if cal.between(today, due_on) <= warning_days:
        return DeadlineLight.yellow
    return DeadlineLight.green


def suspended_working_days(periods: Iterable[tuple[dt.date, dt.date | None]],
                           today: dt.date, cal: WorkCalendar) -> int:
    """Working days an item's clock stood still (补正): each (requested, received) period.

    An open period counts up to ``today``. The request day itself still counts as used
    time; the clock restarts the day after the supplement arrives.
    """
    total = 0
    for requested_on, received_on in periods:
        end = received_on or today
        total += max(cal.between(requested_on, end), 0)
    return total


def item_due_on(accepted_on: dt.date | None, promised_days: int,
                periods: Iterable[tuple[dt.date, dt.date | None]],
                today: dt.date, cal: WorkCalendar) -> dt.date | None:
    """The promised completion date of an item: acceptance + limit + suspended days."""
    if accepted_on is None:
        return None
    extra = suspended_working_days(periods, today, cal)
    return cal.add(accepted_on, promised_days + extra)


def contact_due_on(applied_on: dt.date, cal: WorkCalendar) -> dt.date:
    """Art.7: the first contact with the unit, within 1 working day of the confirmed form."""
    return cal.add(applied_on, CONTACT_WORKING_DAYS)


def confirmation_due_on(issued_on: dt.date, confirm_days: int, cal: WorkCalendar) -> dt.date:
    """Art.9: the unit confirms a termination within ``confirm_days`` working days."""
    return cal.add(issued_on, confirm_days)


def announcement_effective_on(published_on: dt.date, cal: WorkCalendar) -> dt.date:
    """Art.9: 10 working days after the announcement the termination counts as confirmed."""
    return cal.add(published_on, ANNOUNCEMENT_WORKING_DAYS)


def handover_due_on(effective_on: dt.date, cal: WorkCalendar) -> dt.date:
    """Art.9: materials go back to the unit within 1 working day of the termination."""
    return cal.add(effective_on, HANDOVER_WORKING_DAYS)
