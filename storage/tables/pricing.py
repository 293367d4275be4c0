"""Prices and commitments: trade agreements, sales agreements, up-sell/cross-sell rules and the
suggestions offered."""
from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from domain.pricing import AccountCode, ItemCode, Relation
from domain.product_list import Outcome, RuleKind
from domain.sales_agreement import AgreementStatus, CommitmentType
from storage.tables.base import _enum, metadata
from storage.types import Money, Percent, Price, Quantity, UTCDateTime

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
