"""catalogue alternatives and investment kind, project current stage (R-1.5)

A catalogue seeded before this revision gets the rules of app/seed/catalogue.py for the
items it knows by name; supervisors edit them on the catalogue screen afterwards.

Revision ID: 4e8f161c33ed
Revises: 5e1d8a3c7b20
Create Date: 2026-12-02 19:51:11.774258

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e8f161c33ed'
down_revision = '5e1d8a3c7b20'
branch_labels = None
depends_on = None

# (item name, alternative group, investment kind) as in app/seed/catalogue.py at this revision
RULES = (
    ('企业投资项目备案', '立项方式', 'social'),
    ('企业投资项目核准', '立项方式', 'social'),
    ('政府投资项目建议书审批', None, 'government'),
    ('可行性研究报告审批', None, 'government'),
    ('初步设计及概算审批', None, 'government'),
    ('环境影响报告书审批', '环评文件', None),
    ('环境影响报告表审批', '环评文件', None),
    ('环境影响登记表备案', '环评文件', None),
)


def upgrade():
    with op.batch_alter_table('approval_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alternative_group', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('investment_kind', sa.Enum('government', 'social', name='approval_item_investment_kind', native_enum=False, create_constraint=False, length=10), nullable=True))
        batch_op.create_check_constraint('approval_item_investment_kind',
                                         "investment_kind IN ('government', 'social')")

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_stage', sa.Enum('s1', 's2', 's3', 's4', 'parallel', name='project_current_stage', native_enum=False, create_constraint=False, length=8), nullable=True))
        batch_op.create_check_constraint('project_current_stage',
                                         "current_stage IN ('s1', 's2', 's3', 's4', 'parallel')")

    item = sa.table('approval_item', sa.column('name', sa.String),
                    sa.column('alternative_group', sa.String),
                    sa.column('investment_kind', sa.String))
    for name, group, kind in RULES:
        op.execute(item.update().where(item.c.name == name)
                   .values(alternative_group=group, investment_kind=kind))


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_constraint('project_current_stage', type_='check')
        batch_op.drop_column('current_stage')

    with op.batch_alter_table('approval_item', schema=None) as batch_op:
        batch_op.drop_constraint('approval_item_investment_kind', type_='check')
        batch_op.drop_column('investment_kind')
        batch_op.drop_column('alternative_group')
