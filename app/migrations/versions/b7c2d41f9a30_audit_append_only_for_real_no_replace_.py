"""audit trail append-only for real: no REPLACE on SQLite, only the purge function deletes on PostgreSQL (R-14.7)

SQLite: ``REPLACE INTO audit_log`` / ``INSERT OR REPLACE`` removed the row they collided
with without firing the DELETE trigger; a BEFORE INSERT trigger now refuses an id that
exists.

PostgreSQL: the transaction-local flag ``xieban.audit_purge`` that any session could set is
gone. A DELETE on audit_log passes the trigger only when it runs inside the function
``audit_log_purge(cutoff, keep_days, entry)`` called by the client itself (the trigger reads
the call stack), and only for rows older than 180 days. The function keeps the retention
floor (at least 180 days, against the database's own clock) and writes the purge's own
audit row before it deletes. TRUNCATE stays refused.

Revision ID: b7c2d41f9a30
Revises: a14e6c0b5e01
Create Date: 2026-12-02 17:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7c2d41f9a30'
down_revision = 'a14e6c0b5e01'
branch_labels = None
depends_on = None

#: what PG_CONTEXT shows for the purge function when the client called it itself
PURGE_FRAME = "PL/pgSQL function audit_log_purge(timestamp with time zone,integer,json) "

_PG_GUARD = r"""
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    stack text;
    outermost text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- The outermost frame is what the client called; it must be the purge function
        -- (a statement text or a temporary function cannot print this line there).
        GET DIAGNOSTICS stack = PG_CONTEXT;
        outermost := (regexp_split_to_array(stack, E'\n'))[
            array_length(regexp_split_to_array(stack, E'\n'), 1)];
        IF starts_with(outermost, '@FRAME@')
           AND OLD.at < now() - interval '180 days' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
""".replace("@FRAME@", PURGE_FRAME)

_PG_PURGE = r"""
CREATE OR REPLACE FUNCTION audit_log_purge(cutoff timestamptz, keep_days integer, entry json)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    doomed bigint;
BEGIN
    IF keep_days IS NULL OR keep_days < 180 OR cutoff IS NULL
       OR cutoff > now() - make_interval(days => keep_days) THEN
        RAISE EXCEPTION 'audit_log purge refused: records are kept at least % days',
            greatest(coalesce(keep_days, 180), 180)
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT count(*) INTO doomed FROM audit_log WHERE at < cutoff;
    -- The purge's own trace, written first, in the same transaction as the DELETE.
    INSERT INTO audit_log (at, user_id, username, ip, action, object_type, result, detail)
    VALUES (coalesce((entry ->> 'at')::timestamptz, now()), (entry ->> 'user_id')::integer,
            entry ->> 'username', entry ->> 'ip', 'purge', 'AuditLog', 'ok',
            (coalesce(entry -> 'detail', '{}'::json)::jsonb
             || jsonb_build_object('rows', doomed))::json);
    DELETE FROM audit_log WHERE at < cutoff;
    RETURN doomed;
END
$$
"""

_PG_OLD_GUARD = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('xieban.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""

_SQLITE_NO_REPLACE = (
    "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
    "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) BEGIN "
    "SELECT RAISE(ABORT, 'audit_log is append-only: REPLACE refused'); END"
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_GUARD)
        op.execute(_PG_PURGE)
    else:
        op.execute(_SQLITE_NO_REPLACE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_purge(timestamptz, integer, json)")
        op.execute(_PG_OLD_GUARD)
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
