"""Art.7: the coordinator is assigned, contacts the unit within 1 working day (R-5.1, R-5.2)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import ContactMethod, StaffRole, StaffStatus, WorkLogType
from app.domain import definitions
from app.domain.notices import notify_unit
from app.domain.deadlines import contact_due_on
from app.domain.transitions import check_move, move_commission, require
from app.domain.workdays import WorkCalendar
from app.models.casework import WorkLogEntry
from app.models.commission import Commission, CoordinatorAssignment
from app.models.organisation import StaffMember
from app.notify.templates import Template
from app.states import CommissionState


def _check_coordinator(staff: StaffMember) -> None:
    require(staff is not None, _("Choose a coordinator."))
    require(staff.role == StaffRole.coordinator, _("Only a coordinator (协办员) can be assigned."))
    require(staff.status == StaffStatus.active, _("This coordinator is not on duty."))


def check_assign(commission: Commission) -> None:
    """Whether a first coordinator may be assigned: the application is accepted."""
    check_move(commission, CommissionState.assigned)
    require(commission.applied_on is not None, _("The application has not been accepted yet."))


def assign(session: Session, commission: Commission, coordinator: StaffMember, *,
           assigned_on: dt.date, cal: WorkCalendar, actor: Any = None) -> None:
    """First assignment: starts the 1-working-day contact deadline and tells the unit."""
    check_assign(commission)
    _check_coordinator(coordinator)
    require(assigned_on >= commission.applied_on,
            _("A coordinator cannot be assigned before the application was accepted."))
    move_commission(session, commission, CommissionState.assigned, actor=actor,
                    note=coordinator.name)
    commission.coordinator = coordinator
    commission.assigned_on = assigned_on
    commission.contact_due_on = contact_due_on(commission.applied_on, cal)
    session.add(CoordinatorAssignment(commission=commission, staff=coordinator,
                                      assigned_on=assigned_on))
    notify_unit(session, commission, Template.coordinator_assigned)


def check_reassign(commission: Commission) -> None:
    """Whether the commission may change coordinator: open and assigned."""
    require(commission.is_open and commission.coordinator_id is not None,
            _("Only an open, assigned commission can be reassigned."))


def reassign(session: Session, commission: Commission, coordinator: StaffMember, *,
             on: dt.date, reason: str, actor: Any = None) -> None:
    """Hand an open commission to another coordinator; the change is recorded (R-5.1)."""
    check_reassign(commission)
    _check_coordinator(coordinator)
    require(coordinator.id != commission.coordinator_id,
            _("This coordinator already handles the commission."))
    require(bool(reason and reason.strip()), _("Give the reason for the reassignment."))
    current = session.scalars(
        sa.select(CoordinatorAssignment).where(
            CoordinatorAssignment.commission_id == commission.id,
            CoordinatorAssignment.ended_on.is_(None),
        )
    ).all()
    for assignment in current:
        require(on >= assignment.assigned_on,
                _("The reassignment date is before the current assignment began."))
        assignment.ended_on = on
        assignment.reason = reason.strip()
    commission.coordinator = coordinator
    session.add(CoordinatorAssignment(commission=commission, staff=coordinator,
                                      assigned_on=on, reason=reason.strip()))
    notify_unit(session, commission, Template.coordinator_assigned)


def check_record_contact(commission: Commission) -> None:
    """Whether the first contact may be recorded: assigned, not yet contacted."""
    check_move(commission, CommissionState.planning)
    require(commission.assigned_on is not None,
            _("The contact date cannot be before the assignment."))


def record_contact(session: Session, commission: Commission, *, method: ContactMethod,
                   contacted_on: dt.date, note: str | None = None, actor: Any = None) -> None:
    """The coordinator has contacted the unit: the contact deadline stops (R-5.2)."""
    check_record_contact(commission)
    require(contacted_on >= commission.assigned_on,
            _("The contact date cannot be before the assignment."))
    move_commission(session, commission, CommissionState.planning, actor=actor,
                    note=str(method.label))
    commission.contact_method = method
    commission.contacted_on = contacted_on
    session.add(WorkLogEntry(
        commission=commission, logged_on=contacted_on, author=commission.coordinator,
        entry_type=WorkLogType.contact,
        content=note or str(_("Contacted the unit by %(method)s.", method=method.label)),
    ))


def contact_overdue(commission: Commission, today: dt.date) -> bool:
    """True when the contact deadline has passed without a recorded contact (a late
    contact, app/domain/definitions.py)."""
    return definitions.is_late_contact(commission, today)
