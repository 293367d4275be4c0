"""Campaign recipients: an index the claim can walk in id order (state, channel, id) instead of
(state, next_attempt_at), with which each claim of 200 rows read and sorted every queued row of the
campaign (100 000 queued: ~19 ms a claim instead of ~1.4)

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-24
"""
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('campaign_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_recipients_state_next_attempt_at')
        batch_op.create_index('ix_campaign_recipients_state_channel_id', ['state', 'channel', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('campaign_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_recipients_state_channel_id')
        batch_op.create_index('ix_campaign_recipients_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)
