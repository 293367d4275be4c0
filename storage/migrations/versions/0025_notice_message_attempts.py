"""Attempts on a delay notice's Telegram message: a transient failure leaves it queued for a later run

Every failure used to mark the message failed for good, so a 502 or a short outage lost it.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('delay_notice_messages',
                  sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('delay_notice_messages', schema=None) as batch_op:
        batch_op.drop_column('attempts')
