"""workers.email unique: one address per worker, guarded by the database as well

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 03:30:00.000000

The service already refuses an address another worker has (409 naming `email`); two requests
at the same moment could both pass that check. Addresses are stored trimmed and in lower case
since the shared e-mail check; older rows are brought into that form first. Two workers who then
share an address cannot be merged automatically: the upgrade stops and names them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    workers = sa.table('workers', sa.column('id', sa.Integer), sa.column('email', sa.String))
    for worker_id, email in bind.execute(sa.select(workers.c.id, workers.c.email)
                                         .where(workers.c.email.is_not(None))).all():
        normal = email.strip().lower()
        if normal != email:
            bind.execute(workers.update().where(workers.c.id == worker_id).values(email=normal))
    shared = bind.execute(
        sa.select(workers.c.email, sa.func.count()).where(workers.c.email.is_not(None))
        .group_by(workers.c.email).having(sa.func.count() > 1)).all()
    if shared:
        listed = "; ".join(f"{email} ({count} workers)" for email, count in shared)
        raise RuntimeError("workers share an e-mail address, which must be unique: give each its own "
                           f"address (PATCH /api/v1/workers/ID) and migrate again: {listed}")
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_workers_email', ['email'])


def downgrade() -> None:
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.drop_constraint('uq_workers_email', type_='unique')
