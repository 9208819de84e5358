"""contracts.fixed_term: made for a fixed term (the chain rule counts only those)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 05:40:00.000000

The chain rule (art. 7:668a BW) counts fixed-term contracts. A permanent contract that is ended
later has an end date too; the flag keeps it apart. Contracts of before: fixed-term when they have
an end date.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contracts') as batch:
        batch.add_column(sa.Column('fixed_term', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE contracts SET fixed_term = (end_date IS NOT NULL)")


def downgrade() -> None:
    with op.batch_alter_table('contracts') as batch:
        batch.drop_column('fixed_term')
