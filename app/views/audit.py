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

from app.audit.display import shown_detail
from app.clock import OFFICE_TZ
from app.models import AuditLog
from app.views.base import AppInterface, AppModelView
from app.views.menu import SUPERVISION, add


def object_label(value: Any) -> str:
    """A stored class name as the title of its screen (Commission → 委托协办)."""
    if not value:
        return ""
    for view in current_app.appbuilder.baseviews:
        datamodel = getattr(view, "datamodel", None)
        if getattr(getattr(datamodel, "obj", None), "__name__", None) == value:
            title = getattr(view, "show_title", "") or getattr(view, "list_title", "")
            if title and not str(title).startswith("Show "):
                return f"{title} ({value})"
    return str(value)


def detail_block(value: Any) -> Markup:
    """The event's details as indented JSON, escaped."""
    if value in (None, ""):
        return Markup("")
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
            return shown_detail(g.user, item.object_type, item.object_id, item.detail)
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
        "object_type": _("The kind of record, e.g. Commission, CommissionItem, Material, User."),
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
