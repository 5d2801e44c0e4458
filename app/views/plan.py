"""Screens for the personalised approval plan (审批进度计划): versions and their steps (R-5.3)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _

from app.models import PlanStep, PlanVersion
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


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, PlanVersionView, "Approval plans", _("Approval plans"), CASEWORK,
        "fa-calendar-check-o")
    add(appbuilder, PlanStepView, "Plan steps", _("Plan steps"), CASEWORK, "fa-list-ol")
