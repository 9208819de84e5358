"""employers.calendar_token: the secret of an employer's feed of staffed shifts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:10:00.000000

The number 0004 was reserved for this migration while 0005 (billing) was written at the same
time and chained onto 0003, so this one follows 0005: 0003 → 0005 → 0004.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_employers_calendar_token', ['calendar_token'])


def downgrade() -> None:
    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.drop_constraint('uq_employers_calendar_token', type_='unique')
        batch_op.drop_column('calendar_token')
