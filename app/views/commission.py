"""Screens for commissions (委托协办), their state history and coordinator assignments.

The commission's page gathers everything recorded under it (items, plan, work log, ...):
the views of those records live in their own modules and are listed as related views here."""
from __future__ import annotations

from flask_babel import lazy_gettext as _

from app.models import (
    Commission,
    CommissionStateChange,
    CoordinatorAssignment,
)
from app.views.base import AppInterface, AppModelView, LifecycleRecordView, WRITE_ROUTES
from app.views.casework import (
    ConsultationView,
    EscalationView,
    MaterialNoticeView,
    WorkLogEntryView,
)
from app.views.delivery import DeliveryView, FeeNoticeView, ResultReceiptView
from app.views.documents import DocumentActions, IssuedDocumentView
from app.views.items import CommissionItemView
from app.views.lights import light_cell
from app.views.list_filters import COMMISSION_FILTERS
from app.views.materials import MaterialView
from app.views.meetings import CoordinationMeetingView
from app.views.online import ContactChangeView, UnitConfirmationView
from app.views.menu import CASEWORK, add
from app.views.plan import PlanVersionView
from app.views.revisits import RevisitView
from app.views.termination import TerminationView


class CommissionStateChangeView(LifecycleRecordView):
    """Read-only history of a commission's lifecycle (its steps and their corrections)."""

    datamodel = AppInterface(CommissionStateChange)
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


class CoordinatorAssignmentView(LifecycleRecordView):
    """Who coordinated a commission when (R-5.1): written by the assign and reassign steps
    (and a roster hand-over), read-only here (R-16.1)."""

    datamodel = AppInterface(CoordinatorAssignment)
    list_title = _("Coordinator assignments")
    show_title = _("Coordinator assignment")
    label_columns = {
        "commission": _("Commission"),
        "staff": _("Coordinator"),
        "assigned_on": _("Assigned on"),
        "ended_on": _("Ended on"),
        "reason": _("Reason"),
    }
    list_columns = show_columns = ["commission", "staff", "assigned_on", "ended_on", "reason"]
    base_order = ("assigned_on", "desc")


class CommissionView(DocumentActions, AppModelView):
    """委托协办: the case list and the case page with everything under it.

    A commission is opened by the pre-review's step, moved only by its steps (state,
    dates, coordinator, application number: R-16.1) and never deleted (R-16.3): this
    screen has no add or delete route, and its form edits only what no step writes.
    """

    exclude_route_methods = WRITE_ROUTES - {"edit"}

    datamodel = AppInterface(Commission)
    ledger = "commissions"
    list_title = _("Commissions")
    show_title = _("Commission")
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
        "deadline": _("Deadline"),
    }
    list_columns = [
        "application_no", "project", "project.unit", "coordinator", "state",
        "applied_on", "deadline",
    ]
    # what those cells read (the deadline: the state, the contact dates, the termination's)
    list_reads = {
        "": ("application_no", "state", "applied_on", "contact_due_on", "contacted_on"),
        "project": ("name",), "project.unit": ("name",), "coordinator": ("name",),
        "termination": ("confirm_due_on",),
    }
    formatters_columns = {"deadline": light_cell}
    search_columns = ["application_no", "state", "scope", "applied_on", "completed_on",
                      "terminated_on"]
    # by coordinator, unit, project, open or closed, stage: a bar above the list (issue 14)
    quick_filters = COMMISSION_FILTERS
    order_columns = ["application_no", "state", "applied_on", "contact_due_on"]
    base_order = ("id", "desc")
    # Project, pre-review, scope and items are fixed when the commission is opened; the
    # contact method is the contact step's.
    edit_columns = [
        "intention", "mode_special_handling", "mode_priority", "mode_proactive",
        "mode_supervised", "mode_accompanied", "remarks",
    ]
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
    # The case page gathers everything recorded under the commission, in the order of work.
    # The list page is unaffected: related views are queried only on the show/edit pages.
    related_views = [
        CommissionItemView, PlanVersionView, WorkLogEntryView, ConsultationView,
        EscalationView, MaterialNoticeView, FeeNoticeView, ResultReceiptView, DeliveryView,
        TerminationView, CoordinationMeetingView, RevisitView, CommissionStateChangeView,
        CoordinatorAssignmentView, MaterialView, IssuedDocumentView, UnitConfirmationView,
        ContactChangeView,
    ]
    # The lifecycle steps open to the commission show as buttons above its details; the
    # confirmed plan against actual dates (a Gantt chart and its table) under them.
    show_template = "commission_show.html"
    extra_args = {"workflow_target": "commission"}
    # Only 详细 comes with the page; each other panel loads when its tab opens (issue 16).
    lazy_panels = True


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, CommissionView, "Commissions", _("Commissions"), CASEWORK, "fa-folder-open")
    add(appbuilder, CoordinatorAssignmentView, "Coordinator assignments",
        _("Coordinator assignments"), CASEWORK, "fa-user-plus")
    appbuilder.add_view_no_menu(CommissionStateChangeView)
