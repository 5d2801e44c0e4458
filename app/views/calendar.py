"""Screens for 工作日历: overrides of the PRC working-day calendar (R-12.1).

Supervisors enter holidays and adjusted working days (调休) here for the years the
``chinesecalendar`` package does not cover yet, or to correct it; app/domain/workdays.py
consults these rows first.
"""
from __future__ import annotations

from flask import current_app, flash
from flask_babel import lazy_gettext as _

from app.clock import office_today
from app.domain.sweep import recompute_deadlines
from app.domain.workdays import load_calendar
from app.extensions import db
from app.models import CalendarDay
from app.views.base import AppInterface, AppModelView
from app.views.menu import REFERENCE, add
from app.views.transaction import run_in_transaction


def fallback_years() -> list[int]:
    """This year and next, where working days fall back to weekends only (for warnings)."""
    today = office_today()
    return load_calendar(db.session).fallback_years({today.year, today.year + 1})


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
    list_template = "calendar_list.html"

    def _recompute(self) -> None:
        """A changed calendar moves every running deadline (R-12.1)."""
        outcome = run_in_transaction(recompute_deadlines, db.session, today=office_today(),
                                     cal=load_calendar(db.session))
        if outcome.refused:
            flash(outcome.message, "danger")
        elif outcome.value:
            flash(str(_("%(count)s open deadlines were recomputed.", count=outcome.value)),
                  "info")

    def post_add(self, item: CalendarDay) -> None:
        self._recompute()

    def post_update(self, item: CalendarDay) -> None:
        self._recompute()

    def post_delete(self, item: CalendarDay) -> None:
        self._recompute()


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, CalendarDayView, "Working-day calendar", _("Working-day calendar"),
        REFERENCE, "fa-calendar")
    current_app.jinja_env.globals["calendar_fallback_years"] = fallback_years
