"""Art.8 and Art.9: delivering the results, completing, and terminating a commission."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import TerminationReason
from app.domain.approvals import withdraw_open_items
from app.domain.notices import notify_unit
from app.domain import definitions as defs
from app.domain.planning import current_items, items_unloaded
from app.domain.deadlines import announcement_effective_on, confirmation_due_on, handover_due_on
from app.domain.transitions import check_move, move_commission, require
from app.domain.workdays import WorkCalendar
from app.models.commission import Commission
from app.models.items import CommissionItem, attempt_label
from app.models.delivery import Delivery, FeeNotice, ResultReceipt
from app.models.notification import Notification
from app.models.reference import ApprovalItem
from app.models.termination import Announcement, Termination
from app.notify.templates import Template, fee_fields
from app.states import COMMISSION_TERMINATION, ITEM_CLOSED, CommissionState


def open_items(commission: Commission) -> list:
    """Delegated items (latest attempts) not yet decided."""
    return [item for item in current_items(commission) if item.state not in ITEM_CLOSED]


def open_item_labels(commission: Commission) -> list[str]:
    """The open items as clerks name them (attempt_label), in delegation order. A replaced
    attempt is a refused one, so the open items are the current ones not decided."""
    session = items_unloaded(commission)
    if session is None:
        return [str(item) for item in open_items(commission)]
    rows = session.execute(
        sa.select(ApprovalItem.name, CommissionItem.attempt).join(CommissionItem.approval_item)
        .where(CommissionItem.commission_id == commission.id, defs.open_item())
        .order_by(CommissionItem.id))
    return [attempt_label(name, attempt) for name, attempt in rows]


def _no_open_items(commission: Commission) -> None:
    pending = open_item_labels(commission)
    require(not pending, _("Items still being handled: %(items)s", items="、".join(pending)))


def check_start_delivery(commission: Commission) -> None:
    """Whether the results may go to delivery: in progress, every item decided."""
    check_move(commission, CommissionState.delivering)
    _no_open_items(commission)


COLLECTION_PLACE = "区政务服务大厅协办专窗"


def _unpaid_fees(session: Session, commission: Commission) -> list[FeeNotice]:
    return list(session.scalars(
        sa.select(FeeNotice).where(FeeNotice.commission_id == commission.id,
                                   FeeNotice.paid_on.is_(None)).order_by(FeeNotice.id)))


def start_delivery(session: Session, commission: Commission, *, actor: Any = None,
                   collection_place: str = COLLECTION_PLACE) -> None:
    """Every item is decided: results go to the window; the unit is told to pay, and to
    collect once the paper results are at the window (R-8.5: ``tell_results_ready``)."""
    check_start_delivery(commission)
    move_commission(session, commission, CommissionState.delivering, actor=actor)
    unpaid = _unpaid_fees(session, commission)
    if unpaid:
        notify_unit(session, commission, Template.payment_reminder,
                    fee_fields((f.fee_name, f.amount) for f in unpaid))
    tell_results_ready(session, commission, collection_place=collection_place)


def results_ready_due() -> sa.ColumnElement:
    """Over Commission: delivering, paper results recorded as received at the window, and
    the unit not yet told to collect them (R-8.5)."""
    received = sa.select(ResultReceipt.id).where(
        ResultReceipt.commission_id == Commission.id).exists()
    told = sa.select(Notification.id).where(
        Notification.commission_id == Commission.id,
        Notification.template == Template.results_ready.value).exists()
    return sa.and_(Commission.state == CommissionState.delivering, received, ~told)


def tell_results_ready(session: Session, commission: Commission, *,
                       collection_place: str = COLLECTION_PLACE) -> bool:
    """"Results ready" to the unit, once: only when paper results are recorded as received
    at the window, naming the statutory fees still unpaid (R-8.5, R-3.1). True if queued."""
    session.flush()
    due = session.scalar(sa.select(Commission.id).where(Commission.id == commission.id,
                                                        results_ready_due()))
    if due is None:
        return False
    unpaid = _unpaid_fees(session, commission)
    fees_due = (f"尚需缴纳法定费用：{fee_fields((f.fee_name, f.amount) for f in unpaid)['fees']}，"
                "缴费后" if unpaid else "无需缴纳费用，")
    return notify_unit(session, commission, Template.results_ready,
                       {"collection_place": collection_place, "fees_due": fees_due}) is not None


def signed_delivery(session: Session, commission: Commission) -> Delivery | None:
    """A delivery of the commission whose 送达回执 is signed, if any."""
    return session.scalars(
        sa.select(Delivery).where(Delivery.commission_id == commission.id,
                                  Delivery.receipt_signed_on.is_not(None))
        .order_by(Delivery.receipt_signed_on.desc()).limit(1)
    ).first()


def check_complete(session: Session, commission: Commission) -> Delivery:
    """Whether the commission may be completed (办结); the signed delivery it rests on."""
    require(commission.state == CommissionState.delivering,
            _("Only a commission whose results are being delivered can be completed."))
    _no_open_items(commission)
    delivery = signed_delivery(session, commission)
    require(delivery is not None, _("The delivery receipt (送达回执) has not been signed yet."))
    return delivery


def complete(session: Session, commission: Commission, *, completed_on: dt.date,
             actor: Any = None) -> None:
    """办结: every delegated item decided and the delivery receipt signed (R-9.1)."""
    delivery = check_complete(session, commission)
    require(completed_on >= delivery.receipt_signed_on,
            _("The completion date cannot be before the receipt was signed."))
    move_commission(session, commission, CommissionState.completed, actor=actor,
                    completed_on=completed_on)


def check_terminate(commission: Commission) -> None:
    """Whether the termination procedure may start: open, not already terminating."""
    check_move(commission, CommissionState.terminating)


def terminate(session: Session, commission: Commission, *, reason: TerminationReason,
              reason_text: str | None, issued_on: dt.date, confirm_days: int,
              cal: WorkCalendar, actor: Any = None) -> Termination:
    """终止委托: the form is issued, the unit notified and given ``confirm_days`` to confirm."""
    check_terminate(commission)
    text = (reason_text or "").strip() or None
    require(reason != TerminationReason.other or text is not None,
            _("Describe the reason when it is “other”."))
    require(confirm_days >= 1, _("The confirmation period is at least one working day."))
    withdrawn = withdraw_open_items(session, commission, on=issued_on, reason=str(_(
        "Withdrawn: the commission's termination started on %(day)s (%(reason)s)",
        day=issued_on.isoformat(), reason=text or reason.label)))
    note = str(reason.label)
    if withdrawn:
        note = str(_("%(reason)s; items withdrawn: %(items)s", reason=reason.label,
                     items="、".join(str(item) for item in withdrawn)))
    move_commission(session, commission, CommissionState.terminating, actor=actor, note=note)
    termination = Termination(
        commission=commission, reason=reason, reason_text=text, issued_on=issued_on,
        unit_notified_on=issued_on,
        confirm_due_on=confirmation_due_on(issued_on, confirm_days, cal),
    )
    session.add(termination)
    notify_unit(session, commission, Template.termination_notice,
                {"reason": text or reason, "confirm_days": confirm_days})
    return termination


def _termination(commission: Commission) -> Termination:
    """The commission's termination form, through its relationship: loaded once however many
    steps ask (a case page asks three), and holding a form issued earlier in this
    transaction (the terminate step sets it)."""
    termination = (commission.termination if commission.state in COMMISSION_TERMINATION
                   else None)
    require(termination is not None, _("This commission has no termination form."))
    return termination


def check_confirm_termination(session: Session, commission: Commission) -> Termination:
    """Whether the unit's confirmation may be recorded; the termination it confirms."""
    check_move(commission, CommissionState.terminated)
    return _termination(commission)


def confirm_termination(session: Session, commission: Commission, *, confirmed_on: dt.date,
                        cal: WorkCalendar, actor: Any = None) -> Termination:
    """The unit confirmed: terminated; materials due back within 1 working day (R-10.3)."""
    termination = check_confirm_termination(session, commission)
    require(confirmed_on >= termination.issued_on,
            _("The unit cannot confirm before the termination form was issued."))
    move_commission(session, commission, CommissionState.terminated, actor=actor,
                    note=str(_("Confirmed by the unit")))
    _take_effect(commission, termination, confirmed_on, cal)
    termination.unit_confirmed_on = confirmed_on
    return termination


def _take_effect(commission: Commission, termination: Termination, on: dt.date,
                 cal: WorkCalendar) -> None:
    termination.effective_on = on
    termination.handover_due_on = handover_due_on(on, cal)
    commission.terminated_on = on


def check_handover(session: Session, commission: Commission) -> Termination:
    """Whether the materials' return may be recorded; the termination it belongs to."""
    termination = _termination(commission)
    check_handover_of(termination)
    return termination


def check_handover_of(termination: Termination) -> None:
    """The termination has taken effect and its materials are not yet recorded as returned."""
    require(termination.effective_on is not None,
            _("The termination has not taken effect yet."))
    require(termination.handed_over_on is None,
            _("The materials' return is already recorded."))


def record_handover(termination: Termination, *, on: dt.date) -> None:
    """The materials were handed back to the unit."""
    check_handover_of(termination)
    require(on >= termination.issued_on, _("The handover cannot be before the form was issued."))
    termination.handed_over_on = on


def check_announce(session: Session, commission: Commission) -> Termination:
    """Whether the termination may be announced: pending the unit's confirmation."""
    check_move(commission, CommissionState.announced)
    return _termination(commission)


def announce(session: Session, commission: Commission, *, published_on: dt.date, url: str,
             cal: WorkCalendar, actor: Any = None) -> Announcement:
    """The unit did not confirm in time: publish on the government service website (R-10.4)."""
    termination = check_announce(session, commission)
    require(termination.confirm_due_on is not None and published_on > termination.confirm_due_on,
            _("The unit still has until %(due)s to confirm; announce only after that.",
              due=termination.confirm_due_on))
    link = (url or "").strip()
    parts = urlsplit(link)
    require(parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in link,
            _("Give the announcement's web address (http:// or https://)."))
    move_commission(session, commission, CommissionState.announced, actor=actor, note=link)
    announcement = Announcement(
        termination=termination, published_on=published_on, url=link,
        effective_on=announcement_effective_on(published_on, cal),
    )
    session.add(announcement)
    notify_unit(session, commission, Template.announcement,
                {"announced_on": published_on, "link": link})
    return announcement


def apply_announcement(session: Session, commission: Commission, *, today: dt.date,
                       cal: WorkCalendar) -> bool:
    """10 working days after the announcement the termination counts as confirmed.

    Returns True when it took effect now; False when not due (or already applied).
    """
    termination = _termination(commission)
    announcement = termination.announcement
    if announcement is None or announcement.effective_on is None:
        return False
    if announcement.effective_on > today or commission.state != CommissionState.announced:
        return False
    move_commission(session, commission, CommissionState.terminated,
                    note=str(_("Deemed confirmed 10 working days after the announcement")))
    _take_effect(commission, termination, announcement.effective_on, cal)
    return True

