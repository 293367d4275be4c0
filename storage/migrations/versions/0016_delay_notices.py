"""backorder delay notices, their Telegram messages, and the morning digests sent (issue 5 §6)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('delay_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sales_order_line_id', sa.Integer(), nullable=False),
    sa.Column('sales_order_id', sa.Integer(), nullable=False),
    sa.Column('line_number', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('salesperson_id', sa.Integer(), nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=False),
    sa.Column('previous_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('email_queued', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.String(length=16), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('answer_detail', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['answered_by'], ['users.id'], name=op.f('fk_delay_notices_answered_by_users')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_delay_notices_customer_id_customers')),
    sa.ForeignKeyConstraint(['sales_order_id'], ['sales_orders.id'],
                            name=op.f('fk_delay_notices_sales_order_id_sales_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sales_order_line_id'], ['sales_order_lines.id'],
                            name=op.f('fk_delay_notices_sales_order_line_id_sales_order_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['salesperson_id'], ['users.id'], name=op.f('fk_delay_notices_salesperson_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delay_notices')),
    sa.UniqueConstraint('sales_order_line_id', 'expected_date', name='uq_delay_notices_line_date')
    )
    op.create_index(op.f('ix_delay_notices_sales_order_id'), 'delay_notices', ['sales_order_id'], unique=False)
    op.create_table('delay_notice_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['delay_notices.id'],
                            name=op.f('fk_delay_notice_messages_notice_id_delay_notices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_delay_notice_messages_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delay_notice_messages')),
    sa.UniqueConstraint('notice_id', 'user_id', name='uq_delay_notice_messages_notice_user')
    )
    op.create_index('ix_delay_notice_messages_status', 'delay_notice_messages', ['status'], unique=False)
    op.create_table('digests_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digests_sent_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digests_sent')),
    sa.UniqueConstraint('user_id', 'day', name='uq_digests_sent_user_day')
    )


def downgrade() -> None:
    op.drop_table('digests_sent')
    op.drop_index('ix_delay_notice_messages_status', table_name='delay_notice_messages')
    op.drop_table('delay_notice_messages')
    op.drop_index(op.f('ix_delay_notices_sales_order_id'), table_name='delay_notices')
    op.drop_table('delay_notices')
