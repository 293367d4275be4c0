"""Telegram updates taken in through the webhook, shared by every bot process, so an update
Telegram re-sends to another process is handled once (scale-out)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('telegram_updates',
                    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
                    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('update_id', name=op.f('pk_telegram_updates')))
    op.create_index(op.f('ix_telegram_updates_received_at'), 'telegram_updates', ['received_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_telegram_updates_received_at'), table_name='telegram_updates')
    op.drop_table('telegram_updates')
