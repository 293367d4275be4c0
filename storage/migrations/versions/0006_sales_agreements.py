"""sales agreements (issue 3 section 3)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sales_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('salesperson_id', sa.Integer(), nullable=False),
    sa.Column('commitment_type', sa.Enum('product_quantity', 'product_value', 'total_value', name='commitment_type', native_enum=False, length=32), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('on_hold', 'effective', 'closed', name='agreement_status', native_enum=False, length=32), nullable=False),
    sa.Column('committed_total', sa.BigInteger(), nullable=True),
    sa.Column('effective_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_order_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sales_agreements_customer_id_customers')),
    sa.ForeignKeyConstraint(['salesperson_id'], ['users.id'], name=op.f('fk_sales_agreements_salesperson_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_agreements')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_agreements_number'))
    )
    with op.batch_alter_table('sales_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_agreements_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_agreements_salesperson_id'), ['salesperson_id'], unique=False)

    op.create_table('sales_agreement_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('line_number', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('item_number', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('agreed_price', sa.BigInteger(), nullable=True),
    sa.Column('discount_percent', sa.BigInteger(), nullable=True),
    sa.Column('committed_quantity', sa.BigInteger(), nullable=True),
    sa.Column('committed_value', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['sales_agreements.id'], name=op.f('fk_sales_agreement_lines_agreement_id_sales_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_sales_agreement_lines_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_agreement_lines')),
    sa.UniqueConstraint('agreement_id', 'item_id', name='uq_sales_agreement_lines_agreement_item'),
    sa.UniqueConstraint('agreement_id', 'line_number', name='uq_sales_agreement_lines_agreement_line')
    )
    with op.batch_alter_table('sales_agreement_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_agreement_lines_agreement_id'), ['agreement_id'], unique=False)

    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('requested_ship_date', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_sales_orders_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_sales_orders_agreement_id_sales_agreements'), 'sales_agreements', ['agreement_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sales_orders_agreement_id_sales_agreements'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_sales_orders_agreement_id'))
        batch_op.drop_column('requested_ship_date')
        batch_op.drop_column('agreement_id')

    with op.batch_alter_table('sales_agreement_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_agreement_lines_agreement_id'))

    op.drop_table('sales_agreement_lines')
    with op.batch_alter_table('sales_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_agreements_salesperson_id'))
        batch_op.drop_index(batch_op.f('ix_sales_agreements_customer_id'))

    op.drop_table('sales_agreements')
