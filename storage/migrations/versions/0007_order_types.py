"""sales order types, returns, subscriptions (issue 3 section 4)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


_ORDER_COLUMNS = ('project_reference', 'period_months', 'period_number', 'period_start',
                  'rma_number', 'return_reason', 'returned_invoice_id')


def upgrade() -> None:
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('project_reference', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('period_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('period_number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('period_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('rma_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('return_reason', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('returned_invoice_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_sales_orders_returned_invoice_id', ['returned_invoice_id'], unique=False)
    with op.batch_alter_table('customer_invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credit_note_of', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('customer_invoices', schema=None) as batch_op:
        batch_op.drop_column('credit_note_of')
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_orders_returned_invoice_id')
        for name in reversed(_ORDER_COLUMNS):
            batch_op.drop_column(name)
