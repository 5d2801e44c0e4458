"""items withdrawn by termination (R-10.5): state 'withdrawn', its day and reason;
undecided items of commissions already terminating or terminated are withdrawn

Revision ID: 5e2a7c91d4b8
Revises: ec15cce8de6a
Create Date: 2026-12-02 20:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2a7c91d4b8'
down_revision = 'ec15cce8de6a'
branch_labels = None
depends_on = None

OLD_STATES = ('pending', 'submitted', 'accepted', 'supplementing', 'approved', 'refused')
NEW_STATES = OLD_STATES + ('withdrawn',)
OPEN_STATES = ('pending', 'submitted', 'accepted', 'supplementing')
TERMINATION_STARTED = ('terminating', 'announced', 'terminated')


def _states(states):
    return "state IN (" + ", ".join(f"'{s}'" for s in states) + ")"


def upgrade():
    with op.batch_alter_table('commission_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=True))
        batch_op.drop_constraint('item_state', type_='check')
        batch_op.create_check_constraint('item_state', _states(NEW_STATES))
        batch_op.create_check_constraint(
            'ck_commission_item_withdrawal',
            "state <> 'withdrawn' OR (withdrawn_on IS NOT NULL AND withdrawal_reason IS NOT NULL)")

    # Existing data: the undecided items of commissions whose termination already started
    # are withdrawn on the day the termination form was issued (the day the terminate step
    # would have withdrawn them); an overdue stamp the sweep left on or after that day was
    # left on an item no longer followed up, and goes.
    item = sa.table('commission_item', sa.column('id'), sa.column('commission_id'),
                    sa.column('state'), sa.column('withdrawn_on'),
                    sa.column('withdrawal_reason'), sa.column('overdue_on'))
    commission = sa.table('commission', sa.column('id'), sa.column('state'),
                          sa.column('terminated_on'))
    termination = sa.table('termination', sa.column('commission_id'),
                           sa.column('issued_on'))
    issued = (sa.select(termination.c.issued_on)
              .where(termination.c.commission_id == item.c.commission_id)
              .scalar_subquery())
    ended = (sa.select(commission.c.terminated_on)
             .where(commission.c.id == item.c.commission_id).scalar_subquery())
    started = (sa.select(commission.c.id)
               .where(commission.c.id == item.c.commission_id,
                      commission.c.state.in_(TERMINATION_STARTED)).exists())
    day = sa.func.coalesce(issued, ended)
    op.execute(
        item.update()
        .where(item.c.state.in_(OPEN_STATES), started, day.is_not(None))
        .values(state='withdrawn', withdrawn_on=day,
                withdrawal_reason='委托终止，未决事项撤回（数据迁移）')
    )
    op.execute(
        item.update()
        .where(item.c.state == 'withdrawn', item.c.overdue_on >= item.c.withdrawn_on)
        .values(overdue_on=None)
    )


def downgrade():
    item = sa.table('commission_item', sa.column('state'), sa.column('submitted_on'),
                    sa.column('accepted_on'))
    # A withdrawn item goes back to where its dates put it (its supplements aside).
    op.execute(item.update().where(item.c.state == 'withdrawn')
               .values(state=sa.case((item.c.accepted_on.is_not(None), 'accepted'),
                                     (item.c.submitted_on.is_not(None), 'submitted'),
                                     else_='pending')))
    with op.batch_alter_table('commission_item', schema=None) as batch_op:
        batch_op.drop_constraint('ck_commission_item_withdrawal', type_='check')
        batch_op.drop_constraint('item_state', type_='check')
        batch_op.create_check_constraint('item_state', _states(OLD_STATES))
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_on')
