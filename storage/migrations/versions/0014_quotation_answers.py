"""customers answer quotations; quotations delivered to their Telegram chat (issue 4 §4)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quotation_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quotation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('accepted', 'declined', 'changes', name='answer_kind', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('channel', sa.Enum('telegram', 'web', name='answer_channel', native_enum=False, length=32), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['quotation_id'], ['quotations.id'], name=op.f('fk_quotation_answers_quotation_id_quotations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quotation_answers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotation_answers'))
    )
    op.create_index(op.f('ix_quotation_answers_quotation_id'), 'quotation_answers', ['quotation_id'], unique=False)
    op.create_table('telegram_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quotation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sent', 'failed', name='delivery_status', native_enum=False, length=32), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['quotation_id'], ['quotations.id'], name=op.f('fk_telegram_deliveries_quotation_id_quotations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_telegram_deliveries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telegram_deliveries'))
    )
    op.create_index('ix_telegram_deliveries_status_next_attempt_at', 'telegram_deliveries', ['status', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_telegram_deliveries_status_next_attempt_at', table_name='telegram_deliveries')
    op.drop_table('telegram_deliveries')
    op.drop_index(op.f('ix_quotation_answers_quotation_id'), table_name='quotation_answers')
    op.drop_table('quotation_answers')
