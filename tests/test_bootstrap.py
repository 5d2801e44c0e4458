"""``flask bootstrap``, ``flask jobs`` and quiet FAB logs (issue 14, item 9).

A warm start skips the permission sync when the database already holds what the screens
and app/roles.py declare, and syncs when it does not; the jobs loop sends due messages on
the log channel and sweeps the deadlines, as production's timers do.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa

from app import roles
from app.choices import Channel
from app.extensions import db
from app.models import Notification
from app.states import NotificationStatus
from tests.accounts import ADMIN_USER


def test_permissions_in_sync_detects_a_changed_role(app):
    """Issue 14 item 9: after a sync the database is in step; a role missing one of its
    declared permissions (as after a change to app/roles.py) is not, until synced again."""
    runner = app.test_cli_runner()
    with app.app_context():
        assert roles.permissions_in_sync(app.appbuilder)
        sm = app.appbuilder.sm
        role = sm.find_role(roles.COORDINATOR)
        role.permissions = role.permissions[1:]
        db.session.commit()
        assert not roles.permissions_in_sync(app.appbuilder)
    result = runner.invoke(args=["bootstrap", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert "permissions synced" in result.output
    with app.app_context():
        assert roles.permissions_in_sync(app.appbuilder)


def test_warm_bootstrap_skips_the_sync_and_keeps_the_admin(app, monkeypatch):
    """Issue 14 item 9: a second bootstrap migrates nothing, syncs nothing, creates no
    account and says so; FAB's INFO narration is not printed."""
    monkeypatch.setenv("ADMIN_USERNAME", ADMIN_USER)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["sync-perms"]).exit_code == 0  # whatever tests ran before
    result = runner.invoke(args=["bootstrap", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert "roles and permissions unchanged" in result.output
    assert f"admin account exists: {ADMIN_USER}" in result.output
    assert "roster changes applied 0" in result.output
    assert logging.getLogger("flask_appbuilder").getEffectiveLevel() >= logging.WARNING


def test_jobs_send_due_messages_on_the_log_channel(app, caplog):
    """Issue 14 item 9 (R-11.1): one round of `flask jobs` sends the pending messages
    (logged: no gateway configured) and runs the sweep."""
    with app.app_context():
        db.session.add(Notification(template="payment_reminder", channel=Channel.sms,
                                    recipient="13800138000", body="测试短信"))
        db.session.commit()
    caplog.set_level(logging.INFO)
    result = app.test_cli_runner().invoke(args=["jobs", "--rounds", "1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        status = db.session.scalar(sa.select(Notification.status))
    assert status == NotificationStatus.sent
    assert "messages sent 1" in caplog.text
