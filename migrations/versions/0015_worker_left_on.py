"""workers.left_on: the last day a worker belongs to the pool ("uit dienst per")

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 12:30:00.000000

Null: the worker belongs to the pool. A day: the last day they do; from the next day on the
planner leaves them out (services.instance_builder), a manual assignment refuses them
(services.assignments) and the staffing pages no longer offer them (services.leaving).
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workers') as batch:
        batch.add_column(sa.Column('left_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workers') as batch:
        batch.drop_column('left_on')
