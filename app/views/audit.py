"""审计日志: the audit trail's search screen, read-only for everyone (R-14.4).

No add, edit, delete or action routes exist on this view (their URLs answer 404), so no
permission can open them by mistake; the database refuses changes as well. Recorded values
show as the record's own screen shows them to the reader (app/audit/display.py, R-14.7).
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import current_app, g
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import set_value_to_type
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape

from app.audit.display import recorded_model, shown_detail
from app.clock import OFFICE_TZ
from app.labels import LabelledEnum
from app.models import AuditLog
from app.roles import role_label
from app.views.base import AppInterface, AppModelView
from app.views.menu import SUPERVISION, add


#: FAB's models in the trail, which no screen of ours titles
FAB_OBJECTS = {"User": _("User account"), "Role": _("Role")}
#: recorded keys that are no column of a screen
DETAIL_KEYS = {
    "id": _("Record id"), "from": _("From state"), "to": _("To state"), "note": _("Note"),
    "username": _("User name"), "via": _("Signed in through"), "roles": _("Roles"),
    "active": _("Active"), "reason": _("Reason"),
}


def _screens(object_type: str | None) -> list[Any]:
    """The screens of the model an audit row names (its titles and column labels)."""
    if not object_type:
        return []
    return [view for view in current_app.appbuilder.baseviews
            if getattr(getattr(getattr(view, "datamodel", None), "obj", None), "__name__",
                       None) == object_type]


def object_label(value: Any) -> str:
    """A stored class name as the title of its screen (Commission → 委托协办)."""
    if not value:
        return ""
    if value in FAB_OBJECTS:
        return str(FAB_OBJECTS[value])
    for view in _screens(value):
        title = getattr(view, "show_title", "") or getattr(view, "list_title", "")
        if title and not str(title).startswith("Show "):
            return str(title)
    return str(value)


def field_label(object_type: str | None, key: str) -> str:
    """A recorded field by the label its screen gives it (a foreign key by its relation's)."""
    names = [key[:-3], key] if key.endswith("_id") else [key]
    for view in _screens(object_type):
        labels = getattr(view, "label_columns", {}) or {}
        for name in names:
            if name in labels:
                return str(labels[name])
    label = DETAIL_KEYS.get(key)
    return str(label) if label is not None else key


def _enum_of(object_type: str | None, key: str) -> type[LabelledEnum] | None:
    model = recorded_model(object_type)
    column = "state" if key in ("from", "to") else key
    table = getattr(model, "__table__", None)
    if table is None or column not in table.c:
        return None
    enum_cls = getattr(table.c[column].type, "enum_class", None)
    return enum_cls if enum_cls and issubclass(enum_cls, LabelledEnum) else None


def value_text(object_type: str | None, key: str, value: Any) -> str:
    """A recorded value as the screens print it: labels for codes, 是/否, roles by label."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return "、".join(value_text(object_type, key, member) for member in value)
    if key == "roles" and isinstance(value, str):
        return role_label(value)
    if key == "via" and isinstance(value, str):
        return str(_("the API") if "Api" in value else _("the sign-in page"))
    enum_cls = _enum_of(object_type, key)
    if enum_cls is not None and isinstance(value, str):
        try:
            return str(enum_cls(value))
        except ValueError:
            return value
    if isinstance(value, dict):
        return "；".join(f"{field_label(object_type, k)}：{value_text(object_type, k, v)}"
                        for k, v in value.items())
    return str(value)


def readable_detail(object_type: str | None, detail: Any) -> Markup:
    """An audit row's details as a table of the screen's field labels and printed values:
    before and after side by side for a change, one value per field otherwise."""
    if detail in (None, "", {}):
        return Markup("")
    if not isinstance(detail, dict):
        return Markup('<div class="xb-audit-detail">{}</div>').format(str(detail))
    before, after = detail.get("before"), detail.get("after")
    rows: list[Markup] = []
    if isinstance(before, dict) and isinstance(after, dict):
        head = Markup("<tr><th>{}</th><th>{}</th><th>{}</th></tr>").format(
            _("Field"), _("Before"), _("After"))
        for key in dict.fromkeys([*after, *before]):
            rows.append(Markup("<tr><th>{}</th><td>{}</td><td>{}</td></tr>").format(
                field_label(object_type, key), value_text(object_type, key, before.get(key)),
                value_text(object_type, key, after.get(key))))
    else:
        values = {k: v for k, v in detail.items() if k not in ("before", "after")}
        values.update(after if isinstance(after, dict) else {})
        values.update(before if isinstance(before, dict) else {})
        head = Markup("<tr><th>{}</th><th>{}</th></tr>").format(_("Field"), _("Value"))
        for key, value in values.items():
            rows.append(Markup("<tr><th>{}</th><td>{}</td></tr>").format(
                field_label(object_type, key), value_text(object_type, key, value)))
    return Markup('<table class="table table-condensed xb-audit-detail">{}{}</table>').format(
        head, Markup("").join(rows))


def detail_block(value: Any) -> Markup:
    """The event's details (already a table from ``readable_detail``; else indented JSON)."""
    if value in (None, ""):
        return Markup("")
    if isinstance(value, Markup):
        return value
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return Markup('<pre class="xb-audit-detail">{}</pre>').format(escape(text))


def user_cell(value: Any) -> str:
    """The acting account, or the system for the scheduled commands."""
    return str(value) if value else str(_("(system)"))


def _utc(datamodel: Any, column: str, value: Any) -> dt.datetime | None:
    """A typed time, read as Beijing time, as the UTC moment the column stores."""
    moment = set_value_to_type(datamodel, column, value)
    if not isinstance(moment, dt.datetime):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=OFFICE_TZ)
    return moment.astimezone(dt.timezone.utc)


class TimeFrom(BaseFilter):
    """Rows at or after a Beijing time (FAB's own filter would compare it with UTC)."""

    name = _("From (Beijing time)")
    arg_name = "xb_from"

    def apply(self, query: Any, value: Any) -> Any:
        moment = _utc(self.datamodel, self.column_name, value)
        return query if moment is None else query.filter(AuditLog.at >= moment)


class TimeBefore(BaseFilter):
    """Rows before a Beijing time."""

    name = _("Before (Beijing time)")
    arg_name = "xb_before"

    def apply(self, query: Any, value: Any) -> Any:
        moment = _utc(self.datamodel, self.column_name, value)
        return query if moment is None else query.filter(AuditLog.at < moment)


class AuditInterface(AppInterface):
    """Recorded values shown through the screens' masking and confidentiality (R-14.7)."""

    @staticmethod
    def _get_attr_value(item: Any, col: str) -> Any:
        if isinstance(item, AuditLog) and col == "detail":
            return readable_detail(item.object_type, shown_detail(
                g.user, item.object_type, item.object_id, item.detail))
        if isinstance(item, AuditLog) and col == "changed_fields":
            names = item.changed_fields
            return "、".join(field_label(item.object_type, name) for name in names.split(", ")
                            ) if names else ""
        return AppInterface._get_attr_value(item, col)


class AuditLogView(AppModelView):
    """Search the audit trail by time, user, action, object and result."""

    datamodel = AuditInterface(AuditLog)
    base_permissions = ["can_list", "can_show"]
    # Without the routes there is nothing to grant by mistake: the URLs answer 404.
    exclude_route_methods = {"add", "edit", "delete", "download", "action", "action_post"}
    list_title = _("Audit log")
    show_title = _("Audit record")
    label_columns = {
        "at": _("Time"),
        "user_id": _("Account id"),
        "username": _("User"),
        "ip": _("IP address"),
        "action": _("Operation"),
        "object_type": _("Object type"),
        "object_id": _("Object id"),
        "result": _("Operation result"),
        "detail": _("Details"),
        "changed_fields": _("Changed fields"),
    }
    list_columns = ["at", "username", "ip", "action", "object_type", "object_id", "result",
                    "changed_fields"]
    show_columns = ["at", "username", "user_id", "ip", "action", "object_type", "object_id",
                    "result", "detail"]
    search_columns = ["at", "username", "action", "object_type", "object_id", "result", "ip"]
    order_columns = ["at", "username", "action", "object_type"]
    # The primary key follows insertion order and is indexed.
    base_order = ("id", "desc")
    # The time column reads in Beijing time like every other (the base view's show_time).
    formatters_columns = {
        "username": user_cell,
        "object_type": object_label,
        "detail": detail_block,
    }
    description_columns = {
        "object_type": _("The kind of record, as the title of its screen."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The time is searched in Beijing time: these two replace FAB's UTC comparisons
        # (FAB keeps the filters it offers and those it applies by index in two tables).
        time_filters = [TimeFrom("at", self.datamodel), TimeBefore("at", self.datamodel)]
        self._filters._search_filters["at"] = self._filters._all_filters["at"] = time_filters


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, AuditLogView, "Audit log", _("Audit log"), SUPERVISION, "fa-history")
