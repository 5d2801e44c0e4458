"""R-14.7: nothing rewrites or deletes audit rows short of the retention purge, which keeps
the 180-day floor and leaves its own row: no REPLACE on SQLite, no session flag that lifts
the refusal on PostgreSQL, only the database's purge function deletes.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from app.audit import record
from app.audit.retention import PurgeRefused, purge
from app.extensions import db
from app.models import AuditLog
from app.models.audit import AuditAction

UTC = dt.timezone.utc


def _database_now() -> dt.datetime:
    """The database's own clock: the purge guard keeps the floor by it (PostgreSQL's now()),
    and the app's frozen clock does not move it; so the test reads it, not the machine's."""
    now = db.session.scalar(sa.select(sa.func.now()))
    return now if now.tzinfo else now.replace(tzinfo=UTC)  # SQLite's CURRENT_TIMESTAMP: UTC


def _row(days_old: int = 0) -> int:
    """An audit row written ``days_old`` days before the database's now."""
    at = _database_now() - dt.timedelta(days=days_old) if days_old else None
    entry = record(AuditAction.export, detail={"what": "kept"})
    if at is not None:  # before the insert: the row cannot be updated after
        entry.at = at
    db.session.commit()
    return entry.id


def _unchanged(row_id: int) -> bool:
    db.session.rollback()
    db.session.expire_all()
    stored = db.session.get(AuditLog, row_id)
    return stored is not None and stored.detail == {"what": "kept"}


def _dialect() -> str:
    return db.engine.dialect.name


@pytest.mark.parametrize("verb", ["REPLACE INTO", "INSERT OR REPLACE INTO"])
def test_sqlite_refuses_replace(ctx, verb):
    """R-14.7: on SQLite, REPLACE removed the colliding row without the DELETE trigger;
    an insert of an existing id is now refused in the database."""
    if _dialect() != "sqlite":
        pytest.skip("REPLACE is SQLite's")
    row_id = _row()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(
            f"{verb} audit_log (id, at, action, result, detail) "
            "VALUES (:id, '2026-01-01 00:00:00', 'login', 'ok', '{\"what\": \"forged\"}')"),
            {"id": row_id})
    assert _unchanged(row_id)


def test_an_upsert_cannot_rewrite_a_row(ctx):
    """R-14.7: INSERT … ON CONFLICT DO UPDATE (both databases) is refused as an update."""
    row_id = _row()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(
            "INSERT INTO audit_log (id, at, action, result) "
            "VALUES (:id, CURRENT_TIMESTAMP, 'login', 'ok') "
            "ON CONFLICT (id) DO UPDATE SET detail = NULL"), {"id": row_id})
    assert _unchanged(row_id)


def test_new_rows_are_still_written(ctx):
    """R-14.7: the insert guard refuses only existing ids: ordinary rows go in."""
    first, second = _row(), _row()
    assert second > first and _unchanged(first) and _unchanged(second)


@pytest.fixture
def postgresql(ctx):
    if _dialect() != "postgresql":
        pytest.skip("the purge function and its guard are PostgreSQL's")


@pytest.mark.parametrize("days_old", [10, 400])
def test_postgresql_the_old_purge_flag_lifts_nothing(postgresql, days_old):
    """R-14.7: a session setting ``xieban.audit_purge`` can no longer delete anything,
    under the retention floor or above it."""
    row_id = _row(days_old)
    db.session.execute(sa.text("SELECT set_config('xieban.audit_purge', 'on', true)"))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("DELETE FROM audit_log WHERE id = :id"), {"id": row_id})
    assert _unchanged(row_id)


@pytest.mark.parametrize("statement", [
    # a block of the session's own: the guard reads who called, not what the text says
    "DO $$ BEGIN DELETE FROM audit_log /*\nPL/pgSQL function audit_log_purge("
    "timestamp with time zone,integer,json) */ WHERE id = {id}; END $$",
    # a temporary function of the same name
    "CREATE FUNCTION pg_temp.audit_log_purge(c timestamptz, d integer, e json) "
    "RETURNS bigint LANGUAGE sql AS 'DELETE FROM audit_log WHERE id = {id} RETURNING 1'; "
    "SELECT pg_temp.audit_log_purge(now(), 180, '{{}}')",
])
def test_postgresql_only_the_purge_function_deletes(postgresql, statement):
    """R-14.7: a DELETE that does not run inside the database's purge function is refused,
    however it is dressed up."""
    row_id = _row(400)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.connection().exec_driver_sql(statement.format(id=row_id).replace("%", "%%"))
    assert _unchanged(row_id)


def test_postgresql_the_purge_function_keeps_the_floor_and_leaves_a_row(postgresql):
    """R-14.7: called directly (not through the app's checks), the purge function refuses a
    cut-off younger than 180 days by the database's clock; a valid call deletes only older
    rows and writes its own audit row."""
    old, young = _row(400), _row(100)
    entry = json.dumps({"username": "sql", "detail": {"via": "psql"}})
    for cutoff_days, keep in ((100, 180), (300, 30)):
        cutoff = _database_now() - dt.timedelta(days=cutoff_days)
        with pytest.raises(sa.exc.DBAPIError, match="purge refused"):
            db.session.execute(sa.text("SELECT audit_log_purge(:c, :k, CAST(:e AS json))"),
                               {"c": cutoff, "k": keep, "e": entry})
        db.session.rollback()
    cutoff = _database_now() - dt.timedelta(days=200)
    deleted = db.session.scalar(sa.text("SELECT audit_log_purge(:c, 180, CAST(:e AS json))"),
                                {"c": cutoff, "e": entry})
    db.session.commit()
    assert deleted == 1
    assert db.session.get(AuditLog, old) is None and _unchanged(young)
    [trace] = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == AuditAction.purge))
    assert trace.username == "sql" and trace.detail == {"via": "psql", "rows": 1}


def test_the_purge_is_refused_by_the_database_too(ctx, monkeypatch):
    """R-14.7: on PostgreSQL the floor holds even when the app's own check is passed with a
    wrong ``today``: the database's clock decides, and the refusal is a PurgeRefused."""
    if _dialect() != "postgresql":
        pytest.skip("SQLite keeps the floor in the app only")
    young = _row(10)
    future = _database_now().date() + dt.timedelta(days=400)  # a lying "today"
    with pytest.raises(PurgeRefused):
        purge(db.session, future - dt.timedelta(days=180), today=future, days=180)
    assert _unchanged(young)
