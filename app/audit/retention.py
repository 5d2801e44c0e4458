"""Retention of the audit trail: rows are kept at least 180 days; older ones may be purged.

The database refuses every UPDATE and DELETE on audit_log, and REPLACE on SQLite (triggers,
see the migrations). The purge is the one way rows leave it, and it is recorded in the trail
itself (cut-off date, retention, row count) in the same transaction (R-14.7):
- PostgreSQL: the database function ``audit_log_purge`` does it all: it refuses a cut-off
  younger than 180 days by the database's own clock, writes the purge's audit row, then
  deletes. The trigger lets a DELETE through only inside that function called by the client
  itself, and only for rows older than 180 days: no flag a session could set lifts it.
- SQLite: the DELETE trigger is dropped and re-created, from its own stored SQL, inside the
  purge's transaction (SQLite's DDL is transactional: a failure restores it). A SQLite file
  is the app's alone; whoever can write it can change it anyway.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any, Iterator

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.audit.trail import record, row
from app.audit.values import jsonable
from app.clock import OFFICE_TZ, office_today
from app.domain.errors import DomainError
from app.models.audit import AuditAction, AuditLog

#: the floor of the retention period (R-14.4: at least 180 days); config may raise it only
MIN_RETENTION_DAYS = 180
SQLITE_DELETE_TRIGGER = "audit_log_no_delete"


class PurgeRefused(DomainError):
    """The purge would remove rows younger than the retention period."""


def retention_days() -> int:
    """AUDIT_RETENTION_DAYS, never below the 180-day floor."""
    configured = int(current_app.config.get("AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))
    return max(configured, MIN_RETENTION_DAYS)


def latest_purge_date(today: dt.date, days: int) -> dt.date:
    """The latest ``before`` date a purge accepts on ``today``."""
    return today - dt.timedelta(days=days)


def purge(session: Session, before: dt.date, *, today: dt.date, days: int) -> int:
    """Delete audit rows written before ``before`` (00:00 Beijing time); return how many.

    Refuses (PurgeRefused, nothing deleted) when ``before`` is later than ``today`` minus
    ``days``. The caller commits.
    """
    if days < MIN_RETENTION_DAYS:
        raise PurgeRefused(_("Audit records are kept at least %(days)d days.",
                             days=MIN_RETENTION_DAYS))
    latest = latest_purge_date(today, days)
    if before > latest:
        raise PurgeRefused(_(
            "Audit records are kept %(days)d days: only records before %(latest)s may be "
            "purged.", days=days, latest=latest.isoformat()))
    # As UTC: SQLite compares the stored UTC text and would ignore another offset.
    cutoff = dt.datetime.combine(before, dt.time.min, tzinfo=OFFICE_TZ)
    cutoff = cutoff.astimezone(dt.timezone.utc)
    detail = {"before": before, "retention_days": days}
    if session.get_bind().dialect.name == "postgresql":
        return _purge_postgresql(session, cutoff, days, detail)
    doomed = sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.at < cutoff)
    count = session.scalar(doomed) or 0
    # Written first: this DML also opens the transaction the DDL below needs.
    record(AuditAction.purge, object_type=AuditLog, detail={**detail, "rows": count},
           session=session)
    session.flush()
    connection = session.connection()
    with sqlite_deletes_allowed(connection):
        connection.execute(sa.delete(AuditLog).where(AuditLog.at < cutoff))
    return count


def _purge_postgresql(session: Session, cutoff: dt.datetime, days: int,
                      detail: dict[str, Any]) -> int:
    """The database's purge function: floor, own audit row and DELETE in one call."""
    entry = row(AuditAction.purge, object_type=AuditLog, detail=detail)
    entry = {key: entry[key] for key in ("at", "user_id", "username", "ip", "detail")}
    try:
        with session.begin_nested():
            return session.scalar(
                sa.text("SELECT audit_log_purge(:cutoff, :days, CAST(:entry AS json))"),
                {"cutoff": cutoff, "days": days, "entry": json.dumps(jsonable(entry))})
    except sa.exc.DBAPIError as exc:
        if "purge refused" not in str(exc.orig):
            raise
        raise PurgeRefused(_("Audit records are kept at least %(days)d days.",
                             days=MIN_RETENTION_DAYS)) from None


@contextlib.contextmanager
def sqlite_deletes_allowed(connection: sa.Connection) -> Iterator[None]:
    """Within ``connection``'s open SQLite transaction, let DELETEs on audit_log through
    (the purge). UPDATEs stay refused. Leaving the block (or the transaction ending)
    restores the refusal."""
    _sqlite_begin(connection)
    ddl = connection.scalar(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
        {"name": SQLITE_DELETE_TRIGGER})
    if ddl is None:  # no trigger (a database older than the audit migration)
        yield
        return
    connection.exec_driver_sql(f"DROP TRIGGER {SQLITE_DELETE_TRIGGER}")
    try:
        yield
    finally:
        connection.exec_driver_sql(ddl)


def _sqlite_begin(connection: sa.Connection) -> None:
    """Make sure SQLite really is inside a transaction before the DDL.

    Python's sqlite3 module opens its transaction lazily, at the first INSERT/UPDATE/DELETE;
    a DROP TRIGGER issued before that would be committed on its own at once.
    """
    raw = connection.connection.dbapi_connection
    if not getattr(raw, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")


@click.command("audit-purge")
@click.option("--before", "before", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Delete audit records written before this date (YYYY-MM-DD).")
@with_appcontext
def purge_command(before: dt.datetime) -> None:
    """Delete audit records older than the retention period (at least 180 days)."""
    from app.extensions import db

    try:
        count = purge(db.session, before.date(), today=office_today(), days=retention_days())
    except PurgeRefused as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"已删除审计记录 / audit records purged: {count}")
