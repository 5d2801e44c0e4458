"""Screens for ending a commission (委托终止, 协办委托终止单) and the website announcement
(公告) when the unit does not confirm in time (Art.9, R-10)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.choices import TerminationReason
from app.extensions import db
from app.models import Announcement, Termination
from app.views.base import AppInterface, AppModelView, date_order
from app.views.menu import CASEWORK, add
from app.views.rules import all_rules, editing_pk

# Terminations grow with the commissions: the announcement form searches for one.


def check_url(value: str) -> object | None:
    """The announcement's link is a web address (http or https) with a host."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value.strip():
        return _("Enter the announcement's web address, starting with http:// or https://.")
    return None


def _taken(column: Any, value: Any, pk: Any) -> bool:
    """True when another row than ``pk`` already has ``value`` in the unique ``column``."""
    query = sa.select(column.class_.id).where(column == value)
    if pk is not None:
        query = query.where(column.class_.id != pk)
    return db.session.scalar(query.limit(1)) is not None


class AnnouncementView(AppModelView):
    """公告 on the government service website; 10 working days later the termination counts
    as confirmed (R-10.4). The effective date is set by the lifecycle, not typed."""

    datamodel = AppInterface(Announcement)
    list_title = _("Announcements")
    show_title = _("Announcement")
    add_title = _("Add announcement")
    edit_title = _("Edit announcement")
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
    add_columns = edit_columns = ["termination", "published_on", "url"]
    search_columns = ["published_on", "effective_on", "url"]
    order_columns = ["published_on", "effective_on"]
    base_order = ("published_on", "desc")
    lookup_columns = {"termination": "termination"}
    field_checks = {"url": check_url}

    def check_form(self, form: Any) -> dict[str, object]:
        """One announcement per termination, published after the termination was issued."""
        errors: dict[str, object] = {}
        termination, published = form.termination.data, form.published_on.data
        if termination is not None:
            if _taken(Announcement.termination_id, termination.id, editing_pk(form)):
                errors["termination"] = _("This termination already has an announcement.")
            elif published and published < termination.issued_on:
                errors["published_on"] = _(
                    "The announcement is dated before the termination was issued.")
        return errors


class TerminationView(AppModelView):
    """委托终止: reason and dates of ending a commission (R-10.1 to R-10.3).

    The due dates (confirmation, handover) and the effective date are computed by the
    lifecycle and shown here, not typed.
    """

    datamodel = AppInterface(Termination)
    list_title = _("Terminations")
    show_title = _("Termination")
    add_title = _("Add termination")
    edit_title = _("Edit termination")
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
    add_columns = edit_columns = [
        "commission", "reason", "reason_text", "issued_on", "unit_notified_on",
        "unit_confirmed_on", "handed_over_on",
    ]
    search_columns = ["reason", "issued_on", "confirm_due_on", "unit_confirmed_on",
                      "effective_on"]
    order_columns = ["reason", "issued_on", "confirm_due_on", "handover_due_on",
                     "effective_on"]
    base_order = ("issued_on", "desc")
    lookup_columns = {"commission": "commission"}
    related_views = [AnnouncementView]

    _dates = staticmethod(all_rules(
        date_order("issued_on", "unit_notified_on",
                   _("The unit is notified before the termination form was issued.")),
        date_order("issued_on", "unit_confirmed_on",
                   _("The confirmation is dated before the termination form was issued.")),
        date_order("issued_on", "handed_over_on",
                   _("The handover is dated before the termination form was issued.")),
    ))

    def check_form(self, form: Any) -> dict[str, object]:
        """Dates after issue; "other" explains itself; one termination per commission."""
        errors = dict(self._dates(form))
        if form.reason.data == TerminationReason.other:
            if not (form.reason_text.data or "").strip():
                errors.setdefault("reason_text",
                                  _("Describe the reason when the reason is \"Other\"."))
        commission = form.commission.data
        if commission is not None and _taken(
                Termination.commission_id, commission.id, editing_pk(form)):
            errors.setdefault("commission", _("This commission already has a termination."))
        return errors


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, TerminationView, "Terminations", _("Terminations"), CASEWORK, "fa-ban")
    add(appbuilder, AnnouncementView, "Announcements", _("Announcements"), CASEWORK,
        "fa-bullhorn")
