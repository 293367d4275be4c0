"""free text invoices and posting profiles

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    posting_profiles = op.create_table('posting_profiles',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('summary_account', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_posting_profiles'))
    )
    # The default profile: customer balances of free text invoices go to summary account 1300.
    op.bulk_insert(posting_profiles, [{'code': 'GEN', 'summary_account': '1300'}])

    op.create_table('free_text_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('salesperson_id', sa.Integer(), nullable=False),
    sa.Column('posting_profile', sa.String(length=20), nullable=False),
    sa.Column('status', sa.Enum('draft', 'posted', name='free_text_invoice_status', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('invoiced_on', sa.Date(), nullable=True),
    sa.Column('summary_account', sa.String(length=20), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_free_text_invoices_customer_id_customers')),
    sa.ForeignKeyConstraint(['posting_profile'], ['posting_profiles.code'], name=op.f('fk_free_text_invoices_posting_profile_posting_profiles')),
    sa.ForeignKeyConstraint(['salesperson_id'], ['users.id'], name=op.f('fk_free_text_invoices_salesperson_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_free_text_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_free_text_invoices_number'))
    )
    op.create_table('free_text_invoice_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('line_number', sa.Integer(), nullable=False),
    sa.Column('main_account', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tax_percent', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['free_text_invoices.id'], name=op.f('fk_free_text_invoice_lines_invoice_id_free_text_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_free_text_invoice_lines')),
    sa.UniqueConstraint('invoice_id', 'line_number', name='uq_free_text_invoice_lines_invoice_line')
    )
    with op.batch_alter_table('free_text_invoice_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_free_text_invoice_lines_invoice_id'), ['invoice_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('free_text_invoice_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_free_text_invoice_lines_invoice_id'))

    op.drop_table('free_text_invoice_lines')
    op.drop_table('free_text_invoices')
    op.drop_table('posting_profiles')
