"""R-14.1, 等保 level 3 (访问控制, 通信传输): session idle timeout, cookie flags, security
headers with a CSP that FAB's script nonces satisfy, no open redirect through ``next``.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.accounts import ADMIN_PASSWORD, ADMIN_USER


def _login(app, next_url=None, **kw):
    client = app.test_client()
    query = {"next": next_url} if next_url is not None else None
    response = client.post("/login/", query_string=query,
                           data={"username": ADMIN_USER, "password": ADMIN_PASSWORD}, **kw)
    return client, response


# --- idle timeout ------------------------------------------------------------------------

def test_idle_session_times_out_after_30_minutes(app, clock):
    """R-14.1 (会话超时): each request restarts the 30 minutes; past them the session ends and
    the login page comes back, with the page asked for as ``next``."""
    client, _ = _login(app)
    clock.now += dt.timedelta(minutes=29)
    assert client.get("/commissionview/list/").status_code == 200
    clock.now += dt.timedelta(minutes=29)  # 58 minutes after login, 29 after the last request
    assert client.get("/commissionview/list/").status_code == 200
    clock.now += dt.timedelta(minutes=30, seconds=1)
    response = client.get("/commissionview/list/?page=2")
    assert response.status_code == 302 and "/login/" in response.location
    assert parse_qs(urlsplit(response.location).query)["next"] == ["/commissionview/list/?page=2"]
    page = client.get(response.location).get_data(as_text=True)
    assert "会话已超时" in page
    # Signed out for good: going back does not revive the session.
    clock.now += dt.timedelta(seconds=1)
    assert client.get("/commissionview/list/").status_code == 302


def test_idle_timeout_is_configurable(app, clock, monkeypatch):
    """R-14.1: SESSION_IDLE_MINUTES sets the limit."""
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    client, _ = _login(app)
    clock.now += dt.timedelta(minutes=5, seconds=1)
    assert client.get("/commissionview/list/").status_code == 302


def test_the_cookie_is_signed_again_once_a_minute_not_on_every_page(app, clock):
    """R-14.1 with issue 16: a page within a minute of the idle clock's last move sends no
    cookie (nothing to sign); the next one after it moves the clock and the cookie's expiry
    on together, and the session still ends 30 minutes after that."""
    client, _ = _login(app)
    assert client.get("/commissionview/list/").status_code == 200
    clock.now += dt.timedelta(seconds=30)
    response = client.get("/commissionview/list/")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    clock.now += dt.timedelta(seconds=31)
    response = client.get("/commissionview/list/")
    assert response.status_code == 200 and "Expires=" in response.headers["Set-Cookie"]
    clock.now += dt.timedelta(minutes=29, seconds=59)
    assert client.get("/commissionview/list/").status_code == 200
    clock.now += dt.timedelta(minutes=30, seconds=1)
    assert client.get("/commissionview/list/").status_code == 302


def test_session_cookie_flags(app, monkeypatch):
    """R-14.1: the session cookie is HttpOnly and SameSite=Lax, Secure when configured (HTTPS);
    it expires with the idle limit."""
    assert app.permanent_session_lifetime == dt.timedelta(minutes=30)
    _, response = _login(app)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Expires=" in cookie
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    _, response = _login(app, base_url="https://localhost")
    assert "; Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# --- headers -----------------------------------------------------------------------------

def _nonce(response) -> str:
    csp = response.headers["Content-Security-Policy"]
    return re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)


@pytest.mark.parametrize("url", ["/login/", "/commissionview/list/", "/commissionitemview/add",
                                 "/users/list/", "/no-such-page", "/static/js/lookup.js"])
def test_security_headers_on_every_response(client, url):
    """R-14.1: CSP (scripts only from us or with this request's nonce; frame-ancestors
    'none'), nosniff, X-Frame-Options DENY and Referrer-Policy on every response."""
    response = client.get(url)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "'unsafe-inline'" not in csp.split(";")[1]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/login/", "/commissionview/list/", "/commissionitemview/add"])
def test_every_script_carries_the_request_nonce(app, client, url):
    """R-14.1: each <script> FAB and we render carries the nonce the CSP header names, fresh
    per request; no inline event handlers; nothing loads from another host."""
    c = client if url != "/login/" else app.test_client()
    first, second = c.get(url), c.get(url)
    html = first.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        assert f'nonce="{_nonce(first)}"' in tag, tag
    assert _nonce(first) != _nonce(second)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_signed_in_pages_are_not_cached(client):
    """R-14.1: case pages carry Cache-Control: no-store (shared PCs, proxies)."""
    assert "no-store" in client.get("/commissionview/list/").headers["Cache-Control"]


# --- open redirect -----------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "http://evil.example/x", "https://evil.example", "//evil.example/x", "///evil.example",
    "/\\evil.example", "\\\\evil.example", "https:evil.example", "javascript:alert(1)",
    "/\t/evil.example", " //evil.example", "http://localhost.evil.example/",
])
def test_next_cannot_leave_the_site(app, target):
    """R-14.1: ``next`` pointing to another host (absolute, //host, /\\host, ...) is ignored:
    after login the browser goes to the index page."""
    _, response = _login(app, target)
    assert response.status_code == 302
    assert response.location == "/", response.location
    # Already signed in: the login page does the same.
    client, _ = _login(app)
    response = client.get("/login/", query_string={"next": target})
    assert response.location == "/"


@pytest.mark.parametrize("target", ["/commissionview/list/?page=2",
                                    "http://localhost/commissionview/list/"])
def test_next_within_the_site_is_kept(app, target):
    """R-14.1: a page of this site (a path, or an absolute URL to this host) is kept."""
    _, response = _login(app, target)
    assert response.location == target


def test_failed_login_keeps_only_a_safe_next(app):
    """R-14.1: a failed login sends back to the form; a foreign ``next`` is not carried along."""
    client = app.test_client()
    response = client.post("/login/", query_string={"next": "//evil.example"},
                           data={"username": ADMIN_USER, "password": "Wrong#Pass1"})
    assert response.status_code == 302 and "evil" not in response.location
