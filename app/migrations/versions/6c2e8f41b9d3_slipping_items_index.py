"""督办's items behind the confirmed plan: an index of open items by planned submission
(state, planned_submit_on), so the screen reads the few past their planned date instead of
every open item (issue 16; 50 ms → 0.2 ms at 400,000 items on SQLite)

Revision ID: 6c2e8f41b9d3
Revises: 9d4f2b7c1e05
Create Date: 2026-12-03 10:55:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '6c2e8f41b9d3'
down_revision = '9d4f2b7c1e05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('commission_item', schema=None) as batch_op:
        batch_op.create_index('ix_commission_item_state_planned_submit_on',
                              ['state', 'planned_submit_on'], unique=False)


def downgrade():
    with op.batch_alter_table('commission_item', schema=None) as batch_op:
        batch_op.drop_index('ix_commission_item_state_planned_submit_on')
