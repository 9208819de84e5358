"""contracts.base_pattern: a contract's base hours as fixed weekly shifts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('base_pattern', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('base_pattern')
