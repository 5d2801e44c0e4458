"""Screens for the delegated items of a commission (协办事项), joint approvals and 补正 (R-6.1, R-6.2)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.extensions import db
from app.models import CommissionItem, ItemSupplement, JointApproval
from app.views.base import AppInterface, AppModelView, date_order
from app.views.lights import light_cell
from app.views.menu import CASEWORK, add
from app.views.rules import editing_pk, same_commission

class ItemSupplementView(AppModelView):
    """补正: the period an item's clock stops while the unit supplements materials."""

    datamodel = AppInterface(ItemSupplement)
    list_title = _("Supplements")
    show_title = _("Supplement")
    add_title = _("Add supplement")
    edit_title = _("Edit supplement")
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
    add_columns = edit_columns = ["commission_item", "requested_on", "received_on", "note"]
    search_columns = ["requested_on", "received_on"]
    order_columns = ["requested_on", "received_on"]
    base_order = ("requested_on", "desc")
    lookup_columns = {"commission_item": "commission_item"}
    check_form = staticmethod(date_order(
        "requested_on", "received_on", _("The received date is before the requested date.")
    ))


class CommissionItemView(AppModelView):
    """协办事项: one attempt at one delegated approval item, with its state and dates."""

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
        "result_document": _("Result document"),
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
    order_columns = ["attempt", "state", "submitted_on", "due_on", "decided_on"]
    base_order = ("id", "desc")
    # State, attempt, dates, refusal and result are set by the lifecycle steps on the
    # item's page (app/views/workflow.py), which also keep the deadline right.
    add_columns = edit_columns = ["commission", "approval_item", "specialist", "joint_approval"]
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
        ]}),
        (_("Result"), {"fields": ["refusal_reason", "result_document"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    related_views = [ItemSupplementView]

    _rules = staticmethod(same_commission(
        "commission", "joint_approval", _("The joint approval belongs to another commission.")))

    def check_form(self, form: Any) -> dict[str, object]:
        """The catalogue item delegable, once per commission; the specialist's department is
        the item's (R-1.4, R-6.1). Dates and refusals are lifecycle steps, not form fields."""
        errors = dict(self._rules(form))
        catalogue_item = form.approval_item.data
        commission = form.commission.data
        pk = editing_pk(form)
        current = db.session.get(CommissionItem, pk) if pk is not None else None
        if catalogue_item is not None and catalogue_item.is_intermediary:
            errors.setdefault("approval_item", _(
                "Intermediary services cannot be delegated; the unit chooses its own provider."))
        if catalogue_item is not None and commission is not None:
            attempt = current.attempt if current is not None else 1
            clash = db.session.scalar(sa.select(CommissionItem.id).where(
                CommissionItem.commission_id == commission.id,
                CommissionItem.approval_item_id == catalogue_item.id,
                CommissionItem.attempt == attempt,
                CommissionItem.id != (pk if pk is not None else -1),
            ))
            if clash is not None:
                errors.setdefault("approval_item", _(
                    "This approval item is already in the commission; a re-application is "
                    "a new attempt of the refused item."))
        specialist = form.specialist.data
        if specialist is not None and catalogue_item is not None:
            if specialist.department_id != catalogue_item.department_id:
                errors.setdefault("specialist", _(
                    "The specialist must belong to the item's approval department."))
        return errors


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
