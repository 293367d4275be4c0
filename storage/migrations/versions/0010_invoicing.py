"""invoicing by period, posting profile choice (issue 3 section 6)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A month's invoicing run reads the packing slips posted in that month (issue 3, section 6).
    with op.batch_alter_table('packing_slips', schema=None) as batch_op:
        batch_op.create_index('ix_packing_slips_posted_on', ['posted_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('packing_slips', schema=None) as batch_op:
        batch_op.drop_index('ix_packing_slips_posted_on')
