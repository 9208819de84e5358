"""payroll_periods: a payroll period closed by the pool, with its statement as paid

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 15:10:00.000000

The payroll-sharing statement was computed anew on every read, so a period already paid showed
other amounts after hours were reopened, approved late or priced under a back-dated CAO change.
Closing a period keeps its statement (amounts as decimal strings in JSON); later differences are
paid as corrections in the next period closed (services/payroll.py). Closed periods do not
overlap: one per first day here, the overlap itself is checked when closing.
"""
from alembic import op
import sqlalchemy as sa
import banenpool.db


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'payroll_periods',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('statement', sa.JSON(), nullable=False),
        sa.Column('closed_by', sa.Integer(), nullable=True),
        sa.Column('closed_by_email', sa.String(length=254), nullable=True),
        sa.Column('closed_at', banenpool.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint('period_start <= period_end', name='ck_payroll_period_days'),
        sa.ForeignKeyConstraint(['closed_by'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('period_start'),
    )


def downgrade() -> None:
    op.drop_table('payroll_periods')
