"""shifts.cancelled_at and cancel_reason: one shift called off before it begins

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 05:40:00.000000

An employer (or the pool) calls off a single shift (rain, a machine down) without deleting the
whole capacity request. The shift stays, marked cancelled, so its cancelled assignments and the
wages owed for late-cancelled calls (art. 7:628a BW) keep their shift; it is no longer planned,
listed as demand or open.
"""
from alembic import op
import sqlalchemy as sa

import banenpool.db


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shifts') as batch:
        batch.add_column(sa.Column('cancelled_at', banenpool.db.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('cancel_reason', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('shifts') as batch:
        batch.drop_column('cancel_reason')
        batch.drop_column('cancelled_at')
