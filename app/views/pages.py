"""The site's small fixed pages: ``/favicon.ico`` and the error pages, in Chinese.

Werkzeug answers 403, 404, 405 and 500 with English pages ("Not Found", "Forbidden"); these
handlers answer with a short Chinese page instead (stand-alone, like the 400/413/429 pages:
no menu, nothing that could fail again). On /api/ paths the API turns any error answer into
its JSON ``{"message": …}`` (app/api/errors.py), so the REST contract is unchanged.

The icon (app/static/img/favicon.ico, the character 协 on the navbar's blue) was drawn once
with Pillow and wqy-zenhei; browsers ask for /favicon.ico on every page.
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from flask_babel import lazy_gettext as _
from werkzeug.exceptions import HTTPException

from app.extensions import csrf

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


def error_page(error: HTTPException):
    """A Chinese page for ``error``'s status."""
    status = getattr(error, "code", None) or 500
    title, message = ERRORS.get(status, ERRORS[500])
    return render_template("error.html", title=title, message=message, status=status), status


def register(appbuilder) -> None:
    """Attach the icon route and the error handlers (from app/views/__init__.py)."""
    app = current_app
    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
    for status in ERRORS:
        app.register_error_handler(status, error_page)
