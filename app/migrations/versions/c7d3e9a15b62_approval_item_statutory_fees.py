"""approval item: its statutory fees (R-3.1), the only fees a fee notice may name; the
seeded catalogue's fees filled in by item name

Revision ID: c7d3e9a15b62
Revises: 4abd73768378
Create Date: 2026-12-02 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7d3e9a15b62'
down_revision = '4abd73768378'
branch_labels = None
depends_on = None

# app/seed/catalogue.py STATUTORY_FEES as it stood (a migration does not import the app)
FEES = {
    "防空地下室审批": ("防空地下室易地建设费",),
    "水土保持方案审批": ("水土保持补偿费",),
    "占用、挖掘城市道路许可": ("城市道路挖掘修复费", "城市道路占用费"),
}


def upgrade():
    with op.batch_alter_table('approval_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statutory_fees', sa.Text(), nullable=True))
    item = sa.table('approval_item', sa.column('name'), sa.column('statutory_fees'))
    for name, fees in FEES.items():
        op.execute(item.update().where(item.c.name == name,
                                       item.c.statutory_fees.is_(None))
                   .values(statutory_fees="\n".join(fees)))
    # Fee notices already issued stay as they were: the rule applies to new ones.


def downgrade():
    with op.batch_alter_table('approval_item', schema=None) as batch_op:
        batch_op.drop_column('statutory_fees')
