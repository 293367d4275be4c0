"""Translatable names for the domain's statuses and types, shown in chat, mail and errors."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from bot.i18n import _
from domain.call_list import CallOutcome, CallState
from domain.campaign import CampaignStatus, CampaignType, RecipientState
from domain.errors import N_
from domain.free_text_invoice import FreeTextInvoiceStatus
from domain.quotation import QuotationStatus
from domain.sales_order import SalesOrderStatus, SalesOrderType
from domain.user import Role

class _Labels(dict):
    """Keyed by the enum's type as well as its value: a StrEnum member equals its string, so the
    relationship stage "customer" and the role "customer" would otherwise share one entry."""

    def __setitem__(self, key: StrEnum, text: str) -> None:
        super().__setitem__((type(key), str(key)), text)

    def update(self,  # type: ignore[override]
               entries: Mapping[StrEnum, str] | Iterable[tuple[StrEnum, str]]) -> None:
        """Pairs, or a dict of one enum's members: in a dict literal two enums' equal members
        (QuotationStatus.CANCELED, SalesOrderStatus.CANCELED) are one key, and one is lost."""
        for key, text in (entries.items() if isinstance(entries, Mapping) else entries):
            self[key] = text

    def get(self, key: StrEnum, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get((type(key), str(key)), default)


LABELS = _Labels()
LABELS.update([  # pairs: see _Labels.update
    (QuotationStatus.CREATED, N_("Created")),
    (QuotationStatus.SENT, N_("Sent")),
    (QuotationStatus.CONFIRMED, N_("Confirmed")),
    (QuotationStatus.LOST, N_("Lost")),
    (QuotationStatus.CANCELED, N_("Canceled")),
    (QuotationStatus.EXPIRED, N_("Expired")),
    (SalesOrderStatus.OPEN_ORDER, N_("Open order")),
    (SalesOrderStatus.DELIVERED, N_("Delivered")),
    (SalesOrderStatus.INVOICED, N_("Invoiced")),
    (SalesOrderStatus.CANCELED, N_("Canceled")),
    (SalesOrderType.JOURNAL, N_("Journal")),
    (SalesOrderType.SUBSCRIPTION, N_("Subscription")),
    (SalesOrderType.SALES_ORDER, N_("Sales order")),
    (SalesOrderType.RETURNED_ORDER, N_("Returned order")),
    (SalesOrderType.ITEM_REQUIREMENTS, N_("Item requirements")),
    (FreeTextInvoiceStatus.DRAFT, N_("Draft")),
    (FreeTextInvoiceStatus.POSTED, N_("Posted")),
    (Role.SALES, N_("sales")),
    (Role.MARKETING, N_("marketing")),
    (Role.MANAGER, N_("manager")),
    (Role.ADMIN, N_("admin")),
    (Role.CUSTOMER, N_("customer")),
    # Campaigns: lower case, as they read inside a sentence ("status: draft", "Campaign #1 is
    # cancelled; ..."). The three enums' 'cancelled' (and 'sending', 'done', 'skipped') are the same
    # word in every language, so they share a msgid.
    (CampaignStatus.DRAFT, N_("draft")),
    (CampaignStatus.SCHEDULED, N_("scheduled")),
    (CampaignStatus.SENDING, N_("sending")),
    (CampaignStatus.PAUSED, N_("paused")),
    (CampaignStatus.DONE, N_("done")),
    (CampaignStatus.CANCELLED, N_("cancelled")),
    (CampaignType.EMAIL, N_("e-mail")),
    (CampaignType.MAILING, N_("mailing")),
    (CampaignType.TELEMARKETING, N_("telemarketing")),
    (RecipientState.QUEUED, N_("queued")),
    (RecipientState.SENDING, N_("sending")),
    (RecipientState.SENT, N_("sent")),
    (RecipientState.FAILED, N_("failed")),
    (RecipientState.BOUNCED, N_("bounced")),
    (RecipientState.SKIPPED, N_("skipped")),
    (RecipientState.UNKNOWN, N_("unknown")),
    (RecipientState.CANCELLED, N_("cancelled")),
    (CallState.OPEN, N_("open")),
    (CallState.DONE, N_("done")),
    (CallState.SKIPPED, N_("skipped")),
    (CallState.CANCELLED, N_("cancelled")),
    # the call outcomes are also the /calls buttons, hence capitalised
    (CallOutcome.REACHED, N_("Reached")),
    (CallOutcome.NO_ANSWER, N_("No answer")),
    (CallOutcome.CALL_BACK, N_("Call back")),
    (CallOutcome.INTERESTED, N_("Interested")),
    (CallOutcome.NOT_INTERESTED, N_("Not interested")),
])


def label(value: StrEnum) -> str:
    text = LABELS.get(value)
    return _(text) if text else str(value)
