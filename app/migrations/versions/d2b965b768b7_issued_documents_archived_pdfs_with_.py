"""Issued documents: archived PDFs with version and SHA-256

Revision ID: d2b965b768b7
Revises: 94ecff97a6a7
Create Date: 2026-11-27 02:26:21.138662

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2b965b768b7'
down_revision = '94ecff97a6a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('issued_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('application', 'completion', 'termination', 'approval_plan', 'material_notice', 'delivery_receipt', 'meeting_minutes', 'revisit_record', name='document_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('commission_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_path', sa.String(length=300), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('font', sa.String(length=100), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size >= 0', name='ck_issued_document_size'),
    sa.CheckConstraint('version >= 1', name='ck_issued_document_version'),
    sa.ForeignKeyConstraint(['commission_id'], ['commission.id'], ),
    sa.ForeignKeyConstraint(['issued_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('file_path'),
    sa.UniqueConstraint('kind', 'commission_id', 'record_id', 'version', name='uq_issued_document_version')
    )
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_document_commission_id'), ['commission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_document_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_document_kind'), ['kind'], unique=False)
        batch_op.create_index('uq_issued_document_version_norecord', ['kind', 'commission_id', 'version'], unique=True, sqlite_where=sa.text('record_id IS NULL'), postgresql_where=sa.text('record_id IS NULL'))


def downgrade():
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_index('uq_issued_document_version_norecord', sqlite_where=sa.text('record_id IS NULL'), postgresql_where=sa.text('record_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_issued_document_kind'))
        batch_op.drop_index(batch_op.f('ix_issued_document_issued_at'))
        batch_op.drop_index(batch_op.f('ix_issued_document_commission_id'))

    op.drop_table('issued_document')
