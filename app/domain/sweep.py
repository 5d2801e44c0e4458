"""The deadline sweep (R-13.1, R-10.4): safe every few minutes, twice at once, on many servers.

Marking is a single guarded UPDATE per kind (only rows not yet marked), so running it again
changes nothing. Automatic terminations move each commission with a compare-and-set and
lock rows with SKIP LOCKED where the database has it, so two sweeps never apply one twice.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.documents.steps import apply_announcement
from app.domain.approvals import refresh_due_on
from app.domain import definitions as defs
from app.domain.closing import results_ready_due, tell_results_ready
from app.domain.errors import DomainError
from app.domain.deadlines import announcement_effective_on, contact_due_on, handover_due_on
from app.domain.transitions import TransitionRefused
from app.domain.workdays import WorkCalendar
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.termination import Announcement, Termination
from app.states import COMMISSION_OPEN, CommissionState

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    """What one sweep changed."""

    items_marked: int = 0
    contacts_marked: int = 0
    terminated: int = 0


def mark_overdue(session: Session, today: dt.date) -> tuple[int, int]:
    """Stamp items and contacts found overdue (app/domain/definitions.py) for the first
    time; returns the counts."""
    items = session.execute(
        sa.update(CommissionItem)
        .where(defs.overdue_item_alone(today), CommissionItem.overdue_on.is_(None))
        .values(overdue_on=today)
        .execution_options(synchronize_session=False)
    ).rowcount
    contacts = session.execute(
        sa.update(Commission)
        .where(defs.late_contact(today), Commission.contact_overdue_on.is_(None))
        .values(contact_overdue_on=today)
        .execution_options(synchronize_session=False)
    ).rowcount
    return items, contacts


def due_announcements(session: Session, today: dt.date) -> list[Commission]:
    """Announced commissions whose 10 working days have run out (locked where possible)."""
    query = (
        sa.select(Commission)
        .join(Termination, Termination.commission_id == Commission.id)
        .join(Announcement, Announcement.termination_id == Termination.id)
        .where(Commission.state == CommissionState.announced, Announcement.effective_on <= today)
        .order_by(Commission.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Commission, skip_locked=True)
    return list(session.scalars(query))


def start_contact_deadlines(session: Session, cal: WorkCalendar) -> int:
    """Give a contact deadline to commissions accepted before it ran from acceptance
    (R-5.4: existing data; the accept step sets it now). Returns how many."""
    waiting = session.scalars(
        sa.select(Commission).where(Commission.state.in_(defs.AWAITING_CONTACT),
                                    Commission.contacted_on.is_(None),
                                    Commission.contact_due_on.is_(None),
                                    Commission.applied_on.is_not(None)))
    started = 0
    for commission in waiting:
        commission.contact_due_on = contact_due_on(commission.applied_on, cal)
        started += 1
    return started


def catch_up(session: Session, *, today: dt.date, cal: WorkCalendar,
             commit: bool = False) -> SweepResult:
    """The day's deadline work on ``today``: mark what is found overdue, tell units whose
    paper results arrived (R-8.5), apply the terminations deemed confirmed (R-10.4).

    Without ``commit`` it all happens in the caller's transaction (the demo's replay runs it
    for every day it replays, app/seed/replay.py); with it, each part is committed on its
    own and a termination another sweep applied first is skipped (``sweep``).
    """
    result = SweepResult()
    result.items_marked, result.contacts_marked = mark_overdue(session, today)
    if commit:
        session.commit()
    for commission in session.scalars(sa.select(Commission).where(results_ready_due())):
        tell_results_ready(session, commission)
    if commit:
        session.commit()
    for commission in due_announcements(session, today):
        if not commit:
            result.terminated += apply_announcement(session, commission, today=today, cal=cal)
            continue
        try:
            if apply_announcement(session, commission, today=today, cal=cal):
                result.terminated += 1
            session.commit()
        except TransitionRefused:
            session.rollback()  # another sweep got there first
        except DomainError:
            # the final 终止单 could not be issued: nothing changed, the next sweep retries
            log.exception("deemed termination of commission %s not applied", commission.id)
            session.rollback()
    return result


def sweep(session: Session, *, today: dt.date, cal: WorkCalendar) -> SweepResult:
    """One pass: mark overdue deadlines, apply due automatic terminations. Commits."""
    start_contact_deadlines(session, cal)
    return catch_up(session, today=today, cal=cal, commit=True)


def recompute_deadlines(session: Session, *, today: dt.date, cal: WorkCalendar) -> int:
    """After a calendar change: recompute every stored deadline that is still running (an
    item suspended for 补正 is recomputed when its supplement arrives)."""
    changed = 0
    commissions = session.scalars(
        sa.select(Commission).where(Commission.state.in_(defs.AWAITING_CONTACT),
                                    Commission.applied_on.is_not(None))
    )
    for commission in commissions:
        due = contact_due_on(commission.applied_on, cal)
        if due != commission.contact_due_on:
            commission.contact_due_on = due
            changed += 1
    items = session.scalars(
        sa.select(CommissionItem).where(defs.running_item(),
                                        CommissionItem.accepted_on.is_not(None))
    )
    for item in items:
        before = item.due_on
        refresh_due_on(item, today, cal)
        changed += before != item.due_on
    terminations = session.scalars(
        sa.select(Termination).join(Commission).where(Commission.state.in_(COMMISSION_OPEN))
    )
    for termination in terminations:
        announcement = termination.announcement
        if announcement is not None:
            due = announcement_effective_on(announcement.published_on, cal)
            if due != announcement.effective_on:
                announcement.effective_on = due
                changed += 1
    closed = session.scalars(
        sa.select(Termination).where(Termination.effective_on.is_not(None),
                                     Termination.handed_over_on.is_(None))
    )
    for termination in closed:
        due = handover_due_on(termination.effective_on, cal)
        if due != termination.handover_due_on:
            termination.handover_due_on = due
            changed += 1
    return changed
