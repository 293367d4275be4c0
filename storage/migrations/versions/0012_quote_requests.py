"""quotation requests; customers get an optional salesperson (issue 4 §2)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('salesperson_id', sa.Integer(), nullable=True))
    op.create_table('quotation_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('telegram', 'email', name='request_source', native_enum=False,
                                create_constraint=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('new', 'drafted', 'closed', name='request_status', native_enum=False,
                                create_constraint=False, length=32), nullable=False),
    sa.Column('salesperson_id', sa.Integer(), nullable=True),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('quotation_id', sa.Integer(), nullable=True),
    sa.Column('original_mail', sa.LargeBinary(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_quotation_requests_customer_id_customers')),
    sa.ForeignKeyConstraint(['quotation_id'], ['quotations.id'],
                            name=op.f('fk_quotation_requests_quotation_id_quotations')),
    sa.ForeignKeyConstraint(['salesperson_id'], ['users.id'],
                            name=op.f('fk_quotation_requests_salesperson_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotation_requests')),
    sa.UniqueConstraint('number', name=op.f('uq_quotation_requests_number'))
    )
    op.create_index('ix_quotation_requests_status_salesperson_id', 'quotation_requests',
                    ['status', 'salesperson_id'], unique=False)
    op.create_table('quotation_request_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('line_number', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'],
                            name=op.f('fk_quotation_request_lines_item_id_items')),
    sa.ForeignKeyConstraint(['request_id'], ['quotation_requests.id'],
                            name=op.f('fk_quotation_request_lines_request_id_quotation_requests'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotation_request_lines')),
    sa.UniqueConstraint('request_id', 'line_number', name='uq_quotation_request_lines_request_line')
    )
    op.create_index(op.f('ix_quotation_request_lines_request_id'), 'quotation_request_lines',
                    ['request_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_quotation_request_lines_request_id'), table_name='quotation_request_lines')
    op.drop_table('quotation_request_lines')
    op.drop_index('ix_quotation_requests_status_salesperson_id', table_name='quotation_requests')
    op.drop_table('quotation_requests')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('salesperson_id')
