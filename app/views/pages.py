"""The site's small fixed pages: ``/favicon.ico``, the error pages in Chinese, and the
working-day calendar the date pickers mark (``/calendar/days?year=``).

Werkzeug answers 403, 404, 405 and 500 with English pages ("Not Found", "Forbidden"); these
handlers answer with a short Chinese page instead (stand-alone, like the 400/413/429 pages:
no menu, nothing that could fail again). On /api/ paths the API turns any error answer into
its JSON ``{"message": …}`` (app/api/errors.py), so the REST contract is unchanged.

The icon (app/static/img/favicon.ico, the character 协 on the navbar's blue) was drawn once
with Pillow and wqy-zenhei; browsers ask for /favicon.ico on every page.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, jsonify, make_response, render_template, \
    request, send_from_directory
from flask_babel import lazy_gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app import inputs
from app.clock import office_today
from app.domain.workdays import load_calendar
from app.extensions import csrf, db

blueprint = Blueprint("pages", __name__)

#: status → (title, what happened), for the error page
ERRORS = {
    403: (_("No access"), _("Your account may not open this page. If you need it, ask the "
                            "administrator for the role that includes it.")),
    404: (_("Page not found"), _("There is no such page or record, or it is not in your "
                                 "caseload. Check the address, or go back and choose again.")),
    405: (_("Not allowed"), _("This page cannot be opened this way. Use the buttons on the "
                              "screens.")),
    500: (_("Something went wrong"), _("The request could not be completed and nothing was "
                                        "changed. Please try again; if it happens again, tell "
                                        "the administrator the time.")),
}


@blueprint.get("/favicon.ico")
def favicon():
    """The bundled icon (cached for a day)."""
    return send_from_directory(current_app.static_folder + "/img", "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=86400)


@blueprint.get("/calendar/days")
def calendar_days():
    """A year's exceptions to the weekend rule, for the date pickers: the weekday holidays
    and the working weekend days, as the app's calendar counts them (signed-in users)."""
    if not current_user.is_authenticated:
        abort(403)
    raw = request.args.get("year", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4) or \
            not inputs.DATE_MIN.year <= int(raw) <= inputs.DATE_MAX.year:
        abort(404)
    year = int(raw)
    cal = load_calendar(db.session)
    holidays, workdays = [], []
    day = dt.date(year, 1, 1)
    while day.year == year:
        working, weekend = cal.is_working_day(day), day.weekday() >= 5
        if weekend and working:
            workdays.append(day.isoformat())
        elif not weekend and not working:
            holidays.append(day.isoformat())
        day += dt.timedelta(days=1)
    response = jsonify(year=year, known=cal.knows_year(year), holidays=holidays,
                       workdays=workdays)
    response.headers["Cache-Control"] = "private, max-age=600"
    return response


def error_page(error: HTTPException):
    """A Chinese page for ``error``'s status, with the error's own headers (a 405 keeps its
    ``Allow``)."""
    status = getattr(error, "code", None) or 500
    title, message = ERRORS.get(status, ERRORS[500])
    response = make_response(
        render_template("error.html", title=title, message=message, status=status), status)
    if isinstance(error, HTTPException):
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
    return response


def register(appbuilder) -> None:
    """Attach the icon route and the error handlers (from app/views/__init__.py)."""
    app = current_app
    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
    for status in ERRORS:
        app.register_error_handler(status, error_page)
    # The app's day, for the date pickers' 今天 (the injected clock, not the PC's).
    app.jinja_env.globals["office_today"] = office_today
