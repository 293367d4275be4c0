"""Telegram campaign rows beside the e-mail ones, and campaign responses (issue 5 §4-§5)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

CHANNEL = sa.Enum('email', 'telegram', name='consent_channel', native_enum=False, length=32)


def upgrade() -> None:
    with op.batch_alter_table('campaign_recipients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', CHANNEL, server_default='email', nullable=False))
        batch_op.add_column(sa.Column('chat_id', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.drop_constraint('uq_campaign_recipients_campaign_id', type_='unique')
        batch_op.create_unique_constraint('uq_campaign_recipients_address',
                                          ['campaign_id', 'channel', 'chat_id', 'email'])

    op.create_table('campaign_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('contact_kind', sa.String(length=16), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('channel', CHANNEL, nullable=False),
    sa.Column('effect', sa.String(length=16), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('notify_user_id', sa.Integer(), nullable=True),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_responses_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['recipient_id'], ['campaign_recipients.id'], name=op.f('fk_campaign_responses_recipient_id_campaign_recipients')),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_campaign_responses_party_id_parties')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_campaign_responses_customer_id_customers')),
    sa.ForeignKeyConstraint(['notify_user_id'], ['users.id'], name=op.f('fk_campaign_responses_notify_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_responses')),
    sa.UniqueConstraint('campaign_id', 'contact_kind', 'contact_id', name='uq_campaign_responses_contact')
    )
    with op.batch_alter_table('campaign_responses', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_responses_notified_at', ['notified_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('campaign_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_responses_notified_at')
    op.drop_table('campaign_responses')
    op.execute("DELETE FROM campaign_recipients WHERE channel = 'telegram'")
    with op.batch_alter_table('campaign_recipients', schema=None) as batch_op:
        batch_op.drop_constraint('uq_campaign_recipients_address', type_='unique')
        batch_op.create_unique_constraint('uq_campaign_recipients_campaign_id', ['campaign_id', 'email'])
        batch_op.drop_column('chat_id')
        batch_op.drop_column('channel')
