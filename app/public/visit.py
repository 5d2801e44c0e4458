"""The look-up's own cookie: the one cookie the public pages set (R-17 security).

A visit is a small signed value (itsdangerous, the app's secret key) in the cookie
``xb_unit``: a CSRF token for the page's forms, the number a code was asked for, and after
a code was verified the commission and contact it grants, until its expiry. It is HttpOnly,
SameSite=Strict, Secure with SESSION_COOKIE_SECURE, limited to the public pages' path and
short-lived: a grant lasts UNIT_LOOKUP_MINUTES (30) from the verification, whatever the
visitor does. Nothing of it is stored on the server, and FAB's session is not used.

Expiry is counted on the injected clock (app/clock.py), so tests move it like the rest.
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

from app.clock import utc_now
from app.domain.online_links import PREFIX

COOKIE = "xb_unit"
SALT = "xb-unit-visit"
CSRF_FIELD = "csrf_token"


@dataclass
class Visit:
    """What the cookie holds (``changed``: it must be written on the response)."""

    csrf: str
    expires: float
    number: str | None = None
    commission_id: int | None = None
    contact: str | None = None
    changed: bool = field(default=False, compare=False)

    @property
    def granted(self) -> bool:
        """A code was verified and its 30 minutes are not over."""
        return self.commission_id is not None and self.expires > utc_now().timestamp()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def _lifetime() -> float:
    return float(current_app.config.get("UNIT_LOOKUP_MINUTES", 30)) * 60


def _fresh() -> Visit:
    return Visit(csrf=secrets.token_urlsafe(24), expires=utc_now().timestamp() + _lifetime(),
                 changed=True)


def current() -> Visit:
    """This request's visit: the cookie's when it is genuine and not expired, else a new one."""
    visit = g.get("xb_visit")
    if visit is not None:
        return visit
    visit = None
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            data = _serializer().loads(raw)
            visit = Visit(csrf=str(data["csrf"]), expires=float(data["expires"]),
                          number=data.get("number"), commission_id=data.get("commission_id"),
                          contact=data.get("contact"))
        except (BadSignature, KeyError, TypeError, ValueError):
            visit = None
        if visit is not None and visit.expires <= utc_now().timestamp():
            visit = None
    g.xb_visit = visit = visit or _fresh()
    return visit


def asked(number: str) -> None:
    """Remember the number a code was asked for (the code form shows it)."""
    visit = current()
    visit.number, visit.changed = number, True


def grant(commission_id: int, contact: str) -> None:
    """A verified code: the commission for UNIT_LOOKUP_MINUTES, with a new CSRF token."""
    visit = current()
    visit.commission_id, visit.contact = commission_id, contact
    visit.csrf = secrets.token_urlsafe(24)
    visit.expires = utc_now().timestamp() + _lifetime()
    visit.changed = True


def forget() -> None:
    """End the visit (the 退出 button): a fresh one without a grant."""
    g.xb_visit = _fresh()


def csrf_ok(form: Any) -> bool:
    """The form carries this visit's CSRF token."""
    token = form.get(CSRF_FIELD, "") if form is not None else ""
    return hmac.compare_digest(current().csrf.encode(), str(token).encode())


def save(response: Any) -> Any:
    """Write the cookie when the visit changed (after_request of the public pages)."""
    visit = g.get("xb_visit")
    if visit is None or not visit.changed:
        return response
    data = {k: v for k, v in asdict(visit).items() if k != "changed" and v is not None}
    response.set_cookie(
        COOKIE, _serializer().dumps(data),
        max_age=max(int(visit.expires - utc_now().timestamp()), 0), path=PREFIX,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), httponly=True,
        samesite="Strict")
    return response
