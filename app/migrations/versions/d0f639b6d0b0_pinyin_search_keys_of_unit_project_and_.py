"""pinyin search keys of unit, project and staff names: the full pinyin and the initials
of each name, indexed (issue 14: "jcq" finds 江城区); existing rows filled in

Revision ID: d0f639b6d0b0
Revises: a5cee51701ca
Create Date: 2026-12-03 02:53:28.013970

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd0f639b6d0b0'
down_revision = 'a5cee51701ca'
branch_labels = None
depends_on = None

TABLES = ("project", "staff_member", "unit")


def _name_keys(name):
    """app/pinyin.py keys() as it stood (a migration does not import the app)."""
    from pypinyin import lazy_pinyin

    full, initials = [], []
    for part in re.split(r"([\u3400-\u4dbf\u4e00-\u9fff]+)", (name or "").lower()):
        if re.fullmatch(r"[\u3400-\u4dbf\u4e00-\u9fff]+", part):
            syllables = lazy_pinyin(part)
            full += syllables
            initials += [s[:1] for s in syllables]
        else:
            kept = re.sub(r"[^0-9a-z]+", "", part)
            full.append(kept)
            initials.append(kept)
    return "".join(full)[:600], "".join(initials)[:200]


def _fill(table_name):
    table = sa.table(table_name, sa.column("id"), sa.column("name"),
                     sa.column("name_pinyin"), sa.column("name_initials"))
    conn = op.get_bind()
    rows = conn.execute(sa.select(table.c.id, table.c.name)).all()
    for start in range(0, len(rows), 1000):
        values = []
        for pk, name in rows[start:start + 1000]:
            full, initials = _name_keys(name)
            values.append({"pk": pk, "full": full, "initials": initials})
        conn.execute(table.update().where(table.c.id == sa.bindparam("pk"))
                     .values(name_pinyin=sa.bindparam("full"),
                             name_initials=sa.bindparam("initials")), values)


def upgrade():
    for table_name in TABLES:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_pinyin', sa.String(length=600),
                                          server_default='', nullable=False))
            batch_op.add_column(sa.Column('name_initials', sa.String(length=200),
                                          server_default='', nullable=False))
            batch_op.create_index(batch_op.f(f'ix_{table_name}_name_initials'),
                                  ['name_initials'], unique=False)
            batch_op.create_index(batch_op.f(f'ix_{table_name}_name_pinyin'),
                                  ['name_pinyin'], unique=False)
        _fill(table_name)


def downgrade():
    for table_name in TABLES:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table_name}_name_pinyin'))
            batch_op.drop_index(batch_op.f(f'ix_{table_name}_name_initials'))
            batch_op.drop_column('name_initials')
            batch_op.drop_column('name_pinyin')
