"""Screens for 工作日历: overrides of the PRC working-day calendar (R-12.1).

Supervisors enter holidays and adjusted working days (调休) here for the years the
``chinesecalendar`` package does not cover yet, or to correct it; app/domain/workdays.py
consults these rows first. A year becomes known when a supervisor pastes the State Council's
notice (previewed against weekends-only, then saved) and confirms the year (R-12.2).
"""
from __future__ import annotations

from flask import current_app, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _

from app.clock import office_today
from app.domain import calendar_years
from app.domain.errors import DomainError
from app.domain.holiday_notice import parse_notice
from app.domain.sweep import recompute_deadlines
from app.domain.workdays import load_calendar
from app.extensions import db
from app.inputs import clean_text
from app.models import CalendarDay
from app.views.base import AppInterface, AppModelView
from app.views.lights import request_calendar
from app.views.menu import REFERENCE, add
from app.views.transaction import run_in_transaction

#: the longest notice text accepted (the real ones are about 1,000 characters)
MAX_NOTICE_CHARS = 20000


def fallback_years() -> list[int]:
    """Years counted on weekends only that a deadline (or this year or next) falls in."""
    missing = getattr(g, "_xb_fallback_years", None)
    if missing is None:
        missing = g._xb_fallback_years = calendar_years.unknown_deadline_years(
            db.session, request_calendar(), office_today())
    return missing


def _save_notice(text: str, year: int | None) -> int:
    notice = parse_notice(text, year)
    saved = calendar_years.save_notice(db.session, notice)
    recompute_deadlines(db.session, today=office_today(), cal=load_calendar(db.session))
    return saved


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
    # Pasting a notice adds overrides; confirming a year edits the calendar.
    method_permission_name = {"notice": "add", "confirm_year": "edit"}
    extra_args = {"calendar_years": lambda: calendar_years.year_statuses(
        db.session, office_today())}

    @expose("/notice", methods=["GET", "POST"])
    @has_access
    def notice(self):
        """Paste the State Council's notice; preview its days; save them as overrides."""
        text = clean_text(request.form.get("text", ""))[:MAX_NOTICE_CHARS]
        year_field = request.form.get("year", "").strip()
        year = int(year_field) if year_field.isdigit() and len(year_field) == 4 else None
        parsed, error = None, None
        if request.method == "POST" and text:
            try:
                parsed = parse_notice(text, year)
            except DomainError as exc:
                error = str(exc)
            if parsed is not None and request.form.get("save"):
                outcome = run_in_transaction(_save_notice, text, year)
                if outcome.refused:
                    flash(outcome.message, "danger")
                else:
                    flash(str(_("%(count)s days of %(year)s were saved from the notice. Check "
                                "them, then confirm the year as complete.",
                                count=outcome.value, year=parsed.year)), "success")
                    return redirect(url_for("CalendarDayView.list"))
        return self.render_template("calendar_notice.html", text=text, year=year_field,
                                    notice=parsed, error=error,
                                    title=_("Paste the holiday notice"))

    @expose("/confirm/<int:year>", methods=["POST"])
    @has_access
    def confirm_year(self, year: int):
        """The signed-in supervisor confirms the year's holidays complete (R-12.2)."""
        outcome = run_in_transaction(calendar_years.confirm_year, db.session, year, by=g.user)
        if outcome.refused:
            flash(outcome.message, "danger")
        else:
            flash(str(_("%(year)s is confirmed complete: its deadlines no longer carry the "
                        "weekends-only warning.", year=year)), "success")
        return redirect(url_for("CalendarDayView.list"))

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
