"""The unit's two contacts (项目负责人, 项目经办人; Art.5 "如有变动，应及时告知协办员") and the
changes it reports online (R-17.6).

The unit reports a new contact from its look-up page (``report_change``); the coordinator
accepts it (the unit's contact columns take the new values, the old ones stay on the change
and in the audit trail) or rejects it with a reason. Both are lifecycle steps
(app/lifecycle/contact_change.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import UnitContact
from app.domain.notices import notify_coordinator, notify_unit
from app.domain.transitions import actor_id, require
from app.domain.validators import is_mobile
from app.inputs import has_illegal
from app.models.client import Unit
from app.models.commission import Commission
from app.models.online import ContactChange
from app.notify.templates import Template
from app.states import ContactChangeState

#: the Unit columns of each contact: name, title, phone
COLUMNS: dict[UnitContact, tuple[str, str, str]] = {
    UnitContact.handler: ("handler_name", "handler_title", "handler_phone"),
    UnitContact.leader: ("leader_name", "leader_title", "leader_phone"),
}


@dataclass(frozen=True)
class Person:
    """One of the unit's contacts as registered now."""

    role: UnitContact
    name: str
    title: str | None
    phone: str

    @property
    def mobile(self) -> str | None:
        """The phone without spaces and dashes, when it is a mobile (can receive an SMS)."""
        value = (self.phone or "").replace(" ", "").replace("-", "")
        return value if is_mobile(value) else None


def person(unit: Unit, role: UnitContact) -> Person:
    """The unit's ``role`` contact as registered now."""
    name, title, phone = COLUMNS[role]
    return Person(role, getattr(unit, name), getattr(unit, title), getattr(unit, phone))


def _clean(value: str | None, limit: int) -> str:
    text = " ".join((value or "").split())
    require(not has_illegal(text), _("The text holds characters that cannot be stored."))
    require(len(text) <= limit, _("At most %(n)d characters.", n=limit))
    return text


def pending_change(session: Session, commission: Commission,
                   role: UnitContact) -> ContactChange | None:
    """The change of ``role`` reported for ``commission`` and not decided yet, if any."""
    return session.scalars(sa.select(ContactChange).where(
        ContactChange.commission_id == commission.id, ContactChange.contact == role,
        ContactChange.state == ContactChangeState.pending)).first()


def report_change(session: Session, commission: Commission, *, role: UnitContact, name: str,
                  title: str | None, phone: str, reported_by: str, ip: str | None,
                  at: dt.datetime) -> ContactChange:
    """The unit reports a new ``role`` contact; the coordinator is told (R-17.6)."""
    name = _clean(name, 50)
    title = _clean(title, 50) or None
    phone = _clean(phone, 30).replace(" ", "").replace("-", "")
    require(bool(name), _("Give the new contact's name."))
    require(is_mobile(phone), _("Give the new contact's 11-digit mobile number: codes and "
                                "messages are sent there."))
    require(pending_change(session, commission, role) is None,
            _("A change of this contact is already waiting for the coordinator."))
    current = person(commission.project.unit, role)
    require((name, phone) != (current.name, (current.phone or "").replace("-", "")),
            _("This is the contact already registered."))
    change = ContactChange(commission=commission, contact=role, new_name=name, new_title=title,
                           new_phone=phone, reported_by=reported_by[:80], reported_at=at, ip=ip,
                           state=ContactChangeState.pending)
    session.add(change)
    notify_coordinator(session, commission, Template.contact_change_reported,
                       {"role": role.label, "new_name": name})
    return change


def check_decide(change: ContactChange) -> None:
    """Whether the coordinator may still accept or reject ``change``: it waits for them."""
    require(change.state == ContactChangeState.pending,
            _("This contact change has been decided already."))


def accept(session: Session, change: ContactChange, *, at: dt.datetime,
           actor: Any = None) -> Unit:
    """The coordinator accepts: the unit's contact takes the new values (the change keeps the
    old ones; the audit trail records the unit's update); the unit is told."""
    check_decide(change)
    unit = change.commission.project.unit
    name_col, title_col, phone_col = COLUMNS[change.contact]
    change.old_name, change.old_title, change.old_phone = (
        getattr(unit, name_col), getattr(unit, title_col), getattr(unit, phone_col))
    setattr(unit, name_col, change.new_name)
    setattr(unit, title_col, change.new_title)
    setattr(unit, phone_col, change.new_phone)
    _decide(change, ContactChangeState.accepted, at=at, actor=actor, note=None)
    notify_unit(session, change.commission, Template.contact_change_decided,
                {"role": change.contact.label, "new_name": change.new_name,
                 "outcome": "协办员已确认，自即日起生效"})
    return unit


def reject(session: Session, change: ContactChange, *, reason: str, at: dt.datetime,
           actor: Any = None) -> None:
    """The coordinator rejects the change, with the reason; the unit is told."""
    check_decide(change)
    reason = _clean(reason, 2000)
    require(bool(reason), _("Give the reason."))
    _decide(change, ContactChangeState.rejected, at=at, actor=actor, note=reason)
    notify_unit(session, change.commission, Template.contact_change_decided,
                {"role": change.contact.label, "new_name": change.new_name,
                 "outcome": f"未予确认，原因：{reason}"})


def _decide(change: ContactChange, state: ContactChangeState, *, at: dt.datetime, actor: Any,
            note: str | None) -> None:
    change.state = state
    change.decided_at = at
    change.decided_by_id = actor_id(actor)
    change.decision_note = note
