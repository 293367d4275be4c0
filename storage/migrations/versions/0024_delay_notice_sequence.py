"""Delay notices numbered per order line: unique (line, sequence) instead of (line, expected date)

A line moved back by the salesperson and then slipping to a date it was told before needs a new
notice; the old key refused it and the run rolled the date move back with it, every day. The
sequence keeps two processes from making the same notice: both would take the same number.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-24
"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


@contextmanager
def _messages_kept():
    """SQLite rebuilds delay_notices in batch mode, and dropping the old table with foreign keys on
    deletes every Telegram message of every notice by ON DELETE CASCADE: keep them aside then."""
    bind = op.get_bind()
    # storage/migrations/env.py migrates SQLite with foreign keys off; a migration run on a
    # connection of the app's own (tests) has them on.
    sqlite = bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    if sqlite:
        op.execute("CREATE TEMP TABLE kept_notice_messages AS SELECT * FROM delay_notice_messages")
    yield
    if sqlite:
        op.execute("INSERT INTO delay_notice_messages SELECT * FROM kept_notice_messages")
        op.execute("DROP TABLE kept_notice_messages")


def upgrade() -> None:
    with op.batch_alter_table('delay_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=True))
    # The existing notices in the order they were made (ids grow), on SQLite and PostgreSQL alike.
    op.execute("UPDATE delay_notices SET sequence = (SELECT count(*) FROM delay_notices AS earlier "
               "WHERE earlier.sales_order_line_id = delay_notices.sales_order_line_id "
               "AND earlier.id <= delay_notices.id)")
    with _messages_kept(), op.batch_alter_table('delay_notices', schema=None) as batch_op:
        batch_op.alter_column('sequence', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_delay_notices_line_date', type_='unique')
        batch_op.create_unique_constraint('uq_delay_notices_line_sequence', ['sales_order_line_id', 'sequence'])


def downgrade() -> None:
    repeated = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM (SELECT sales_order_line_id FROM delay_notices "
        "GROUP BY sales_order_line_id, expected_date HAVING count(*) > 1) AS repeats")).scalar()
    if repeated:
        raise RuntimeError(f"{repeated} order lines were told one date twice; below 0024 a line may "
                           "have one notice per date only, so these cannot be downgraded")
    with _messages_kept(), op.batch_alter_table('delay_notices', schema=None) as batch_op:
        batch_op.drop_constraint('uq_delay_notices_line_sequence', type_='unique')
        batch_op.create_unique_constraint('uq_delay_notices_line_date', ['sales_order_line_id', 'expected_date'])
        batch_op.drop_column('sequence')
