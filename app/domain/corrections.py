"""Correcting a mistaken date is a lifecycle step too (R-16.1): with a reason, in the history.

A date of a commission or of one of its items that a step recorded wrongly (a typo, a
day off by one) is corrected here, never on an edit form: the old and the new value and
the reason are written to the commission's state history (a row that stays in the same
state), and what the date drives (the contact deadline, an item's deadline) follows.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.domain.approvals import refresh_due_on
from app.domain.deadlines import contact_due_on
from app.domain.errors import DomainError
from app.domain.transitions import actor_id, require
from app.domain.workdays import WorkCalendar
from app.models.commission import Commission, CommissionStateChange
from app.models.items import CommissionItem
from app.models.mixins import utcnow
from app.states import ITEM_OPEN, CommissionState, ItemState

#: dates that follow one another in the lifecycle: a correction keeps them in this order
COMMISSION_ORDER = ("applied_on", "assigned_on", "contacted_on", "plan_confirmed_on",
                    "completed_on")
ITEM_ORDER = ("submitted_on", "accepted_on", "decided_on", "unit_informed_on")

#: the commission dates a correction may change, with their labels
COMMISSION_DATES: dict[str, Any] = {
    "applied_on": _("Application confirmed on"),
    "assigned_on": _("Assigned on"),
    "contacted_on": _("Contacted on"),
    "plan_confirmed_on": _("Plan confirmed on"),
    "completed_on": _("Completed on"),
    "terminated_on": _("Terminated on"),
}
#: the item dates a correction may change, with their labels
ITEM_DATES: dict[str, Any] = {
    "submitted_on": _("Submitted on"),
    "accepted_on": _("Accepted on"),
    "decided_on": _("Decided on"),
    "unit_informed_on": _("Unit informed on"),
}


def _dates_of(record: Commission | CommissionItem) -> dict[str, Any]:
    return COMMISSION_DATES if isinstance(record, Commission) else ITEM_DATES


def correctable(record: Commission | CommissionItem) -> dict[str, Any]:
    """The dates of ``record`` that are recorded and so may be corrected: {column: label}."""
    return {col: label for col, label in _dates_of(record).items()
            if getattr(record, col) is not None}


def check_correct(record: Commission | CommissionItem) -> None:
    """Whether ``record`` has a recorded date to correct (a withdrawn item has none: R-10.5)."""
    require(getattr(record, "state", None) != ItemState.withdrawn,
            _("This item was withdrawn when the commission was terminated; it does not change."))
    require(bool(correctable(record)), _("No date has been recorded yet; nothing to correct."))


def correct_date(session: Session, record: Commission | CommissionItem, *, field: str,
                 value: dt.date, reason: str, today: dt.date, cal: WorkCalendar,
                 actor: Any = None) -> None:
    """Set the recorded date ``field`` of ``record`` to ``value``, with ``reason`` in the
    commission's history; what the date drives is recomputed."""
    check_correct(record)
    labels = correctable(record)
    require(field in labels, _("This date cannot be corrected here."))
    text = (reason or "").strip()
    require(bool(text), _("Give the reason for the correction."))
    old = getattr(record, field)
    require(value != old, _("The new date is the date already recorded."))
    _check_order(record, field, value)
    setattr(record, field, value)
    _follow(record, field, today, cal)
    commission = record if isinstance(record, Commission) else record.commission
    subject = "" if isinstance(record, Commission) else f"{record}："
    session.add(CommissionStateChange(
        commission=commission, from_state=commission.state, to_state=commission.state,
        changed_by_id=actor_id(actor), changed_at=utcnow(),
        note=str(_("Correction: %(subject)s%(date)s %(old)s → %(new)s (%(reason)s)",
                   subject=subject, date=labels[field], old=old.isoformat(),
                   new=value.isoformat(), reason=text)),
    ))


def _check_order(record: Commission | CommissionItem, field: str, value: dt.date) -> None:
    """The corrected date stays after the dates before it and before those after it."""
    order = COMMISSION_ORDER if isinstance(record, Commission) else ITEM_ORDER
    if field not in order:
        return
    labels = _dates_of(record)
    place = order.index(field)
    for other in order[:place]:
        earlier = getattr(record, other)
        require(earlier is None or earlier <= value,
                _("The date cannot be before %(other)s (%(day)s).", other=labels[other],
                  day=earlier.isoformat() if earlier else ""))
    for other in order[place + 1:]:
        later = getattr(record, other)
        require(later is None or value <= later,
                _("The date cannot be after %(other)s (%(day)s).", other=labels[other],
                  day=later.isoformat() if later else ""))


def _follow(record: Commission | CommissionItem, field: str, today: dt.date,
            cal: WorkCalendar) -> None:
    """Recompute what the corrected date drives."""
    if isinstance(record, Commission):
        if field == "applied_on" and record.contact_due_on is not None:
            record.contact_due_on = contact_due_on(record.applied_on, cal)
    elif field == "accepted_on":
        refresh_due_on(record, today, cal)


# ---- past records entering the lifecycle (the paper ledger, R-18.1) --------------------
S, I = CommissionState, ItemState
#: the states a past commission may be imported in, with the dates each requires; a
#: commission before acceptance has no number, one mid-termination has a running wait
#: (its form and announcement): those are recorded through their steps instead
IMPORTABLE: dict[CommissionState, tuple[str, ...]] = {
    S.accepted: ("applied_on",),
    S.assigned: ("applied_on", "assigned_on"),
    S.planning: ("applied_on", "assigned_on", "contacted_on"),
    S.in_progress: ("applied_on", "assigned_on", "contacted_on", "plan_confirmed_on"),
    S.delivering: ("applied_on", "assigned_on", "contacted_on", "plan_confirmed_on"),
    S.completed: ("applied_on", "assigned_on", "contacted_on", "plan_confirmed_on",
                  "completed_on"),
    S.terminated: ("applied_on", "terminated_on"),
}
#: an item's states with the dates each requires (补正中 needs its supplement: a step)
ITEM_IMPORTABLE: dict[ItemState, tuple[str, ...]] = {
    I.pending: (),
    I.submitted: ("submitted_on",),
    I.accepted: ("submitted_on", "accepted_on"),
    I.approved: ("submitted_on", "accepted_on", "decided_on"),
    I.refused: ("submitted_on", "decided_on"),
    I.withdrawn: (),  # on the terminated commission's day
}
IMPORTED = "导入（纸质台账）"


def check_enter_imported(record: Commission | CommissionItem, state: Any,
                         dates: dict[str, dt.date | None]) -> None:
    """Whether a past ``record`` may enter the lifecycle in ``state`` with ``dates``: an
    importable state, the dates it requires, every date in lifecycle order."""
    table = IMPORTABLE if isinstance(record, Commission) else ITEM_IMPORTABLE
    require(state in table, _("A record in state “%(state)s” cannot be imported; record it "
                              "through its steps.", state=state.label))
    if isinstance(record, CommissionItem):
        # a terminated commission's undecided items are withdrawn, and only those
        terminated = record.commission.state == CommissionState.terminated
        require(terminated or state != ItemState.withdrawn,
                "只有已终止委托的事项可以导入为“已撤回”。")
        require(not terminated or state not in ITEM_OPEN,
                "已终止委托的未办结事项已撤回（R-10.5）：请导入为“已撤回”。")
    labels = _dates_of(record)
    missing = [str(labels[name]) for name in table[state] if dates.get(name) is None]
    require(not missing, _("State “%(state)s” needs the date(s): %(dates)s",
                           state=state.label, dates="、".join(missing)))
    order = COMMISSION_ORDER if isinstance(record, Commission) else ITEM_ORDER
    given = [(name, dates[name]) for name in order if dates.get(name) is not None]
    for (first, day), (then, later) in zip(given, given[1:]):
        require(day <= later, _("%(later)s (%(day2)s) is before %(first)s (%(day1)s).",
                                later=labels[then], day2=later.isoformat(),
                                first=labels[first], day1=day.isoformat()))


def enter_imported(session: Session, record: Commission | CommissionItem, *, state: Any,
                   dates: dict[str, dt.date | None], today: dt.date, cal: WorkCalendar,
                   actor: Any = None) -> None:
    """A past commission or item from the paper ledger enters the lifecycle in ``state``
    with its recorded ``dates``: a history line says it was imported, and what the dates
    drive (the contact deadline, an item's deadline) is computed as the steps would."""
    check_enter_imported(record, state, dates)
    for name, day in dates.items():
        if name not in _dates_of(record):
            raise DomainError(_("This date cannot be corrected here."))
        setattr(record, name, day)
    record.state = state
    commission = record if isinstance(record, Commission) else record.commission
    if isinstance(record, Commission):
        if record.applied_on is not None:  # runs from acceptance
            record.contact_due_on = contact_due_on(record.applied_on, cal)
        subject = ""
    else:
        if record.accepted_on is not None:
            refresh_due_on(record, today, cal)
        if state == ItemState.withdrawn:
            record.withdrawn_on = commission.terminated_on
            record.withdrawal_reason = f"{IMPORTED}：委托已终止"
        subject = f"{record}："
    session.add(CommissionStateChange(
        commission=commission, from_state=None if isinstance(record, Commission) else
        commission.state, to_state=commission.state, changed_by_id=actor_id(actor),
        changed_at=utcnow(), note=f"{IMPORTED}{subject}{state.label}",
    ))
