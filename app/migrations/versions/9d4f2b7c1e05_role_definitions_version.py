"""role definitions version: raised with every change to roles, permissions, groups or a
user's roles, so the role and permission sets kept per session are dropped (issue 16)

Revision ID: 9d4f2b7c1e05
Revises: 28b43a425bd3
Create Date: 2026-12-03 04:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d4f2b7c1e05'
down_revision = '28b43a425bd3'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'role_definitions',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.bulk_insert(table, [{'id': 1, 'version': 0}])


def downgrade():
    op.drop_table('role_definitions')
