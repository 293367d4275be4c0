"""PLACEHOLDER for revision 0012 (written by another engineer); empty so this branch can chain 0016.

Revision ID: 0012
Revises: 0011
"""
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
