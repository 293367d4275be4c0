"""Claims with a lease on the outbox and the Telegram deliveries, so several bot processes on one
PostgreSQL database never hand the same mail or message out twice (scale-out)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

TABLES = ('outbox_mails', 'telegram_deliveries')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('claimed_by', sa.String(length=80), nullable=True))
            batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('lease_until')
            batch_op.drop_column('claimed_by')
