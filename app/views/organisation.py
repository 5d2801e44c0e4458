"""Screens for the organisation: departments (审批部门), staff (人员) and roster filings (人员报备).

R-2.3: the roster keeps its history, so none of these screens deletes; a department or a
person is switched off (``active`` / status) and a change is filed as a roster change.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _

from app.choices import RosterChangeKind, StaffRole
from app.domain.validators import check_email, check_phone
from app.extensions import db
from app.models import Department, RosterChange, StaffMember
from app.views.base import AppInterface, AppModelView, date_order
from app.views.menu import REFERENCE, TEAM, add
from app.views.reference import ApprovalItemView

#: History is kept (R-2.3): list, show, add and edit only.
NO_DELETE = ["can_list", "can_show", "can_add", "can_edit"]


class RosterChangeView(AppModelView):
    """人员报备: a join, leave, transfer or replacement filed before it takes effect (R-2.3)."""

    datamodel = AppInterface(RosterChange)
    base_permissions = NO_DELETE
    list_title = _("Roster changes")
    show_title = _("Roster change")
    add_title = _("File roster change")
    edit_title = _("Edit roster change")
    label_columns = {
        "staff": _("Staff member"),
        "kind": _("Change kind"),
        "from_department": _("From department"),
        "to_department": _("To department"),
        "replacement": _("Replaced by"),
        "filed_on": _("Filed on"),
        "effective_on": _("Effective on"),
        "reason": _("Reason"),
        "approved_by": _("Approved by"),
        "approved_on": _("Approved on"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = ["staff", "kind", "filed_on", "effective_on", "to_department", "approved_by"]
    add_columns = edit_columns = [
        "staff", "kind", "from_department", "to_department", "replacement", "filed_on",
        "effective_on", "reason", "approved_by", "approved_on",
    ]
    show_fieldsets = [
        (_("Roster change"), {"fields": [
            "staff", "kind", "from_department", "to_department", "replacement", "reason",
        ]}),
        (_("Filing"), {"fields": ["filed_on", "effective_on", "approved_by", "approved_on"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    search_columns = ["staff", "kind", "filed_on", "effective_on", "to_department"]
    order_columns = ["filed_on", "effective_on", "kind"]
    base_order = ("filed_on", "desc")

    _dates = staticmethod(date_order(
        "filed_on", "effective_on",
        _("A roster change takes effect on or after the day it is filed."),
    ))

    def check_form(self, form: Any) -> dict[str, object]:
        """Dates in order; a transfer names its new department, a replacement its successor."""
        errors = dict(self._dates(form))
        kind = form.kind.data
        if kind == RosterChangeKind.transfer and form.to_department.data is None:
            errors["to_department"] = _("A transfer names the department moved to.")
        if kind == RosterChangeKind.replace and form.replacement.data is None:
            errors["replacement"] = _("A replacement names the staff member taking over.")
        return errors


class StaffMemberView(AppModelView):
    """人员: coordinators (协办员) and specialists (专办员, each in one department), R-2.2."""

    datamodel = AppInterface(StaffMember)
    base_permissions = NO_DELETE
    list_title = _("Staff roster")
    show_title = _("Staff member")
    add_title = _("Add staff member")
    edit_title = _("Edit staff member")
    label_columns = {
        "name": _("Full name"),
        "role": _("Role"),
        "department": _("Approval department"),
        "title": _("Job title"),
        "phone": _("Contact phone"),
        "email": _("E-mail"),
        "status": _("Status"),
        "admitted_on": _("Joined on"),
        "exited_on": _("Left on"),
        "user": _("Login account"),
        "remarks": _("Remarks"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "department": _("Required for a specialist: the approval department they work for."),
    }
    list_columns = ["name", "role", "department", "title", "phone", "status", "admitted_on"]
    add_columns = edit_columns = [
        "name", "role", "department", "title", "phone", "email", "status", "admitted_on",
        "exited_on", "user", "remarks",
    ]
    show_fieldsets = [
        (_("Staff member"), {"fields": [
            "name", "role", "department", "title", "phone", "email", "user", "remarks",
        ]}),
        (_("Service"), {"fields": ["status", "admitted_on", "exited_on"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    search_columns = ["name", "role", "department", "status", "admitted_on"]
    order_columns = ["name", "role", "status", "admitted_on"]
    base_order = ("name", "asc")
    field_checks = {"phone": check_phone, "email": check_email}
    related_views = [RosterChangeView]

    _dates = staticmethod(date_order(
        "admitted_on", "exited_on", _("The date of leaving is before the date of joining."),
    ))

    def check_form(self, form: Any) -> dict[str, object]:
        """A specialist belongs to a department; dates in order; one person per login."""
        errors = dict(self._dates(form))
        if form.role.data == StaffRole.specialist and form.department.data is None:
            errors["department"] = _("A specialist must belong to an approval department.")
        user = form.user.data
        if user is not None:
            query = db.select(StaffMember.id).where(StaffMember.user_id == user.id)
            current = getattr(form, "_id", None)  # set by FAB on edit
            if current is not None:
                query = query.where(StaffMember.id != current)
            if db.session.scalar(query.limit(1)) is not None:
                errors["user"] = _("This login account already belongs to another staff member.")
        return errors


class DepartmentView(AppModelView):
    """审批部门 with its responsible contact (专人), specialists and catalogue items (R-2.1, R-2.4)."""

    datamodel = AppInterface(Department)
    base_permissions = NO_DELETE
    list_title = _("Approval departments")
    show_title = _("Approval department")
    add_title = _("Add approval department")
    edit_title = _("Edit approval department")
    label_columns = {
        "name": _("Department name"),
        "short_name": _("Short name"),
        "runs_window": _("Runs the assistance window"),
        "contact_name": _("Responsible contact"),
        "contact_phone": _("Contact phone"),
        "address": _("Address"),
        "active": _("In use"),
        "sort_order": _("Sort order"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "contact_name": _("The person the department names for assistance cases (Art.5)."),
    }
    list_columns = ["name", "short_name", "contact_name", "contact_phone", "runs_window", "active"]
    add_columns = edit_columns = [
        "name", "short_name", "runs_window", "contact_name", "contact_phone", "address",
        "active", "sort_order",
    ]
    show_fieldsets = [
        (_("Approval department"), {"fields": [
            "name", "short_name", "runs_window", "address", "active", "sort_order",
        ]}),
        (_("Responsible contact"), {"fields": ["contact_name", "contact_phone"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    search_columns = ["name", "short_name", "contact_name", "runs_window", "active"]
    order_columns = ["name", "sort_order"]
    base_order = ("sort_order", "asc")
    field_checks = {"contact_phone": check_phone}
    related_views = [StaffMemberView, ApprovalItemView]


def register(appbuilder) -> None:
    """Menu entries of this module (TEAM first, so the category order stays as in menu.py)."""
    add(appbuilder, StaffMemberView, "Staff", _("Staff roster"), TEAM, "fa-id-badge")
    add(appbuilder, RosterChangeView, "Roster changes", _("Roster changes"), TEAM,
        "fa-exchange")
    add(appbuilder, DepartmentView, "Departments", _("Approval departments"), REFERENCE,
        "fa-building")
