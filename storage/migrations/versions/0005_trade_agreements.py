"""trade agreements (issue 3 section 2)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


_LINE_TABLES = ('quotation_lines', 'sales_order_lines', 'customer_invoice_lines')


def upgrade() -> None:
    op.create_table(
        'trade_agreements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('relation', sa.Enum('price', 'discount', name='trade_relation', native_enum=False,
                                      create_constraint=False, length=32), nullable=False),
        sa.Column('item_code', sa.Enum('item', 'group', 'all', name='trade_item_code', native_enum=False,
                                       create_constraint=False, length=32), nullable=False),
        sa.Column('item_value', sa.String(length=40), nullable=False),
        sa.Column('account_code', sa.Enum('customer', 'group', 'all', name='trade_account_code',
                                          native_enum=False, create_constraint=False, length=32),
                  nullable=False),
        sa.Column('account_value', sa.String(length=40), nullable=False),
        sa.Column('from_quantity', sa.BigInteger(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('price', sa.BigInteger(), nullable=False),
        sa.Column('discount_percent', sa.BigInteger(), nullable=False),
        sa.Column('discount_amount', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_trade_agreements')),
    )
    op.create_index('ix_trade_agreements_item', 'trade_agreements', ['item_code', 'item_value'],
                    unique=False)
    for table in _LINE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('discount_percent', sa.BigInteger(), server_default='0',
                                          nullable=False))
            batch_op.add_column(sa.Column('discount_amount', sa.BigInteger(), server_default='0',
                                          nullable=False))
            batch_op.add_column(sa.Column('price_note', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    for table in reversed(_LINE_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('price_note')
            batch_op.drop_column('discount_amount')
            batch_op.drop_column('discount_percent')
    op.drop_index('ix_trade_agreements_item', table_name='trade_agreements')
    op.drop_table('trade_agreements')
