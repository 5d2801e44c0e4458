"""Screens for the client side: construction units (建设单位) and their projects (工程建设项目).

The fields follow attached form 1 (《委托协办申请表》): its 项目单位信息 block for the unit and
its 项目基本信息 block for the project (R-4.1), plus the scope facts of Art.2 (R-1.1, R-1.3).
Both tables grow large, so a project's unit is picked with a search-as-you-type field.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _

from app.domain.validators import (
    check_amount,
    check_credit_code,
    check_email,
    check_phone,
    check_project_code,
)
from app.extensions import db
from app.models import Project, Unit
from app.views.base import AppInterface, AppModelView
from app.views.commission import CommissionView
from app.views.menu import CASEWORK, add

#: Records other records point to are corrected, not deleted.
NO_DELETE = ["can_list", "can_show", "can_add", "can_edit"]

class ProjectView(AppModelView):
    """工程建设项目: form 1's project block, location, construction and investment kind."""

    datamodel = AppInterface(Project)
    base_permissions = NO_DELETE
    list_title = _("Projects")
    show_title = _("Project")
    add_title = _("Add project")
    edit_title = _("Edit project")
    label_columns = {
        "unit": _("Construction unit"),
        "name": _("Project name"),
        "address": _("Project address"),
        "town": _("Town or street"),
        "project_code": _("Project code"),
        "total_investment": _("Total investment (10,000 yuan)"),
        "fund_source": _("Fund source"),
        "floor_area": _("Total floor area (m²)"),
        "land_nature": _("Land nature"),
        "key_level": _("Key project level"),
        "brief": _("Project brief"),
        "progress": _("Current progress"),
        "construction_kind": _("Construction kind"),
        "investment_kind": _("Investment kind"),
        "is_special_project": _("Special project"),
        "is_major_infrastructure": _("Major transport, water or energy project"),
        "current_stage": _("Current approval stage"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "project_code": _("National code, e.g. 2026-441702-70-03-012345 "
                          "(an engineering code appends -001)."),
        "is_special_project": _("Special projects are outside the assistance service (Art.2)."),
        "is_major_infrastructure": _("Major transport, water and energy projects are outside "
                                     "the assistance service (Art.2)."),
        "current_stage": _("The stage the project has reached; a full delegation proposes "
                           "the items of this stage onward. Empty: not started."),
    }
    list_columns = [
        "name", "project_code", "unit", "town", "investment_kind", "construction_kind",
        "total_investment",
    ]
    _form_fieldsets = [
        (_("Project"), {"fields": [
            "unit", "name", "address", "town", "project_code", "total_investment",
            "fund_source", "floor_area", "land_nature", "key_level", "brief", "progress",
            "current_stage",
        ]}),
        (_("Scope (Art.2)"), {"fields": [
            "construction_kind", "investment_kind", "is_special_project",
            "is_major_infrastructure",
        ]}),
    ]
    add_fieldsets = edit_fieldsets = _form_fieldsets
    show_fieldsets = _form_fieldsets + [
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    # No `unit` here: a relation filter would render every unit into a <select>.
    search_columns = [
        "name", "project_code", "address", "town", "investment_kind", "construction_kind",
        "key_level", "is_special_project", "is_major_infrastructure",
    ]
    order_columns = ["name", "project_code", "total_investment", "investment_kind"]
    base_order = ("id", "desc")
    lookup_columns = {"unit": "unit"}
    field_checks = {
        "project_code": check_project_code,
        "total_investment": check_amount,
        "floor_area": check_amount,
    }
    related_views = [CommissionView]


class UnitView(AppModelView):
    """建设单位: form 1's 项目单位信息 block; one unit is reused across its projects (R-4.4)."""

    datamodel = AppInterface(Unit)
    base_permissions = NO_DELETE
    list_title = _("Construction units")
    show_title = _("Construction unit")
    add_title = _("Add construction unit")
    edit_title = _("Edit construction unit")
    label_columns = {
        "name": _("Unit name"),
        "credit_code": _("Unified social credit code"),
        "address": _("Unit address"),
        "nature": _("Unit nature"),
        "leader_name": _("Project leader"),
        "leader_title": _("Project leader's title"),
        "leader_phone": _("Project leader's contact"),
        "handler_name": _("Project handler"),
        "handler_title": _("Project handler's title"),
        "handler_phone": _("Project handler's contact"),
        "email": _("E-mail"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {"credit_code": _("18 digits or capital letters (GB 32100).")}
    list_columns = ["name", "credit_code", "nature", "handler_name", "handler_phone"]
    _form_fieldsets = [
        (_("Construction unit"), {"fields": ["name", "credit_code", "address", "nature", "email"]}),
        (_("Project leader"), {"fields": ["leader_name", "leader_title", "leader_phone"]}),
        (_("Project handler"), {"fields": ["handler_name", "handler_title", "handler_phone"]}),
    ]
    add_fieldsets = edit_fieldsets = _form_fieldsets
    show_fieldsets = _form_fieldsets + [
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    search_columns = ["name", "credit_code", "nature", "leader_name", "handler_name"]
    order_columns = ["name", "credit_code", "nature"]
    base_order = ("name", "asc")
    field_checks = {
        "credit_code": check_credit_code,
        "leader_phone": check_phone,
        "handler_phone": check_phone,
        "email": check_email,
    }
    related_views = [ProjectView]

    def check_form(self, form: Any) -> dict[str, object]:
        """Credit codes are compared upper-case (FAB's own unique check is case-sensitive)."""
        field = form.credit_code
        if not field.data or field.errors:
            return {}
        query = db.select(Unit.id).where(Unit.credit_code == field.data.strip().upper())
        current = getattr(form, "_id", None)  # set by FAB on edit
        if current is not None:
            query = query.where(Unit.id != current)
        if db.session.scalar(query.limit(1)) is not None:
            return {"credit_code": _("Another unit already has this credit code.")}
        return {}

    def _normalise(self, item: Any) -> None:
        """Credit codes are stored upper-case so that the unique key sees one spelling."""
        super()._normalise(item)
        if item.credit_code:
            item.credit_code = item.credit_code.upper()


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, UnitView, "Construction units", _("Construction units"), CASEWORK,
        "fa-building-o")
    add(appbuilder, ProjectView, "Projects", _("Projects"), CASEWORK, "fa-cubes")
