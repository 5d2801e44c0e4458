"""Importing the staff roster (人员), upserted on the staff number or the ID card (R-18.1).

The roster is never edited silently (R-2.3): what the file says about a person's service
becomes a roster change (人员报备) with its approval, carried out by app/domain/roster.py
as any filing is —

- a new person on duty, or a recorded person back on duty: a join (加入);
- a recorded person on duty whom the file marks 调离/停用: a leave (离岗), refused while
  they coordinate open commissions (the refusal names them);
- a recorded person on duty in another department: a transfer (调动).

Each change is filed and approved by the importer (or the 批准人 of the row) and takes
effect at once when its effective date has come, else on that day (``flask apply-roster``).
A change filed now for a later day obeys 提前报备 (R-2.5: ``roster.check_filing``); a past
change copied from the paper roster without its filing date counts as filed that day.
A change already filed and not yet in effect is not filed twice, so a second import of the
same file changes nothing. Name, phone, title, e-mail and remarks are plain corrections.
The ID card number is never stored: only its SHA-256 is, as the person's key.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.choices import RosterChangeKind, StaffRole, StaffStatus
from app.domain import roster
from app.domain.validators import check_email, check_id_card, check_phone
from app.imports import cells, departments
from app.imports.spec import Action, Column, Kind, Outcome, RowRefused, Sheet, assign
from app.models import RosterChange, StaffMember

DEFAULT_REASON = "花名册导入"

COLUMNS = (
    Column("staff_no", _("Staff number"), cells.text(30), attr="staff_no", example="XB-001",
           note=_("The person's key, or give the ID card number: a person with this number "
                  "is updated, otherwise created.")),
    Column("id_card", _("ID card number"), cells.text(18, check_id_card, upper=True),
           width=22, note=_("Checked and kept only as a hash (the number is not stored).")),
    Column("name", _("Full name"), cells.text(50), required=True, attr="name", example="张协办"),
    Column("role", _("Role"), cells.choice(StaffRole), required=True, attr="role",
           example="协办员"),
    Column("department", _("Approval department"), cells.text(100), width=22,
           note=_("Required for a specialist: a department recorded or on this file's "
                  "departments sheet.")),
    Column("title", _("Job title"), cells.text(50), attr="title", example="科员"),
    Column("phone", _("Contact phone"), cells.text(30, check_phone), required=True,
           attr="phone", example="13800138001"),
    Column("email", _("E-mail"), cells.text(120, check_email), attr="email"),
    Column("status", _("Status"), cells.choice(StaffStatus), default=StaffStatus.active,
           example="在岗", note=_("在岗 files a join for someone not on duty; 调离 or 停用 "
                                  "files a leave for someone on duty.")),
    Column("admitted_on", _("Joined on"), cells.date, required=True,
           example=dt.date(2025, 1, 2), note=_("YYYY-MM-DD.")),
    Column("exited_on", _("Left on"), cells.date),
    Column("effective_on", _("Change effective on"), cells.date,
           note=_("When a join, leave or transfer takes effect; empty: the date joined "
                  "(join), left (leave), or today (transfer).")),
    Column("filed_on", _("Filed on"), cells.date, note=_("Empty: today (or the effective "
                                                         "date, if earlier).")),
    Column("reason", _("Reason"), cells.text(500), default=DEFAULT_REASON),
    Column("approved_by", _("Approved by"), cells.text(50),
           note=_("Empty: the person importing.")),
    Column("approved_on", _("Approved on"), cells.date, note=_("Empty: today.")),
    Column("remarks", _("Remarks"), cells.text(2000), attr="remarks"),
)
#: the plain corrections (not roster facts)
PLAIN = tuple(c for c in COLUMNS if c.attr is not None)


def id_card_hash(number: str) -> str:
    """The stored key of an ID card number (SHA-256 of the upper-case number)."""
    return hashlib.sha256(number.strip().upper().encode()).hexdigest()


def prepare(run: Any) -> None:
    by_no, by_card = run.table("staff_no"), run.table("staff_card")
    for person in run.session.scalars(sa.select(StaffMember)):
        if person.staff_no:
            by_no[person.staff_no] = person
        if person.id_card_hash:
            by_card[person.id_card_hash] = person
    pending = run.table("pending_change")
    for change in run.session.scalars(sa.select(RosterChange)
                                      .where(RosterChange.applied_on.is_(None))):
        pending[(change.staff_id, change.kind)] = change
    departments.prepare(run)


def keys(values: dict[str, Any]) -> list[tuple[str, Any]]:
    found = []
    if values.get("staff_no"):
        found.append(("staff_no", values["staff_no"]))
    if values.get("id_card"):
        found.append(("id_card", id_card_hash(values["id_card"])[:12]))
    return found


def _find(run: Any, values: dict[str, Any]) -> StaffMember | None:
    by_no, by_card = run.table("staff_no"), run.table("staff_card")
    person = by_no.get(values.get("staff_no")) if values.get("staff_no") else None
    card = id_card_hash(values["id_card"]) if values.get("id_card") else None
    carded = by_card.get(card) if card else None
    if person is not None and carded is not None and person is not carded:
        raise RowRefused(_("The staff number names %(name)s, the ID card another person.",
                           name=person.name))
    return person or carded


def _file(run: Any, person: StaffMember, kind: RosterChangeKind, values: dict[str, Any],
          effective_on: Any, **fields: Any) -> str:
    """File, approve and (when due) carry out one roster change; a note for the preview."""
    if (person.id, kind) in run.table("pending_change"):
        return ""  # filed by an earlier import (or by hand) and not in effect yet
    filed_on = values.get("filed_on") or min(run.today, effective_on)
    if filed_on > effective_on:
        raise RowRefused(_("A roster change takes effect on or after the day it is filed."))
    if values.get("filed_on") or effective_on > run.today:
        # 提前报备 for what is filed now; a past change copied from the paper roster
        # without its filing date is recorded as filed on the day it took effect.
        roster.check_filing(filed_on=filed_on, effective_on=effective_on, cal=run.cal,
                            notice_days=run.config["ROSTER_NOTICE_WORKING_DAYS"])
    approved_on = values.get("approved_on") or run.today
    change = RosterChange(staff=person, kind=kind, filed_on=filed_on, effective_on=effective_on,
                          reason=values.get("reason") or DEFAULT_REASON, **fields)
    run.session.add(change)
    run.session.flush()
    waiting = roster.approve(run.session, change, approved_by=values.get("approved_by")
                             or run.actor_name, approved_on=approved_on, today=run.today,
                             actor=run.actor)
    run.table("pending_change")[(person.id, kind)] = change
    if waiting is not None:
        raise RowRefused(waiting)
    if change.applied_on is None:
        return str(_("%(kind)s takes effect on %(day)s", kind=kind.label,
                     day=effective_on.isoformat()))
    return str(_("%(kind)s filed and in effect", kind=kind.label))


def upsert(run: Any, values: dict[str, Any]) -> Outcome:
    if not values.get("staff_no") and not values.get("id_card"):
        raise RowRefused(_("Give the staff number or the ID card number."))
    department = departments.find_department(run, values.get("department"))
    if values["role"] == StaffRole.specialist and department is None:
        raise RowRefused(_("A specialist must belong to an approval department."))
    off_duty = values["status"] in roster.OFF_DUTY
    if values.get("exited_on") and values["exited_on"] < values["admitted_on"]:
        raise RowRefused(_("The date of leaving is before the date of joining."))
    person = _find(run, values)
    created = person is None
    notes: list[str] = []
    if created:
        # Recorded off duty; a join (below) puts them on duty on its effective date.
        person = StaffMember(status=values["status"] if off_duty else StaffStatus.disabled,
                             admitted_on=values["admitted_on"], department=department,
                             exited_on=values.get("exited_on") if off_duty else None)
        run.session.add(person)
    if values.get("id_card"):
        person.id_card_hash = id_card_hash(values["id_card"])
        run.table("staff_card")[person.id_card_hash] = person
    if not created and values["role"] != person.role:
        held = roster.open_commissions(run.session, person.id)
        if held:
            raise RowRefused(_("%(name)s still coordinates open commissions (%(numbers)s): "
                               "reassign them before the role changes.", name=person.name,
                               numbers="、".join(str(c) for c in held)))
    if not values.get("staff_no"):  # a key is never emptied by a row naming the ID card
        values = {**values, "staff_no": person.staff_no}
    changed = assign(person, values, PLAIN)
    if person.staff_no:
        run.table("staff_no")[person.staff_no] = person
    run.session.flush()
    on_duty_now = person.status == StaffStatus.active
    if not off_duty and not on_duty_now:
        notes.append(_file(run, person, RosterChangeKind.join, values,
                           values.get("effective_on") or values["admitted_on"],
                           to_department=department))
    elif off_duty and on_duty_now:
        effective = values.get("effective_on") or values.get("exited_on")
        if effective is None:
            raise RowRefused(_("Give the date the person leaves (离岗日期 or 变动生效日期)."))
        notes.append(_file(run, person, RosterChangeKind.leave, values, effective))
    elif on_duty_now and department is not None and person.department is not department:
        notes.append(_file(run, person, RosterChangeKind.transfer, values,
                           values.get("effective_on") or run.today,
                           from_department=person.department, to_department=department))
    if created:
        return Outcome(Action.create, "；".join(notes))
    parts = (["、".join(str(header) for header in changed)] if changed else []) + [note for note in notes if note]
    return Outcome(Action.update, "；".join(parts)) if parts else Outcome(Action.unchanged)


SHEET = Sheet("staff", _("Staff roster"), COLUMNS, keys, upsert, prepare)

KIND = Kind("staff", _("Staff roster"), (departments.SHEET, SHEET), notes=(
    _("One row per person (coordinators and specialists). A person whose staff number (or ID "
      "card) is recorded is updated; importing the same file again changes nothing."),
    _("Joining, leaving and moving department are filed as roster changes (人员报备) with "
      "their approval and take effect on their effective date; nothing is changed silently."),
))
