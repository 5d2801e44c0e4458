"""Screens for the delegated items of a commission (协办事项), joint approvals and 补正 (R-6.1, R-6.2)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _

from app.choices import StaffRole
from app.domain import intake
from app.domain.errors import DomainError
from app.extensions import db
from app.models import CommissionItem, ItemSupplement, JointApproval, StaffMember
from app.views.base import AppInterface, AppModelView, KeptRecordView, LifecycleRecordView
from app.views.lights import light_cell
from app.views.list_filters import ITEM_FILTERS
from app.views.menu import CASEWORK, add
from app.views.rules import editing_pk


class ItemSupplementView(LifecycleRecordView):
    """补正: the period an item's clock stops while the unit supplements materials.
    Opened and closed by the item's steps (which move its deadline), read-only here."""

    datamodel = AppInterface(ItemSupplement)
    list_title = _("Supplements")
    show_title = _("Supplement")
    label_columns = {
        "commission_item": _("Commission item"),
        "commission_item.commission": _("Commission"),
        "requested_on": _("Supplement requested on"),
        "received_on": _("Supplement received on"),
        "note": _("Note"),
    }
    list_columns = [
        "commission_item.commission", "commission_item", "requested_on", "received_on", "note",
    ]
    show_columns = list_columns
    search_columns = ["requested_on", "received_on"]
    order_columns = ["requested_on", "received_on"]
    base_order = ("requested_on", "desc")


class CommissionItemView(KeptRecordView):
    """协办事项: one attempt at one delegated approval item, with its state and dates.

    Never deleted (R-16.3): its history, deadlines and documents point to it."""

    datamodel = AppInterface(CommissionItem, eager=("commission", "joint_approval"))
    ledger = "items"
    list_title = _("Commission items")
    show_title = _("Commission item")
    add_title = _("Add commission item")
    edit_title = _("Edit commission item")
    label_columns = {
        "commission": _("Commission"),
        "approval_item": _("Approval item"),
        "department": _("Approval department"),
        "attempt": _("Attempt"),
        "previous_attempt": _("Previous attempt"),
        "state": _("Item state"),
        "specialist": _("Specialist"),
        "joint_approval": _("Joint approval"),
        "submitted_on": _("Submitted on"),
        "accepted_on": _("Accepted on"),
        "due_on": _("Item due on"),
        "deadline": _("Deadline"),
        "decided_on": _("Decided on"),
        "refusal_reason": _("Refusal reason"),
        "unit_informed_on": _("Unit informed on"),
        "planned_submit_on": _("Planned submission"),
        "planned_done_on": _("Planned completion"),
        "result_document": _("Result document"),
        "withdrawn_on": _("Withdrawn on"),
        "withdrawal_reason": _("Withdrawal reason"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = [
        "commission", "approval_item", "department", "attempt", "specialist", "state",
        "joint_approval", "submitted_on", "deadline",
    ]
    formatters_columns = {"deadline": light_cell}
    search_columns = [
        "approval_item", "specialist", "state", "submitted_on", "due_on", "decided_on",
    ]
    # by coordinator, unit, project, department, overdue: a bar above the list (issue 14)
    quick_filters = ITEM_FILTERS
    order_columns = ["attempt", "state", "submitted_on", "due_on", "decided_on"]
    base_order = ("id", "desc")
    # State, attempt, dates, refusal and result are set by the lifecycle steps on the
    # item's page (app/lifecycle), which also keep the deadline right; which catalogue item
    # an attempt is for is fixed once it exists.
    add_columns = ["commission", "approval_item", "specialist", "joint_approval"]
    edit_columns = ["specialist", "joint_approval"]
    # 专办员 are specialists; on an item's edit form, of the item's department.
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "specialist": [["role", FilterEqual, StaffRole.specialist]]}
    show_template = "show_with_steps.html"
    extra_args = {"workflow_target": "item"}
    lookup_columns = {"commission": "commission", "joint_approval": "joint_approval"}
    show_fieldsets = [
        (_("Commission item"), {"fields": [
            "commission", "approval_item", "department", "attempt", "previous_attempt",
            "state", "specialist", "joint_approval",
        ]}),
        (_("Dates"), {"fields": [
            "submitted_on", "accepted_on", "due_on", "decided_on", "unit_informed_on",
            "withdrawn_on", "planned_submit_on", "planned_done_on",
        ]}),
        (_("Result"), {"fields": ["refusal_reason", "result_document", "withdrawal_reason"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    related_views = [ItemSupplementView]

    def _get_edit_widget(self, form: Any, **kwargs: Any) -> Any:
        """The 专办员 select of an item offers only its department's specialists (R-6.9)."""
        item = self._edited()
        if item is not None and hasattr(form, "specialist"):
            form.specialist.query_func = lambda: department_specialists(
                item.approval_item.department_id)
            form.specialist._object_list = None
        return super()._get_edit_widget(form=form, **kwargs)

    def check_form(self, form: Any) -> dict[str, object]:
        """The domain's rules for adding an item (R-1.4, R-6.1); the joint approval is of the
        same commission and the specialist of the item's department."""
        pk = editing_pk(form)
        current = db.session.get(CommissionItem, pk) if pk is not None else None
        commission = current.commission if current is not None else form.commission.data
        catalogue_item = (current.approval_item if current is not None
                          else form.approval_item.data)
        errors: dict[str, object] = {}
        if current is None and commission is not None and catalogue_item is not None:
            try:
                intake.check_add_item(db.session, commission, catalogue_item)
            except DomainError as refused:
                errors["approval_item"] = refused.message
        joint = form.joint_approval.data
        if joint is not None and commission is not None and joint.commission_id != commission.id:
            errors["joint_approval"] = _("The joint approval belongs to another commission.")
        specialist = form.specialist.data
        if specialist is not None and catalogue_item is not None:
            if specialist.department_id != catalogue_item.department_id:
                errors.setdefault("specialist", _(
                    "The specialist must belong to the item's approval department."))
        return errors


def department_specialists(department_id: int) -> list[StaffMember]:
    """The specialists (专办员) of one department, by name: the choices of an item's 专办员."""
    return list(db.session.scalars(
        sa.select(StaffMember).where(StaffMember.role == StaffRole.specialist,
                                     StaffMember.department_id == department_id)
        .order_by(StaffMember.name, StaffMember.id)))


class JointApprovalView(AppModelView):
    """联合审批: items of several departments handled together (R-6.1)."""

    datamodel = AppInterface(JointApproval)
    list_title = _("Joint approvals")
    show_title = _("Joint approval")
    add_title = _("Add joint approval")
    edit_title = _("Edit joint approval")
    label_columns = {
        "commission": _("Commission"),
        "title": _("Title"),
        "held_on": _("Held on"),
        "note": _("Note"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = ["title", "commission", "held_on"]
    show_columns = ["title", "commission", "held_on", "note", "created_at", "updated_at"]
    add_columns = edit_columns = ["commission", "title", "held_on", "note"]
    search_columns = ["title", "held_on"]
    order_columns = ["title", "held_on"]
    base_order = ("id", "desc")
    lookup_columns = {"commission": "commission"}
    related_views = [CommissionItemView]


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, CommissionItemView, "Commission items", _("Commission items"), CASEWORK,
        "fa-tasks")
    add(appbuilder, JointApprovalView, "Joint approvals", _("Joint approvals"), CASEWORK,
        "fa-object-group")
    add(appbuilder, ItemSupplementView, "Supplements", _("Supplements"), CASEWORK,
        "fa-paperclip")
