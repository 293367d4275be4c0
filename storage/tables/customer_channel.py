"""The customers' own channel (issue 4): link tokens used, quotation requests, answers to
quotations, Telegram deliveries of quotations and the mails read from the request mailbox."""
from __future__ import annotations

from sqlalchemy import (BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text,
                        UniqueConstraint)

from domain.mail_intake import MailState
from domain.quotation_answer import AnswerKind, Channel as AnswerChannel, DeliveryStatus
from domain.quotation_request import RequestSource, RequestStatus
from storage.tables.base import _enum, metadata
from storage.types import Quantity, UTCDateTime

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
