"""The audit trail (R-14.4): who did what, when, from where, on which record, how it ended.

The interface other modules code against:
- ``record(action, *, object_type=None, object_id=None, result="ok", detail=None, user=None)``
  appends one audit row (who, when, IP, object, action, result) in the current transaction;
  ``record_now(...)`` does the same and commits (for events that write nothing else: a
  download, an export, a login);
- ``init_audit(app)`` attaches the listeners that record every business change.

What is recorded on its own: every insert, update and delete of the business tables
(changes.py, rules in policy.py), commission state transitions, logins and failed logins
(login.py). Other modules call ``record()`` for locks and unlocks, exports, issued
documents and confidential access. The table is append-only in the database itself;
retention.py holds the purge (``flask audit-purge``), the only way rows leave it.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.audit.trail import record, record_now
from app.models.audit import AuditAction, AuditLog, AuditResult

__all__ = ["AuditAction", "AuditLog", "AuditResult", "init_audit", "record", "record_now"]


def init_audit(app: Flask) -> None:
    """Attach the audit listeners and the login hooks to ``app``; add ``flask audit-purge``.

    The session listeners are attached once per process to Flask-SQLAlchemy's session
    class (the app's sessions, not every SQLAlchemy session); creating several apps (tests)
    does not attach them twice.
    """
    from flask_sqlalchemy.session import Session

    from app.audit import changes, login
    from app.audit.retention import purge_command

    for name, handler in (("before_flush", changes.before_flush),
                          ("after_flush", changes.after_flush),
                          ("do_orm_execute", changes.on_orm_execute)):
        if not sa.event.contains(Session, name, handler):
            sa.event.listen(Session, name, handler)
    login.install(app)
    app.cli.add_command(purge_command)
