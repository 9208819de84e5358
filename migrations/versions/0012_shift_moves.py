"""shifts.revision, assignments.called_start/called_end: a shift moved to other times

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 05:50:00.000000

A coming shift can move to other times (assignments.move_shift). Calendars raise an event's
SEQUENCE when its times change (RFC 5545), counted by the shift's revision; a worker released by
the move keeps the times they were called for, so their schedule, calendar and notice show the
cancellation where it was.
"""
from alembic import op
import sqlalchemy as sa

import banenpool.db


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shifts') as batch:
        batch.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('assignments') as batch:
        batch.add_column(sa.Column('called_start', banenpool.db.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('called_end', banenpool.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('assignments') as batch:
        batch.drop_column('called_end')
        batch.drop_column('called_start')
    with op.batch_alter_table('shifts') as batch:
        batch.drop_column('revision')
