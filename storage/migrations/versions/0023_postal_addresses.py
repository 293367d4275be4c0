"""Postal addresses of customers and parties, printed on a mailing campaign's letters

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('customers', 'parties'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('postal_address', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    for table in ('customers', 'parties'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('postal_address')
