"""Which documents exist, what record each prints, and where its data comes from.

``SPECS`` is the one table of document kinds: the template, the record model (None: the
commission itself), the printed title and the function gathering the template's data.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.documents import forms, papers
from app.domain.planning import latest_plan
from app.domain.workdays import WorkCalendar
from app.models import (
    Commission,
    CoordinationMeeting,
    Delivery,
    DocumentKind,
    IssuedDocument,
    MaterialNotice,
    PlanVersion,
    Revisit,
)
from app.models.meetings import meeting_commission
from app.states import CommissionState

PREFIX = "阳江市江城区工程建设项目"


@dataclass(frozen=True)
class Spec:
    """How one kind of document is made."""

    kind: DocumentKind
    template: str
    heading: str
    record_model: type | None
    build: Callable[[Commission, Any], dict[str, Any]]
    #: the qualifier in the archive's title (a date, a version), from the record
    qualifier: Callable[[Any], str] = lambda record: ""
    #: the deadlines and planned dates the paper prints (R-12.2: warned about when their
    #: year's holidays are not confirmed)
    deadlines: Callable[[Commission, Any], list[dt.date]] = lambda commission, record: []


SPECS: dict[DocumentKind, Spec] = {spec.kind: spec for spec in (
    Spec(DocumentKind.application, "application.html", "委托协办申请表", None,
         lambda c, r: forms.application_form(c)),
    Spec(DocumentKind.completion, "completion.html", "协办办结单", None,
         lambda c, r: forms.completion_form(c)),
    Spec(DocumentKind.termination, "termination.html", "协办委托终止单", None,
         lambda c, r: forms.termination_form(c),
         deadlines=lambda c, r: [c.termination.handover_due_on]
         if c.termination.handover_due_on and c.termination.handed_over_on is None else []),
    Spec(DocumentKind.approval_plan, "approval_plan.html", "审批进度计划表", PlanVersion,
         papers.approval_plan, lambda r: f"第{r.version}版",
         lambda c, r: [d for s in r.steps for d in (s.planned_submit_on, s.planned_done_on)]),
    Spec(DocumentKind.material_notice, "material_notice.html", "申报材料一次性告知书",
         MaterialNotice, papers.material_notice, lambda r: r.issued_on.isoformat()),
    Spec(DocumentKind.delivery_receipt, "delivery_receipt.html", "送达回执", Delivery,
         papers.delivery_receipt, lambda r: r.delivered_on.isoformat()),
    Spec(DocumentKind.meeting_minutes, "meeting_minutes.html", "会议纪要", CoordinationMeeting,
         papers.meeting_minutes, lambda r: f"{r.held_on.isoformat()} {r.title}",
         lambda c, r: [a.due_on for a in r.action_items if a.due_on]),
    Spec(DocumentKind.revisit_record, "revisit_record.html", "协办回访记录表", Revisit,
         papers.revisit_record, lambda r: r.visited_on.isoformat()),
)}


def title(kind: DocumentKind, record: Any = None) -> str:
    """The archive's title of a document: its heading, and which record (date, version)."""
    spec = SPECS[kind]
    heading = spec.heading
    if kind == DocumentKind.meeting_minutes and record is not None:
        heading = papers.MEETING_TITLES[record.kind]
    qualifier = spec.qualifier(record) if record is not None else ""
    return f"{heading}（{qualifier}）" if qualifier else heading


def context(kind: DocumentKind, commission: Commission | None, record: Any = None,
            cal: WorkCalendar | None = None) -> dict:
    """The template's data for ``kind`` of ``commission`` (and ``record``).

    With ``cal``, ``unknown_years`` lists the years of the paper's dates whose holidays are
    not confirmed (R-12.2): the paper says they were counted on weekends only.
    """
    spec = SPECS[kind]
    data = spec.build(commission, record)
    unknown: list[int] = []
    if cal is not None:
        unknown = cal.fallback_years(d.year for d in spec.deadlines(commission, record))
    return {"prefix": PREFIX, "heading": data.pop("heading", spec.heading),
            "unknown_years": unknown, **data}


def available(kind: DocumentKind, commission: Commission) -> bool:
    """Whether a commission-level document can be printed in the commission's state."""
    if kind == DocumentKind.completion:
        return commission.state == CommissionState.completed and commission.completed_on is not None
    if kind == DocumentKind.termination:
        return commission.termination is not None
    return kind == DocumentKind.application


def belongs(record: Any, commission: Commission) -> bool:
    """The record is one of the commission's (a meeting: the commission was discussed)."""
    if isinstance(record, CoordinationMeeting):
        return any(c.id == commission.id for c in record.commissions)
    return getattr(record, "commission_id", None) == commission.id


def record_of(session: Session, kind: DocumentKind, commission: Commission,
              record_id: int | None) -> Any:
    """The record ``record_id`` of ``kind`` if it belongs to ``commission``, else None.

    For the approval plan without a record id, the newest plan version.
    """
    model = SPECS[kind].record_model
    if model is None:
        return None
    if record_id is None:
        if kind != DocumentKind.approval_plan:
            return None
        return latest_plan(commission)
    record = session.get(model, record_id)
    return record if record is not None and belongs(record, commission) else None


def records(session: Session, commission: Commission) -> list[tuple[DocumentKind, Any]]:
    """Everything printable for ``commission``: its forms, then its papers kind by kind."""
    found: list[tuple[DocumentKind, Any]] = [
        (kind, None) for kind in (DocumentKind.application, DocumentKind.completion,
                                  DocumentKind.termination) if available(kind, commission)]

    def rows(model: type, order: Any) -> list[Any]:
        return list(session.scalars(sa.select(model).where(
            model.commission_id == commission.id).order_by(order, model.id)))

    found += [(DocumentKind.approval_plan, r) for r in rows(PlanVersion, PlanVersion.version)]
    found += [(DocumentKind.material_notice, r)
              for r in rows(MaterialNotice, MaterialNotice.issued_on)]
    found += [(DocumentKind.delivery_receipt, r) for r in rows(Delivery, Delivery.delivered_on)]
    meetings = session.scalars(
        sa.select(CoordinationMeeting).join(meeting_commission)
        .where(meeting_commission.c.commission_id == commission.id)
        .order_by(CoordinationMeeting.held_on, CoordinationMeeting.id))
    found += [(DocumentKind.meeting_minutes, r) for r in meetings]
    found += [(DocumentKind.revisit_record, r) for r in rows(Revisit, Revisit.visited_on)]
    return found


def printable(session: Session, commission: Commission,
              kind: DocumentKind) -> list[tuple[DocumentKind, Any]]:
    """What printing ``kind`` for ``commission`` prints: the commission-level form if the
    state has it, the newest plan version, or every record of a paper."""
    if SPECS[kind].record_model is None:
        return [(kind, None)] if available(kind, commission) else []
    if kind == DocumentKind.approval_plan:
        plan = record_of(session, kind, commission, None)
        return [(kind, plan)] if plan is not None else []
    return [(k, r) for k, r in records(session, commission) if k == kind]


def issued_for(session: Session, record: Any) -> bool:
    """True when a document was issued from ``record`` (a plan, a notice, a delivery, ...):
    the archive points to it, so it is kept as it was printed (R-15.3, R-16.3)."""
    kinds = [kind for kind, spec in SPECS.items()
             if spec.record_model is not None and isinstance(record, spec.record_model)]
    if not kinds or getattr(record, "id", None) is None:
        return False
    return session.scalar(sa.select(IssuedDocument.id).where(
        IssuedDocument.kind.in_(kinds), IssuedDocument.record_id == record.id).limit(1)
    ) is not None
