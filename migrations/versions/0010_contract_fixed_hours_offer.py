"""contracts.fixed_hours_offered_on and fixed_hours_offered: the offer of fixed hours to an on-call worker

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 05:20:00.000000

After 12 months an on-call or min-max worker must be offered fixed hours equal to the average of
those months (art. 7:628a lid 5 BW, nl-facts §3). The pool records the offer it made on the
contract, so the list of offers due (services/fixed_hours.py) knows which are done.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contracts') as batch:
        batch.add_column(sa.Column('fixed_hours_offered_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('fixed_hours_offered', sa.Numeric(precision=5, scale=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('contracts') as batch:
        batch.drop_column('fixed_hours_offered')
        batch.drop_column('fixed_hours_offered_on')
