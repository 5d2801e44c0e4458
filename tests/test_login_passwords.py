"""R-14.1, 等保 level 3 (身份鉴别: 口令复杂度): the password rules on every path that sets a
password — the user add form, the reset and change forms (a Chinese message, nothing
saved), ``flask fab create-admin/create-user/reset-password`` and ``flask ensure-admin``
(non-zero exit, nothing saved), and ``sm.add_user`` / ``sm.reset_password``.
"""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from flask_appbuilder.cli import fab
from flask_appbuilder.security.sqla.models import User

from app.domain.passwords import character_classes, password_problems
from app.extensions import db
from app.models import AuditLog
from app.security import PasswordRejected
from tests.conftest import form_errors

GOOD = "Sound#Pass2026"
WEAK = {
    "too short": "Ab#1xyz",
    "two classes": "abcdefgh12",
    "contains the user name": "{name}#Pass2026",
}


def _name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
def users(app):
    """Names of accounts a test may create; deleted afterwards."""
    names: list[str] = []
    yield names
    with app.app_context():
        for name in names:
            user = app.appbuilder.sm.find_user(username=name)
            if user is not None:
                db.session.delete(user)
        db.session.commit()


def _user(app, name):
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=name)
        return None if user is None else (user.id, user.password)


def _user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def _audit_count(app) -> int:
    """Rows of the audit trail: a refused password writes none (nothing changed)."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog))


def _add(app, name, password=GOOD, **kw):
    with app.app_context():
        sm = app.appbuilder.sm
        return sm.add_user(name, "测试", "用户", f"{name}@example.invalid",
                           sm.find_role(sm.auth_role_admin), password=password, **kw).id


def test_the_rules():
    """R-14.1: ≥ 8 characters, three of four classes, not containing the user name."""
    assert password_problems("Sound#Pass2026", "zhang") == []
    assert password_problems("abcdEFGH", "zhang") != []          # two classes
    assert password_problems("abcdEF12", "zhang") == []          # three classes
    assert password_problems("abcd1234!", "zhang") == []         # lower, digit, symbol
    assert password_problems("Ab1#", "zhang") != []               # too short
    assert password_problems("xZHANGx#1", "zhang") != []         # the name, any case
    assert character_classes("中文密码abc1") == 3                # CJK counts as a symbol
    assert password_problems(None, "zhang") != []


@pytest.mark.parametrize("case", sorted(WEAK))
def test_user_add_form_refuses_weak_passwords(app, client, users, case):
    """R-14.1: FAB's user add form shows the rule in Chinese; no account is created."""
    name = _name("form")
    users.append(name)
    before, audit_rows = _user_count(app), _audit_count(app)
    password = WEAK[case].format(name=name)
    response = client.post("/users/add", data={
        "first_name": "测试", "last_name": "用户", "username": name, "active": "y",
        "email": f"{name}@example.invalid", "roles": [str(_admin_role_id(app))],
        "password": password, "conf_password": password,
    })
    assert response.status_code == 200
    errors = " ".join(form_errors(response.get_data(as_text=True)))
    assert "密码" in errors, errors
    assert _user(app, name) is None and _user_count(app) == before
    assert _audit_count(app) == audit_rows


def test_user_add_form_accepts_a_good_password(app, client, users):
    """R-14.1: a good password creates the account, which must change it at first login."""
    name = _name("form")
    users.append(name)
    response = client.post("/users/add", data={
        "first_name": "测试", "last_name": "用户", "username": name, "active": "y",
        "email": f"{name}@example.invalid", "roles": [str(_admin_role_id(app))],
        "password": GOOD, "conf_password": GOOD,
    })
    assert response.status_code == 302
    user_id, _ = _user(app, name)
    with app.app_context():
        from app.models import AccountSecurity

        assert db.session.get(AccountSecurity, user_id).must_change is True


def _admin_role_id(app) -> int:
    with app.app_context():
        sm = app.appbuilder.sm
        return sm.find_role(sm.auth_role_admin).id


def test_admin_reset_form_refuses_weak_passwords(app, client, users):
    """R-14.1: the administrator's reset-password form: Chinese message, hash unchanged."""
    name = _name("reset")
    users.append(name)
    user_id = _add(app, name)
    _, before = _user(app, name)
    audit_rows = _audit_count(app)
    for password in (WEAK["too short"], WEAK["two classes"], f"x{name}#A1"):
        response = client.post(f"/resetpassword/form?pk={user_id}",
                               data={"password": password, "conf_password": password})
        assert response.status_code == 200
        assert "密码" in " ".join(form_errors(response.get_data(as_text=True)))
    assert _user(app, name) == (user_id, before)
    assert _audit_count(app) == audit_rows
    response = client.post(f"/resetpassword/form?pk={user_id}",
                           data={"password": GOOD, "conf_password": GOOD})
    assert response.status_code == 302 and _user(app, name)[1] != before
    with app.app_context():
        [row] = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.object_type == "User", AuditLog.object_id == str(user_id),
            AuditLog.action == "update"))
        assert row.username == "admin" and "password" in str(row.detail)


def test_change_my_password_form(app, users):
    """R-14.1: changing one's own password needs the current one, a different new one that
    meets the rules; refusals in Chinese, nothing changed."""
    name = _name("mine")
    users.append(name)
    _add(app, name, password_chosen=True)
    _, before = _user(app, name)
    client = app.test_client()
    client.post("/login/", data={"username": name, "password": GOOD})
    audit_rows = _audit_count(app)
    cases = [
        ({"old_password": "Wrong#Pass1", "password": "Other#Pass2026"}, "当前密码不正确"),
        ({"old_password": GOOD, "password": GOOD}, "新密码不能与当前密码相同"),
        ({"old_password": GOOD, "password": "abcdefgh"}, "至少三类"),
        ({"old_password": GOOD, "password": f"{name.upper()}#1"}, "不得包含用户名"),
    ]
    for data, message in cases:
        data["conf_password"] = data["password"]
        response = client.post("/resetmypassword/form", data=data)
        assert response.status_code == 200
        assert message in " ".join(form_errors(response.get_data(as_text=True)))
        assert _user(app, name)[1] == before
    assert _audit_count(app) == audit_rows
    response = client.post("/resetmypassword/form", data={
        "old_password": GOOD, "password": "Other#Pass2026", "conf_password": "Other#Pass2026"})
    assert response.status_code == 302 and _user(app, name)[1] != before


@pytest.mark.parametrize("command", ["create-admin", "create-user"])
def test_fab_create_commands_refuse_weak_passwords(app, users, command):
    """R-14.1: `flask fab create-admin/create-user` with a weak password exit non-zero with
    the Chinese reason; no account is created."""
    name = _name("cli")
    users.append(name)
    before, audit_rows = _user_count(app), _audit_count(app)
    args = [command, "--username", name, "--firstname", "测试", "--lastname", "用户",
            "--email", f"{name}@example.invalid"]
    if command == "create-user":
        args += ["--role", "Admin"]
    result = app.test_cli_runner().invoke(fab, args + ["--password", "abcdefgh"])
    assert result.exit_code != 0
    assert "至少三类" in result.output
    assert _user(app, name) is None and _user_count(app) == before
    assert _audit_count(app) == audit_rows

    good = app.test_cli_runner().invoke(fab, args + ["--password", GOOD])
    assert good.exit_code == 0, good.output
    assert _user(app, name) is not None


def test_fab_reset_password_command_refuses_weak_passwords(app, users):
    """R-14.1: `flask fab reset-password` with a weak password exits non-zero; hash unchanged."""
    name = _name("cli")
    users.append(name)
    _add(app, name)
    before, audit_rows = _user(app, name), _audit_count(app)
    result = app.test_cli_runner().invoke(fab, ["reset-password", "--username", name,
                                                "--password", "short1A"])
    assert result.exit_code != 0 and "至少为 8 位" in result.output
    assert _user(app, name) == before and _audit_count(app) == audit_rows


def test_ensure_admin_refuses_a_weak_admin_password(app, users):
    """R-14.1: `flask ensure-admin` with a weak ADMIN_PASSWORD exits non-zero; no account."""
    name = _name("boss")
    users.append(name)
    audit_rows = _audit_count(app)
    result = app.test_cli_runner().invoke(args=["ensure-admin"], env={
        "ADMIN_USERNAME": name, "ADMIN_PASSWORD": f"{name}#2026"})
    assert result.exit_code != 0 and "不得包含用户名" in result.output
    assert _user(app, name) is None and _audit_count(app) == audit_rows


def test_security_manager_refuses_weak_passwords(app, users):
    """R-14.1: sm.add_user and sm.reset_password raise; nothing is written."""
    name = _name("sm")
    users.append(name)
    audit_rows = _audit_count(app)
    with pytest.raises(PasswordRejected):
        _add(app, name, password="password")
    assert _user(app, name) is None and _audit_count(app) == audit_rows
    user_id = _add(app, name)
    before, audit_rows = _user(app, name), _audit_count(app)
    with app.app_context():
        with pytest.raises(PasswordRejected):
            app.appbuilder.sm.reset_password(user_id, "12345678")
    assert _user(app, name) == before and _audit_count(app) == audit_rows


def test_self_registration_is_off(app):
    """R-14.1: no self-registration screen."""
    assert app.config["AUTH_USER_REGISTRATION"] is False
    assert app.test_client().get("/register/form").status_code == 404
