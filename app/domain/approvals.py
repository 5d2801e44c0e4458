"""Art.7: each delegated item through the department (R-6.1, R-6.2, R-6.6).

待申报 → 已申报 → 已受理 → (补正中: the clock stops) → 准予许可 / 不予许可.
The promised deadline runs from acceptance for the catalogue's working days, extended by
the working days spent waiting for supplements. A refusal is recorded with its reasons;
the coordinator records when the unit was told; a re-application is a new attempt.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.domain.deadlines import item_due_on
from app.domain.notices import notify_unit
from app.domain.transitions import check_move, move_item, require
from app.domain.workdays import WorkCalendar
from app.models.commission import Commission
from app.choices import StaffRole
from app.models.casework import MaterialNotice, MaterialNoticeLine
from app.models.items import CommissionItem, ItemSupplement
from app.notify.templates import Template
from app.models.organisation import StaffMember
from app.states import COMMISSION_OPEN, ITEM_OPEN, ItemState


def _periods(item: CommissionItem) -> list[tuple[dt.date, dt.date | None]]:
    return [(s.requested_on, s.received_on) for s in item.supplements]


def _tell_unit(session: Session, item: CommissionItem, template: Template,
               **fields: Any) -> None:
    """The unit hears of the item's event through the outbox (Art.5, R-6.8); not before
    its application was accepted (no application number to name it by yet)."""
    if not item.commission.application_no:
        return
    notify_unit(session, item.commission, template, {
        "item_name": item.approval_item.name,
        "department_name": item.approval_item.department.name, **fields})


def notice_materials(session: Session, item: CommissionItem) -> str:
    """The item's lines of its newest one-time notice (一次性告知书), as the 补正 message
    lists them: "material（missing / insufficient：note）"; empty when there is none."""
    lines = session.scalars(
        sa.select(MaterialNoticeLine).join(MaterialNotice)
        .where(MaterialNoticeLine.commission_item_id == item.id)
        .order_by(MaterialNotice.issued_on.desc(), MaterialNotice.id.desc(),
                  MaterialNoticeLine.id)).all()
    if not lines:
        return ""
    newest = lines[0].notice_id
    words = {"missing": "缺少", "insufficient": "不符合要求"}
    return "；".join(
        f"{line.material_name}（{words.get(line.problem.value, '')}"
        f"{'：' + line.note if line.note else ''}）"
        for line in lines if line.notice_id == newest)


def refresh_due_on(item: CommissionItem, today: dt.date, cal: WorkCalendar) -> None:
    """Recompute the stored deadline of ``item`` from its facts."""
    item.due_on = item_due_on(item.accepted_on, item.approval_item.promised_days,
                              _periods(item), today, cal)


def _open_commission(item: CommissionItem) -> None:
    require(item.commission.state in COMMISSION_OPEN,
            _("The commission of this item is closed."))


def check_submit(item: CommissionItem) -> None:
    """Whether the item may be submitted to its department: still to be submitted."""
    _open_commission(item)
    check_move(item, ItemState.submitted)


def submit(session: Session, item: CommissionItem, *, on: dt.date) -> None:
    """The materials were handed in to the department (已申报)."""
    check_submit(item)
    move_item(session, item, ItemState.submitted, submitted_on=on)


def check_accept(item: CommissionItem) -> None:
    """Whether the department's acceptance may be recorded: the item was submitted."""
    _open_commission(item)
    require(item.state == ItemState.submitted and item.submitted_on is not None,
            _("Only a submitted item can be accepted."))


def accept(session: Session, item: CommissionItem, *, on: dt.date, cal: WorkCalendar) -> None:
    """The department accepted the application (已受理): the promised limit starts."""
    check_accept(item)
    require(on >= item.submitted_on,
            _("Acceptance cannot be before submission."))
    move_item(session, item, ItemState.accepted, accepted_on=on)
    refresh_due_on(item, on, cal)
    _tell_unit(session, item, Template.item_accepted, accepted_on=on,
               promised_days=item.approval_item.promised_days)


def check_request_supplement(item: CommissionItem) -> None:
    """Whether a supplement (补正) may be requested: the item is accepted."""
    _open_commission(item)
    check_move(item, ItemState.supplementing)
    require(item.accepted_on is not None,
            _("A supplement cannot be requested before acceptance."))


def request_supplement(session: Session, item: CommissionItem, *, on: dt.date,
                       note: str | None = None) -> ItemSupplement:
    """The department asks for supplementary materials (补正): the clock stops."""
    check_request_supplement(item)
    require(on >= item.accepted_on,
            _("A supplement cannot be requested before acceptance."))
    move_item(session, item, ItemState.supplementing)
    supplement = ItemSupplement(commission_item=item, requested_on=on, note=note)
    session.add(supplement)
    # the message carries the one-time notice (else the department's note)
    materials = notice_materials(session, item) or (note or "").strip() or "详见《申报材料一次性告知书》"
    _tell_unit(session, item, Template.item_supplement, materials=materials)
    return supplement


def check_receive_supplement(item: CommissionItem) -> list[ItemSupplement]:
    """Whether a supplement may be received: one is pending; the pending ones."""
    _open_commission(item)
    require(item.state == ItemState.supplementing, _("No supplement is pending for this item."))
    pending = [s for s in item.supplements if s.received_on is None]
    require(bool(pending), _("No supplement is pending for this item."))
    return pending


def receive_supplement(session: Session, item: CommissionItem, *, on: dt.date,
                       cal: WorkCalendar) -> None:
    """The supplement is in: the clock runs again and the deadline moves by the pause."""
    pending = check_receive_supplement(item)
    require(on >= pending[-1].requested_on,
            _("The supplement cannot arrive before it was requested."))
    move_item(session, item, ItemState.accepted)
    pending[-1].received_on = on
    refresh_due_on(item, on, cal)


def _decidable(item: CommissionItem, target: ItemState) -> None:
    _open_commission(item)
    check_move(item, target)
    require(item.submitted_on is not None, _("The decision cannot be before submission."))


def check_decider(session: Session, item: CommissionItem, actor: Any) -> None:
    """Whether ``actor`` (a signed-in account; None: the system) may record the decision on
    ``item``: a specialist (专办员) decides only items of their own department (R-6.9)."""
    user_id = getattr(actor, "id", None)
    if user_id is None:
        return
    staff = session.scalars(sa.select(StaffMember).where(StaffMember.user_id == user_id)).first()
    if staff is None or staff.role != StaffRole.specialist:
        return
    department = item.approval_item.department
    require(staff.department_id == department.id,
            _("A specialist decides only items of their own department (this item is "
              "%(department)s's).", department=department.name))


def check_approve(item: CommissionItem) -> None:
    """Whether the item may be approved (准予许可): accepted, its clock running."""
    _decidable(item, ItemState.approved)


def check_refuse(item: CommissionItem) -> None:
    """Whether the item may be refused (不予许可): submitted and not yet decided."""
    _decidable(item, ItemState.refused)


def approve(session: Session, item: CommissionItem, *, on: dt.date,
            result_document: str | None = None, actor: Any = None) -> None:
    """准予许可 (by ``actor``: a specialist of another department may not, R-6.9)."""
    check_approve(item)
    check_decider(session, item, actor)
    require(on >= item.submitted_on,
            _("The decision cannot be before submission."))
    move_item(session, item, ItemState.approved, decided_on=on, result_document=result_document)
    _tell_unit(session, item, Template.item_approved, decided_on=on)


def refuse(session: Session, item: CommissionItem, *, on: dt.date, reason: str,
           actor: Any = None) -> None:
    """不予许可, recorded by the specialist with reasons (R-6.2; R-6.9 as ``approve``)."""
    check_refuse(item)
    check_decider(session, item, actor)
    require(bool(reason and reason.strip()), _("Give the reasons for the refusal."))
    require(on >= item.submitted_on,
            _("The decision cannot be before submission."))
    move_item(session, item, ItemState.refused, decided_on=on, refusal_reason=reason.strip())
    _tell_unit(session, item, Template.item_refused, reason=reason.strip())


def check_record_unit_informed(item: CommissionItem) -> None:
    """Whether telling the unit of the refusal may be recorded: refused, not yet told."""
    require(item.state == ItemState.refused, _("Only a refused item is explained to the unit."))
    require(item.unit_informed_on is None, _("The unit was already told of this refusal."))
    require(item.decided_on is not None, _("The unit cannot be told before the decision."))


def record_unit_informed(item: CommissionItem, *, on: dt.date) -> None:
    """The coordinator told the unit about the refusal (R-6.2)."""
    check_record_unit_informed(item)
    require(on >= item.decided_on,
            _("The unit cannot be told before the decision."))
    item.unit_informed_on = on


def check_reapply(session: Session, item: CommissionItem) -> None:
    """Whether the refused item may be re-applied: the unit was told, not re-applied yet."""
    _open_commission(item)
    require(item.state == ItemState.refused, _("Only a refused item can be re-applied."))
    require(item.unit_informed_on is not None,
            _("Record first that the unit was told about the refusal."))
    already = session.scalar(
        sa.select(sa.func.count()).select_from(CommissionItem)
        .where(CommissionItem.previous_attempt_id == item.id)
    )
    require(already == 0, _("This refusal has already been re-applied."))


def reapply(session: Session, item: CommissionItem) -> CommissionItem:
    """A new attempt at a refused item, linked to the refused one (R-6.2)."""
    check_reapply(session, item)
    attempt = CommissionItem(
        commission=item.commission, approval_item=item.approval_item,
        attempt=item.attempt + 1, previous_attempt=item, specialist=item.specialist,
        # the confirmed plan's line stays the item's until a new plan is confirmed
        planned_submit_on=item.planned_submit_on, planned_done_on=item.planned_done_on,
    )
    session.add(attempt)
    return attempt


def withdraw_open_items(session: Session, commission: Commission, *, on: dt.date,
                        reason: str) -> list[CommissionItem]:
    """The commission's termination started on ``on``: every undecided item is withdrawn
    (已撤回, R-10.5) with ``reason``; its clock stops for good and no step moves it again.
    Called by the terminate step only (app/domain/closing.terminate)."""
    withdrawn = []
    for item in list(commission.items):
        if item.state in ITEM_OPEN:
            move_item(session, item, ItemState.withdrawn, withdrawn_on=on,
                      withdrawal_reason=reason)
            withdrawn.append(item)
    return withdrawn
