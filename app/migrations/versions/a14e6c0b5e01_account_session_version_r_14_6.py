"""account security: session version, raised to end every session and API token (R-14.6)

Revision ID: a14e6c0b5e01
Revises: f99968daf0d9
Create Date: 2026-12-02 16:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a14e6c0b5e01'
down_revision = 'f99968daf0d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account_security', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.create_check_constraint('ck_account_security_session_version',
                                         'session_version >= 0')


def downgrade():
    with op.batch_alter_table('account_security', schema=None) as batch_op:
        batch_op.drop_constraint('ck_account_security_session_version', type_='check')
        batch_op.drop_column('session_version')
