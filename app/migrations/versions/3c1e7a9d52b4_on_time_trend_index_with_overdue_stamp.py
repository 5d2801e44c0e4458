"""on-time trend index carries the overdue stamp

"Decided on time" (app/domain/definitions.py, R-13.7) is decided by the promised date and
never found overdue, so the dashboard's on-time trend reads ``overdue_on`` too: the index of
items decided in a period gains it, and the trend is answered from the index alone again.

Revision ID: 3c1e7a9d52b4
Revises: b7c2d41f9a30
Create Date: 2026-12-02 17:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c1e7a9d52b4'
down_revision = 'b7c2d41f9a30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('commission_item', schema=None) as batch_op:
        batch_op.drop_index('ix_commission_item_state_decided_on')
        batch_op.create_index('ix_commission_item_state_decided_on',
                              ['state', 'decided_on', 'due_on', 'overdue_on'], unique=False)


def downgrade():
    with op.batch_alter_table('commission_item', schema=None) as batch_op:
        batch_op.drop_index('ix_commission_item_state_decided_on')
        batch_op.create_index('ix_commission_item_state_decided_on',
                              ['state', 'decided_on', 'due_on'], unique=False)
