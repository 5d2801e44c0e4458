"""merge: account security, audit and materials, issued documents, roster application

Revision ID: b56486dd7f2e
Revises: 06be1471e7c4, 737944f2147b, d2b965b768b7, ff3b0153ad38
Create Date: 2026-11-27 03:20:48.310285

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b56486dd7f2e'
down_revision = ('06be1471e7c4', '737944f2147b', 'd2b965b768b7', 'ff3b0153ad38')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
