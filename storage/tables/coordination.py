"""What processes share to do work once: the transactional outbox, leader locks and the
Telegram updates already taken in."""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from storage.tables.base import metadata
from storage.types import UTCDateTime

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
