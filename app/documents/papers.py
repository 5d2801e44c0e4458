"""The working papers, in the style of the attached forms (R-15.1): what each prints.

审批进度计划表 (a plan version), 一次性告知书 (a material notice: every missing material of
every item, at once), 送达回执 (a delivery), 协调会议纪要 (a meeting), 回访记录 (a revisit).
Each function takes the commission and the record and returns the template's context.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import object_session

from app.choices import DeliveryMethod, MeetingKind, Rating
from app.clock import office_today
from app.documents.forms import DateParts, Option, cn_date, options, text
from app.domain.notices import base_context
from app.domain.planning import current_items
from app.domain.slips import step_slip
from app.domain.workdays import load_calendar
from app.models import (
    Commission,
    CoordinationMeeting,
    Delivery,
    MaterialNotice,
    PlanVersion,
    Revisit,
)
from app.states import ItemState

DELIVERY_OPTIONS = ((DeliveryMethod.visit, "上门领取"), (DeliveryMethod.post, "邮寄送达"))
RATING_OPTIONS = (
    (Rating.very_satisfied, "非常满意"), (Rating.satisfied, "满意"),
    (Rating.basically_satisfied, "基本满意"), (Rating.dissatisfied, "不满意"),
    (Rating.very_dissatisfied, "非常不满意"),
)
MEETING_TITLES = {MeetingKind.coordination: "协调会议纪要", MeetingKind.joint: "联席会议纪要"}


def case_header(commission: Commission) -> dict[str, str]:
    """The lines every paper starts with: number, project, unit, coordinator.

    The same facts the messages to units use (app/domain/notices.base_context)."""
    facts = base_context(commission)
    facts["coordinator"] = facts.pop("coordinator_name")
    return facts


def approval_plan(commission: Commission, plan: PlanVersion) -> dict[str, Any]:
    """审批进度计划表: one row per planned item, with the promised working days; the
    critical path and the planned total (R-5.5); once confirmed, each item's actual
    completion and slip as of the day it is printed (R-5.6, app/domain/slips.py)."""
    today = office_today()
    actual = {}
    if plan.confirmed_on is not None:
        cal = load_calendar(object_session(plan))
        items = {item.approval_item_id: item for item in current_items(commission)}
        actual = {step.id: step_slip(step, items.get(step.approval_item_id), today=today,
                                     cal=cal) for step in plan.steps}
    rows = [{
        "sequence": step.sequence,
        "stage": text(step.approval_item.stage),
        "item": step.approval_item.name,
        "department": text(step.approval_item.department),
        # ISO dates: eight columns leave no room for 2026年1月19日
        "submit_on": step.planned_submit_on.isoformat(),
        "done_on": step.planned_done_on.isoformat(),
        "days": step.approval_item.promised_days,
        "note": step.note or "",
        "critical": step.critical,
        "decided_on": _iso(actual[step.id].decided_on) if step.id in actual else "",
        "slip": _signed(actual[step.id].days) if step.id in actual else "",
    } for step in plan.steps]
    return {**case_header(commission), "version": plan.version,
            "total_days": plan.total_days,
            "slips_as_of": cn_date(today) if actual else "",
            "critical_path": " → ".join(
                s.approval_item.name for s in sorted(
                    (s for s in plan.steps if s.critical),
                    key=lambda s: (s.planned_submit_on, s.planned_done_on, s.sequence))),
            "drafted_on": cn_date(plan.drafted_on), "confirmed_on": cn_date(plan.confirmed_on),
            "confirmed_by": plan.confirmed_by or "", "note": plan.note or "", "rows": rows,
            "unit_stamp": DateParts.of(plan.confirmed_on),
            "window_stamp": DateParts.of(plan.drafted_on)}


def _iso(day: Any) -> str:
    return day.isoformat() if day is not None else ""


def _signed(days: int | None) -> str:
    """A slip as printed: +3 behind the plan, -2 ahead, 0 on plan."""
    return "" if days is None else f"{days:+d}" if days else "0"


@dataclass
class NoticeGroup:
    """The materials of one item on a one-time notice."""

    item: str
    department: str
    lines: list[dict[str, str]] = field(default_factory=list)


def material_notice(commission: Commission, notice: MaterialNotice) -> dict[str, Any]:
    """一次性告知书: every line of the notice, grouped by item, numbered throughout."""
    groups: dict[int, NoticeGroup] = {}
    for number, line in enumerate(notice.lines, start=1):
        item = line.commission_item
        group = groups.setdefault(item.id, NoticeGroup(str(item), text(item.department)))
        group.lines.append({"number": str(number), "material": line.material_name,
                            "problem": text(line.problem), "note": line.note or ""})
    return {**case_header(commission), "issued_on": cn_date(notice.issued_on),
            "issued_by": notice.issued_by.name, "issued_by_phone": notice.issued_by.phone,
            "note": notice.note or "", "groups": list(groups.values()),
            "count": len(notice.lines), "window_stamp": DateParts.of(notice.issued_on)}


def delivery_receipt(commission: Commission, delivery: Delivery) -> dict[str, Any]:
    """送达回执: what was delivered, how, and who signed for it when."""
    results = [f"{item.approval_item.name}：{item.result_document}"
               for item in commission.items
               if item.state == ItemState.approved and item.result_document]
    return {**case_header(commission),
            "method": options(DELIVERY_OPTIONS, delivery.method),
            "carrier": delivery.carrier or "", "tracking_no": delivery.tracking_no or "",
            "delivered_on": cn_date(delivery.delivered_on),
            "documents": delivery.documents or "；".join(results),
            "signer": delivery.signer or "",
            "signed": DateParts.of(delivery.receipt_signed_on),
            "window_stamp": DateParts.of(delivery.delivered_on)}


def meeting_minutes(commission: Commission | None,
                    meeting: CoordinationMeeting) -> dict[str, Any]:
    """协调会议纪要 / 联席会议纪要: who met, about what, what was decided, who follows up.

    ``commission`` None: printed from the meeting itself, which may have discussed no
    commission at all (R-15.4)."""
    projects = [c.project.name for c in meeting.commissions]
    projects += [p.name for p in meeting.projects if p.name not in projects]
    header = case_header(commission) if commission is not None else {}
    return {**header, "heading": MEETING_TITLES[meeting.kind],
            "title": meeting.title, "held_on": cn_date(meeting.held_on), "place": meeting.place,
            "convener": meeting.convener.name,
            "departments": "、".join(d.name for d in meeting.departments),
            "attendees": "、".join(s.name for s in meeting.attendees),
            "projects": "、".join(projects) or "无", "issues": meeting.issues,
            "decisions": meeting.decisions or "",
            "actions": [{"number": n, "description": a.description, "owner": a.owner.name,
                         "due_on": cn_date(a.due_on),
                         "status": f"已落实（{cn_date(a.done_on)}）" if a.done else "未落实"}
                        for n, a in enumerate(meeting.action_items, start=1)],
            "window_stamp": DateParts.of(meeting.held_on)}


def revisit_record(commission: Commission, revisit: Revisit) -> dict[str, Any]:
    """回访记录: the five-level rating marked, opinions and what follows from them."""
    rectification = revisit.rectification
    rating: list[Option] = options(RATING_OPTIONS, revisit.rating)
    return {**case_header(commission), "visited_on": cn_date(revisit.visited_on),
            "method": text(revisit.method),
            "visitor": revisit.visitor.name if revisit.visitor else "",
            "person_reached": revisit.person_reached, "rating": rating,
            "opinions": revisit.opinions or "", "follow_up": revisit.follow_up or "",
            "measures": (rectification.measures or "") if rectification else "",
            "window_stamp": DateParts.of(revisit.visited_on)}
