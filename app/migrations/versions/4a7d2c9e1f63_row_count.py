"""Exact row counts of the commission table, kept by triggers (app/models/row_count.py):
the commission list's count read from one row instead of counting 100,000 (issue 16)

Revision ID: 4a7d2c9e1f63
Revises: 6c2e8f41b9d3
Create Date: 2026-12-03 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4a7d2c9e1f63'
down_revision = '6c2e8f41b9d3'
branch_labels = None
depends_on = None

TABLE, COLUMN = "commission", "state"

# PostgreSQL: statement triggers over the statement's rows (transition tables), adding each
# count's change once, in name order (two transactions lock the counts they change in the
# same order: no deadlock).
_PG_ADD = """
        INSERT INTO row_count (name, total)
        SELECT name, {sign}sum(n) FROM ({changes}) AS delta
        GROUP BY name HAVING sum(n) <> 0 ORDER BY name
        ON CONFLICT (name) DO UPDATE SET total = row_count.total + EXCLUDED.total;"""


def _pg_whole(rows: str) -> str:
    """Every row of ``rows`` counted, in all and by the column."""
    return (f"SELECT '{TABLE}' AS name, count(*) AS n FROM {rows} UNION ALL "
            f"SELECT '{TABLE}:' || {COLUMN}, count(*) FROM {rows} GROUP BY {COLUMN}")


_PG_MOVED = (f"FROM new_rows nw JOIN old_rows od ON od.id = nw.id "
             f"WHERE od.{COLUMN} <> nw.{COLUMN}")
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TABLE}_row_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN{_PG_ADD.format(sign="", changes=_pg_whole("new_rows"))}
    ELSIF TG_OP = 'DELETE' THEN{_PG_ADD.format(sign="-", changes=_pg_whole("old_rows"))}
    ELSIF TG_OP = 'UPDATE' THEN{_PG_ADD.format(sign="", changes=(
        f"SELECT '{TABLE}:' || nw.{COLUMN} AS name, 1 AS n {_PG_MOVED} UNION ALL "
        f"SELECT '{TABLE}:' || od.{COLUMN}, -1 {_PG_MOVED}"))}
    ELSE  -- TRUNCATE
        DELETE FROM row_count WHERE name = '{TABLE}' OR name LIKE '{TABLE}:%';
    END IF;
    RETURN NULL;
END
$$
"""

_PG_TRIGGERS = {
    f"{TABLE}_row_count_insert": "AFTER INSERT ON {t} REFERENCING NEW TABLE AS new_rows",
    f"{TABLE}_row_count_delete": "AFTER DELETE ON {t} REFERENCING OLD TABLE AS old_rows",
    f"{TABLE}_row_count_update": ("AFTER UPDATE ON {t} REFERENCING OLD TABLE AS old_rows "
                                  "NEW TABLE AS new_rows"),
    f"{TABLE}_row_count_truncate": "AFTER TRUNCATE ON {t}",
}


def _sqlite_bump(name_sql: str, step: int) -> str:
    return (f"INSERT INTO row_count (name, total) VALUES ({name_sql}, {step}) "
            f"ON CONFLICT (name) DO UPDATE SET total = total + {step};")


_ALL, _OLD, _NEW = f"'{TABLE}'", f"'{TABLE}:' || OLD.{COLUMN}", f"'{TABLE}:' || NEW.{COLUMN}"
_SQLITE_TRIGGERS = {
    f"{TABLE}_row_count_insert": (f"AFTER INSERT ON {TABLE} BEGIN {_sqlite_bump(_ALL, 1)} "
                                  f"{_sqlite_bump(_NEW, 1)} END"),
    f"{TABLE}_row_count_delete": (f"AFTER DELETE ON {TABLE} BEGIN {_sqlite_bump(_ALL, -1)} "
                                  f"{_sqlite_bump(_OLD, -1)} END"),
    f"{TABLE}_row_count_update": (
        f"AFTER UPDATE OF {COLUMN} ON {TABLE} WHEN OLD.{COLUMN} <> NEW.{COLUMN} BEGIN "
        f"{_sqlite_bump(_OLD, -1)} {_sqlite_bump(_NEW, 1)} END"),
}


def create_triggers():
    """The commission table's counting triggers. A later migration that rebuilds the table
    on SQLite (batch "recreate") drops them and must create them again as here."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for name, when in _PG_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when.format(t=TABLE)} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_row_count()")
    else:
        for name, body in _SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def drop_triggers():
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in (_PG_TRIGGERS if postgres else _SQLITE_TRIGGERS):
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {TABLE}" if postgres else ""))
    if postgres:
        op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_row_count()")


def upgrade():
    op.create_table('row_count',
                    sa.Column('name', sa.String(length=100), nullable=False),
                    sa.Column('total', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('name'))
    # the counts as they stand, then kept by the triggers (one transaction on PostgreSQL;
    # a SQLite migration runs alone)
    op.execute(f"INSERT INTO row_count (name, total) SELECT '{TABLE}', count(*) FROM {TABLE}")
    op.execute(f"INSERT INTO row_count (name, total) SELECT '{TABLE}:' || {COLUMN}, count(*) "
               f"FROM {TABLE} GROUP BY {COLUMN}")
    create_triggers()


def downgrade():
    drop_triggers()
    op.drop_table('row_count')
