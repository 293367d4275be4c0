"""Campaigns (issue 5): the campaign and its contents, its recipients, responses, consents and
the telemarketing call list."""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint)

from domain.call_list import CallOutcome, CallState
from domain.campaign import CampaignStatus, CampaignType, RecipientState
from domain.consent import Channel, ConsentSource
from domain.relationship import Stage
from storage.tables.base import _enum, metadata
from storage.types import UTCDateTime

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
