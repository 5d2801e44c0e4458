"""FAB's role, permission and group screens in Chinese (issue 14: no English in the UI).

FAB prints its security records by their internal names: a role's permissions read "can
list on CommissionView", "menu access on Security"; the permission screen lists
``can_list``, the view screen ``CommissionView``; roles print as ``[Admin]`` and booleans as
``True``. These screens keep FAB's names in the database (the roles and app/roles.py match
them) and show them as a reader knows them:

- a permission by what it allows (``PERMISSIONS``: can_list → 查看列表);
- a view or menu entry by its menu label or screen title (委托协办), found on the running
  app (its menu and views), so a new screen needs no entry here; FAB's own views without
  a menu entry are named in ``VIEW_NAMES``;
- a role by ``app.roles.ROLE_LABELS`` (Admin → 系统管理员), else its name;
- yes/no as 是/否, nothing as blank.

A name nobody has labelled stays as it is, and tests/test_english_walk.py fails on it:
add it to ``PERMISSIONS`` or ``VIEW_NAMES``.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, has_request_context
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu
from flask_appbuilder.security.views import PermissionModelView as FabPermissionModelView
from flask_appbuilder.security.views import (
    PermissionViewModelView as FabPermissionViewModelView,
)
from flask_appbuilder.security.views import RoleModelView as FabRoleModelView
from flask_appbuilder.security.views import UserGroupModelView as FabUserGroupModelView
from flask_appbuilder.security.views import ViewMenuModelView as FabViewMenuModelView
from flask_babel import lazy_gettext as _
from wtforms.fields.core import UnboundField

from app.roles import role_label

#: FAB's permission names (and ours: app/roles.py) as what they allow
PERMISSIONS = {
    "can_list": _("List"),
    "can_show": _("Show"),
    "can_add": _("Add"),
    "can_edit": _("Edit"),
    "can_delete": _("Delete"),
    "can_download": _("Download"),
    "can_get": _("Read"),
    "can_read": _("Read"),
    "can_write": _("Write"),
    "can_info": _("Read the description"),
    "can_index": _("Open"),
    "can_this_form_get": _("Open the form"),
    "can_this_form_post": _("Submit the form"),
    "can_userinfo": _("Own account"),
    "userinfoedit": _("Edit own account"),
    "resetmypassword": _("Change own password"),
    "resetpasswords": _("Reset passwords"),
    "unlock": _("Unlock account"),
    "copyrole": _("Copy Role"),
    "can_export": _("Export"),
    "can_save": _("Save"),
    "can_compute": _("Compute"),
    "can_import": _("Import"),
    "can_lookup": _("Look up"),
    "can_step": _("Run a step"),
    "can_print": _("Print"),
    "can_search": _("Search"),
    "menu_access": _("Menu entry"),
}

#: FAB's views (and ours) that have no menu entry or screen title to name them by
VIEW_NAMES = {
    "IndexView": _("Start page"),
    "UtilView": _("Back button"),
    "LocaleView": _("Language"),
    "AuthDBView": _("Sign in"),
    "SecurityApi": _("API sign-in"),
    "MenuApi": _("Menu (API)"),
    "OpenApi": _("API description"),
    "SwaggerView": _("API description page"),
    "UserInfoEditView": _("Own account"),
    "ResetPasswordView": _("Reset Password Form"),
    "ResetMyPasswordView": _("Change own password"),
    "CommissionApi": _("Commissions (API)"),
    "CommissionItemApi": _("Commission items (API)"),
    "CommissionHistoryApi": _("State changes (API)"),
    "LookupView": _("Search fields"),
    "WorkflowView": _("Lifecycle steps"),
    "LedgerView": _("Excel ledgers"),
    "DocumentView": _("Documents"),
    "ImportView": _("Excel import"),
    "QuickSearchView": _("Quick search"),
}


def _menu_labels() -> dict[str, Any]:
    """Menu entry names and the permission names of their views → the menu's label (found
    once per request: the role screen names hundreds of permissions)."""
    if has_request_context() and "xb_menu_labels" in g:
        return g.xb_menu_labels
    labels: dict[str, Any] = {}

    def walk(items: list[Any]) -> None:
        for item in items:
            labels.setdefault(item.name, item.label)
            view = getattr(item, "baseview", None)
            if view is not None:
                labels.setdefault(view.class_permission_name, item.label)
            walk(getattr(item, "childs", None) or [])

    appbuilder = current_app.appbuilder
    walk(appbuilder.menu.menu)
    for view in appbuilder.baseviews:
        title = getattr(view, "list_title", None) or getattr(view, "form_title", None)
        if title:
            labels.setdefault(view.class_permission_name, title)
    if has_request_context():
        g.xb_menu_labels = labels
    return labels


def view_label(name: str) -> str:
    """A view or menu entry by its menu label or screen title."""
    if name in VIEW_NAMES:
        return str(VIEW_NAMES[name])
    label = _menu_labels().get(name)
    return str(label) if label else name


def permission_label(name: str) -> str:
    """A permission by what it allows."""
    label = PERMISSIONS.get(name)
    return str(label) if label else name


def shown(value: Any) -> Any:
    """A security record's value as the screens print it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, Role):
        return role_label(value.name)
    if isinstance(value, PermissionView):
        return f"{view_label(value.view_menu.name)}：{permission_label(value.permission.name)}"
    if isinstance(value, Permission):
        return permission_label(value.name)
    if isinstance(value, ViewMenu):
        return view_label(value.name)
    if isinstance(value, (list, tuple)):
        return "、".join(str(shown(member)) for member in value)
    return value


class SecurityInterface(SQLAInterface):
    """FAB's interface, printing security records through ``shown``."""

    @staticmethod
    def _get_attr_value(item: Any, col: str) -> Any:
        if col == "name" and isinstance(item, (Role, Permission, ViewMenu)):
            return shown(item)
        return shown(SQLAInterface._get_attr_value(item, col))


class ChineseSecurityScreen:
    """Mixed into FAB's security screens: values and select options read in Chinese."""

    def __init__(self, **kwargs: Any) -> None:
        model = self.datamodel
        self.datamodel = SecurityInterface(model.obj, model.session)
        super().__init__(**kwargs)

    def _init_forms(self) -> None:
        super()._init_forms()
        for form_cls in (self.add_form, self.edit_form, self.search_form):
            for value in vars(form_cls).values():
                if isinstance(value, UnboundField) and \
                        issubclass(value.field_class, QuerySelectField):
                    value.kwargs["get_label"] = shown


_LABELS = {
    "name": _("Designation"),
    "permissions": _("Permissions"),
    "permission": _("Permission"),
    "view_menu": _("View/Menu"),
    "user": _("Users"),
    "users": _("Users"),
    "groups": _("Groups"),
    "roles": _("Roles"),
    "role": _("Roles"),
    "label": _("Label"),
    "description": _("Description"),
}


class RoleModelView(ChineseSecurityScreen, FabRoleModelView):
    """FAB's role screen (same name: same endpoints and permissions)."""

    label_columns = _LABELS


class PermissionModelView(ChineseSecurityScreen, FabPermissionModelView):
    """FAB's permission screen."""

    label_columns = _LABELS


class ViewMenuModelView(ChineseSecurityScreen, FabViewMenuModelView):
    """FAB's view and menu screen."""

    label_columns = _LABELS


class PermissionViewModelView(ChineseSecurityScreen, FabPermissionViewModelView):
    """FAB's screen of permissions on views."""

    label_columns = _LABELS


class UserGroupModelView(ChineseSecurityScreen, FabUserGroupModelView):
    """FAB's group screen."""

    label_columns = _LABELS
