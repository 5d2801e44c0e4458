"""account security: password age, forced change, failed-login lock

Revision ID: 737944f2147b
Revises: 94ecff97a6a7
Create Date: 2026-11-27 02:27:41.081071

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '737944f2147b'
down_revision = '94ecff97a6a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_security',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('must_change', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('failed_logins >= 0', name='ck_account_security_failed_logins'),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    # Accounts that exist already keep their passwords as chosen; their age counts from now.
    account = sa.table('account_security', sa.column('user_id', sa.Integer()),
                       sa.column('password_changed_at', sa.DateTime(timezone=True)),
                       sa.column('must_change', sa.Boolean()),
                       sa.column('failed_logins', sa.Integer()))
    users = sa.table('ab_user', sa.column('id', sa.Integer()))
    op.execute(account.insert().from_select(
        ['user_id', 'password_changed_at', 'must_change', 'failed_logins'],
        sa.select(users.c.id, sa.func.current_timestamp(), sa.false(), sa.literal(0)),
    ))


def downgrade():
    op.drop_table('account_security')
