"""school_holidays: a young worker's school holidays, for the limits at age 15

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 12:45:00.000000

At 15 the Working Hours Act allows 2 h on a school day and 12 h in a school week, 8 h a day and
40 h a week in school holidays (contracts.compliance_youth). The pool registers each young
worker's holidays (their school's region decides): first through last day, both included.
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'school_holidays',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('worker_id', sa.Integer(), nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.CheckConstraint('first_day <= last_day', name='ck_school_holiday_days'),
        sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('school_holidays') as batch:
        batch.create_index(batch.f('ix_school_holidays_worker_id'), ['worker_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('school_holidays') as batch:
        batch.drop_index(batch.f('ix_school_holidays_worker_id'))
    op.drop_table('school_holidays')
