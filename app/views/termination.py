"""Screens for ending a commission (委托终止, 协办委托终止单) and the website announcement
(公告) when the unit does not confirm in time (Art.9, R-10)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _

from app.models import Announcement, Termination
from app.views.base import AppInterface, LifecycleRecordView
from app.views.menu import CASEWORK, add

# Both are written by the steps on the commission's page (terminate, confirm, announce,
# handover, app/lifecycle); the sweep applies announcements. Their rules (the "other"
# reason, the announcement's address) are the domain's (app/domain/closing.py).


class AnnouncementView(LifecycleRecordView):
    """公告 on the government service website; 10 working days later the termination counts
    as confirmed (R-10.4). Published by the "announce" step, read-only here (R-16.1)."""

    datamodel = AppInterface(Announcement)
    list_title = _("Announcements")
    show_title = _("Announcement")
    label_columns = {
        "termination": _("Termination"),
        "published_on": _("Published on"),
        "url": _("Announcement link"),
        "effective_on": _("Termination deemed confirmed on"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "url": _("The address of the announcement on the government service website."),
    }
    list_columns = ["termination", "published_on", "url", "effective_on"]
    show_columns = list_columns + ["created_at", "updated_at"]
    search_columns = ["published_on", "effective_on", "url"]
    order_columns = ["published_on", "effective_on"]
    base_order = ("published_on", "desc")


class TerminationView(LifecycleRecordView):
    """委托终止: reason and dates of ending a commission (R-10.1 to R-10.3).

    Written by the "terminate" step (which issues the 协办委托终止单 and starts the wait)
    and the steps after it; read-only here (R-16.1).
    """

    datamodel = AppInterface(Termination)
    list_title = _("Terminations")
    show_title = _("Termination")
    label_columns = {
        "commission": _("Commission"),
        "reason": _("Termination reason"),
        "reason_text": _("Reason details"),
        "issued_on": _("Termination form issued on"),
        "unit_notified_on": _("Unit notified on"),
        "confirm_due_on": _("Confirmation due on"),
        "unit_confirmed_on": _("Unit confirmed on"),
        "handover_due_on": _("Handover due on"),
        "handed_over_on": _("Materials handed over on"),
        "effective_on": _("Termination effective on"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "reason_text": _("Required for the reason \"Other\"."),
    }
    list_columns = [
        "commission", "reason", "issued_on", "confirm_due_on", "unit_confirmed_on",
        "handover_due_on", "effective_on",
    ]
    show_fieldsets = [
        (_("Termination"), {"fields": ["commission", "reason", "reason_text", "issued_on"]}),
        (_("Confirmation and handover"), {"fields": [
            "unit_notified_on", "confirm_due_on", "unit_confirmed_on", "handover_due_on",
            "handed_over_on", "effective_on",
        ]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    search_columns = ["reason", "issued_on", "confirm_due_on", "unit_confirmed_on",
                      "effective_on"]
    order_columns = ["reason", "issued_on", "confirm_due_on", "handover_due_on",
                     "effective_on"]
    base_order = ("issued_on", "desc")
    lookup_columns = {"commission": "commission"}
    related_views = [AnnouncementView]


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, TerminationView, "Terminations", _("Terminations"), CASEWORK, "fa-ban")
    add(appbuilder, AnnouncementView, "Announcements", _("Announcements"), CASEWORK,
        "fa-bullhorn")
