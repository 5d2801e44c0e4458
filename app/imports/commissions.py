"""Importing past commissions and their items (the paper ledger), on 申请编号 (R-18.1).

A commission keeps its number as written; when the number is in the configured format
(APPLICATION_NO_FORMAT) the counter of its year moves past it, so that numbers the system
gives later never collide (app/domain/numbering.py). It enters the lifecycle in its state
through app/domain/corrections.enter_imported: the state's required dates are checked and
ordered, the history says "imported", and the deadlines the dates drive are computed.

A commission (or item) already recorded is not moved by an import: the system is the record
from then on. A recorded date the file gives differently is corrected by the lifecycle's
own correction step (更正日期, with the reason in the history); a different state is refused.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.choices import ContactMethod, DelegationScope, StaffRole
from app.domain import corrections, intake, numbering
from app.imports import catalogue, cells
from app.imports.spec import Action, Column, Kind, Outcome, RowRefused, Sheet
from app.lifecycle.commission import COMMISSION
from app.lifecycle.item import ITEM
from app.lifecycle.step import Context
from app.models import Commission, CommissionItem, CoordinatorAssignment, Project, StaffMember
from app.states import CommissionState, ItemState

REASON = "导入纸质台账时更正"
D = dt.date


def _choice_of(table: dict) -> tuple[Any, ...]:
    """The states a column offers: those the import accepts."""
    return tuple(table)


COMMISSION_COLUMNS = (
    Column("application_no", _("Application number"), cells.text(30), required=True,
           example="JCXB-2025-0001", width=18,
           note=_("As written on the paper ledger: the commission's key. The year's counter "
                  "moves past it so that new numbers never collide.")),
    Column("project_code", _("Project code"), cells.text(28), required=True, width=28,
           example="2026-441702-70-03-012345", note=_("A project already recorded.")),
    Column("scope", _("Delegation scope"), cells.choice(DelegationScope),
           default=DelegationScope.partial, example="部分委托"),
    Column("state", _("State"),
           cells.choice(CommissionState, _choice_of(corrections.IMPORTABLE)), required=True,
           example="已办结", width=14),
    Column("coordinator", _("Coordinator"), cells.text(50), example="XB-001",
           note=_("The coordinator's staff number or name.")),
    Column("applied_on", _("Application confirmed on"), cells.date, required=True,
           example=D(2025, 3, 3)),
    Column("assigned_on", _("Assigned on"), cells.date, example=D(2025, 3, 3)),
    Column("contact_method", _("Contact method"), cells.choice(ContactMethod), example="电话"),
    Column("contacted_on", _("Contacted on"), cells.date, example=D(2025, 3, 4)),
    Column("plan_confirmed_on", _("Plan confirmed on"), cells.date, example=D(2025, 3, 10)),
    Column("completed_on", _("Completed on"), cells.date, example=D(2025, 6, 30)),
    Column("terminated_on", _("Terminated on"), cells.date),
    Column("intention", _("Delegation intention"), cells.text(2000)),
    Column("remarks", _("Remarks"), cells.text(2000)),
)
COMMISSION_DATES = tuple(corrections.COMMISSION_DATES)

ITEM_COLUMNS = (
    Column("application_no", _("Application number"), cells.text(30), required=True,
           example="JCXB-2025-0001", width=18,
           note=_("A commission on the first sheet or already recorded.")),
    Column("item_code", _("Item code"), cells.text(40), example="JC-S1-001",
           note=_("The catalogue item, by its code (or give its name).")),
    Column("item_name", _("Item name"), cells.text(100), width=28),
    Column("state", _("Item state"),
           cells.choice(ItemState, _choice_of(corrections.ITEM_IMPORTABLE)), required=True,
           example="准予许可"),
    Column("specialist", _("Specialist"), cells.text(50),
           note=_("The specialist's staff number or name, of the item's department.")),
    Column("submitted_on", _("Submitted on"), cells.date, example=D(2025, 3, 12)),
    Column("accepted_on", _("Accepted on"), cells.date, example=D(2025, 3, 13)),
    Column("decided_on", _("Decided on"), cells.date, example=D(2025, 3, 20)),
    Column("refusal_reason", _("Refusal reason"), cells.text(2000)),
    Column("unit_informed_on", _("Unit informed on"), cells.date),
)
ITEM_DATES = tuple(corrections.ITEM_DATES)


def _staff(run: Any, text: str | None, role: StaffRole) -> StaffMember | None:
    """The person a cell names, by staff number or by a name only one person has."""
    if not text:
        return None
    people = run.table(f"staff:{role.value}:{text}")
    if "found" not in people:
        people["found"] = run.session.scalars(
            sa.select(StaffMember).where(sa.or_(StaffMember.staff_no == text,
                                                StaffMember.name == text))
            .where(StaffMember.role == role)).all()
    found = people["found"]
    by_number = [p for p in found if p.staff_no == text]
    if by_number:
        return by_number[0]
    if len(found) != 1:
        raise RowRefused(_("“%(who)s” names no single %(role)s; give the staff number.",
                           who=text, role=role.label))
    return found[0]


def _commission(run: Any, number: str) -> Commission | None:
    table = run.table("commission_no")
    if number not in table:
        table[number] = run.session.scalar(
            sa.select(Commission).where(Commission.application_no == number))
    return table[number]


def _context(run: Any) -> Context:
    return Context(actor=run.actor, today=run.today, cal=run.cal, config=run.config)


def _correct(run: Any, lifecycle_record: Any, dates: dict[str, Any]) -> list[str]:
    """Dates recorded otherwise than the file says, corrected by the correction step."""
    changed = []
    labels = corrections.correctable(lifecycle_record)
    for name, value in dates.items():
        recorded = getattr(lifecycle_record, name)
        if value == recorded:
            continue
        if recorded is None or value is None:
            raise RowRefused(_("%(date)s differs from the record; record it through its step.",
                               date=corrections.COMMISSION_DATES.get(name)
                               or corrections.ITEM_DATES.get(name)))
        lifecycle = COMMISSION if isinstance(lifecycle_record, Commission) else ITEM
        lifecycle.step("correct_date").run(run.session, lifecycle_record, _context(run),
                                           field=name, value=value, reason=REASON)
        changed.append(str(labels[name]))
    return changed


def _existing(run: Any, record: Any, state: Any, dates: dict[str, Any]) -> Outcome:
    if record.state != state:
        raise RowRefused(_("It is recorded in state “%(state)s”; an import does not move a "
                           "recorded case.", state=record.state.label))
    changed = _correct(run, record, dates)
    if changed:
        return Outcome(Action.update, "、".join(changed))
    return Outcome(Action.unchanged)


def upsert_commission(run: Any, values: dict[str, Any]) -> Outcome:
    number = values["application_no"]
    dates = {name: values.get(name) for name in COMMISSION_DATES}
    recorded = _commission(run, number)
    if recorded is not None:
        return _existing(run, recorded, values["state"], dates)
    project = run.session.scalar(sa.select(Project)
                                 .where(Project.project_code == values["project_code"]))
    if project is None:
        raise RowRefused(_("No project with code %(code)s is recorded.",
                           code=values["project_code"]))
    coordinator = _staff(run, values.get("coordinator"), StaffRole.coordinator)
    if coordinator is None and values.get("assigned_on") is not None:
        raise RowRefused(_("An assigned commission names its coordinator."))
    commission = Commission(application_no=number, project=project, scope=values["scope"],
                            coordinator=coordinator, contact_method=values.get("contact_method"),
                            intention=values.get("intention"), remarks=values.get("remarks"))
    corrections.check_enter_imported(commission, values["state"], dates)
    if values["state"].is_open:
        intake.check_one_open_commission(run.session, project)
    run.session.add(commission)
    corrections.enter_imported(run.session, commission, state=values["state"], dates=dates,
                               today=run.today, cal=run.cal, actor=run.actor)
    if coordinator is not None and values.get("assigned_on") is not None:
        run.session.add(CoordinatorAssignment(commission=commission, staff=coordinator,
                                              assigned_on=values["assigned_on"]))
    parsed = numbering.parse_application_no(number, run.config["APPLICATION_NO_FORMAT"])
    if parsed is not None:
        numbering.reserve_up_to(run.session, *parsed)
    run.table("commission_no")[number] = commission
    run.session.flush()
    return Outcome(Action.create)


def upsert_item(run: Any, values: dict[str, Any]) -> Outcome:
    commission = _commission(run, values["application_no"])
    if commission is None:
        raise RowRefused(_("No commission %(number)s is recorded or on this file.",
                           number=values["application_no"]))
    if not values.get("item_code") and not values.get("item_name"):
        raise RowRefused(_("Name the approval item (code or name)."))
    approval_item = catalogue.find_item(run, values.get("item_code"), values.get("item_name"))
    if approval_item is None:
        raise RowRefused(_("No approval item “%(item)s” is in the catalogue.",
                           item=values.get("item_code") or values.get("item_name")))
    dates = {name: values.get(name) for name in ITEM_DATES}
    recorded = run.session.scalar(sa.select(CommissionItem).where(
        CommissionItem.commission_id == commission.id,
        CommissionItem.approval_item_id == approval_item.id, CommissionItem.attempt == 1))
    if recorded is not None:
        return _existing(run, recorded, values["state"], dates)
    intake.check_delegable([approval_item])
    specialist = _staff(run, values.get("specialist"), StaffRole.specialist)
    if specialist is not None and specialist.department_id != approval_item.department_id:
        raise RowRefused(_("%(name)s is not a specialist of %(department)s.",
                           name=specialist.name, department=approval_item.department.name))
    if values["state"] == ItemState.refused and not values.get("refusal_reason"):
        raise RowRefused(_("A refused item gives the reasons."))
    item = CommissionItem(commission=commission, approval_item=approval_item,
                          specialist=specialist, refusal_reason=values.get("refusal_reason"))
    corrections.check_enter_imported(item, values["state"], dates)
    run.session.add(item)
    corrections.enter_imported(run.session, item, state=values["state"], dates=dates,
                               today=run.today, cal=run.cal, actor=run.actor)
    return Outcome(Action.create)


def commission_keys(values: dict[str, Any]) -> list[tuple[str, Any]]:
    return [("application_no", values.get("application_no"))]


def item_keys(values: dict[str, Any]) -> list[tuple[str, Any]]:
    item = values.get("item_code") or values.get("item_name")
    return [("item", f"{values.get('application_no')} {item}")]


COMMISSIONS = Sheet("commissions", _("Commissions"), COMMISSION_COLUMNS, commission_keys,
                    upsert_commission)
ITEMS = Sheet("items", _("Delegated items"), ITEM_COLUMNS, item_keys, upsert_item,
              optional=True)

KIND = Kind("commissions", _("Past commissions (paper ledger)"), (COMMISSIONS, ITEMS), notes=(
    _("One row per commission on the first sheet, one row per delegated item on the second. "
      "A commission whose number is recorded is not moved: a date given differently is "
      "corrected (with the reason in its history), a different state is refused. Importing "
      "the same file again changes nothing."),
    _("Projects, staff and the catalogue are imported first; the rows name them."),
))
