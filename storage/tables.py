"""The schema. Migrations in storage/migrations must match it (a test compares them)."""
from __future__ import annotations

from sqlalchemy import (BigInteger, Column, Date, Enum, ForeignKey, Index, Integer,
                        MetaData, String, Table, Text, UniqueConstraint)

from domain.free_text_invoice import FreeTextInvoiceStatus
from domain.quotation import QuotationStatus
from domain.sales_order import SalesOrderStatus, SalesOrderType
from domain.user import Role
from storage.types import Money, Percent, Price, Quantity, UTCDateTime

# ~~ §1 relationships ~~
# ~~ end §1 ~~

# ~~ §2 pricing ~~
# ~~ end §2 ~~

# ~~ §3 sales agreements ~~
# ~~ end §3 ~~

# ~~ §4 order types ~~
# ~~ end §4 ~~

# ~~ §5 up-sell/cross-sell ~~
# ~~ end §5 ~~

# ~~ §6 invoicing ~~
# ~~ end §6 ~~

# ~~ §7 backorders ~~
from sqlalchemy import text
# ~~ end §7 ~~

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s"})


def _enum(enum_cls, name: str) -> Enum:
    # Stored as the value string, checked in Python: adding a status later needs no ALTER TYPE.
    return Enum(enum_cls, name=name, native_enum=False, create_constraint=False, length=32,
                values_callable=lambda e: [m.value for m in e])


users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("telegram_id", BigInteger, nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", _enum(Role, "role"), nullable=False),
    Column("email", String(320), nullable=False, default=""),
    Column("language", String(8)),
)

customers = Table(
    "customers", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_number", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("language", String(8), nullable=False),
    Column("customer_group", String(40), nullable=False, server_default=""),
)

items = Table(
    "items", metadata,
    Column("id", Integer, primary_key=True),
    Column("item_number", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("sales_price", Price, nullable=False),
    Column("sales_tax_percent", Percent, nullable=False),
    Column("on_hand", Quantity, nullable=False),
    Column("item_group", String(40), nullable=False, server_default=""),
    Column("version", Integer, nullable=False),
)

number_sequences = Table(
    "number_sequences", metadata,
    Column("name", String(40), primary_key=True),
    Column("last_value", Integer, nullable=False),
)

quotations = Table(
    "quotations", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("salesperson_id", ForeignKey("users.id"), nullable=False),
    Column("status", _enum(QuotationStatus, "quotation_status"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("expiry_warned_on", Date),
    Column("sales_order_id", Integer),
    Column("version", Integer, nullable=False),
    Index("ix_quotations_status_valid_until", "status", "valid_until"),
)

quotation_lines = Table(
    "quotation_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("quotation_id", ForeignKey("quotations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line_number", Integer, nullable=False),
    Column("item_id", ForeignKey("items.id"), nullable=False),
    Column("item_number", String(40), nullable=False),
    Column("description", String(200), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("quantity", Quantity, nullable=False),
    Column("unit_price", Price, nullable=False),
    Column("tax_percent", Percent, nullable=False),
    UniqueConstraint("quotation_id", "line_number", name="uq_quotation_lines_quotation_line"),
)

sales_orders = Table(
    "sales_orders", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("order_type", _enum(SalesOrderType, "sales_order_type"), nullable=False),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("salesperson_id", ForeignKey("users.id"), nullable=False),
    Column("status", _enum(SalesOrderStatus, "sales_order_status"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    # unique: one quotation gives at most one order, whatever races happen above this line
    Column("quotation_id", ForeignKey("quotations.id"), unique=True),
    Column("canceled_at", UTCDateTime),
    Column("version", Integer, nullable=False),
)

sales_order_lines = Table(
    "sales_order_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("sales_order_id", ForeignKey("sales_orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line_number", Integer, nullable=False),
    Column("item_id", ForeignKey("items.id"), nullable=False),
    Column("item_number", String(40), nullable=False),
    Column("description", String(200), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("quantity", Quantity, nullable=False),
    Column("unit_price", Price, nullable=False),
    Column("tax_percent", Percent, nullable=False),
    Column("delivered", Quantity, nullable=False),
    Column("invoiced", Quantity, nullable=False),
    UniqueConstraint("sales_order_id", "line_number", name="uq_sales_order_lines_order_line"),
    # §7 backorders (columns at the end; the partial index of the open lines is below the markers)
    Column("confirmed_delivery_date", Date),
    Column("allocated", Quantity, nullable=False, server_default="0"),
    Column("priority", Integer, nullable=False, server_default="0"),
)

packing_slips = Table(
    "packing_slips", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("sales_order_id", ForeignKey("sales_orders.id"), nullable=False, index=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("posted_on", Date, nullable=False),
    Column("invoice_number", String(40)),
)

packing_slip_lines = Table(
    "packing_slip_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("packing_slip_id", ForeignKey("packing_slips.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line_number", Integer, nullable=False),
    Column("item_number", String(40), nullable=False),
    Column("description", String(200), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("quantity", Quantity, nullable=False),
)

customer_invoices = Table(
    "customer_invoices", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("salesperson_id", ForeignKey("users.id"), nullable=False),
    Column("invoiced_on", Date, nullable=False),
    Column("sales_order_id", ForeignKey("sales_orders.id"), index=True),
)

customer_invoice_lines = Table(
    "customer_invoice_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("invoice_id", ForeignKey("customer_invoices.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("sales_order_id", ForeignKey("sales_orders.id"), nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("item_number", String(40), nullable=False),
    Column("description", String(200), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("quantity", Quantity, nullable=False),
    Column("unit_price", Price, nullable=False),
    Column("tax_percent", Percent, nullable=False),
)

# Posting profiles decide the summary account the customer balance goes to (accounts as data).
posting_profiles = Table(
    "posting_profiles", metadata,
    Column("code", String(20), primary_key=True),
    Column("summary_account", String(20), nullable=False),
)

free_text_invoices = Table(
    "free_text_invoices", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), unique=True),  # drawn when posted; drafts have none
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("salesperson_id", ForeignKey("users.id"), nullable=False),
    Column("posting_profile", ForeignKey("posting_profiles.code"), nullable=False),
    Column("status", _enum(FreeTextInvoiceStatus, "free_text_invoice_status"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("invoiced_on", Date),
    Column("summary_account", String(20)),
    Column("version", Integer, nullable=False),
)

free_text_invoice_lines = Table(
    "free_text_invoice_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("invoice_id", ForeignKey("free_text_invoices.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line_number", Integer, nullable=False),
    Column("main_account", String(20), nullable=False),
    Column("description", String(200), nullable=False),
    Column("amount", Money, nullable=False),
    Column("tax_percent", Percent, nullable=False),
    UniqueConstraint("invoice_id", "line_number", name="uq_free_text_invoice_lines_invoice_line"),
)

# Mail to send, written in the same transaction as the change it reports (transactional outbox).
outbox_mails = Table(
    "outbox_mails", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("ref_id", Integer, nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("language", String(8), nullable=False),
    Column("notify_user_id", ForeignKey("users.id")),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text),
    Index("ix_outbox_mails_status_next_attempt_at", "status", "next_attempt_at"),
)


# ~~ §1 relationships ~~
# ~~ end §1 ~~

# ~~ §2 pricing ~~
# ~~ end §2 ~~

# ~~ §3 sales agreements ~~
# ~~ end §3 ~~

# ~~ §4 order types ~~
# ~~ end §4 ~~

# ~~ §5 up-sell/cross-sell ~~
# ~~ end §5 ~~

# ~~ §6 invoicing ~~
# ~~ end §6 ~~

# ~~ §7 backorders ~~
# The open lines (deliver remainder > 0) by item: the backorder views and the allocation read
# this partial index instead of every line ever ordered. Queries repeat OPEN_LINE's condition
# word for word, so both SQLite and PostgreSQL see that the index covers them.
OPEN_LINE = "delivered < quantity"
Index("ix_sales_order_lines_open_item", sales_order_lines.c.item_id, sales_order_lines.c.sales_order_id,
      sales_order_lines.c.quantity, sales_order_lines.c.delivered,
      sqlite_where=text(OPEN_LINE), postgresql_where=text(OPEN_LINE))
# A customer's remaining orders without reading every order.
Index("ix_sales_orders_customer_id", sales_orders.c.customer_id)

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
# ~~ end §7 ~~
