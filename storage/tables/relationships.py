"""Parties on their way to becoming customers, their stage changes, opportunities and tags."""
from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from domain.relationship import OpportunityStatus, Source, Stage
from storage.tables.base import _enum, metadata
from storage.types import Money, Percent, UTCDateTime

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
