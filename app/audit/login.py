"""Logins in the audit trail: each success and each failure, on the form and the API.

FAB has no signal for a failed login, and Flask-Login's ``user_logged_in`` misses the JWT
API login (it issues a token, not a session). The one place every password check passes
(the login form and the API alike) is the security manager's ``auth_user_db``, so
``install()`` wraps it on the app's security manager instance. That keeps app/security.py
(which decides lockout) free of audit code, and sees its final answer: a refused login is
recorded whatever refused it (wrong password, unknown or locked account).
"""
from __future__ import annotations

import functools
import logging
from typing import Any

from flask import Flask, has_request_context, request

from app.audit.trail import record_now
from app.models.audit import AuditAction, AuditResult

log = logging.getLogger(__name__)

#: the stored attempted name is cut to this length (a pasted password must not fill a row)
MAX_ATTEMPTED_NAME = 100


def install(app: Flask) -> None:
    """Record the logins of ``app``; calling it again changes nothing."""
    sm = app.appbuilder.sm
    if getattr(sm.auth_user_db, "_audited", False):
        return
    original = sm.auth_user_db

    @functools.wraps(original)
    def auth_user_db(username: str, password: str) -> Any:
        user = original(username, password)
        if user is not None:
            logged_in(user)
        elif username:
            login_failed(username)
        return user

    auth_user_db._audited = True  # type: ignore[attr-defined]
    sm.auth_user_db = auth_user_db


def logged_in(user: Any) -> None:
    """Record an accepted login of ``user``."""
    _write(AuditAction.login, user=user, object_id=getattr(user, "id", None),
           detail={"username": getattr(user, "username", None), "via": _via()})


def login_failed(username: str) -> None:
    """Record a refused login for the name that was typed (no account is assumed)."""
    name = str(username)[:MAX_ATTEMPTED_NAME]
    _write(AuditAction.login_failed, result=AuditResult.failed, user=name,
           detail={"username": name, "via": _via()})


def _via() -> str | None:
    """The endpoint that checked the password (the login form, the API login)."""
    return request.endpoint if has_request_context() else None


def _write(action: AuditAction, **kwargs: Any) -> None:
    # The login path commits nothing after this point: the row needs its own commit.
    # A failure to write is logged loudly but does not turn a login into an error page.
    from app.extensions import db

    try:
        record_now(action, object_type="User", **kwargs)
    except Exception:  # noqa: BLE001
        db.session.rollback()
        log.exception("could not write the audit row of a login (%s)", action.value)
