"""PLACEHOLDER for revision 0013 (written by another engineer); empty so this branch can chain 0016.

Revision ID: 0013
Revises: 0012
"""
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
