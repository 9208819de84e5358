"""login_failures: failed log-ins, to slow down password guessing

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 10:10:00.000000

After 10 failed log-ins for one address from one client within 15 minutes the next attempts are
refused (429) until the oldest is 15 minutes old (services.auth.authenticate). A row holds a hash of
the address asked for and the client's address, and the moment; rows older than a day are deleted.
"""
from alembic import op
import sqlalchemy as sa

import banenpool.db


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'login_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('at', banenpool.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_login_failures_key'), 'login_failures', ['key'], unique=False)
    op.create_index(op.f('ix_login_failures_at'), 'login_failures', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_login_failures_at'), table_name='login_failures')
    op.drop_index(op.f('ix_login_failures_key'), table_name='login_failures')
    op.drop_table('login_failures')
