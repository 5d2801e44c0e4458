"""The 消息通知 outbox, read-only: what was sent to units, how, and what failed (R-11.1)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _

from app.models import Notification
from app.notify.templates import Template
from app.views.base import AppInterface, AppModelView, enum_select
from app.views.menu import SUPERVISION, add


def template_name(code: Any) -> str:
    """A stored template code by its Chinese name (results_ready → 审批结果可领取)."""
    try:
        return str(Template(code))
    except ValueError:
        return str(code or "")


class NotificationView(AppModelView):
    """Outbox rows are written by the events that cause them and by the sender, never by hand."""

    datamodel = AppInterface(Notification)
    base_permissions = ["can_list", "can_show"]
    list_title = _("Notifications")
    show_title = _("Notification")
    label_columns = {
        "commission": _("Commission"),
        "template": _("Message template"),
        "channel": _("Channel"),
        "recipient": _("Recipient"),
        "body": _("Message text"),
        "status": _("Sending status"),
        "attempts": _("Attempts"),
        "last_error": _("Last error"),
        "created_at": _("Created at"),
        "next_attempt_at": _("Next attempt at"),
        "sent_at": _("Sent at"),
    }
    list_columns = [
        "created_at", "template", "channel", "recipient", "status", "attempts", "sent_at",
        "commission",
    ]
    search_columns = ["status", "channel", "template", "recipient", "created_at", "sent_at"]
    order_columns = ["created_at", "status", "attempts", "sent_at"]
    # The column stores the template's code: shown and searched by its name.
    formatters_columns = {"template": template_name}
    # The primary key follows creation order and is indexed; created_at is not.
    base_order = ("id", "desc")
    show_fieldsets = [
        (_("Message"), {"fields": ["commission", "template", "channel", "recipient", "body"]}),
        (_("Delivery"), {"fields": [
            "status", "attempts", "last_error", "created_at", "next_attempt_at", "sent_at",
        ]}),
    ]

    def _init_forms(self) -> None:
        super()._init_forms()
        self.search_form.template = enum_select(Template, self.label_columns["template"])


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, NotificationView, "Notifications", _("Notifications"), SUPERVISION,
        "fa-envelope")
