"""assignments.confirmed_at and declined_at: when a call was made, and a worker's refusal of a late call

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 05:10:00.000000

A worker with an on-call or min-max contract may refuse a call made less than 4 days before it
starts (art. 7:628a BW, nl-facts §3). That needs the moment of the call: when the assignment was
confirmed (published or assigned by hand). Confirmed rows of before take their last change, which
for a confirmed assignment is its confirmation.
"""
from alembic import op
import sqlalchemy as sa

import banenpool.db


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('assignments') as batch:
        batch.add_column(sa.Column('confirmed_at', banenpool.db.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('declined_at', banenpool.db.UTCDateTime(), nullable=True))
    op.execute("UPDATE assignments SET confirmed_at = updated_at WHERE status = 'confirmed'")


def downgrade() -> None:
    with op.batch_alter_table('assignments') as batch:
        batch.drop_column('declined_at')
        batch.drop_column('confirmed_at')
