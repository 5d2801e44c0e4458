"""Green / yellow / red deadline cells for list and show pages (R-13.1)."""
from __future__ import annotations

import datetime as dt

from flask import current_app, g
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape

from app.clock import office_today
from app.domain.deadlines import light
from app.domain.workdays import WorkCalendar, load_calendar
from app.extensions import db


#: the deadline cell's warning for a year whose holidays nobody confirmed (R-12.2)
UNKNOWN_YEAR = _("The holidays of %(year)s are not confirmed: this deadline is counted on "
                 "weekends only.")


def request_calendar() -> WorkCalendar:
    """The working-day calendar, loaded once per request."""
    cal = getattr(g, "_xb_calendar", None)
    if cal is None:
        cal = g._xb_calendar = load_calendar(db.session)
    return cal


def light_cell(due_on: dt.date | str | None) -> Markup:
    """A coloured label with the date, or an empty cell when no deadline runs."""
    if not due_on:  # None, or "" as list pages hand empty cells over
        return Markup("")
    cal = request_calendar()
    value = light(due_on, office_today(), cal,
                  current_app.config.get("DEADLINE_WARNING_DAYS", 2))
    # (f-strings over escaped parts: Markup.format took most of a long list's time)
    cell = (f'<span class="label label-{value.css}" title="{escape(str(value.label))}">'
            f'{due_on.isoformat()}</span>')
    if not cal.knows_year(due_on.year):  # counted on weekends only
        title = escape(str(UNKNOWN_YEAR % {"year": due_on.year}))
        cell += (f' <span class="calendar-unknown text-warning" title="{title}">'
                 '<i class="fa fa-exclamation-triangle"></i></span>')
    return Markup(cell)
