"""Login security state of an account, one row per FAB user (R-14.1, 等保 level 3).

Kept beside FAB's ``ab_user`` rather than in it: FAB owns its tables and their migrations.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column

from app.models.mixins import UTCDateTime


class AccountSecurity(Model):
    """Password age, forced change, the failed-login lock and the session version of one
    ``ab_user``."""

    __tablename__ = "account_security"
    # Not recorded as row changes: every login would write one. Its events are audited
    # explicitly (login, failed login, lock, unlock; app/security.py), and a password
    # change shows as the update of ab_user's password column.
    __audit__ = False
    __table_args__ = (
        sa.CheckConstraint("failed_logins >= 0", name="ck_account_security_failed_logins"),
        sa.CheckConstraint("session_version >= 0", name="ck_account_security_session_version"),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True
    )
    # When the current password was set; the expiry counts from here.
    password_changed_at: Mapped[Optional[dt.datetime]] = mapped_column(
        UTCDateTime()
    )
    # Set by someone else (an administrator, a generated password): change at next login.
    must_change: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Consecutive failed logins since the last success or unlock.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime())
    # every session and API token carries the version it was issued under; logout,
    # a password change or reset, a lock and a deactivation raise it, which ends them all.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"AccountSecurity(user_id={self.user_id})"


class RoleDefinitions(Model):
    """The version of the role definitions (one row): raised in the same transaction as any
    change to roles, permissions, groups or a user's roles (``flask sync-perms``, the role
    and user screens; app/security.py), so every worker drops the role and permission sets
    it keeps per session and the menus it keeps per role set."""

    __tablename__ = "role_definitions"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"RoleDefinitions(version={self.version})"
