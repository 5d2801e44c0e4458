"""Screens for commissions (委托协办), their state history and coordinator assignments.

The commission's page gathers everything recorded under it (items, plan, work log, ...):
the views of those records live in their own modules and are listed as related views here."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import g
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _

from app.choices import StaffRole

from app.extensions import db
from app.models import (
    Commission,
    CommissionStateChange,
    CoordinatorAssignment,
)
from app.domain.transitions import record_creation
from app.states import COMMISSION_OPEN, CommissionState
from app.views.base import AppInterface, AppModelView, date_order
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
from app.views.materials import MaterialView
from app.views.meetings import CoordinationMeetingView
from app.views.menu import CASEWORK, add
from app.views.rules import editing_pk
from app.views.plan import PlanVersionView
from app.views.revisits import RevisitView
from app.views.termination import TerminationView


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
    # One coordinator per commission (定人): only coordinators are offered.
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "staff": [["role", FilterEqual, StaffRole.coordinator]],
    }
    base_order = ("assigned_on", "desc")
    check_form = staticmethod(
        date_order("assigned_on", "ended_on", _("The end date is before the start date."))
    )


class CommissionView(DocumentActions, AppModelView):
    """委托协办: the case list and the case page with everything under it."""

    datamodel = AppInterface(Commission)
    ledger = "commissions"
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
        "deadline": _("Deadline"),
    }
    list_columns = [
        "application_no", "project", "project.unit", "coordinator", "state",
        "applied_on", "deadline",
    ]
    formatters_columns = {"deadline": light_cell}
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
    # The case page gathers everything recorded under the commission, in the order of work.
    # The list page is unaffected: related views are queried only on the show/edit pages.
    related_views = [
        CommissionItemView, PlanVersionView, WorkLogEntryView, ConsultationView,
        EscalationView, MaterialNoticeView, FeeNoticeView, ResultReceiptView, DeliveryView,
        TerminationView, CoordinationMeetingView, RevisitView, CommissionStateChangeView,
        CoordinatorAssignmentView, MaterialView, IssuedDocumentView,
    ]
    # The lifecycle steps open to the commission show as buttons above its details.
    show_template = "show_with_steps.html"
    extra_args = {"workflow_target": "commission"}

    def pre_add(self, item: Commission) -> None:
        """A commission added on this form starts its history like one opened at pre-review
        (saved with it, in the same transaction)."""
        super().pre_add(item)
        item.state = item.state or CommissionState.pre_review  # the column default, now
        record_creation(db.session, item, actor=g.user)

    def check_form(self, form: Any) -> dict[str, object]:
        """R-4.4: a project has at most one open commission (said on the form, not by a
        refused save)."""
        project = form.project.data
        pk = editing_pk(form)
        current = db.session.get(Commission, pk) if pk is not None else None
        if project is None or (current is not None and not current.is_open):
            return {}
        query = sa.select(Commission.id).where(
            Commission.project_id == project.id, Commission.state.in_(COMMISSION_OPEN))
        if pk is not None:
            query = query.where(Commission.id != pk)
        if db.session.scalar(query.limit(1)) is not None:
            return {"project": _(
                "This project already has an open commission; complete or terminate it first.")}
        return {}


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, CommissionView, "Commissions", _("Commissions"), CASEWORK, "fa-folder-open")
    add(appbuilder, CoordinatorAssignmentView, "Coordinator assignments",
        _("Coordinator assignments"), CASEWORK, "fa-user-plus")
    appbuilder.add_view_no_menu(CommissionStateChangeView)
