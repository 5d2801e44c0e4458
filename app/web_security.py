"""Session and HTTP protections (R-14.1; 等保 level 3: 访问控制, 安全审计, 通信传输).

``init_web_security(app)`` attaches, for every request:
- revocation (R-14.6): a session whose account's session version has moved on (logout
  elsewhere, a password change or reset, a lock, a deactivation) is ended and sent to the
  login page;
- the idle timeout: a signed-in session unused for SESSION_IDLE_MINUTES is ended;
- the password-change gate: while a password is due (first login of an account whose
  password someone else set, or older than PASSWORD_MAX_AGE_DAYS) every page leads to the
  change-password form;
- security headers on every response: a Content-Security-Policy whose script nonce is the
  one FAB's templates print (``baselib.get_nonce()`` calls our ``csp_nonce()``), nosniff,
  frame-ancestors 'none' / X-Frame-Options DENY, Referrer-Policy, no-store on signed-in pages;
- a Chinese page for 429 (login rate limit, set up by FAB's limiter from app.config) and for
  413 (a request above MAX_CONTENT_LENGTH, refused before its body is read);
- ProxyFix for TRUSTED_PROXIES reverse proxies, so that the client IP (rate limit, audit)
  and the HTTPS scheme are the real ones.

Session cookies are HttpOnly and SameSite=Lax always, Secure with SESSION_COOKIE_SECURE
(app/config.py).
"""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _
from flask_login import current_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

# Session keys (the session is a signed cookie: the client cannot change them).
SEEN_KEY = "_xb_seen"          # epoch seconds of the last request of the signed-in user
PASSWORD_DUE_KEY = "_xb_pw_due"  # epoch seconds from which the password must be changed
VERSION_KEY = "_xb_sv"         # the account's session version at login
#: how often, at most, a request moves the idle clock (SEEN_KEY) on. Moving it rewrites and
#: signs the session cookie; a session then ends at most this much before the idle limit.
SEEN_STEP_SECONDS = 60

_STATIC_ENDPOINTS = {"static", "appbuilder.static"}


def init_web_security(app: Flask) -> None:
    """Attach the request hooks that protect sessions and responses."""
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.before_request(_guard_session)
    app.after_request(_security_headers)
    app.register_error_handler(429, _too_many_requests)
    app.register_error_handler(413, _too_large)


def csp_nonce() -> str:
    """This request's script nonce (FAB's templates print it on every <script>)."""
    nonce = g.get("_xb_csp_nonce")
    if nonce is None:
        nonce = g._xb_csp_nonce = secrets.token_urlsafe(18)
    return nonce


def safe_next_url(url: str | None) -> str:
    """``url`` when it stays on this site, else the index page (no open redirect).

    Only a path on this host ("/x", never "//host" or "/\\host", which browsers read as
    another host) or an absolute http(s) URL to the request's own host is kept.
    """
    index = current_app.appbuilder.get_url_for_index
    if not url or any(c.isspace() or ord(c) < 32 or c == "\\" for c in url):
        return index
    try:
        parts = urlsplit(url)
    except ValueError:
        return index
    if parts.scheme or parts.netloc:
        if parts.scheme in ("http", "https") and parts.netloc == request.host:
            return url
        return index
    if not url.startswith("/") or url.startswith("//"):
        return index
    return url


def start_session(now_ts: float, due_ts: float | None, version: int) -> None:
    """At login: the idle clock starts, the password's due time and the account's session
    version are remembered."""
    session[SEEN_KEY] = now_ts
    set_password_due(due_ts)
    set_session_version(version)
    session.permanent = True


def set_session_version(version: int) -> None:
    """The version this session lives under (login; the owner's own password change)."""
    session[VERSION_KEY] = version


def set_password_due(due_ts: float | None) -> None:
    """Remember when the signed-in user's password falls due (None: never)."""
    if due_ts is None:
        session.pop(PASSWORD_DUE_KEY, None)
    else:
        session[PASSWORD_DUE_KEY] = due_ts


def end_session() -> None:
    """Forget our keys (logout, timeout, revocation)."""
    for key in (SEEN_KEY, PASSWORD_DUE_KEY, VERSION_KEY):
        session.pop(key, None)


def _password_change_endpoints() -> set[str]:
    sm = current_app.appbuilder.sm
    change = sm.resetmypasswordview.__name__
    auth = sm.authdbview.__name__
    return {f"{change}.this_form_get", f"{change}.this_form_post", f"{auth}.logout",
            f"{auth}.login", "LocaleView.index"} | _STATIC_ENDPOINTS


def _guard_session():
    """Revocation, the idle timeout, then the password-change gate, for signed-in users."""
    if request.endpoint in _STATIC_ENDPOINTS or not current_user.is_authenticated:
        return None
    sm = current_app.appbuilder.sm
    # A session from before versions existed has none: it ends like a revoked one.
    if session.get(VERSION_KEY) != sm.session_version(current_user):
        return _end_and_sign_in(_("Your session has ended. Please sign in again."))
    now_ts = sm.now().timestamp()
    idle_seconds = current_app.config["SESSION_IDLE_MINUTES"] * 60
    seen = session.get(SEEN_KEY)
    if seen is not None and now_ts - seen > idle_seconds:
        return _end_and_sign_in(_("Your session has timed out. Please sign in again."))
    if seen is None:
        # A session signed in before this gate existed: look the account up once.
        set_password_due(sm.password_due_timestamp(current_user))
    if seen is None or now_ts - seen >= SEEN_STEP_SECONDS:
        # The cookie expires with the idle limit too, counted from the same moment: it is
        # written (and signed) only here or when something else changes the session
        # (SESSION_REFRESH_EACH_REQUEST is off), not on every page.
        session[SEEN_KEY] = now_ts
        session.permanent = True
    due = session.get(PASSWORD_DUE_KEY)
    if due is not None and now_ts >= due and request.endpoint not in _password_change_endpoints():
        flash(str(_("Your password must be changed before you continue.")), "warning")
        return redirect(url_for(f"{sm.resetmypasswordview.__name__}.this_form_get"))
    return None


def _end_and_sign_in(message):
    """End this session and lead to the login page (an API call just loses its user)."""
    logout_user()
    end_session()
    if request.path.startswith("/api/"):
        return None
    flash(str(message), "warning")
    sm = current_app.appbuilder.sm
    target = request.full_path if request.method == "GET" else None
    return redirect(sm.appbuilder.get_url_for_login_with(target) if target
                    else sm.appbuilder.get_url_for_login)


def _content_security_policy() -> str:
    # Scripts: our own files and inline blocks carrying this request's nonce. Styles keep
    # 'unsafe-inline': FAB's templates and widgets use style attributes, which a nonce
    # cannot cover; style injection cannot run code.
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{csp_nonce()}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _security_headers(response):
    """Security headers on every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint not in _STATIC_ENDPOINTS and (
            current_user.is_authenticated or response.mimetype == "application/json"):
        # Case data must not stay in shared browsers' or proxies' caches; API answers (a JWT
        # caller is no flask-login user) and tokens neither.
        headers.setdefault("Cache-Control", "no-store")
    return response


def _too_large(error):
    """413: the request is larger than MAX_CONTENT_LENGTH; refused before it was read."""
    limit_mb = current_app.config["MATERIAL_MAX_BYTES"] / 1024 / 1024
    message = _("The upload is too large: files of at most %(mb)s MB are accepted.",
                mb=f"{limit_mb:g}")
    if request.path.startswith("/api/"):
        return {"message": str(message)}, 413
    return render_template("too_large.html", message=message), 413


def _too_many_requests(error):
    """429 from the login rate limit: a Chinese page, nothing about the accounts."""
    return render_template("too_many_requests.html"), 429
