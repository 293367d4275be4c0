"""PLACEHOLDER for revision 0015 (written by another engineer); empty so this branch can chain 0016.

Revision ID: 0015
Revises: 0014
"""
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
