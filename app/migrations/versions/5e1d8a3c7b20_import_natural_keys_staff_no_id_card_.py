"""import natural keys: staff number and ID card hash, catalogue item code (R-18.1)

Revision ID: 5e1d8a3c7b20
Revises: 3c1e7a9d52b4
Create Date: 2026-12-02 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1d8a3c7b20'
down_revision = '3c1e7a9d52b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_no', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('id_card_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_member_staff_no'), ['staff_no'])
        batch_op.create_unique_constraint(batch_op.f('uq_staff_member_id_card_hash'),
                                          ['id_card_hash'])

    with op.batch_alter_table('approval_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_approval_item_code'), ['code'])


def downgrade():
    with op.batch_alter_table('approval_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_approval_item_code'), type_='unique')
        batch_op.drop_column('code')

    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_member_id_card_hash'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_staff_member_staff_no'), type_='unique')
        batch_op.drop_column('id_card_hash')
        batch_op.drop_column('staff_no')
