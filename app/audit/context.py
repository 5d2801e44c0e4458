"""Who is acting and from where: the audit row's user and IP, from the request if any."""
from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request


def acting_user(user: Any = None) -> Any:
    """``user`` if given, else the request's logged-in user, else None (CLI, sweep)."""
    if user is not None:
        return user
    if not has_request_context():
        return None
    # FAB puts the current user on g before every view; reading flask_login's proxy
    # here instead could load the user in the middle of a flush.
    candidate = g.get("user")
    if candidate is None:
        from flask_login import current_user

        candidate = current_user._get_current_object()
    return candidate if getattr(candidate, "is_authenticated", False) else None


def user_fields(user: Any = None) -> dict[str, Any]:
    """``user_id`` and ``username`` of the acting user (both None for the system).

    ``user`` may be a bare name: the identity claimed by someone not logged in (a refused
    login), recorded without an account id.
    """
    if isinstance(user, str):
        return {"user_id": None, "username": user}
    who = acting_user(user)
    if who is None:
        # On the unit's public pages (app/public) the visitor has no account: the page
        # names it (the construction unit, and its contact once the code is verified).
        visitor = g.get("xb_unit_actor") if has_request_context() else None
        return {"user_id": None, "username": visitor}
    return {"user_id": getattr(who, "id", None), "username": getattr(who, "username", None)}


def client_ip() -> str | None:
    """The client's address as the WSGI server saw it.

    Behind the intranet's reverse proxy this is the proxy unless the deployment wraps the
    app in werkzeug's ProxyFix (X-Forwarded-For is trusted only from a known proxy).
    """
    if not has_request_context():
        return None
    return request.remote_addr
