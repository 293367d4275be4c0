"""Master data and the sales documents: users, customers, items, number sequences, quotations,
sales orders, packing slips, customer invoices, posting profiles and free text invoices."""
from __future__ import annotations

from sqlalchemy import (BigInteger, Column, Date, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint)

from domain.free_text_invoice import FreeTextInvoiceStatus
from domain.quotation import QuotationStatus
from domain.sales_order import SalesOrderStatus, SalesOrderType
from domain.user import Role
from storage.tables.base import _enum, metadata
from storage.types import Money, Percent, Price, Quantity, UTCDateTime

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("telegram_id", BigInteger, nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", _enum(Role, "role"), nullable=False),
    Column("email", String(320), nullable=False, default=""),
    Column("language", String(8)),
    Column("customer_id", ForeignKey("customers.id")),  # issue 4: set for role customer only
)

customers = Table(
    "customers", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_number", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("language", String(8), nullable=False),
    Column("customer_group", String(40), nullable=False, server_default=""),
    # issue 4 §2: the account's salesperson, if any (no foreign key: users already refer to customers)
    Column("salesperson_id", Integer),
    Column("postal_address", Text, nullable=False, server_default=""),
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
    # §2 pricing: the line discount and which trade agreements priced the line
    Column("discount_percent", Percent, nullable=False, server_default="0"),
    Column("discount_amount", Price, nullable=False, server_default="0"),
    Column("price_note", Text, nullable=False, server_default=""),
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
    # §3: an order taken from a sales agreement, and its requested ship date
    Column("agreement_id", ForeignKey("sales_agreements.id"), index=True),
    Column("requested_ship_date", Date),
    # §4 order types (0007)
    Column("project_reference", String(100)),
    Column("period_months", Integer),
    Column("period_number", Integer),
    Column("period_start", Date),
    Column("rma_number", String(40)),
    Column("return_reason", String(200)),
    Column("returned_invoice_id", Integer, index=True),
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
    # §2 pricing: the line discount and which trade agreements priced the line
    Column("discount_percent", Percent, nullable=False, server_default="0"),
    Column("discount_amount", Price, nullable=False, server_default="0"),
    Column("price_note", Text, nullable=False, server_default=""),
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
    Column("credit_note_of", String(40)),  # §4 order types (0007): the invoice a credit note credits
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
    # §2 pricing: the line discount and which trade agreements priced the line
    Column("discount_percent", Percent, nullable=False, server_default="0"),
    Column("discount_amount", Price, nullable=False, server_default="0"),
    Column("price_note", Text, nullable=False, server_default=""),
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

# A month's invoicing run reads the packing slips posted in that month.
Index("ix_packing_slips_posted_on", packing_slips.c.posted_on)

# A customer's remaining orders without reading every order.
Index("ix_sales_orders_customer_id", sales_orders.c.customer_id)
