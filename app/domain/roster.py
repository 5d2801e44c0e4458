"""人员报备 carried out (Art.10 人员报备制, R-2.2, R-2.3): approve, take effect, hand over.

A roster change is filed with the window, approved, and takes effect on its effective date:

- join (加入): the person is on duty (在岗) from that day (re-admitted if they had left);
- leave (离岗): status 调离 and the exit date; refused while they coordinate open commissions;
- transfer (调动): the new department; a named replacement takes over their open commissions;
- replacement (替换): the replacement takes over the open commissions, the person leaves.

Nothing is deleted: the change stays on the person's history with who approved it and the
day it was carried out (``applied_on``). ``apply_due`` carries out every approved change
whose day has come (``flask apply-roster``, or the sweep). Approval and application each
claim the row with a guarded UPDATE, so two clerks or two runs never do either twice.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.choices import RosterChangeKind, StaffRole, StaffStatus
from app.domain import coordination
from app.domain.errors import DomainError
from app.domain.transitions import require
from app.domain.workdays import WorkCalendar
from app.models.commission import Commission
from app.models.organisation import RosterChange, StaffMember
from app.states import COMMISSION_OPEN

#: statuses in which a person no longer works (调离 / 停用)
OFF_DUTY = frozenset({StaffStatus.transferred, StaffStatus.disabled})
#: on one day joins go first, so that a replacement joining that day can take over
KIND_ORDER = {RosterChangeKind.join: 0, RosterChangeKind.transfer: 1,
              RosterChangeKind.replace: 2, RosterChangeKind.leave: 3}
#: fields that define what a change does: editing one after approval voids the approval
EFFECT_FIELDS = ("staff", "kind", "to_department", "replacement", "effective_on")


class AlreadyApplied(DomainError):
    """Someone else carried the change out meanwhile."""


class LeaveBlocked(DomainError):
    """The person still coordinates open commissions: they must be reassigned first."""

    def __init__(self, staff: StaffMember, commissions: list[Commission]) -> None:
        self.staff = staff
        self.commissions = commissions
        super().__init__(_(
            "%(name)s still coordinates %(count)s open commission(s): %(numbers)s. Reassign "
            "them to another coordinator before %(name)s leaves.",
            name=staff.name, count=len(commissions),
            numbers="、".join(str(c) for c in commissions)))


@dataclass
class ApplyResult:
    """What one ``apply_due`` run did: changes carried out, and those that could not be."""

    applied: list[RosterChange] = field(default_factory=list)
    blocked: list[tuple[RosterChange, str]] = field(default_factory=list)


# ---- who still holds work ----------------------------------------------------------
def open_commissions(session: Session, staff_id: int | None) -> list[Commission]:
    """Open commissions ``staff_id`` coordinates, oldest first."""
    if staff_id is None:
        return []
    return list(session.scalars(
        sa.select(Commission)
        .where(Commission.coordinator_id == staff_id, Commission.state.in_(COMMISSION_OPEN))
        .order_by(Commission.id)
    ))


def check_can_go(session: Session, staff: StaffMember) -> None:
    """Raise LeaveBlocked when ``staff`` coordinates open commissions (R-2.3)."""
    commissions = open_commissions(session, staff.id)
    if commissions:
        raise LeaveBlocked(staff, commissions)


def hand_over(session: Session, leaver: StaffMember, successor: StaffMember, *, on: dt.date,
              reason: str, actor: Any = None) -> list[Commission]:
    """Reassign every open commission of ``leaver`` to ``successor`` at once (R-5.1).

    Each reassignment is recorded as usual (assignment history, the unit told); the
    successor must be a coordinator on duty. Returns the commissions handed over.
    """
    require(successor is not None, _("Choose a coordinator."))
    require(successor.id != leaver.id, _("Choose another coordinator than the one leaving."))
    commissions = open_commissions(session, leaver.id)
    require(bool(commissions), _("%(name)s coordinates no open commission.", name=leaver.name))
    for commission in commissions:
        coordination.reassign(session, commission, successor, on=on, reason=reason, actor=actor)
    return commissions


# ---- filing ------------------------------------------------------------------------
def check_filing(*, filed_on: dt.date | None, effective_on: dt.date | None,
                 cal: WorkCalendar, notice_days: int) -> None:
    """Art.10 提前报备 (R-2.5): a change is filed at least ``notice_days`` working days before
    the day it takes effect; refused with a Chinese reason otherwise."""
    if filed_on is None or effective_on is None:
        return
    if cal.between(filed_on, effective_on) < notice_days:
        earliest = cal.add(filed_on, notice_days)
        raise DomainError(
            f"人员报备须提前{notice_days}个工作日（《实施办法》第十条“提前报备”）："
            f"{filed_on.isoformat()}报备的变更最早于{earliest.isoformat()}生效。")


# ---- approval ----------------------------------------------------------------------
def check_approval(session: Session, *, staff: StaffMember | None, kind: RosterChangeKind | None,
                   filed_on: dt.date | None, approved_on: dt.date, today: dt.date) -> None:
    """The rules of approving a filing (the same whether from the form or the approve step)."""
    require(filed_on is None or approved_on >= filed_on,
            _("A roster change is approved on or after the day it is filed."))
    require(approved_on <= today, _("The approval date cannot be in the future."))
    if kind == RosterChangeKind.leave and staff is not None:
        check_can_go(session, staff)


def approve(session: Session, change: RosterChange, *, approved_by: str, approved_on: dt.date,
            today: dt.date, actor: Any = None) -> object | None:
    """Approve a filing; when its effective date has come it takes effect at once.

    Returns None when the change took effect (or is not due yet), else the reason it could
    not take effect now (the approval stands; ``apply_due`` tries again later).
    """
    require(change.approved_on is None, _("This roster change is already approved."))
    approver = (approved_by or "").strip()
    require(bool(approver), _("Give who approved the roster change."))
    check_approval(session, staff=change.staff, kind=change.kind, filed_on=change.filed_on,
                   approved_on=approved_on, today=today)
    session.flush()
    claimed = session.execute(
        sa.update(RosterChange)
        .where(RosterChange.id == change.id, RosterChange.approved_on.is_(None))
        .values(approved_by=approver, approved_on=approved_on)
        .execution_options(synchronize_session=False)
    ).rowcount
    require(claimed == 1, _("The roster change was approved by someone else meanwhile."))
    set_committed_value(change, "approved_by", approver)
    set_committed_value(change, "approved_on", approved_on)
    if change.effective_on > today:
        return None
    try:
        check_application(session, change, today=today)
    except DomainError as exc:
        return exc.message
    apply_change(session, change, today=today, actor=actor)
    return None


def void_approval_if_changed(change: RosterChange) -> bool:
    """After an edit: an approved, pending change whose effect was changed needs approval
    again (e.g. an effective date moved after approval). Returns True when voided."""
    if change.approved_on is None or change.applied_on is not None:
        return False
    state = sa.inspect(change)
    # Setting a field to the value it had is no change (the relations are loaded with the
    # row, so their history compares with what was there).
    changed = any(state.attrs[name].history.has_changes() for name in EFFECT_FIELDS)
    if changed:
        change.approved_by = None
        change.approved_on = None
    return changed


# ---- taking effect -----------------------------------------------------------------
def _check_successor(session: Session, change: RosterChange) -> None:
    successor = change.replacement
    if successor is None or not open_commissions(session, change.staff_id):
        return
    require(successor.id != change.staff_id,
            _("A person cannot replace themselves."))
    require(successor.role == StaffRole.coordinator and successor.status == StaffStatus.active,
            _("The replacement %(name)s is not a coordinator on duty, so cannot take over the "
              "open commissions.", name=successor.name))


def check_application(session: Session, change: RosterChange, *, today: dt.date) -> None:
    """Raise the reason ``change`` cannot take effect ``today`` (nothing is changed)."""
    require(change.approved_on is not None, _("This roster change is not approved yet."))
    require(change.applied_on is None, _("This roster change has already taken effect."))
    require(change.effective_on <= today,
            _("This roster change takes effect on %(day)s.", day=change.effective_on.isoformat()))
    staff = change.staff
    kind = change.kind
    if kind in (RosterChangeKind.leave, RosterChangeKind.replace):
        require(change.effective_on >= staff.admitted_on,
                _("The date of leaving is before the date of joining."))
    if kind == RosterChangeKind.leave:
        check_can_go(session, staff)
    elif kind == RosterChangeKind.transfer:
        require(change.to_department_id is not None,
                _("A transfer names the department moved to."))
        _check_successor(session, change)
    elif kind == RosterChangeKind.replace:
        require(change.replacement_id is not None,
                _("A replacement names the staff member taking over."))
        _check_successor(session, change)


def _hand_over_to_replacement(session: Session, change: RosterChange, today: dt.date,
                              actor: Any) -> None:
    if change.replacement is None or not open_commissions(session, change.staff_id):
        return
    hand_over(session, change.staff, change.replacement, on=today, actor=actor,
              reason=str(_("Roster change: %(name)s replaced by %(successor)s",
                           name=change.staff.name, successor=change.replacement.name)))


def apply_change(session: Session, change: RosterChange, *, today: dt.date,
                 actor: Any = None) -> None:
    """Carry out an approved change whose effective date has come (R-2.3)."""
    check_application(session, change, today=today)
    session.flush()
    claimed = session.execute(
        sa.update(RosterChange)
        .where(RosterChange.id == change.id, RosterChange.applied_on.is_(None))
        .values(applied_on=today)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise AlreadyApplied(_("This roster change has already taken effect."))
    set_committed_value(change, "applied_on", today)
    staff, kind = change.staff, change.kind
    if kind == RosterChangeKind.join:
        if staff.status != StaffStatus.active:  # (re-)admitted on the effective date
            staff.admitted_on = change.effective_on
            staff.exited_on = None
        staff.status = StaffStatus.active
        if change.to_department_id is not None:
            staff.department_id = change.to_department_id
    elif kind == RosterChangeKind.transfer:
        if change.from_department_id is None:
            change.from_department_id = staff.department_id
        staff.department_id = change.to_department_id
        _hand_over_to_replacement(session, change, today, actor)
    else:  # leave, or replace after the replacement took over
        if kind == RosterChangeKind.replace:
            _hand_over_to_replacement(session, change, today, actor)
        staff.status = StaffStatus.transferred
        staff.exited_on = change.effective_on


def due_changes(session: Session, *, today: dt.date) -> list[RosterChange]:
    """Approved changes not carried out yet whose effective date has come, in order."""
    rows = session.scalars(
        sa.select(RosterChange)
        .where(RosterChange.approved_on.is_not(None), RosterChange.applied_on.is_(None),
               RosterChange.effective_on <= today)
        .order_by(RosterChange.effective_on, RosterChange.id)
    ).all()
    return sorted(rows, key=lambda c: (c.effective_on, KIND_ORDER[c.kind], c.id))


def apply_due(session: Session, *, today: dt.date, actor: Any = None) -> ApplyResult:
    """Carry out every due change; commits after each one (safe to run often, and twice
    at once). A change that cannot take effect yet is reported and tried again next time."""
    result = ApplyResult()
    for change in due_changes(session, today=today):
        try:
            apply_change(session, change, today=today, actor=actor)
            session.commit()
        except AlreadyApplied:
            session.rollback()  # another run got there first
        except DomainError as exc:
            session.rollback()
            result.blocked.append((change, str(exc)))
        else:
            result.applied.append(change)
    return result
