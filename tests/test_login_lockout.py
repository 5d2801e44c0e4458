"""R-14.1, 等保 level 3 (身份鉴别: 登录失败处理): 5 wrong passwords lock an account for
15 minutes, with the same message as any wrong password; the lock and unlock are audited.
The clock is frozen through the security manager's ``now``.
"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from conftest import CLOCK_START as T0

from app.extensions import db
from app.models import AccountSecurity, AuditLog
from app.models.audit import AuditAction
from tests.accounts import add_account, drop_account

PASSWORD = "Lock#Test2026"
GENERIC = "用户名或密码错误"


@pytest.fixture
def account(app):
    """A fresh account with a chosen password; deleted afterwards."""
    name, user_id = add_account(app, "lock", PASSWORD)
    yield name, user_id
    drop_account(app, user_id)


def _login(app, name, password):
    """Post the login form from a fresh client; (response, text of the page it leads to)."""
    client = app.test_client()
    response = client.post("/login/", data={"username": name, "password": password})
    page = client.get(response.location).get_data(as_text=True) if response.location else ""
    return response, page, client


def _state(app, user_id):
    with app.app_context():
        row = db.session.get(AccountSecurity, user_id)
        user = app.appbuilder.sm.get_user_by_id(user_id)
        return (row.failed_logins, row.locked_until, user.login_count or 0,
                user.last_login)


def _audit(app, action: AuditAction, username: str | None = None, object_id=None) -> list:
    with app.app_context():
        query = sa.select(AuditLog).where(AuditLog.action == action)
        if username is not None:
            query = query.where(AuditLog.username == username)
        if object_id is not None:
            query = query.where(AuditLog.object_id == str(object_id))
        return list(db.session.scalars(query))


def test_five_failures_lock_even_the_right_password(app, clock, account):
    """R-14.1 (登录失败处理): after 5 wrong passwords the right one is refused for 15 minutes
    with the generic message; nothing about the account changes but the lock; all audited."""
    name, user_id = account
    for _attempt in range(4):
        response, page, _ = _login(app, name, "Wrong#Pass1")
        assert response.status_code == 302 and "/login/" in response.location
        assert GENERIC in page
    assert _state(app, user_id)[:2] == (4, None)
    assert _audit(app, AuditAction.lock, object_id=user_id) == []

    _login(app, name, "Wrong#Pass1")  # the fifth
    failed, locked_until, logins, last_login = _state(app, user_id)
    assert failed == 5
    assert locked_until.replace(tzinfo=dt.timezone.utc) == T0 + dt.timedelta(minutes=15)
    [lock] = _audit(app, AuditAction.lock, object_id=user_id)
    assert lock.object_type == "User" and lock.username == name

    clock.advance(minutes=14, seconds=59)
    response, page, client = _login(app, name, PASSWORD)
    assert response.status_code == 302 and "/login/" in response.location
    assert GENERIC in page
    # Not signed in, and the database did not record a login.
    assert client.get("/commissionview/list/").status_code == 302
    assert _state(app, user_id) == (failed, locked_until, logins, last_login)
    assert len(_audit(app, AuditAction.login_failed, username=name)) == 6
    assert _audit(app, AuditAction.login, object_id=user_id) == []


def test_the_lock_message_is_the_wrong_password_message(app, clock, account):
    """R-14.1: a locked account, a wrong password and an unknown user read the same (no user
    enumeration)."""
    name, user_id = account
    for _ in range(5):
        _login(app, name, "Wrong#Pass1")
    _, locked_page, _ = _login(app, name, PASSWORD)
    _, wrong_page, _ = _login(app, name, "Wrong#Pass2")
    _, unknown_page, _ = _login(app, f"nobody_{uuid.uuid4().hex[:6]}", PASSWORD)

    def message(page: str) -> str:
        start = page.index(GENERIC)
        return page[start:page.index("<", start)].strip()

    assert message(locked_page) == message(wrong_page) == message(unknown_page)
    assert "锁定" in message(locked_page)  # the rule is stated, for everyone alike


def test_the_lock_ends_after_15_minutes_and_the_unlock_is_audited(app, clock, account):
    """R-14.1: 15 minutes later the right password works again; the unlock is audited and the
    failure count starts afresh."""
    name, user_id = account
    for _ in range(5):
        _login(app, name, "Wrong#Pass1")
    clock.advance(minutes=15)
    response, _, client = _login(app, name, PASSWORD)
    assert response.status_code == 302 and "/login/" not in response.location
    assert client.get("/commissionview/list/").status_code == 200
    assert _state(app, user_id)[:2] == (0, None)
    [unlock] = _audit(app, AuditAction.unlock, object_id=user_id)
    assert unlock.detail == {"reason": "lock expired"}
    assert len(_audit(app, AuditAction.login, object_id=user_id)) == 1


def test_a_success_resets_the_count(app, clock, account):
    """R-14.1: failures count consecutively; a successful login starts the count again."""
    name, user_id = account
    for _ in range(4):
        _login(app, name, "Wrong#Pass1")
    _login(app, name, PASSWORD)
    for _ in range(4):
        _login(app, name, "Wrong#Pass1")
    assert _state(app, user_id)[:2] == (4, None)


def test_limits_are_configurable(app, clock, account, monkeypatch):
    """R-14.1: AUTH_MAX_FAILED_LOGINS and AUTH_LOCKOUT_MINUTES set the lock."""
    monkeypatch.setitem(app.config, "AUTH_MAX_FAILED_LOGINS", 3)
    monkeypatch.setitem(app.config, "AUTH_LOCKOUT_MINUTES", 60)
    name, user_id = account
    for _ in range(3):
        _login(app, name, "Wrong#Pass1")
    locked_until = _state(app, user_id)[1]
    assert locked_until.replace(tzinfo=dt.timezone.utc) == T0 + dt.timedelta(minutes=60)


def test_an_administrator_unlocks_an_account(app, clock, account, client):
    """R-14.1: the unlock action on the user screen lifts the lock at once (audited)."""
    name, user_id = account
    for _ in range(5):
        _login(app, name, "Wrong#Pass1")
    response = client.post("/users/action_post", data={"action": "unlock", "rowid": [user_id]})
    assert response.status_code == 302
    assert _state(app, user_id)[:2] == (0, None)
    [unlock] = _audit(app, AuditAction.unlock, object_id=user_id)
    assert unlock.detail == {"reason": "administrator"} and unlock.username == "admin"
    response, _, _ = _login(app, name, PASSWORD)
    assert "/login/" not in response.location


def test_the_api_login_is_locked_too(app, clock, account):
    """R-14.1: the JWT login shares the lock: after 5 failures the right password gets 401."""
    name, user_id = account
    client = app.test_client()

    def api(password):
        return client.post("/api/v1/security/login",
                           json={"username": name, "password": password, "provider": "db"})

    for _ in range(5):
        assert api("Wrong#Pass1").status_code == 401
    assert api(PASSWORD).status_code == 401
    assert _state(app, user_id)[0] == 5
    assert len(_audit(app, AuditAction.lock, object_id=user_id)) == 1
    clock.advance(minutes=16)
    assert api(PASSWORD).status_code == 200
