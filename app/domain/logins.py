"""Failed-login lockout and password state of accounts (R-14.1; 等保 level 3, 身份鉴别).

Plain functions over :class:`AccountSecurity`; ``now`` is always passed in (tests freeze it).
They change rows and say what happened; the caller (app/security.py) writes the audit
trail (AuditAction.login / login_failed / lock / unlock) and commits.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.clock import as_utc
from app.domain.passwords import password_due_at
from app.models.account import AccountSecurity

@dataclass(frozen=True)
class Policy:
    """The lockout and password-age settings (from app.config)."""

    max_failures: int = 5
    lock_minutes: int = 15
    max_age_days: int = 90

    @classmethod
    def from_config(cls, config) -> "Policy":
        """The policy in force for an app's ``config``."""
        return cls(max_failures=int(config["AUTH_MAX_FAILED_LOGINS"]),
                   lock_minutes=int(config["AUTH_LOCKOUT_MINUTES"]),
                   max_age_days=int(config["PASSWORD_MAX_AGE_DAYS"]))


def account_for(session: Session, user_id: int, now: dt.datetime) -> AccountSecurity:
    """The account row of ``user_id``, created when missing.

    Every account created through the app gets its row then (app/security.py). A missing row
    means an account older than this table: its password counts as chosen and ages from now.
    """
    account = session.get(AccountSecurity, user_id)
    if account is None:
        account = AccountSecurity(user_id=user_id, password_changed_at=now, must_change=False,
                                  failed_logins=0)
        session.add(account)
        session.flush()
    return account


def is_locked(account: AccountSecurity, now: dt.datetime) -> bool:
    """Whether the account is locked at ``now``."""
    return account.locked_until is not None and as_utc(account.locked_until) > now


def release_expired_lock(account: AccountSecurity, now: dt.datetime) -> bool:
    """Lift a lock whose time has run out; True when one was lifted (to be audited)."""
    if account.locked_until is None or as_utc(account.locked_until) > now:
        return False
    account.locked_until = None
    account.failed_logins = 0
    return True


def unlock(account: AccountSecurity) -> bool:
    """Lift the lock and forget the failures now (an administrator's unlock)."""
    was_locked = account.locked_until is not None or account.failed_logins > 0
    account.locked_until = None
    account.failed_logins = 0
    return was_locked


def register_failure(session: Session, account: AccountSecurity, now: dt.datetime,
                     policy: Policy) -> bool:
    """Count one wrong password; lock at the limit. True when this failure locked it."""
    # Incremented in SQL: parallel attempts each count (the row is locked by the UPDATE),
    # so a burst of guesses cannot slip past the limit.
    account.failed_logins = AccountSecurity.failed_logins + 1
    session.flush()
    session.refresh(account, ["failed_logins"])
    if account.failed_logins >= policy.max_failures:
        account.locked_until = now + dt.timedelta(minutes=policy.lock_minutes)
        return True
    return False


def register_success(account: AccountSecurity) -> None:
    """A successful login clears the failure count."""
    account.failed_logins = 0
    account.locked_until = None


def password_set(session: Session, user_id: int, now: dt.datetime, *,
                 chosen: bool) -> AccountSecurity:
    """Record a new password: ``chosen`` by its owner, or set by someone else (change it)."""
    account = account_for(session, user_id, now)
    account.password_changed_at = now
    account.must_change = not chosen
    return account


def change_due_at(account: AccountSecurity, policy: Policy) -> dt.datetime | None:
    """When this account's password must be changed (UTC); ``None``: never."""
    return password_due_at(account.password_changed_at, account.must_change, policy.max_age_days)


def end_sessions(session: Session, user_id: int, now: dt.datetime) -> int:
    """Raise the account's session version (R-14.6); return the new one.

    Every web session and API token of the account carries the version it was issued under
    and is refused once it differs: logout, a password change or reset, a lock and a
    deactivation all end every session of the account this way.
    """
    account = account_for(session, user_id, now)
    # Incremented in SQL: two bumps at once both count.
    account.session_version = AccountSecurity.session_version + 1
    session.flush()
    session.refresh(account, ["session_version"])
    return account.session_version
