"""employer_caos: an employer's CAO changes on a date

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:30:00.000000

employers.cao_code held one CAO for all time: a change repriced every past hour. Now each employer
has rows (cao_code, valid_from): the CAO from that Amsterdam day on, until the next row. Every
existing employer gets one row with its CAO from 1900-01-01 (calendar_nl.FIRST_DAY, the first day
the service accepts: from the start), and employers.cao_code goes. Going down, employers.cao_code
comes back as the CAO in force on the day of the downgrade.
"""
from datetime import date

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

FROM_START = date(1900, 1, 1)


def _rows():
    return sa.table('employer_caos', sa.column('employer_id'), sa.column('cao_code'), sa.column('valid_from'))


def upgrade() -> None:
    op.create_table(
        'employer_caos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('employer_id', sa.Integer(), nullable=False),
        sa.Column('cao_code', sa.String(length=40), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['employer_id'], ['employers.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('employer_id', 'valid_from', name='uq_employer_caos_from'),
    )
    employers = sa.table('employers', sa.column('id'), sa.column('cao_code'))
    op.execute(_rows().insert().from_select(
        ['employer_id', 'cao_code', 'valid_from'],
        sa.select(employers.c.id, employers.c.cao_code, sa.literal(FROM_START, sa.Date()))))
    with op.batch_alter_table('employers') as batch:
        batch.drop_column('cao_code')


def downgrade() -> None:
    with op.batch_alter_table('employers') as batch:
        batch.add_column(sa.Column('cao_code', sa.String(length=40), nullable=True))
    today = sa.func.current_date()
    rows = _rows()
    employers = sa.table('employers', sa.column('id'), sa.column('cao_code'))
    in_force = (sa.select(rows.c.cao_code).where(rows.c.employer_id == employers.c.id)
                .order_by((rows.c.valid_from <= today).desc(), rows.c.valid_from.desc()).limit(1)
                .scalar_subquery())
    op.execute(employers.update().values(cao_code=in_force))
    with op.batch_alter_table('employers') as batch:
        batch.alter_column('cao_code', existing_type=sa.String(length=40), nullable=False)
    op.drop_table('employer_caos')
