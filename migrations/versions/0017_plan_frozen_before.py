"""plans.frozen_before: shifts that had begun when a plan was made stay as they were

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-07 12:30:00.000000

A plan keeps the shifts of its period that began before it was made: their confirmed workers are
fixed, nobody is added or dropped (services.planning.create_plan); publishing refuses a plan that
would change a shift begun since. Null (plans made before this column, or made with
`include_started`) means the plan may change begun shifts too.
"""
from alembic import op
import sqlalchemy as sa

import banenpool.db


revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plans') as batch:
        batch.add_column(sa.Column('frozen_before', banenpool.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('plans') as batch:
        batch.drop_column('frozen_before')
