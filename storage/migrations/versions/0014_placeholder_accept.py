"""TEMPORARY placeholder for revision 0014 (written by another part); replaced at merge.

Revision ID: 0014
Revises: 0013
"""
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
