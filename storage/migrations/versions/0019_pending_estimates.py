"""opportunities whose estimate is pending: estimated value, probability and expected close date
may be NULL, all three together (issue 5 §5: a lead that answered Interested to a campaign)

Downgrading refuses while such an opportunity exists (a NOT NULL column cannot hold it, and
inventing figures would distort the pipeline): give those estimates first.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

COLUMNS = (('estimated_value', sa.BigInteger()), ('probability', sa.BigInteger()),
           ('expected_close', sa.Date()))


def upgrade() -> None:
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=True)


def downgrade() -> None:
    pending = op.get_bind().execute(
        sa.text("SELECT count(*) FROM opportunities WHERE estimated_value IS NULL")).scalar()
    if pending:
        raise RuntimeError(f"{pending} opportunities have no estimate yet; give them one before "
                           "downgrading below 0019")
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
