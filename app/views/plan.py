"""Screens for the personalised approval plan (审批进度计划): versions and their steps (R-5.3)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.extensions import db
from app.models import PlanStep, PlanVersion
from app.views.base import AppInterface, AppModelView, date_order
from app.views.menu import CASEWORK, add
from app.views.rules import NOT_THIS_COMMISSION, all_rules, same_commission

# Plan versions grow with the commissions: a step's form searches for its plan.


class PlanStepView(AppModelView):
    """A line of the plan: an item, its department, planned submission and completion."""

    datamodel = AppInterface(PlanStep, eager=("commission_item",))
    list_title = _("Plan steps")
    show_title = _("Plan step")
    add_title = _("Add plan step")
    edit_title = _("Edit plan step")
    label_columns = {
        "plan_version": _("Plan version"),
        "sequence": _("Sequence"),
        "approval_item": _("Approval item"),
        "department": _("Approval department"),
        "commission_item": _("Commission item"),
        "planned_submit_on": _("Planned submission"),
        "planned_done_on": _("Planned completion"),
        "note": _("Note"),
    }
    list_columns = [
        "plan_version", "sequence", "approval_item", "department", "planned_submit_on",
        "planned_done_on",
    ]
    show_columns = [
        "plan_version", "sequence", "approval_item", "department", "commission_item",
        "planned_submit_on", "planned_done_on", "note",
    ]
    add_columns = edit_columns = [
        "plan_version", "sequence", "approval_item", "commission_item", "planned_submit_on",
        "planned_done_on", "note",
    ]
    search_columns = ["approval_item", "planned_submit_on", "planned_done_on"]
    order_columns = ["sequence", "planned_submit_on", "planned_done_on"]
    base_order = ("sequence", "asc")
    lookup_columns = {"plan_version": "plan_version", "commission_item": "commission_item"}
    check_form = staticmethod(all_rules(
        date_order("planned_submit_on", "planned_done_on",
                   _("The planned completion is before the planned submission.")),
        same_commission("plan_version", "commission_item", NOT_THIS_COMMISSION),
    ))


class PlanVersionView(AppModelView):
    """One version of a commission's plan; a changed plan is a new version, the old one stays."""

    datamodel = AppInterface(PlanVersion)
    list_title = _("Approval plans")
    show_title = _("Approval plan")
    add_title = _("Add approval plan version")
    edit_title = _("Edit approval plan version")
    label_columns = {
        "commission": _("Commission"),
        "version": _("Version"),
        "drafted_on": _("Drafted on"),
        "confirmed_on": _("Confirmed by the unit on"),
        "confirmed_by": _("Confirmed by"),
        "note": _("Note"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "confirmed_by": _("The unit's person who confirmed the plan."),
    }
    list_columns = ["commission", "version", "drafted_on", "confirmed_on", "confirmed_by"]
    show_columns = [
        "commission", "version", "drafted_on", "confirmed_on", "confirmed_by", "note",
        "created_at", "updated_at",
    ]
    # The version number is given by the system: the next one for the commission.
    add_columns = edit_columns = ["commission", "drafted_on", "confirmed_on", "confirmed_by",
                                  "note"]
    search_columns = ["version", "drafted_on", "confirmed_on"]
    order_columns = ["version", "drafted_on", "confirmed_on"]
    base_order = ("id", "desc")
    lookup_columns = {"commission": "commission"}
    related_views = [PlanStepView]

    def check_form(self, form: Any) -> dict[str, object]:
        """Confirmation after drafting; a confirmation names its date and who confirmed."""
        errors = date_order("drafted_on", "confirmed_on",
                            _("The confirmation date is before the drafting date."))(form)
        has_date = bool(form.confirmed_on.data)
        has_name = bool((form.confirmed_by.data or "").strip())
        if has_name and not has_date:
            errors.setdefault("confirmed_on", _("Give the date the unit confirmed the plan."))
        if has_date and not has_name:
            errors.setdefault("confirmed_by", _("Give who confirmed the plan for the unit."))
        return errors

    def pre_add(self, item: PlanVersion) -> None:
        """Number the new version after the commission's latest one (the unique key guards
        against two clerks numbering at once: the second save is refused, nothing lost)."""
        super().pre_add(item)
        latest = db.session.scalar(sa.select(sa.func.max(PlanVersion.version)).where(
            PlanVersion.commission_id == item.commission.id))
        item.version = (latest or 0) + 1


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, PlanVersionView, "Approval plans", _("Approval plans"), CASEWORK,
        "fa-calendar-check-o")
    add(appbuilder, PlanStepView, "Plan steps", _("Plan steps"), CASEWORK, "fa-list-ol")
