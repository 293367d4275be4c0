"""The schema. Migrations in storage/migrations must match it (a test compares them)."""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Date, Enum, ForeignKey, Index, Integer, LargeBinary,
                        MetaData, String, Table, Text, UniqueConstraint, text)

from domain.call_list import CallOutcome, CallState
from domain.campaign import CampaignStatus, CampaignType, RecipientState
from domain.consent import Channel, ConsentSource
from domain.free_text_invoice import FreeTextInvoiceStatus
from domain.mail_intake import MailState
from domain.pricing import AccountCode, ItemCode, Relation
from domain.product_list import Outcome, RuleKind
from domain.quotation import QuotationStatus
from domain.quotation_answer import AnswerKind, Channel as AnswerChannel, DeliveryStatus
from domain.quotation_request import RequestSource, RequestStatus
from domain.relationship import OpportunityStatus, Source, Stage
from domain.sales_agreement import AgreementStatus, CommitmentType
from domain.sales_order import SalesOrderStatus, SalesOrderType
from domain.user import Role
from storage.types import Money, Percent, Price, Quantity, UTCDateTime

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
    # The sender holding the row until lease_until (several processes on PostgreSQL).
    Column("claimed_by", String(80)),
    Column("lease_until", UTCDateTime),
    Index("ix_outbox_mails_status_next_attempt_at", "status", "next_attempt_at"),
)


# Parties on their way to becoming customers: prospect -> lead -> opportunity -> customer.
parties = Table(
    "parties", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("company", String(200), nullable=False),
    Column("email", String(320), nullable=False, index=True),
    Column("phone", String(20), nullable=False, index=True),
    Column("source", _enum(Source, "party_source"), nullable=False),
    Column("note", Text, nullable=False),
    Column("stage", _enum(Stage, "party_stage"), nullable=False),
    Column("owner_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("customer_id", ForeignKey("customers.id"), unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Column("postal_address", Text, nullable=False, server_default=""),
)

party_stage_changes = Table(
    "party_stage_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("party_id", ForeignKey("parties.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("from_stage", _enum(Stage, "party_stage")),
    Column("to_stage", _enum(Stage, "party_stage"), nullable=False),
    Column("changed_by", ForeignKey("users.id"), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
)

opportunities = Table(
    "opportunities", metadata,
    Column("id", Integer, primary_key=True),
    Column("party_id", ForeignKey("parties.id", ondelete="CASCADE"), nullable=False, index=True),
    # All three NULL: the estimate is pending (an opportunity opened by a campaign response).
    Column("estimated_value", Money),
    Column("probability", Percent),
    Column("expected_close", Date),
    Column("status", _enum(OpportunityStatus, "opportunity_status"), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
)

# Trade agreements: prices and line discounts (domain/pricing.py).
trade_agreements = Table(
    "trade_agreements", metadata,
    Column("id", Integer, primary_key=True),
    Column("relation", _enum(Relation, "trade_relation"), nullable=False),
    Column("item_code", _enum(ItemCode, "trade_item_code"), nullable=False),
    Column("item_value", String(40), nullable=False),
    Column("account_code", _enum(AccountCode, "trade_account_code"), nullable=False),
    Column("account_value", String(40), nullable=False),
    Column("from_quantity", Quantity, nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("price", Price, nullable=False),
    Column("discount_percent", Percent, nullable=False),
    Column("discount_amount", Price, nullable=False),
    Index("ix_trade_agreements_item", "item_code", "item_value"),
)

sales_agreements = Table(
    "sales_agreements", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False, index=True),
    Column("salesperson_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("commitment_type", _enum(CommitmentType, "commitment_type"), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("status", _enum(AgreementStatus, "agreement_status"), nullable=False),
    Column("committed_total", Money),
    Column("effective_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("last_order_at", UTCDateTime),
    Column("version", Integer, nullable=False),
)

sales_agreement_lines = Table(
    "sales_agreement_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("agreement_id", ForeignKey("sales_agreements.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line_number", Integer, nullable=False),
    Column("item_id", ForeignKey("items.id"), nullable=False),
    Column("item_number", String(40), nullable=False),
    Column("description", String(200), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("agreed_price", Price),
    Column("discount_percent", Percent),
    Column("committed_quantity", Quantity),
    Column("committed_value", Money),
    UniqueConstraint("agreement_id", "line_number", name="uq_sales_agreement_lines_agreement_line"),
    UniqueConstraint("agreement_id", "item_id", name="uq_sales_agreement_lines_agreement_item"),
)


product_list_rules = Table(
    "product_list_rules", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", _enum(RuleKind, "rule_kind"), nullable=False),
    Column("item_id", ForeignKey("items.id"), nullable=False, index=True),
    Column("suggested_item_id", ForeignKey("items.id"), nullable=False),
    Column("customer_group", String(40), nullable=False, server_default=""),
    Column("min_quantity", Quantity, nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("note", String(200), nullable=False, server_default=""),
    UniqueConstraint("kind", "item_id", "suggested_item_id", "customer_group",
                     name="uq_product_list_rules_key"),
)

suggestion_offers = Table(
    "suggestion_offers", metadata,
    Column("id", Integer, primary_key=True),
    Column("rule_id", ForeignKey("product_list_rules.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("quotation_id", ForeignKey("quotations.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("salesperson_id", ForeignKey("users.id"), nullable=False),
    Column("shown_at", UTCDateTime, nullable=False),
    Column("outcome", _enum(Outcome, "suggestion_outcome"), nullable=False),
    Column("resolved_at", UTCDateTime),
    Column("version", Integer, nullable=False),
)

# A month's invoicing run reads the packing slips posted in that month.
Index("ix_packing_slips_posted_on", packing_slips.c.posted_on)

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

# Every link token that was used: its nonce is the key, so a token links at most once, even in a race.
customer_link_uses = Table(
    "customer_link_uses", metadata,
    Column("nonce", String(32), primary_key=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("telegram_id", BigInteger, nullable=False),
    Column("used_at", UTCDateTime, nullable=False),
)

quotation_requests = Table(
    "quotation_requests", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("source", _enum(RequestSource, "request_source"), nullable=False),
    Column("status", _enum(RequestStatus, "request_status"), nullable=False),
    Column("salesperson_id", ForeignKey("users.id")),   # None: the shared queue
    Column("requested_by", Integer),                    # a customer's user id; no key: /unlink deletes it
    Column("note", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("quotation_id", ForeignKey("quotations.id")),
    Column("original_mail", LargeBinary),               # issue 4 §3: the mail a request came from
    Column("version", Integer, nullable=False),
    Index("ix_quotation_requests_status_salesperson_id", "status", "salesperson_id"),
)

quotation_request_lines = Table(
    "quotation_request_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", ForeignKey("quotation_requests.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("line_number", Integer, nullable=False),
    Column("text", String(200), nullable=False),
    Column("quantity", Quantity, nullable=False),
    Column("item_id", ForeignKey("items.id")),          # None: not matched, flagged for the salesperson
    UniqueConstraint("request_id", "line_number", name="uq_quotation_request_lines_request_line"),
)

# A customer's answers to sent quotations (accepted / declined with a reason / changes asked).
quotation_answers = Table(
    "quotation_answers", metadata,
    Column("id", Integer, primary_key=True),
    Column("quotation_id", ForeignKey("quotations.id"), nullable=False, index=True),
    Column("kind", _enum(AnswerKind, "answer_kind"), nullable=False),
    Column("text", Text, nullable=False),
    Column("channel", _enum(AnswerChannel, "answer_channel"), nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
    Column("user_id", ForeignKey("users.id")),
)

# A sent quotation owed to a customer's Telegram chat: queued in the send's transaction.
telegram_deliveries = Table(
    "telegram_deliveries", metadata,
    Column("id", Integer, primary_key=True),
    Column("quotation_id", ForeignKey("quotations.id"), nullable=False),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("chat_id", BigInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("status", _enum(DeliveryStatus, "delivery_status"), nullable=False),
    Column("step", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text),
    Column("claimed_by", String(80)),
    Column("lease_until", UTCDateTime),
    Index("ix_telegram_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
)

# Mails read from the request mailbox (issue 4 §3): each recorded once, by (folder, UIDVALIDITY,
# UID) and by Message-ID, in the same transaction as the request it made. The raw mail is kept.
inbound_mails = Table(
    "inbound_mails", metadata,
    Column("id", Integer, primary_key=True),
    Column("folder", String(200), nullable=False),
    Column("uidvalidity", BigInteger, nullable=False),
    Column("uid", BigInteger, nullable=False),
    Column("message_id", String(500), nullable=False, unique=True),
    Column("sender", String(320), nullable=False),
    Column("sender_name", String(200), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("language", String(8), nullable=False),
    Column("state", _enum(MailState, "inbound_mail_state"), nullable=False),
    Column("lines_json", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("customer_id", ForeignKey("customers.id")),
    Column("party_id", ForeignKey("parties.id")),
    Column("request_id", Integer),
    Column("error", Text),
    UniqueConstraint("folder", "uidvalidity", "uid", name="uq_inbound_mails_folder_uidvalidity_uid"),
)

campaigns = Table(
    "campaigns", metadata,
    Column("id", Integer, primary_key=True),
    Column("type", _enum(CampaignType, "campaign_type"), nullable=False),
    Column("name", String(120), nullable=False),
    Column("language", String(8), nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("stage", _enum(Stage, "campaign_stage")),  # the selection; NULL/empty: any
    Column("customer_group", String(40), nullable=False),
    Column("target_language", String(8), nullable=False),
    Column("tags", String(400), nullable=False, server_default=""),  # the selection's, space-separated
    Column("status", _enum(CampaignStatus, "campaign_status"), nullable=False),
    # The schedule lives here: APScheduler only polls for due rows, so a restart drops nothing.
    Column("scheduled_at", UTCDateTime),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    Column("version", Integer, nullable=False),
    Index("ix_campaigns_status_scheduled_at", "status", "scheduled_at"),
)

campaign_contents = Table(
    "campaign_contents", metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", ForeignKey("campaigns.id"), nullable=False),
    Column("language", String(8), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text, nullable=False),
    UniqueConstraint("campaign_id", "language"),
)

# One row per recipient, made when the campaign starts: what is sent lives here (queued -> sending ->
# sent ...), so a crash or a restart loses nothing and a unique key keeps one mail per address.
campaign_recipients = Table(
    "campaign_recipients", metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", ForeignKey("campaigns.id"), nullable=False),
    Column("contact_kind", String(16), nullable=False),
    Column("contact_id", Integer, nullable=False),
    Column("email", String(320), nullable=False),
    Column("language", String(8), nullable=False),
    Column("name", String(200), nullable=False),
    Column("company", String(200), nullable=False),
    Column("salesperson", String(200), nullable=False),
    Column("state", _enum(RecipientState, "recipient_state"), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_by", String(80)),
    Column("claimed_at", UTCDateTime),
    Column("message_id", String(200), nullable=False),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text),
    # e-mail rows: chat_id 0; Telegram rows (issue 5 §4): the linked account's chat, `email` informative
    Column("channel", _enum(Channel, "consent_channel"), nullable=False, server_default="email"),
    Column("chat_id", BigInteger, nullable=False, server_default="0"),
    UniqueConstraint("campaign_id", "channel", "chat_id", "email", name="uq_campaign_recipients_address"),
    # the claim walks queued rows in id order and stops at its batch (a (state, next_attempt_at)
    # index made it read and sort every queued row of the campaign for each batch)
    Index("ix_campaign_recipients_state_channel_id", "state", "channel", "id"),
)

# A contact's answer to a campaign (issue 5 §5): one per contact per campaign. `notify_user_id` and
# `notified_at` make it its own outbox: the salesperson's notice is owed until `notified_at` is set.
campaign_responses = Table(
    "campaign_responses", metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", ForeignKey("campaigns.id"), nullable=False),
    Column("recipient_id", ForeignKey("campaign_recipients.id"), nullable=False),
    Column("contact_kind", String(16), nullable=False),
    Column("contact_id", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("channel", _enum(Channel, "consent_channel"), nullable=False),
    Column("effect", String(16), nullable=False),
    Column("responded_at", UTCDateTime, nullable=False),
    Column("party_id", ForeignKey("parties.id")),
    Column("customer_id", ForeignKey("customers.id")),
    Column("notify_user_id", ForeignKey("users.id")),
    Column("notified_at", UTCDateTime),
    UniqueConstraint("campaign_id", "contact_kind", "contact_id", name="uq_campaign_responses_contact"),
    Index("ix_campaign_responses_notified_at", "notified_at"),
)

# A contact's consent per channel; `address` is the e-mail address (lower case) or the Telegram id.
consents = Table(
    "consents", metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", _enum(Channel, "consent_channel"), nullable=False),
    Column("address", String(320), nullable=False),
    Column("opted_out", Boolean, nullable=False),
    Column("source", _enum(ConsentSource, "consent_source"), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("contact_kind", String(16), nullable=False),
    Column("contact_id", Integer),
    UniqueConstraint("channel", "address"),
)

# Who fires the schedules: one row per lock, taken over when its holder stops renewing it.
leader_locks = Table(
    "leader_locks", metadata,
    Column("name", String(40), primary_key=True),
    Column("holder", String(80), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

# Telegram updates taken in through the webhook, so that one Telegram re-sends to another bot
# process is recognised there too (scale-out); forgotten after two days (Telegram keeps one 24 h).
telegram_updates = Table(
    "telegram_updates", metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("received_at", UTCDateTime, nullable=False, index=True),
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
    UniqueConstraint("sales_order_line_id", "expected_date", name="uq_delay_notices_line_date"),
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

# Tags on contacts (a customer or a party), for campaign selections.
contact_tags = Table(
    "contact_tags", metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_kind", String(16), nullable=False),
    Column("contact_id", Integer, nullable=False),
    Column("tag", String(32), nullable=False),
    UniqueConstraint("contact_kind", "contact_id", "tag", name="uq_contact_tags_contact_tag"),
    Index("ix_contact_tags_tag", "tag"),
)

# A telemarketing campaign's call list: one row per target, assigned to a salesperson; every logged
# outcome is an event (who and when).
campaign_calls = Table(
    "campaign_calls", metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", ForeignKey("campaigns.id"), nullable=False),
    Column("contact_kind", String(16), nullable=False),
    Column("contact_id", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("company", String(200), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("language", String(8), nullable=False),
    Column("assigned_to", ForeignKey("users.id")),
    Column("state", _enum(CallState, "call_state"), nullable=False),
    Column("outcome", _enum(CallOutcome, "call_outcome")),
    Column("call_back_on", Date),
    Column("attempts", Integer, nullable=False),
    Column("last_logged_at", UTCDateTime),
    Column("version", Integer, nullable=False),
    UniqueConstraint("campaign_id", "contact_kind", "contact_id", name="uq_campaign_calls_contact"),
    Index("ix_campaign_calls_assigned_to_state", "assigned_to", "state"),
)

campaign_call_events = Table(
    "campaign_call_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("call_id", ForeignKey("campaign_calls.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("outcome", _enum(CallOutcome, "call_outcome"), nullable=False),
    Column("call_back_on", Date),
    Column("by_user", ForeignKey("users.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)
