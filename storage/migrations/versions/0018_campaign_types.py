"""contact tags, the campaign selection's tags, telemarketing call lists and their logged outcomes
(issue 5 §1)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

OUTCOMES = ('reached', 'no_answer', 'call_back', 'interested', 'not_interested')


def upgrade() -> None:
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tags', sa.String(length=400), server_default='', nullable=False))
    op.create_table('contact_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_kind', sa.String(length=16), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_tags')),
    sa.UniqueConstraint('contact_kind', 'contact_id', 'tag', name='uq_contact_tags_contact_tag')
    )
    op.create_index('ix_contact_tags_tag', 'contact_tags', ['tag'], unique=False)
    op.create_table('campaign_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('contact_kind', sa.String(length=16), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('assigned_to', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('open', 'done', 'skipped', name='call_state', native_enum=False, length=32),
              nullable=False),
    sa.Column('outcome', sa.Enum(*OUTCOMES, name='call_outcome', native_enum=False, length=32), nullable=True),
    sa.Column('call_back_on', sa.Date(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_logged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_to'], ['users.id'], name=op.f('fk_campaign_calls_assigned_to_users')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_calls_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_calls')),
    sa.UniqueConstraint('campaign_id', 'contact_kind', 'contact_id', name='uq_campaign_calls_contact')
    )
    op.create_index('ix_campaign_calls_assigned_to_state', 'campaign_calls', ['assigned_to', 'state'],
                    unique=False)
    op.create_table('campaign_call_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum(*OUTCOMES, name='call_outcome', native_enum=False, length=32), nullable=False),
    sa.Column('call_back_on', sa.Date(), nullable=True),
    sa.Column('by_user', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_user'], ['users.id'], name=op.f('fk_campaign_call_events_by_user_users')),
    sa.ForeignKeyConstraint(['call_id'], ['campaign_calls.id'],
                            name=op.f('fk_campaign_call_events_call_id_campaign_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_call_events'))
    )
    op.create_index(op.f('ix_campaign_call_events_call_id'), 'campaign_call_events', ['call_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_campaign_call_events_call_id'), table_name='campaign_call_events')
    op.drop_table('campaign_call_events')
    op.drop_index('ix_campaign_calls_assigned_to_state', table_name='campaign_calls')
    op.drop_table('campaign_calls')
    op.drop_index('ix_contact_tags_tag', table_name='contact_tags')
    op.drop_table('contact_tags')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('tags')
