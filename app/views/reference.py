"""Screens for reference data: towns/streets (镇街) and the approval-item catalogue (审批事项目录).

Catalogue rows and towns are referenced by projects and commissions, so they are switched
off with ``active`` rather than deleted; only material-checklist lines can be deleted.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _

from app.domain.planning import prerequisite_problem
from app.domain.validators import TOWN_CODE_RE, check_days
from app.extensions import db
from app.models import ApprovalItem, ItemMaterial, Town
from app.views.base import AppInterface, AppModelView
from app.views.menu import REFERENCE, add
from app.views.rules import editing_pk

#: Jiangcheng District's division code; every town code starts with it (reference-data.md).
DISTRICT_CODE = "441702"

#: Reference rows are kept for history: no delete permission.
NO_DELETE = ["can_list", "can_show", "can_add", "can_edit"]


def check_town_code(value: str) -> object | None:
    """A Jiangcheng town/street code: 9 digits beginning with 441702 (R-1.3)."""
    if TOWN_CODE_RE.fullmatch(value or "") and value.startswith(DISTRICT_CODE):
        return None
    return _("The town code has 9 digits and starts with 441702 (Jiangcheng District).")


class TownView(AppModelView):
    """镇街: the district's towns and streets, the jurisdiction list (R-1.3)."""

    datamodel = AppInterface(Town)
    base_permissions = NO_DELETE
    list_title = _("Towns and streets")
    show_title = _("Town or street")
    add_title = _("Add town or street")
    edit_title = _("Edit town or street")
    label_columns = {
        "code": _("Division code"),
        "name": _("Town or street name"),
        "active": _("In use"),
    }
    description_columns = {"code": _("441702 followed by three digits, e.g. 441702001.")}
    list_columns = ["code", "name", "active"]
    add_columns = edit_columns = show_columns = ["code", "name", "active"]
    search_columns = ["code", "name", "active"]
    order_columns = ["code", "name"]
    base_order = ("code", "asc")
    field_checks = {"code": check_town_code}


class ItemMaterialView(AppModelView):
    """One line of an approval item's material checklist (申报材料清单, R-6.5)."""

    datamodel = AppInterface(ItemMaterial)
    list_title = _("Material checklists")
    show_title = _("Material")
    add_title = _("Add material")
    edit_title = _("Edit material")
    label_columns = {
        "approval_item": _("Approval item"),
        "name": _("Material name"),
        "required": _("Required"),
        "copies": _("Copies"),
        "sort_order": _("Sort order"),
    }
    list_columns = ["approval_item", "name", "required", "copies", "sort_order"]
    add_columns = edit_columns = show_columns = [
        "approval_item", "name", "required", "copies", "sort_order"
    ]
    search_columns = ["approval_item", "name", "required"]
    order_columns = ["name", "sort_order"]
    base_order = ("sort_order", "asc")

    def check_form(self, form: Any) -> dict[str, object]:
        """A material is listed once per approval item (the table's composite unique key)."""
        item = form.approval_item.data
        name = (form.name.data or "").strip()
        if item is None or not name:
            return {}
        query = db.select(ItemMaterial.id).where(
            ItemMaterial.approval_item_id == item.id, ItemMaterial.name == name
        )
        current = getattr(form, "_id", None)  # set by FAB on edit
        if current is not None:
            query = query.where(ItemMaterial.id != current)
        if db.session.scalar(query.limit(1)) is not None:
            return {"name": _("This material is already on the item's checklist.")}
        return {}


class ApprovalItemView(AppModelView):
    """审批事项目录: stage, department, promised and legal limits, intermediary flag."""

    datamodel = AppInterface(ApprovalItem)
    base_permissions = NO_DELETE
    list_title = _("Approval item catalogue")
    show_title = _("Approval item")
    add_title = _("Add approval item")
    edit_title = _("Edit approval item")
    label_columns = {
        "name": _("Item name"),
        "stage": _("Approval stage"),
        "department": _("Approval department"),
        "promised_days": _("Promised limit (working days)"),
        "legal_days": _("Legal limit (working days)"),
        "limit_is_default": _("Limit is an unverified default"),
        "is_intermediary": _("Intermediary service (not delegable)"),
        "description": _("Description"),
        "active": _("In use"),
        "sort_order": _("Sort order"),
        "alternative_group": _("Group of alternatives"),
        "investment_kind": _("Only for investment kind"),
        "prerequisites": _("Prerequisite items"),
        "statutory_fees": _("Statutory fees"),
        "code": _("Item code"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "limit_is_default": _("Ticked while the promised limit is a plausible default "
                              "that the department has not confirmed."),
        "is_intermediary": _("Intermediary technical services cannot be delegated (Art.2)."),
        "alternative_group": _("Items with the same group name exclude each other (e.g. 备案 "
                               "and 核准): a commission delegates at most one of them."),
        "investment_kind": _("Leave empty when the item applies to every project."),
        "statutory_fees": _("One fee per line: the only fees a fee notice for this item may "
                            "name (laws and regulations; the assistance itself is free)."),
        "prerequisites": _("Items decided before this one is submitted; the plan starts "
                           "this item after them (within or across stages)."),
    }
    list_columns = [
        "code", "name", "stage", "department", "promised_days", "legal_days",
        "is_intermediary", "alternative_group", "investment_kind", "active",
    ]
    add_columns = edit_columns = [
        "code", "name", "stage", "department", "promised_days", "legal_days", "limit_is_default",
        "is_intermediary", "alternative_group", "investment_kind", "prerequisites",
        "statutory_fees", "description", "active", "sort_order",
    ]
    show_fieldsets = [
        (_("Approval item"), {"fields": [
            "code", "name", "stage", "department", "is_intermediary", "description", "active",
            "sort_order",
        ]}),
        (_("Scope rules"), {"fields": ["alternative_group", "investment_kind",
                                       "prerequisites"]}),
        (_("Time limits"), {"fields": ["promised_days", "legal_days", "limit_is_default"]}),
        (_("Fees"), {"fields": ["statutory_fees"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    search_columns = ["code", "name", "stage", "department", "is_intermediary", "active"]
    order_columns = ["code", "name", "stage", "promised_days", "sort_order"]
    base_order = ("sort_order", "asc")
    field_checks = {"promised_days": check_days, "legal_days": check_days}
    related_views = [ItemMaterialView]

    def check_form(self, form: Any) -> dict[str, object]:
        """Prerequisites never run in a circle, the item itself included (R-5.5)."""
        pk = editing_pk(form)
        problem = prerequisite_problem(int(pk) if pk is not None else None,
                                       form.prerequisites.data or ())
        return {"prerequisites": problem} if problem else {}


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, TownView, "Towns", _("Towns and streets"), REFERENCE, "fa-map-marker")
    add(appbuilder, ApprovalItemView, "Approval items", _("Approval item catalogue"),
        REFERENCE, "fa-list-ol")
    add(appbuilder, ItemMaterialView, "Item materials", _("Material checklists"), REFERENCE,
        "fa-files-o")
