"""R-14.1, 等保 level 3 (身份鉴别: 登录失败处理): the login form and the API login are rate
limited per client address (429), on an app built with RATELIMIT_ENABLED on (the normal
test profile turns it off: the suite signs in hundreds of times from one address).
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import create_app
from app import config as app_config
from app.extensions import db
from app.models import AuditLog
from app.models.audit import AuditAction
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER


@pytest.fixture(scope="module")
def limited_app(app, database_url):
    """A second app on the session's database with the login rate limit on: 3 per minute."""
    application = create_app(app_config.TestConfig(), {"SQLALCHEMY_DATABASE_URI": database_url,
                                            "RATELIMIT_ENABLED": True,
                                            "AUTH_RATE_LIMIT": "3 per minute"})
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _failed_logins(app, username) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(
            AuditLog.action == AuditAction.login_failed, AuditLog.username == username))


def test_rate_limit_is_configured():
    """R-14.1: production turns both switches FAB needs on, with a per-minute limit."""
    config = app_config.Config
    assert config.RATELIMIT_ENABLED is True and config.AUTH_RATE_LIMITED is True
    assert config.AUTH_RATE_LIMIT == "10 per minute"
    assert config.RATELIMIT_STORAGE_URI == "memory://"


def test_login_form_answers_429_past_the_limit(limited_app):
    """R-14.1: the 4th login POST within a minute from one address gets 429 (a Chinese page);
    it is not even checked (no failed-login row); another address is not affected."""
    client = limited_app.test_client()
    name = "nobody_rate"
    for _ in range(3):
        assert client.post("/login/", data={"username": name, "password": "x"}).status_code == 302
    assert _failed_logins(limited_app, name) == 3
    response = client.post("/login/", data={"username": name, "password": "x"})
    assert response.status_code == 429
    assert "登录尝试过于频繁" in response.get_data(as_text=True)
    assert _failed_logins(limited_app, name) == 3
    # Even the right password is refused from this address for the rest of the minute.
    right = client.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD})
    assert right.status_code == 429
    # The form itself (GET) stays reachable, and another address may still sign in.
    assert client.get("/login/").status_code == 200
    other = limited_app.test_client()
    response = other.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.20.30.40"})
    assert response.status_code == 302 and "/login/" not in response.location


def test_api_login_answers_429_past_the_limit(limited_app):
    """R-14.1: the JWT login (/api/v1/security/login) has the same limit."""
    client = limited_app.test_client()
    environ = {"REMOTE_ADDR": "10.9.9.9"}
    body = {"username": "nobody_api", "password": "x", "provider": "db"}
    for _ in range(3):
        response = client.post("/api/v1/security/login", json=body, environ_base=environ)
        assert response.status_code == 401
    response = client.post("/api/v1/security/login", json=body, environ_base=environ)
    assert response.status_code == 429
    assert _failed_logins(limited_app, "nobody_api") == 3
