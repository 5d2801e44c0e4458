"""The construction unit's own pages (建设单位自助, R-17), outside FAB's admin, without an
account: its look-up by application number and one-time code, the plan and termination
confirmed from a phone, a contact change reported, the service rated by link.

- ``views``: the routes under ``/unit`` (app/domain/online_links.PREFIX);
- ``case``: what the unit sees of its commission (and of nothing else);
- ``visit``: the look-up's own short-lived signed cookie and the forms' CSRF token.

Security (issue 17, item 6): these pages send their own Content-Security-Policy (no script;
styles only from the bundled sheet under app/static/public), never use FAB's session (the
session interface gives them a null session, flask-login an anonymous user, so a browser
signed in at the window is nobody here and its session cookie is neither read nor
refreshed), set no cookie but the visit's, check a CSRF token on every form (Flask-WTF's
session-based check is switched off for this blueprint only), and are never cached.
"""
from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

from app.domain.online_links import PREFIX
from app.extensions import csrf


def is_public_path(path: str) -> bool:
    """The path is one of the unit's pages."""
    return path == PREFIX or path.startswith(PREFIX + "/")


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session everywhere but on the public pages. There each request
    gets an empty session of its own: the browser's session cookie is not read, and nothing
    (FAB stores the locale in it) is ever written back."""

    def open_session(self, app, request):
        if is_public_path(request.path):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if has_request_context() and is_public_path(request.path):
            return None
        return super().save_session(app, session, response)


def init_public(app: Flask) -> None:
    """Register the unit's pages on ``app``."""
    from app.public.views import bp

    app.register_blueprint(bp)
    csrf.exempt(bp)
    app.session_interface = SessionInterface()
