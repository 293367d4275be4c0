"""relationships: parties, stages, opportunities (issue 3 section 1)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _stage(name: str = 'party_stage') -> sa.Enum:
    return sa.Enum('prospect', 'lead', 'opportunity', 'customer', name=name, native_enum=False,
                   length=32)


def upgrade() -> None:
    op.create_table('parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Enum('trade_show', 'mailing', 'referral', 'website', 'campaign', 'other',
                                name='party_source', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('stage', _stage(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_parties_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_parties_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties')),
    sa.UniqueConstraint('customer_id', name=op.f('uq_parties_customer_id'))
    )
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parties_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_parties_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_parties_owner_id'), ['owner_id'], unique=False)

    op.create_table('party_stage_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', _stage(), nullable=True),
    sa.Column('to_stage', _stage(), nullable=False),
    sa.Column('changed_by', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by'], ['users.id'], name=op.f('fk_party_stage_changes_changed_by_users')),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_party_stage_changes_party_id_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_stage_changes'))
    )
    with op.batch_alter_table('party_stage_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_stage_changes_party_id'), ['party_id'], unique=False)

    op.create_table('opportunities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('estimated_value', sa.BigInteger(), nullable=False),
    sa.Column('probability', sa.BigInteger(), nullable=False),
    sa.Column('expected_close', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'won', 'lost', name='opportunity_status', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_opportunities_party_id_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunities_party_id'), ['party_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunities_party_id'))
    op.drop_table('opportunities')
    with op.batch_alter_table('party_stage_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_stage_changes_party_id'))
    op.drop_table('party_stage_changes')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_owner_id'))
        batch_op.drop_index(batch_op.f('ix_parties_phone'))
        batch_op.drop_index(batch_op.f('ix_parties_email'))
    op.drop_table('parties')
