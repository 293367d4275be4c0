"""up-sell and cross-sell product lists (issue 3 section 5)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('product_list_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('up', 'cross', name='rule_kind', native_enum=False, length=32), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('suggested_item_id', sa.Integer(), nullable=False),
    sa.Column('customer_group', sa.String(length=40), server_default='', nullable=False),
    sa.Column('min_quantity', sa.BigInteger(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_product_list_rules_item_id_items')),
    sa.ForeignKeyConstraint(['suggested_item_id'], ['items.id'], name=op.f('fk_product_list_rules_suggested_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_list_rules')),
    sa.UniqueConstraint('kind', 'item_id', 'suggested_item_id', 'customer_group', name='uq_product_list_rules_key')
    )
    with op.batch_alter_table('product_list_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_list_rules_item_id'), ['item_id'], unique=False)

    op.create_table('suggestion_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('quotation_id', sa.Integer(), nullable=False),
    sa.Column('salesperson_id', sa.Integer(), nullable=False),
    sa.Column('shown_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.Enum('pending', 'accepted', 'ignored', name='suggestion_outcome', native_enum=False, length=32), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rule_id'], ['product_list_rules.id'], name=op.f('fk_suggestion_offers_rule_id_product_list_rules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quotation_id'], ['quotations.id'], name=op.f('fk_suggestion_offers_quotation_id_quotations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['salesperson_id'], ['users.id'], name=op.f('fk_suggestion_offers_salesperson_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_offers'))
    )
    with op.batch_alter_table('suggestion_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_offers_rule_id'), ['rule_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_offers_quotation_id'), ['quotation_id'], unique=False)


def downgrade() -> None:
    op.drop_table('suggestion_offers')
    op.drop_table('product_list_rules')
