"""TEMPORARY placeholder for revision 0013 (written by another part); replaced at merge.

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
