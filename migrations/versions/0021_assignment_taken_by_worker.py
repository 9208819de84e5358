"""assignments.taken_by_worker: a shift the worker took themselves is no call they may refuse

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 16:40:00.000000

A worker who takes an open shift (services.open_shifts.claim) chose it; the right to refuse a call
made less than 4 days ahead (art. 7:628a BW; assignments.decline_refusal) is about calls the pool
makes. Every assignment before this column was made by the pool or a plan: false.
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assignments') as batch:
        batch.add_column(sa.Column('taken_by_worker', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('assignments') as batch:
        batch.drop_column('taken_by_worker')
