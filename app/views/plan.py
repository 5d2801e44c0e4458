"""Screens for the personalised approval plan (审批进度计划): versions and their steps (R-5.3),
and plan against actual on the case page (R-5.6)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _

from app.clock import office_today
from app.domain.planning import confirmed_plan
from app.domain.slips import Slip, plan_slips
from app.extensions import db
from app.models import Commission, PlanStep, PlanVersion
from app.views.lights import request_calendar
from app.views.base import AppInterface, LifecycleRecordView
from app.views.menu import CASEWORK, add

# A plan is drafted (numbered, scheduled) and confirmed by the steps on the commission's
# page (app/lifecycle, app/domain/planning.py): these screens only list and show it.


class PlanStepView(LifecycleRecordView):
    """A line of the plan: an item, its department, planned submission and completion."""

    datamodel = AppInterface(PlanStep, eager=("commission_item",))
    list_title = _("Plan steps")
    show_title = _("Plan step")
    label_columns = {
        "plan_version": _("Plan version"),
        "sequence": _("Sequence"),
        "approval_item": _("Approval item"),
        "department": _("Approval department"),
        "commission_item": _("Commission item"),
        "planned_submit_on": _("Planned submission"),
        "planned_done_on": _("Planned completion"),
        "critical": _("On the critical path"),
        "note": _("Note"),
    }
    description_columns = {
        "critical": _("A delay of this item delays the project's planned completion."),
    }
    list_columns = [
        "plan_version", "sequence", "approval_item", "department", "planned_submit_on",
        "planned_done_on", "critical",
    ]
    show_columns = [
        "plan_version", "sequence", "approval_item", "department", "commission_item",
        "planned_submit_on", "planned_done_on", "critical", "note",
    ]
    search_columns = ["approval_item", "planned_submit_on", "planned_done_on"]
    order_columns = ["sequence", "planned_submit_on", "planned_done_on"]
    base_order = ("sequence", "asc")


class PlanVersionView(LifecycleRecordView):
    """One version of a commission's plan; a changed plan is a new version, the old one stays.
    Drafted and confirmed by the steps only (R-16.1)."""

    datamodel = AppInterface(PlanVersion)
    list_title = _("Approval plans")
    show_title = _("Approval plan")
    label_columns = {
        "commission": _("Commission"),
        "version": _("Version"),
        "drafted_on": _("Drafted on"),
        "confirmed_on": _("Confirmed by the unit on"),
        "confirmed_by": _("Confirmed by"),
        "note": _("Note"),
        "total_days": _("Planned total (working days)"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "confirmed_by": _("The unit's person who confirmed the plan."),
        "total_days": _("Working days from the first planned submission to the last planned "
                        "completion, along the critical path."),
    }
    list_columns = ["commission", "version", "drafted_on", "confirmed_on", "confirmed_by",
                    "total_days"]
    show_columns = [
        "commission", "version", "drafted_on", "confirmed_on", "confirmed_by", "total_days",
        "note", "created_at", "updated_at",
    ]
    search_columns = ["version", "drafted_on", "confirmed_on"]
    order_columns = ["version", "drafted_on", "confirmed_on"]
    base_order = ("id", "desc")
    related_views = [PlanStepView]


def _span(start: dt.date | None, end: dt.date | None, base: dt.date) -> list[int] | None:
    """A bar of the chart: [first day, days long] counted in calendar days from ``base``."""
    if start is None or end is None:
        return None
    return [(start - base).days, (end - start).days + 1]


def plan_against_actual(pk: Any) -> dict[str, Any] | None:
    """Jinja helper for the case page: the confirmed plan's lines with their actual dates and
    slips (app/domain/slips.py), and the Gantt chart's data; None without a confirmed plan."""
    commission = db.session.get(Commission, int(pk))
    plan = confirmed_plan(commission) if commission is not None else None
    if plan is None:
        return None
    today = office_today()
    rows = plan_slips(db.session, commission, today=today, cal=request_calendar(), plan=plan)
    planned = [r for r in rows if r.planned_submit_on is not None]
    base = min([r.planned_submit_on for r in planned]
               + [r.submitted_on for r in rows if r.submitted_on] or [today])

    def actual(row: Slip) -> list[int] | None:
        if row.submitted_on is None:
            return None
        return _span(row.submitted_on, row.decided_on or max(today, row.submitted_on), base)

    chart = {
        "base": base.isoformat(),
        "names": [r.approval_item.name for r in rows],
        "planned": [_span(r.planned_submit_on, r.planned_done_on, base) for r in rows],
        "actual": [actual(r) for r in rows],
        "running": [r.item is not None and r.decided_on is None for r in rows],
        "slips": [r.days for r in rows],
        "today": (today - base).days,
        "text": {"planned": str(_("Planned")), "actual": str(_("Actual")),
                 "slip": str(_("Working days behind plan")), "today": str(_("Today"))},
    }
    return {"plan": plan, "rows": rows, "chart": chart}


def register(appbuilder) -> None:
    """Menu entries of this module; the case page's plan-against-actual helper."""
    current_app.jinja_env.globals["plan_against_actual"] = plan_against_actual
    add(appbuilder, PlanVersionView, "Approval plans", _("Approval plans"), CASEWORK,
        "fa-calendar-check-o")
    add(appbuilder, PlanStepView, "Plan steps", _("Plan steps"), CASEWORK, "fa-list-ol")
