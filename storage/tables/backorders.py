"""Backorders: the open-line index, vendors and purchase orders, and the delay notices."""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint, text)

from storage.tables.base import metadata
from storage.tables.sales import sales_order_lines
from storage.types import Quantity, UTCDateTime

# The open lines (deliver remainder > 0) by item: the backorder views and the allocation read
# this partial index instead of every line ever ordered. Queries repeat OPEN_LINE's condition
# word for word, so both SQLite and PostgreSQL see that the index covers them.
OPEN_LINE = "delivered < quantity"
Index("ix_sales_order_lines_open_item", sales_order_lines.c.item_id, sales_order_lines.c.sales_order_id,
      sales_order_lines.c.quantity, sales_order_lines.c.delivered,
      sqlite_where=text(OPEN_LINE), postgresql_where=text(OPEN_LINE))

vendors = Table(
    "vendors", metadata,
    Column("id", Integer, primary_key=True),
    Column("account", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
)

purchase_orders = Table(
    "purchase_orders", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False),
    Column("vendor_id", ForeignKey("vendors.id"), nullable=False, index=True),
    Column("item_id", ForeignKey("items.id"), nullable=False, index=True),
    Column("item_number", String(40), nullable=False),
    Column("quantity", Quantity, nullable=False),
    Column("expected_date", Date, nullable=False),
    Column("received", Quantity, nullable=False),
    UniqueConstraint("number", "item_id", name="uq_purchase_orders_number_item"),
)

# Backorder delay notices: one per (order line, expected date), so no run can tell a date twice;
# their Telegram messages (drained by a sender) and the morning digests sent (one per day).
delay_notices = Table(
    "delay_notices", metadata,
    Column("id", Integer, primary_key=True),
    Column("sales_order_line_id", ForeignKey("sales_order_lines.id", ondelete="CASCADE"), nullable=False),
    Column("sales_order_id", ForeignKey("sales_orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line_number", Integer, nullable=False),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("salesperson_id", ForeignKey("users.id"), nullable=False),
    Column("expected_date", Date, nullable=False),
    Column("previous_date", Date),
    Column("reason", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("email_queued", Boolean, nullable=False),
    Column("answer", String(16)),
    Column("answered_at", UTCDateTime),
    Column("answered_by", ForeignKey("users.id")),
    Column("answer_detail", String(200), nullable=False),
    # The line's n-th notice. Unique per line, so two processes cannot make the same notice; a date
    # told before may be told again, once the line was moved away from it.
    Column("sequence", Integer, nullable=False),
    UniqueConstraint("sales_order_line_id", "sequence", name="uq_delay_notices_line_sequence"),
)

delay_notice_messages = Table(
    "delay_notice_messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("notice_id", ForeignKey("delay_notices.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("telegram_id", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("error", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    UniqueConstraint("notice_id", "user_id", name="uq_delay_notice_messages_notice_user"),
    Index("ix_delay_notice_messages_status", "status"),
)

digests_sent = Table(
    "digests_sent", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("sent_at", UTCDateTime, nullable=False),
    UniqueConstraint("user_id", "day", name="uq_digests_sent_user_day"),
)
