"""customer accounts linked to Telegram (issue 4)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_customer_id_customers'), 'customers',
                                    ['customer_id'], ['id'])
    op.create_table('customer_link_uses',
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_customer_link_uses_customer_id_customers')),
    sa.PrimaryKeyConstraint('nonce', name=op.f('pk_customer_link_uses'))
    )


def downgrade() -> None:
    op.drop_table('customer_link_uses')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_customer_id_customers'), type_='foreignkey')
        batch_op.drop_column('customer_id')
