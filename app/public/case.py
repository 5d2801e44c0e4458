"""What the unit sees of its commission (R-17.1): gathered from the domain, nothing of any
other commission. The plan against actual is the plan-slip domain's (app/domain/slips.py),
drawn as simple bars the page prints as SVG (no script)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.choices import UnitConfirmationKind, UnitContact
from app.domain import planning
from app.domain.contacts import Person, person
from app.domain.slips import Slip, plan_slips
from app.domain.workdays import WorkCalendar
from app.lifecycle.online import open_confirmations
from app.models import (
    Commission,
    ContactChange,
    Department,
    DocumentKind,
    FeeNotice,
    IssuedDocument,
    MaterialNotice,
    PlanVersion,
)
from app.states import ITEM_OPEN, ContactChangeState

#: the documents issued to the unit that its page lists and serves (meeting minutes name
#: other projects, the revisit record is the window's: not these)
UNIT_DOCUMENTS = (DocumentKind.application, DocumentKind.approval_plan,
                  DocumentKind.material_notice, DocumentKind.delivery_receipt,
                  DocumentKind.completion, DocumentKind.termination)


@dataclass(frozen=True)
class Bar:
    """One line of the simplified Gantt: the item, its planned and actual spans as
    percentages of the chart's width, and its slip."""

    slip: Slip
    planned: tuple[float, float] | None
    actual: tuple[float, float] | None
    running: bool


@dataclass
class CasePage:
    """Everything the unit's page shows."""

    commission: Commission
    contact: Person
    coordinator_name: str
    coordinator_phone: str
    window_phone: str | None
    plan: PlanVersion | None
    plan_confirmed: bool
    bars: list[Bar]
    today_at: float | None
    span: tuple[dt.date, dt.date] | None
    items: list[Any]
    notices: list[tuple[MaterialNotice, list[Any]]]
    fees: list[FeeNotice]
    documents: list[IssuedDocument]
    confirmations: list[UnitConfirmationKind]
    changes: list[ContactChange] = field(default_factory=list)
    pending_roles: set[UnitContact] = field(default_factory=set)


def _percent(day: dt.date, start: dt.date, days: int) -> float:
    return round(100 * (day - start).days / days, 2)


def gantt(rows: list[Slip], today: dt.date) -> tuple[list[Bar], float | None,
                                                      tuple[dt.date, dt.date] | None]:
    """The bars of ``rows`` on one scale from the first to the last day any of them spans,
    in percent; the position of today (None when it lies well outside: a plan far in the
    past or the future is not squeezed into a corner to show it); the span."""
    days = [d for r in rows for d in (r.planned_submit_on, r.planned_done_on, r.submitted_on,
                                      r.decided_on) if d is not None]
    if not days:
        return [], None, None
    start, end = min(days), max(days)
    margin = dt.timedelta(days=max((end - start).days // 4, 3))
    if start - margin <= today <= end + margin:
        start, end = min(start, today), max(end, today)
    length = max((end - start).days + 1, 1)
    today_at = _percent(today, start, length) if start <= today <= end else None

    def span(first: dt.date | None, last: dt.date | None) -> tuple[float, float] | None:
        if first is None or last is None:
            return None
        first, last = max(first, start), min(last, end)
        x = _percent(first, start, length)
        return x, max(round(100 * ((last - first).days + 1) / length, 2), 0.8)

    bars = [Bar(r, span(r.planned_submit_on, r.planned_done_on),
                span(r.submitted_on, r.decided_on or max(today, r.submitted_on or today)),
                r.item is not None and r.decided_on is None and r.submitted_on is not None)
            for r in rows]
    return bars, today_at, (start, end)


def _notices(session: Session, commission: Commission) -> list[tuple[MaterialNotice, list]]:
    """One-time notices with materials still to bring: lines of items not yet decided."""
    found = []
    for notice in session.scalars(sa.select(MaterialNotice).where(
            MaterialNotice.commission_id == commission.id)
            .order_by(MaterialNotice.issued_on.desc(), MaterialNotice.id.desc())):
        lines = [line for line in notice.lines if line.commission_item.state in ITEM_OPEN]
        if lines:
            found.append((notice, lines))
    return found


def _documents(session: Session, commission: Commission) -> list[IssuedDocument]:
    """The newest version of each document issued to the unit."""
    rows = session.scalars(sa.select(IssuedDocument).where(
        IssuedDocument.commission_id == commission.id, IssuedDocument.kind.in_(UNIT_DOCUMENTS))
        .order_by(IssuedDocument.issued_at.desc(), IssuedDocument.version.desc()))
    newest: dict[tuple[Any, Any], IssuedDocument] = {}
    for row in rows:
        newest.setdefault((row.kind, row.record_id), row)
    return sorted(newest.values(), key=lambda d: (UNIT_DOCUMENTS.index(d.kind), d.issued_at))


def unit_document(session: Session, commission_id: int, document_id: int) -> IssuedDocument | None:
    """Document ``document_id`` if it is one issued to this commission's unit, else None."""
    document = session.get(IssuedDocument, document_id)
    if document is None or document.commission_id != commission_id or \
            document.kind not in UNIT_DOCUMENTS:
        return None
    return document


def build(session: Session, commission: Commission, contact: UnitContact, *, today: dt.date,
          cal: WorkCalendar) -> CasePage:
    """The unit's page of ``commission``, seen by its ``contact``."""
    plan = planning.confirmed_plan(commission)
    confirmed = plan is not None
    if plan is None:
        plan = planning.latest_plan(commission)
    rows = plan_slips(session, commission, today=today, cal=cal, plan=plan) if plan else []
    bars, today_at, span = gantt(rows, today)
    coordinator = commission.coordinator
    window = session.scalars(sa.select(Department).where(Department.runs_window.is_(True))
                             .order_by(Department.id).limit(1)).first()
    fees = list(session.scalars(sa.select(FeeNotice).where(
        FeeNotice.commission_id == commission.id, FeeNotice.paid_on.is_(None))
        .order_by(FeeNotice.issued_on, FeeNotice.id)))
    changes = list(session.scalars(sa.select(ContactChange).where(
        ContactChange.commission_id == commission.id).order_by(ContactChange.reported_at.desc())
        .limit(5)))
    return CasePage(
        commission=commission, contact=person(commission.project.unit, contact),
        coordinator_name=coordinator.name if coordinator else "",
        coordinator_phone=coordinator.phone if coordinator else "",
        window_phone=window.contact_phone if window else None,
        plan=plan, plan_confirmed=confirmed, bars=bars, today_at=today_at, span=span,
        items=planning.current_items(commission), notices=_notices(session, commission),
        fees=fees, documents=_documents(session, commission),
        confirmations=open_confirmations(session, commission), changes=changes,
        pending_roles={c.contact for c in changes if c.state == ContactChangeState.pending},
    )
