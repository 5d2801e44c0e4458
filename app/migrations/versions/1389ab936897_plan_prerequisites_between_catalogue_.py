"""plan prerequisites between catalogue items, critical path and planned total (R-5.5)

A catalogue seeded before this revision gets the prerequisites of app/seed/catalogue.py
between the items it knows by name; supervisors edit them on the catalogue screen.

Revision ID: 1389ab936897
Revises: 48a70a1aa559
Create Date: 2026-12-02 20:12:11.150459

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1389ab936897'
down_revision = '48a70a1aa559'
branch_labels = None
depends_on = None

# (item, prerequisite) as in app/seed/catalogue.py PREREQUISITES at this revision
PREREQUISITES = (
    ('可行性研究报告审批', '政府投资项目建议书审批'), ('可行性研究报告审批', '用地预审与选址意见书'),
    ('可行性研究报告审批', '节能审查'), ('初步设计及概算审批', '可行性研究报告审批'),
    ('企业投资项目核准', '用地预审与选址意见书'), ('建设用地规划许可证', '用地预审与选址意见书'),
    ('建设工程设计方案审查', '建设用地规划许可证'), ('建设工程规划许可证', '建设工程设计方案审查'),
    ('施工图联合审查', '初步设计及概算审批'), ('建筑工程施工许可证核发', '施工图联合审查'),
    ('建筑工程施工许可证核发', '建设工程规划许可证'),
    ('建筑工程施工许可证核发', '特殊建设工程消防设计审查'),
    ('特殊建设工程消防验收', '特殊建设工程消防设计审查'),
    ('雷电防护装置竣工验收', '雷电防护装置设计审核'), ('人防工程竣工验收备案', '防空地下室审批'),
    ('竣工验收备案', '竣工联合验收'), ('竣工验收备案', '规划条件核实'),
    ('竣工验收备案', '特殊建设工程消防验收'), ('竣工验收备案', '城建档案验收'),
)


def upgrade():
    op.create_table('approval_item_prerequisite',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('prerequisite_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('item_id <> prerequisite_id', name='ck_approval_item_prerequisite_self'),
    sa.ForeignKeyConstraint(['item_id'], ['approval_item.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prerequisite_id'], ['approval_item.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'prerequisite_id')
    )
    with op.batch_alter_table('approval_item_prerequisite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_item_prerequisite_prerequisite_id'), ['prerequisite_id'], unique=False)

    with op.batch_alter_table('plan_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('critical', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('total_days', sa.Integer(), nullable=True))

    item = sa.table('approval_item', sa.column('id', sa.Integer), sa.column('name', sa.String))
    link = sa.table('approval_item_prerequisite', sa.column('item_id', sa.Integer),
                    sa.column('prerequisite_id', sa.Integer))
    for name, prerequisite in PREREQUISITES:
        first = sa.select(item.c.id).where(item.c.name == name).scalar_subquery()
        second = sa.select(item.c.id).where(item.c.name == prerequisite).scalar_subquery()
        op.execute(link.insert().from_select(
            ['item_id', 'prerequisite_id'],
            sa.select(first, second).where(first.isnot(None), second.isnot(None))))


def downgrade():
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.drop_column('total_days')

    with op.batch_alter_table('plan_step', schema=None) as batch_op:
        batch_op.drop_column('critical')

    with op.batch_alter_table('approval_item_prerequisite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_item_prerequisite_prerequisite_id'))

    op.drop_table('approval_item_prerequisite')