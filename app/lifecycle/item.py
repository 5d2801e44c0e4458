"""A delegated item's steps (R-6.1, R-6.2): 待申报 → 已申报 → 已受理 → (补正中) → 准予 / 不予
许可, telling the unit of a refusal, re-applying, and correcting a recorded date."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.domain import approvals, corrections
from app.lifecycle.commission import correct_date
from app.lifecycle.step import Context, Lifecycle, Step, on_record
from app.models import CommissionItem
from app.notify.templates import Template
from app.states import ItemState


def _submit(session: Session, i: CommissionItem, ctx: Context, *, on: dt.date) -> None:
    approvals.submit(session, i, on=on)


def _accept(session: Session, i: CommissionItem, ctx: Context, *, on: dt.date) -> None:
    approvals.accept(session, i, on=on, cal=ctx.cal)


def _supplement(session: Session, i: CommissionItem, ctx: Context, *, on: dt.date,
                note: str | None = None) -> Any:
    return approvals.request_supplement(session, i, on=on, note=note or None)


def _supplement_in(session: Session, i: CommissionItem, ctx: Context, *, on: dt.date) -> None:
    approvals.receive_supplement(session, i, on=on, cal=ctx.cal)


def _approve(session: Session, i: CommissionItem, ctx: Context, *, on: dt.date,
             result_document: str | None = None) -> None:
    approvals.approve(session, i, on=on, result_document=result_document or None,
                      actor=ctx.actor)


def _refuse(session: Session, i: CommissionItem, ctx: Context, *, on: dt.date,
            reason: str) -> None:
    approvals.refuse(session, i, on=on, reason=reason, actor=ctx.actor)


def _informed(session: Session, i: CommissionItem, ctx: Context, *, on: dt.date) -> None:
    approvals.record_unit_informed(i, on=on)


def _reapply(session: Session, i: CommissionItem, ctx: Context) -> CommissionItem:
    return approvals.reapply(session, i)


S = ItemState
ITEM = Lifecycle("item", CommissionItem, (
    Step("submit", _("Submitted to department"), on_record(approvals.check_submit), _submit,
         moves_to=S.submitted),
    Step("accept", _("Accepted by department"), on_record(approvals.check_accept), _accept,
         moves_to=S.accepted, notifies=(Template.item_accepted,)),
    Step("supplement", _("Supplement requested"), on_record(approvals.check_request_supplement),
         _supplement, moves_to=S.supplementing, style="warning",
         notifies=(Template.item_supplement,)),
    Step("supplement_in", _("Supplement received"),
         on_record(approvals.check_receive_supplement), _supplement_in, moves_to=S.accepted),
    Step("approve", _("Approved"), on_record(approvals.check_approve), _approve,
         moves_to=S.approved, style="success", by=approvals.check_decider,
         notifies=(Template.item_approved,)),
    Step("refuse", _("Refused"), on_record(approvals.check_refuse), _refuse,
         moves_to=S.refused, style="danger", by=approvals.check_decider,
         notifies=(Template.item_refused,)),
    Step("informed", _("Unit told of refusal"),
         on_record(approvals.check_record_unit_informed), _informed),
    Step("reapply", _("Re-apply"), approvals.check_reapply, _reapply),
    Step("correct_date", _("Correct a date"), on_record(corrections.check_correct),
         correct_date, style="default"),
))
