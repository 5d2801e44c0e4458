"""The pieces `make run` is built from: ensure-admin, sync-perms, and a factory that leaves
the schema to Alembic."""
from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa

from app import create_app
from app import config as app_config
from app.extensions import db


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def drop_users(app):
    """Delete the accounts a test created (FAB's tables are not emptied between tests)."""
    names: list[str] = []
    yield names
    with app.app_context():
        sm = app.appbuilder.sm
        for name in names:
            user = sm.find_user(username=name)
            if user:
                db.session.delete(user)
        db.session.commit()


def _check_login(app, username: str, password: str) -> bool:
    with app.app_context():
        return app.appbuilder.sm.auth_user_db(username, password) is not None


def test_ensure_admin_generates_a_strong_password(app, runner, drop_users):
    """Without ADMIN_PASSWORD a strong password is generated, printed once, and works."""
    drop_users.append("admin_generated")
    result = runner.invoke(args=["ensure-admin"],
                           env={"ADMIN_USERNAME": "admin_generated", "ADMIN_PASSWORD": None})
    assert result.exit_code == 0, result.output
    assert "admin_generated" in result.output
    match = re.search(r"admin password:\s*(\S+)", result.output)
    assert match, result.output
    password = match.group(1)
    assert len(password) >= 12
    assert re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)
    assert re.search(r"[0-9]", password)
    assert _check_login(app, "admin_generated", password)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="admin_generated")
        assert [r.name for r in user.roles] == [app.appbuilder.sm.auth_role_admin]

    # A second run keeps the account and its password, and prints no new password.
    again = runner.invoke(args=["ensure-admin"],
                          env={"ADMIN_USERNAME": "admin_generated", "ADMIN_PASSWORD": None})
    assert again.exit_code == 0, again.output
    assert "admin password" not in again.output
    assert _check_login(app, "admin_generated", password)


def test_ensure_admin_uses_the_environment(app, runner, drop_users):
    """ADMIN_USERNAME and ADMIN_PASSWORD set the admin's login."""
    drop_users.append("chief")
    result = runner.invoke(args=["ensure-admin"],
                           env={"ADMIN_USERNAME": "chief", "ADMIN_PASSWORD": "Jiang#Pass2026"})
    assert result.exit_code == 0, result.output
    assert "chief" in result.output
    assert _check_login(app, "chief", "Jiang#Pass2026")
    assert not _check_login(app, "chief", "wrong-password")


def _security_rows(app) -> dict[str, int]:
    with app.app_context():
        with db.engine.connect() as conn:
            return {
                table: conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                for table in ("ab_role", "ab_permission", "ab_view_menu",
                              "ab_permission_view", "ab_permission_view_role")
            }


def test_sync_perms_is_idempotent(app, runner):
    """Running sync-perms again (every deploy does) adds and removes nothing."""
    before = _security_rows(app)
    assert before["ab_permission_view"] > 0 and before["ab_role"] >= 2
    for _ in range(2):
        result = runner.invoke(args=["sync-perms"])
        assert result.exit_code == 0, result.output
        assert _security_rows(app) == before


def test_sync_perms_gives_the_admin_every_view(app, client):
    """After sync-perms the admin reaches the screens (the commission list among them)."""
    assert client.get("/commissionview/list/").status_code == 200
    assert client.get("/users/list/").status_code == 200


def test_factory_creates_no_tables(tmp_path):
    """create_app() with FAB_CREATE_DB off leaves the schema to Alembic: no table appears."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    application = create_app(app_config.TestConfig(), {"SQLALCHEMY_DATABASE_URI": url})
    assert application.config["FAB_CREATE_DB"] is False
    with application.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
        db.engine.dispose()


def test_production_config_leaves_schema_and_permissions_to_deploy():
    """The defaults keep workers from creating tables or racing on permission sync."""
    config = app_config.Config
    assert config.FAB_CREATE_DB is False
    if "FAB_UPDATE_PERMS" not in os.environ:  # the default; a deployment may turn it on
        assert config.FAB_UPDATE_PERMS is False
    assert config.BABEL_DEFAULT_LOCALE == "zh"
