"""Classical (imperative) mapping: the domain's dataclasses stay plain Python (cosmicpython)."""
from __future__ import annotations

from sqlalchemy.orm import registry, relationship

from domain.call_list import Call, CallEvent
from domain.campaign import Campaign, CampaignContent
from domain.consent import Consent
from domain.customer import Customer
from domain.customer_link import LinkUse
from domain.delay_notice import DelayNotice, DigestSent, NoticeMessage
from domain.free_text_invoice import FreeTextInvoice, FreeTextLine, PostingProfile
from domain.invoice import CustomerInvoice, InvoiceLine
from domain.item import Item
from domain.mail_intake import InboundMail
from domain.outbox import OutboxMail
from domain.packing_slip import PackingSlip, PackingSlipLine
from domain.pricing import TradeAgreement
from domain.product_list import ProductListRule, SuggestionOffer
from domain.purchase_order import PurchaseOrder, Vendor
from domain.quotation import Quotation, QuotationLine
from domain.quotation_answer import QuotationAnswer, TelegramDelivery
from domain.quotation_request import QuotationRequest, RequestLine
from domain.relationship import Opportunity, Party, StageChange
from domain.sales_agreement import AgreementLine, SalesAgreement
from domain.sales_order import SalesOrder, SalesOrderLine
from domain.user import User
from storage import tables as t

mapper_registry = registry(metadata=t.metadata)
_mapped = False


def _lines(cls, table):
    # Lines are part of their document: loaded with it (no lazy loads in async code), saved and
    # deleted with it, kept in line-number order.
    return relationship(cls, order_by=table.c.line_number, lazy="selectin",
                        cascade="all, delete-orphan")


def start_mappers() -> None:
    """Map once per process; safe to call again."""
    global _mapped
    if _mapped:
        return
    m = mapper_registry.map_imperatively
    m(User, t.users)
    m(Customer, t.customers)
    m(Item, t.items, version_id_col=t.items.c.version)
    m(QuotationLine, t.quotation_lines)
    m(Quotation, t.quotations, version_id_col=t.quotations.c.version,
      properties={"lines": _lines(QuotationLine, t.quotation_lines)})
    m(SalesOrderLine, t.sales_order_lines)
    m(SalesOrder, t.sales_orders, version_id_col=t.sales_orders.c.version,
      properties={"lines": _lines(SalesOrderLine, t.sales_order_lines)})
    m(PackingSlipLine, t.packing_slip_lines)
    m(PackingSlip, t.packing_slips,
      properties={"lines": _lines(PackingSlipLine, t.packing_slip_lines)})
    m(InvoiceLine, t.customer_invoice_lines)
    m(CustomerInvoice, t.customer_invoices,
      properties={"lines": relationship(InvoiceLine, lazy="selectin", cascade="all, delete-orphan",
                                        order_by=(t.customer_invoice_lines.c.sales_order_id,
                                                  t.customer_invoice_lines.c.line_number))})
    m(PostingProfile, t.posting_profiles)
    m(FreeTextLine, t.free_text_invoice_lines)
    m(FreeTextInvoice, t.free_text_invoices, version_id_col=t.free_text_invoices.c.version,
      properties={"lines": _lines(FreeTextLine, t.free_text_invoice_lines)})
    m(OutboxMail, t.outbox_mails)
    m(StageChange, t.party_stage_changes)
    m(Opportunity, t.opportunities)
    m(Party, t.parties, version_id_col=t.parties.c.version, properties={
        "history": relationship(StageChange, order_by=t.party_stage_changes.c.id, lazy="selectin",
                                cascade="all, delete-orphan"),
        "opportunities": relationship(Opportunity, order_by=t.opportunities.c.id, lazy="selectin",
                                      cascade="all, delete-orphan")})

    m(TradeAgreement, t.trade_agreements)

    m(AgreementLine, t.sales_agreement_lines)
    m(SalesAgreement, t.sales_agreements, version_id_col=t.sales_agreements.c.version,
      properties={"lines": _lines(AgreementLine, t.sales_agreement_lines)})

    m(ProductListRule, t.product_list_rules)
    m(SuggestionOffer, t.suggestion_offers, version_id_col=t.suggestion_offers.c.version)

    m(Vendor, t.vendors)
    m(PurchaseOrder, t.purchase_orders)

    m(LinkUse, t.customer_link_uses)

    m(RequestLine, t.quotation_request_lines)
    m(QuotationRequest, t.quotation_requests, version_id_col=t.quotation_requests.c.version,
      properties={"lines": _lines(RequestLine, t.quotation_request_lines)})

    m(QuotationAnswer, t.quotation_answers)
    m(TelegramDelivery, t.telegram_deliveries)

    m(InboundMail, t.inbound_mails)

    m(CampaignContent, t.campaign_contents)
    m(Campaign, t.campaigns, version_id_col=t.campaigns.c.version, properties={
        "contents": relationship(CampaignContent, order_by=t.campaign_contents.c.id, lazy="selectin",
                                 cascade="all, delete-orphan")})
    m(Consent, t.consents)
    m(CallEvent, t.campaign_call_events)
    m(Call, t.campaign_calls, version_id_col=t.campaign_calls.c.version, properties={
        "events": relationship(CallEvent, order_by=t.campaign_call_events.c.id, lazy="selectin",
                               cascade="all, delete-orphan")})

    m(DelayNotice, t.delay_notices)
    m(NoticeMessage, t.delay_notice_messages)
    m(DigestSent, t.digests_sent)

    _mapped = True
