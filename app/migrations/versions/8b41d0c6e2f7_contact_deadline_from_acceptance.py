"""contact deadline from acceptance (R-5.4): the awaiting-contact index covers accepted
commissions too (the sweep gives existing ones their deadline: it needs the calendar)

Revision ID: 8b41d0c6e2f7
Revises: 5e2a7c91d4b8
Create Date: 2026-12-02 20:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b41d0c6e2f7'
down_revision = '5e2a7c91d4b8'
branch_labels = None
depends_on = None

NEW = "state IN ('accepted', 'assigned') AND contacted_on IS NULL"
OLD = "state = 'assigned' AND contacted_on IS NULL"


def _index(where):
    with op.batch_alter_table('commission', schema=None) as batch_op:
        batch_op.drop_index('ix_commission_awaiting_contact')
        batch_op.create_index('ix_commission_awaiting_contact', ['contact_due_on'], unique=False,
                              sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade():
    _index(NEW)


def downgrade():
    _index(OLD)
