"""Test-only: lift the audit trail's refusal of DELETE so the suite can empty its tables.

Not reachable from the app (R-14.7): in production only the purge deletes audit rows
(app/audit/retention.py). Here the table owner switches the refusing trigger off for the
cleanup's own transaction (PostgreSQL: ``ALTER TABLE … DISABLE TRIGGER``, transactional),
or drops and re-creates it (SQLite), as the purge does.
"""
from __future__ import annotations

import contextlib
from typing import Iterator

import sqlalchemy as sa

from app.audit.retention import sqlite_deletes_allowed

PG_ROW_TRIGGER = "audit_log_append_only"


@contextlib.contextmanager
def deletes_allowed(connection: sa.Connection) -> Iterator[None]:
    """Within ``connection``'s open transaction, let DELETEs on audit_log through."""
    if connection.dialect.name != "postgresql":
        with sqlite_deletes_allowed(connection):
            yield
        return
    connection.exec_driver_sql(f"ALTER TABLE audit_log DISABLE TRIGGER {PG_ROW_TRIGGER}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"ALTER TABLE audit_log ENABLE TRIGGER {PG_ROW_TRIGGER}")
