"""commission item holds its confirmed plan dates, for plan against actual on the supervision screen (R-5.6)

Items of plans confirmed before this revision get the dates of their commission's newest
confirmed plan version.

Revision ID: 4abd73768378
Revises: 8b41d0c6e2f7
Create Date: 2026-12-02 20:45:03.698731

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4abd73768378'
down_revision = '8b41d0c6e2f7'
branch_labels = None
depends_on = None

LINE = """(SELECT ps.{column} FROM plan_step ps JOIN plan_version pv ON pv.id = ps.plan_version_id
    WHERE pv.commission_id = commission_item.commission_id
      AND ps.approval_item_id = commission_item.approval_item_id
      AND pv.version = (SELECT max(v.version) FROM plan_version v
                        WHERE v.commission_id = commission_item.commission_id
                          AND v.confirmed_on IS NOT NULL))"""


def upgrade():
    with op.batch_alter_table('commission_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_submit_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('planned_done_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_commission_item_state_planned_done_on', ['state', 'planned_done_on'], unique=False)

    op.execute(sa.text(
        "UPDATE commission_item SET planned_submit_on = " + LINE.format(column="planned_submit_on")
        + ", planned_done_on = " + LINE.format(column="planned_done_on")))


def downgrade():
    with op.batch_alter_table('commission_item', schema=None) as batch_op:
        batch_op.drop_index('ix_commission_item_state_planned_done_on')
        batch_op.drop_column('planned_done_on')
        batch_op.drop_column('planned_submit_on')
