"""timesheets.kind: `worked` hours, or a `cancelled_call` paid because the call was cancelled late

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 00:35:00.000000

An on-call or min-max worker whose confirmed shift is cancelled less than 4 days before it starts
is owed the wage for it (art. 7:628a BW, nl-facts §3). The service then records the planned hours
as an approved timesheet of kind `cancelled_call`, so payroll and invoices carry them like worked
hours. Existing rows are worked hours.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('timesheets') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='worked'))
        batch.create_check_constraint('ck_timesheet_kind', "kind IN ('worked', 'cancelled_call')")


def downgrade() -> None:
    with op.batch_alter_table('timesheets') as batch:
        batch.drop_constraint('ck_timesheet_kind', type_='check')
        batch.drop_column('kind')
