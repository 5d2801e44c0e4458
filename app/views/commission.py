"""Screens for commissions (委托协办), their state history and coordinator assignments."""
from __future__ import annotations

from flask_babel import lazy_gettext as _

from app.models import (
    Commission,
    CommissionStateChange,
    CoordinatorAssignment,
)
from app.views.base import AppInterface, AppModelView, date_order
from app.views.menu import CASEWORK, add


class CommissionStateChangeView(AppModelView):
    """Read-only history of a commission's lifecycle."""

    datamodel = AppInterface(CommissionStateChange)
    base_permissions = ["can_list", "can_show"]
    list_title = show_title = _("State history")
    label_columns = {
        "commission": _("Commission"),
        "from_state": _("From state"),
        "to_state": _("To state"),
        "changed_at": _("Changed at"),
        "changed_by": _("Changed by"),
        "note": _("Note"),
    }
    list_columns = ["changed_at", "from_state", "to_state", "changed_by", "note"]
    show_columns = ["commission", "changed_at", "from_state", "to_state", "changed_by", "note"]
    base_order = ("changed_at", "desc")


class CoordinatorAssignmentView(AppModelView):
    """Who coordinated a commission when (R-5.1)."""

    datamodel = AppInterface(CoordinatorAssignment)
    list_title = _("Coordinator assignments")
    show_title = _("Coordinator assignment")
    add_title = _("Add coordinator assignment")
    edit_title = _("Edit coordinator assignment")
    label_columns = {
        "commission": _("Commission"),
        "staff": _("Coordinator"),
        "assigned_on": _("Assigned on"),
        "ended_on": _("Ended on"),
        "reason": _("Reason"),
    }
    list_columns = ["commission", "staff", "assigned_on", "ended_on", "reason"]
    add_columns = edit_columns = show_columns = [
        "commission", "staff", "assigned_on", "ended_on", "reason"
    ]
    lookup_columns = {"commission": "commission"}
    base_order = ("assigned_on", "desc")
    check_form = staticmethod(
        date_order("assigned_on", "ended_on", _("The end date is before the start date."))
    )


class CommissionView(AppModelView):
    """委托协办: the case list and the case page with everything under it."""

    datamodel = AppInterface(Commission)
    list_title = _("Commissions")
    show_title = _("Commission")
    add_title = _("Add commission")
    edit_title = _("Edit commission")
    label_columns = {
        "application_no": _("Application number"),
        "project": _("Project"),
        "project.unit": _("Construction unit"),
        "pre_review": _("Pre-review"),
        "scope": _("Delegation scope"),
        "intention": _("Delegation intention"),
        "delegated_items_text": _("Specific delegated items"),
        "mode_special_handling": _("Special handling"),
        "mode_priority": _("Priority handling"),
        "mode_proactive": _("Proactive service"),
        "mode_supervised": _("Tracked supervision"),
        "mode_accompanied": _("Accompanied handling"),
        "state": _("State"),
        "coordinator": _("Coordinator"),
        "applied_on": _("Application confirmed on"),
        "contact_method": _("Agreed contact method"),
        "assigned_on": _("Assigned on"),
        "contact_due_on": _("Contact due on"),
        "contacted_on": _("Contacted on"),
        "plan_confirmed_on": _("Plan confirmed on"),
        "completed_on": _("Completed on"),
        "terminated_on": _("Terminated on"),
        "remarks": _("Remarks"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = [
        "application_no", "project", "project.unit", "coordinator", "state",
        "applied_on", "contact_due_on",
    ]
    search_columns = ["application_no", "state", "scope", "applied_on", "completed_on"]
    order_columns = ["application_no", "state", "applied_on", "contact_due_on"]
    base_order = ("id", "desc")
    _form_columns = [
        "project", "pre_review", "scope", "intention", "delegated_items_text",
        "mode_special_handling", "mode_priority", "mode_proactive", "mode_supervised",
        "mode_accompanied", "contact_method", "remarks",
    ]
    add_columns = edit_columns = _form_columns
    lookup_columns = {"project": "project", "pre_review": "pre_review"}
    show_fieldsets = [
        (_("Commission"), {"fields": [
            "application_no", "state", "project", "project.unit", "pre_review", "scope",
            "intention", "delegated_items_text",
        ]}),
        (_("Service modes"), {"fields": [
            "mode_special_handling", "mode_priority", "mode_proactive", "mode_supervised",
            "mode_accompanied",
        ], "expanded": False}),
        (_("Coordinator and dates"), {"fields": [
            "coordinator", "contact_method", "applied_on", "assigned_on", "contact_due_on",
            "contacted_on", "plan_confirmed_on", "completed_on", "terminated_on", "remarks",
        ]}),
    ]
    related_views = [CommissionStateChangeView, CoordinatorAssignmentView]


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, CommissionView, "Commissions", _("Commissions"), CASEWORK, "fa-folder-open")
    add(appbuilder, CoordinatorAssignmentView, "Coordinator assignments",
        _("Coordinator assignments"), CASEWORK, "fa-user-plus")
    appbuilder.add_view_no_menu(CommissionStateChangeView)
