"""outbox_messages.recipient: messages to the pool and to employers, not only to workers

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 15:30:00.000000

When a worker takes an open shift themselves (services.open_shifts.claim) the pool and the shift's
employer are told as well. Each message says whom it is for: "worker" (every message before this
column), "intermediary" or "employer" (the payload's employer_id); worker_id stays the worker whose
schedule changed.
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_messages') as batch:
        batch.add_column(sa.Column('recipient', sa.String(length=20), server_default='worker', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('outbox_messages') as batch:
        batch.drop_column('recipient')
