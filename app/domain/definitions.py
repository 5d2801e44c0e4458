"""What "open", "overdue", "late contact" and "on time" mean, for every reader (R-13.7).

The 督办 screen (app/domain/overdue.py), the dashboard (dashboard.py), the deadline sweep
(sweep.py), the assessment (assessment.py), the ledgers (app/ledgers/), the API (through
the sweep's stamps ``overdue_on`` / ``contact_overdue_on``), the demo seed and the benchmark
data set all take these definitions from here, as SQL clauses and as Python predicates that
say the same thing.

The reading of the measures (Art.7, Art.9, Art.11 of the 实施办法):

* **open commission**: a commission in an open lifecycle state (``COMMISSION_OPEN``:
  pre-review to delivering, and the termination procedure until it takes effect). A
  completed, terminated or ineligible commission is closed: nothing of it runs any more.
* **open item**: an item not yet decided (neither 准予 nor 不予许可) nor withdrawn
  (``ITEM_OPEN``); a refused attempt that was re-applied is closed, its new attempt is the
  open one.
* **withdrawn item** (已撤回, R-10.5): an item still undecided when its commission's
  termination started; the terminate step withdraws it (``withdrawn_on``, the form's issue
  day, and the reason). It is neither open nor decided: its clock stops for good, it is
  never overdue from that day on (not on 督办, the dashboard, the sweep or the assessment),
  and it counts neither as decided nor as on time.
* **running item**: an open item whose clock runs: accepted by the department and not
  suspended for 补正 (``ITEM_RUNNING`` in app/states.py; the clock stands still until the
  supplement arrives, and the promised date moves by the working days it stood still,
  app/domain/deadlines.py). Items not yet accepted have no promised date.
* **overdue item** (on day D, as it stands at the day's end): a running item of an open
  commission whose promised date ``due_on`` is before D (a withdrawn item does not run). Items of a closed commission are
  not overdue any more: a terminated commission's undecided items are no longer followed
  up (Art.9), so they are neither on the 督办 screen nor on the dashboard nor marked by the
  sweep.
* **late contact** (on day D): a commission waiting for its first contact with the unit
  (accepted or assigned, no contact recorded: ``COMMISSION_AWAITING_CONTACT``) whose
  1-working-day contact deadline ``contact_due_on`` is before D (Art.7, R-5.4). The
  deadline runs from the confirmed application (set by the accept step), whether or not a
  coordinator is assigned yet. Once the contact is made, or the termination procedure has
  started, it no longer waits for one.
* **the window's delay** (R-5.4): a late contact whose coordinator was not assigned by the
  contact deadline (not at all yet, or later than it) is the window's, not the
  coordinator's: 督办 says so and the assessment charges it to the department that runs
  the window (``runs_window``), not to the coordinator.
* **working days late**: the working days from the promised date to D, the promised date
  excluded, D included (``WorkCalendar.between``); holidays and weekends are not counted, a
  调休 working weekend is.
* **first overdue day**: the calendar day after the promised date, the first day on which
  the item is overdue; the sweep stamps it (``overdue_on`` / ``contact_overdue_on``) when
  it runs that day, and the stamp stays after the item closes.
* **decided on time**: decided (or, for a contact, made) by its promised date and never
  found overdue (no stamp: a deadline once missed stays missed even if a later 补正 or a
  calendar correction moved the date). An item decided before the department accepted it
  ran no clock and counts as on time. The on-time rate is on time / decided.

Two forms of the overdue definitions exist: *now* (``overdue_item``, ``late_contact``),
read from the lifecycle states and fast on the (state, due_on) index and the partial
"awaiting contact" index; and *as of a past day* (``overdue_item_as_of``,
``late_contact_as_of``), read from the recorded dates for the assessment's period end. On
the current day both select the same rows (tests/test_definitions.py proves it).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from app.domain.workdays import WorkCalendar
from app.models.commission import Commission
from app.models.items import CommissionItem, ItemSupplement
from app.models.termination import Termination
from app.states import (
    COMMISSION_OPEN,
    COMMISSION_AWAITING_CONTACT,
    ITEM_DECIDED,
    ITEM_OPEN,
    ITEM_RUNNING,
    CommissionState,
    ItemState,
)

#: Open commission states, in lifecycle order.
OPEN_COMMISSION_STATES: tuple[CommissionState, ...] = tuple(
    s for s in CommissionState if s in COMMISSION_OPEN)
#: Undecided item states, in lifecycle order.
OPEN_ITEM_STATES: tuple[ItemState, ...] = tuple(s for s in ItemState if s in ITEM_OPEN)
#: Decided item states.
DECIDED_ITEM_STATES: tuple[ItemState, ...] = tuple(s for s in ItemState if s in ITEM_DECIDED)
#: Item states whose deadline clock runs (open, not suspended for 补正).
RUNNING_ITEM_STATES: tuple[ItemState, ...] = tuple(s for s in ItemState if s in ITEM_RUNNING)
#: The commission states of one waiting for its first contact with the unit.
AWAITING_CONTACT: tuple[CommissionState, ...] = tuple(
    s for s in CommissionState if s in COMMISSION_AWAITING_CONTACT)

ONE_DAY = dt.timedelta(days=1)


# ---- SQL: now ---------------------------------------------------------------------------

def open_commission() -> ColumnElement:
    """Over Commission: the commission is open."""
    return Commission.state.in_(OPEN_COMMISSION_STATES)


def open_item() -> ColumnElement:
    """Over CommissionItem: the item is not decided yet."""
    return CommissionItem.state.in_(OPEN_ITEM_STATES)


def running_item() -> ColumnElement:
    """Over CommissionItem: the item's clock runs."""
    return CommissionItem.state.in_(RUNNING_ITEM_STATES)


def item_past_due(today: dt.date) -> ColumnElement:
    """Over CommissionItem: running and past its promised date (the item's own part of
    ``overdue_item``, answered by the (state, due_on) index alone)."""
    return sa.and_(running_item(), CommissionItem.due_on < today)


def overdue_item(today: dt.date) -> ColumnElement:
    """Over CommissionItem joined to its Commission: overdue on ``today``."""
    return sa.and_(item_past_due(today), open_commission())


def overdue_item_alone(today: dt.date) -> ColumnElement:
    """Over CommissionItem alone (no join, e.g. in an UPDATE): overdue on ``today``."""
    return sa.and_(item_past_due(today), CommissionItem.commission.has(open_commission()))


def late_contact(today: dt.date) -> ColumnElement:
    """Over Commission: waiting for the first contact past its deadline on ``today``."""
    # The states as literals: SQLite uses the partial index of commissions awaiting contact
    # (ix_commission_awaiting_contact) only where the query names its very states; with
    # bound parameters it scanned every past contact deadline (36 ms at 100,000).
    awaiting = [sa.literal(state.value, literal_execute=True) for state in AWAITING_CONTACT]
    return sa.and_(Commission.state.in_(awaiting), Commission.contacted_on.is_(None),
                   Commission.contact_due_on < today)


def window_delay() -> ColumnElement:
    """Over a Commission with a contact deadline: no coordinator was assigned by it (none
    yet, or later): a late contact is then the window's, not the coordinator's (R-5.4)."""
    return sa.or_(Commission.assigned_on.is_(None),
                  Commission.assigned_on > Commission.contact_due_on)


# ---- SQL: as of a past day (from the recorded dates) ------------------------------------

def _day(value: Any) -> Any:
    return sa.literal(value, type_=sa.Date()) if isinstance(value, dt.date) else value


def open_commission_as_of(day: Any) -> ColumnElement:
    """Over Commission: not completed or terminated by ``day`` (a date or a SQL date)."""
    closed = sa.func.coalesce(Commission.completed_on, Commission.terminated_on)
    return sa.or_(closed.is_(None), closed > _day(day))


def overdue_item_as_of(day: dt.date) -> ColumnElement:
    """Over CommissionItem joined to its Commission: overdue on ``day`` by the dates."""
    in_supplement = (
        sa.select(ItemSupplement.id)
        .where(ItemSupplement.commission_item_id == CommissionItem.id,
               ItemSupplement.requested_on <= day,
               sa.or_(ItemSupplement.received_on.is_(None), ItemSupplement.received_on > day))
        .exists()
    )
    return sa.and_(
        sa.or_(CommissionItem.decided_on.is_(None), CommissionItem.decided_on > day),
        sa.or_(CommissionItem.withdrawn_on.is_(None), CommissionItem.withdrawn_on > day),
        CommissionItem.due_on < day, open_commission_as_of(day), ~in_supplement,
    )


def late_contact_as_of(day: dt.date) -> ColumnElement:
    """Over Commission: waiting for its first contact past the deadline on ``day``."""
    termination_started = (
        sa.select(Termination.id)
        .where(Termination.commission_id == Commission.id, Termination.issued_on <= day)
        .exists()
    )
    return sa.and_(
        Commission.applied_on <= day,
        sa.or_(Commission.contacted_on.is_(None), Commission.contacted_on > day),
        Commission.contact_due_on < day, open_commission_as_of(day), ~termination_started,
    )


def item_on_time() -> ColumnElement:
    """Over a decided CommissionItem: decided by its promised date, never found overdue."""
    return sa.and_(CommissionItem.overdue_on.is_(None),
                   sa.or_(CommissionItem.due_on.is_(None),
                          CommissionItem.decided_on <= CommissionItem.due_on))


def contact_on_time() -> ColumnElement:
    """Over a contacted Commission: contacted by its deadline, never found late."""
    return sa.and_(Commission.contact_overdue_on.is_(None),
                   sa.or_(Commission.contact_due_on.is_(None),
                          Commission.contacted_on <= Commission.contact_due_on))


# ---- Python: the same, on loaded rows ---------------------------------------------------

def is_running(item: CommissionItem) -> bool:
    """The item's clock runs."""
    return item.state in RUNNING_ITEM_STATES


def is_overdue(item: CommissionItem, today: dt.date) -> bool:
    """``overdue_item`` on a loaded item (its commission is read)."""
    return (is_running(item) and item.due_on is not None and item.due_on < today
            and item.commission.state in COMMISSION_OPEN)


def is_late_contact(commission: Commission, today: dt.date) -> bool:
    """``late_contact`` on a loaded commission."""
    return (commission.state in COMMISSION_AWAITING_CONTACT and commission.contacted_on is None
            and commission.contact_due_on is not None and commission.contact_due_on < today)


def is_window_delay(commission: Commission) -> bool:
    """``window_delay`` on a loaded commission."""
    return commission.contact_due_on is not None and (
        commission.assigned_on is None or commission.assigned_on > commission.contact_due_on)


def decided_on_time(item: CommissionItem) -> bool | None:
    """``item_on_time`` on a loaded item; None while it is undecided."""
    if item.decided_on is None:
        return None
    return item.overdue_on is None and (item.due_on is None or item.decided_on <= item.due_on)


def working_days_late(due_on: dt.date, today: dt.date, cal: WorkCalendar) -> int:
    """Working days from ``due_on`` (excluded) to ``today`` (included); 0 when not late."""
    return max(cal.between(due_on, today), 0)


def first_overdue_day(due_on: dt.date) -> dt.date:
    """The first day on which a deadline of ``due_on`` is overdue (the sweep's stamp)."""
    return due_on + ONE_DAY


def overdue_stamp(due_on: dt.date | None, done_on: dt.date | None,
                  as_of: dt.date) -> dt.date | None:
    """The stamp a daily sweep leaves by ``as_of`` on a deadline ``due_on`` met on
    ``done_on`` (None: not yet) while its clock ran: the first overdue day if the sweep
    saw it overdue by then, else None. For writers of past data (the demo, the benchmark)."""
    if due_on is None:
        return None
    first = first_overdue_day(due_on)
    if first > as_of or (done_on is not None and done_on < first):
        return None
    return first
