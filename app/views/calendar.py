"""Screens for 工作日历: overrides of the PRC working-day calendar (R-12.1).

Supervisors enter holidays and adjusted working days (调休) here for the years the
``chinesecalendar`` package does not cover yet, or to correct it; app/domain/workdays.py
consults these rows first.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _

from app.models import CalendarDay
from app.views.base import AppInterface, AppModelView
from app.views.menu import REFERENCE, add


class CalendarDayView(AppModelView):
    """One override per day: a holiday, or a weekend that is worked."""

    datamodel = AppInterface(CalendarDay)
    list_title = _("Working-day calendar")
    show_title = _("Calendar day")
    add_title = _("Add calendar day")
    edit_title = _("Edit calendar day")
    label_columns = {
        "day": _("Date"),
        "kind": _("Day type"),
        "name": _("Holiday name"),
        "note": _("Note"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "kind": _("A holiday is not worked; an adjusted working day (a weekend worked "
                  "in exchange for a holiday) is."),
        "name": _("For example: Spring Festival."),
    }
    list_columns = ["day", "kind", "name", "note"]
    search_columns = ["day", "kind", "name"]
    order_columns = ["day", "kind"]
    base_order = ("day", "desc")
    add_columns = edit_columns = ["day", "kind", "name", "note"]
    show_columns = add_columns + ["created_at", "updated_at"]


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, CalendarDayView, "Working-day calendar", _("Working-day calendar"),
        REFERENCE, "fa-calendar")
