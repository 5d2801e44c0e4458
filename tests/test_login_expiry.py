"""R-14.1, 等保 level 3 (身份鉴别: 口令定期更换): a password someone else set is changed at the
first login, and every password after PASSWORD_MAX_AGE_DAYS (90); until then each page
leads to the change-password form. The clock is frozen through the security manager.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import sqlalchemy as sa
from conftest import CLOCK_START as T0

from app.extensions import db
from app.models import AccountSecurity, AuditLog
from tests.accounts import signed_in

PASSWORD = "First#Pass2026"
NEW = "Second#Pass2026"
CHANGE_FORM = "/resetmypassword/form"


@pytest.fixture
def new_user(app):
    """Factory of accounts (``chosen``: the owner chose the password); deleted afterwards."""
    ids: list[int] = []

    def make(chosen: bool = False) -> str:
        name = f"exp_{uuid.uuid4().hex[:8]}"
        with app.app_context():
            sm = app.appbuilder.sm
            user = sm.add_user(name, "测试", "到期", f"{name}@example.invalid",
                               sm.find_role(sm.auth_role_admin), password=PASSWORD,
                               password_chosen=chosen)
            ids.append(user.id)
        return name

    yield make
    with app.app_context():
        for user_id in ids:
            user = app.appbuilder.sm.get_user_by_id(user_id)
            if user is not None:
                db.session.delete(user)
        db.session.commit()


def _signed_in(app, name, password=PASSWORD):
    return signed_in(app, name, password)


def _account(app, name) -> AccountSecurity:
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=name)
        row = db.session.get(AccountSecurity, user.id)
        db.session.expunge(row)
        return row


def _password_updates(app, name) -> int:
    """Audited updates of the account (a password change is one, its value redacted)."""
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=name)
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(
            AuditLog.object_type == "User", AuditLog.object_id == str(user.id),
            AuditLog.action == "update"))


def _password_hash(app, name) -> str:
    with app.app_context():
        return app.appbuilder.sm.find_user(username=name).password


def test_first_login_leads_to_the_change_form_until_changed(app, clock, new_user):
    """R-14.1: a new account (password set by an administrator) is sent to the change form
    from every page until the password is changed; then it works normally."""
    name = new_user()
    assert _account(app, name).must_change is True
    client = _signed_in(app, name)
    for url in ("/", "/commissionview/list/", "/users/list/"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.endswith(CHANGE_FORM), url
    page = client.get(CHANGE_FORM)
    assert page.status_code == 200 and "请先修改密码" in page.get_data(as_text=True)
    # A refused change (weak) changes nothing and the gate stays.
    updates = _password_updates(app, name)
    weak = client.post(CHANGE_FORM, data={"old_password": PASSWORD, "password": "weakweak",
                                          "conf_password": "weakweak"})
    assert weak.status_code == 200
    assert _account(app, name).must_change is True
    assert _password_updates(app, name) == updates
    assert client.get("/commissionview/list/").status_code == 302

    before = _password_hash(app, name)
    done = client.post(CHANGE_FORM, data={"old_password": PASSWORD, "password": NEW,
                                          "conf_password": NEW})
    assert done.status_code == 302
    account = _account(app, name)
    assert account.must_change is False
    assert account.password_changed_at.replace(tzinfo=dt.timezone.utc) == T0
    assert _password_hash(app, name) != before
    assert _password_updates(app, name) == updates + 1
    assert client.get("/commissionview/list/").status_code == 200


def test_password_expires_after_90_days(app, clock, new_user):
    """R-14.1: a chosen password works for 90 days; after that the change form comes first."""
    name = new_user(chosen=True)
    clock.now = T0 + dt.timedelta(days=89, hours=23)
    client = _signed_in(app, name)
    assert client.get("/commissionview/list/").status_code == 200
    clock.now = T0 + dt.timedelta(days=90)
    client = _signed_in(app, name)
    response = client.get("/commissionview/list/")
    assert response.status_code == 302 and response.location.endswith(CHANGE_FORM)
    # The same session while it stays open: the due time was set at login and passes now.
    clock.now = T0 + dt.timedelta(days=89, hours=23, minutes=50)
    early = _signed_in(app, name)
    clock.now = T0 + dt.timedelta(days=90, minutes=1)
    assert early.get("/commissionview/list/").location.endswith(CHANGE_FORM)


def test_password_age_is_configurable(app, clock, new_user, monkeypatch):
    """R-14.1: PASSWORD_MAX_AGE_DAYS sets the age (0: passwords do not expire)."""
    name = new_user(chosen=True)
    monkeypatch.setitem(app.config, "PASSWORD_MAX_AGE_DAYS", 30)
    clock.now = T0 + dt.timedelta(days=31)
    assert _signed_in(app, name).get("/").location.endswith(CHANGE_FORM)
    monkeypatch.setitem(app.config, "PASSWORD_MAX_AGE_DAYS", 0)
    clock.now = T0 + dt.timedelta(days=3650)
    assert _signed_in(app, name).get("/commissionview/list/").status_code == 200


def test_an_administrators_reset_must_be_changed(app, clock, new_user, client):
    """R-14.1: a password an administrator resets is the owner's to change at next login."""
    name = new_user(chosen=True)
    user_id = _account(app, name).user_id
    response = client.post(f"/resetpassword/form?pk={user_id}",
                           data={"password": NEW, "conf_password": NEW})
    assert response.status_code == 302
    assert _account(app, name).must_change is True
    assert _signed_in(app, name, NEW).get("/").location.endswith(CHANGE_FORM)


def test_ensure_admin_generated_password_must_be_changed(app, clock):
    """R-14.1: `ensure-admin` with a generated password: change it at first login; with the
    operator's ADMIN_PASSWORD: counts as chosen."""
    generated, chosen = f"gen_{uuid.uuid4().hex[:6]}", f"env_{uuid.uuid4().hex[:6]}"
    runner = app.test_cli_runner()
    try:
        out = runner.invoke(args=["ensure-admin"], env={"ADMIN_USERNAME": generated,
                                                        "ADMIN_PASSWORD": None})
        assert out.exit_code == 0 and "首次登录须修改" in out.output
        password = re.search(r"admin password:\s*(\S+)", out.output).group(1)
        assert _account(app, generated).must_change is True
        assert _signed_in(app, generated, password).get("/").location.endswith(CHANGE_FORM)

        out = runner.invoke(args=["ensure-admin"], env={"ADMIN_USERNAME": chosen,
                                                        "ADMIN_PASSWORD": "Operator#2026"})
        assert out.exit_code == 0 and "首次登录须修改" not in out.output
        assert _account(app, chosen).must_change is False
        assert _signed_in(app, chosen, "Operator#2026").get("/").status_code == 200
    finally:
        with app.app_context():
            for name in (generated, chosen):
                user = app.appbuilder.sm.find_user(username=name)
                if user is not None:
                    db.session.delete(user)
            db.session.commit()


def test_the_api_login_refuses_a_password_due_for_change(app, clock, new_user):
    """R-14.1: the JWT login does not hand out a token while the password must be changed."""
    name = new_user()
    response = app.test_client().post("/api/v1/security/login", json={
        "username": name, "password": PASSWORD, "provider": "db"})
    assert response.status_code == 403
    assert "access_token" not in response.get_json()
