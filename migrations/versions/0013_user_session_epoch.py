"""users.session_epoch: blocking a login ends its page sessions for good

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 10:00:00.000000

A page session names its login with a fingerprint of the password hash and this counter; blocking
a login raises the counter, so a browser session from before the block stays ended when the login
is allowed again (API tokens were already revoked for good).
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_epoch')
