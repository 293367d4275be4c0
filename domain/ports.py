"""What the service layer needs from the outside world, as protocols (storage/ implements them)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol, Self

from domain.customer import Customer
from domain.free_text_invoice import FreeTextInvoice, PostingProfile
from domain.invoice import CustomerInvoice
from domain.item import Item
from domain.outbox import OutboxMail
from domain.packing_slip import PackingSlip
from domain.quotation import Quotation
from domain.sales_order import SalesOrder
from domain.user import User

# ~~ §1 relationships ~~
from domain.relationship import Party
# ~~ end §1 ~~

# ~~ §2 pricing ~~
from domain.pricing import TradeAgreement
# ~~ end §2 ~~

# ~~ §3 sales agreements ~~
from domain.sales_agreement import SalesAgreement
# ~~ end §3 ~~

# ~~ §4 order types ~~
# ~~ end §4 ~~

# ~~ §5 up-sell/cross-sell ~~
from domain.product_list import ProductListRule, SuggestionOffer
# ~~ end §5 ~~

# ~~ §6 invoicing ~~
# ~~ end §6 ~~

# ~~ §7 backorders ~~
from decimal import Decimal
from collections.abc import Mapping

from domain.backorder import (BackorderLine, CustomerBackorders, ItemBackorders, MissingDelivery,
                              VendorBackorders)
from domain.purchase_order import PurchaseOrder, Vendor
# ~~ end §7 ~~

# ~~ §C customer channel ~~
from domain.customer_link import LinkUse
# ~~ end §C ~~

# ~~ §R quote requests ~~
from domain.quotation_request import QuotationRequest
# ~~ end §R ~~

# ~~ §A accept and web ~~
# ~~ end §A ~~

# ~~ §I imap ~~
from domain.mail_intake import InboundMail
# ~~ end §I ~~

# ~~ §K campaigns ~~
# ~~ end §K ~~

# ~~ §N notices ~~
# ~~ end §N ~~


class Clock(Protocol):
    def now(self) -> datetime: ...    # aware
    def today(self) -> date: ...      # in the company's time zone


class UserRepository(Protocol):
    async def by_telegram_id(self, telegram_id: int) -> User | None: ...
    async def get(self, user_id: int) -> User | None: ...
    async def add(self, user: User) -> None: ...
    async def all(self) -> Sequence[User]: ...


class CustomerRepository(Protocol):
    async def get(self, customer_id: int) -> Customer | None: ...
    async def by_account(self, account_number: str) -> Customer | None: ...
    async def search(self, text: str, limit: int) -> Sequence[Customer]: ...
    async def add(self, customer: Customer) -> None: ...


class ItemRepository(Protocol):
    async def get(self, item_id: int) -> Item | None: ...
    async def by_number(self, item_number: str) -> Item | None: ...
    async def search(self, text: str, limit: int) -> Sequence[Item]: ...
    async def many(self, item_ids: Sequence[int]) -> dict[int, Item]: ...
    async def add(self, item: Item) -> None: ...


class QuotationRepository(Protocol):
    async def get(self, quotation_id: int) -> Quotation | None: ...
    async def add(self, quotation: Quotation) -> None: ...
    async def open_of(self, salesperson_id: int | None, limit: int) -> Sequence[Quotation]: ...
    async def open_valid_until_before(self, day: date) -> Sequence[Quotation]: ...
    async def open_valid_until(self, day: date) -> Sequence[Quotation]: ...


class SalesOrderRepository(Protocol):
    async def get(self, order_id: int) -> SalesOrder | None: ...
    async def add(self, order: SalesOrder) -> None: ...
    async def open_of(self, salesperson_id: int | None, limit: int) -> Sequence[SalesOrder]: ...


class PackingSlipRepository(Protocol):
    async def add(self, slip: PackingSlip) -> None: ...
    async def of_order(self, order_id: int) -> Sequence[PackingSlip]: ...
    async def many(self, slip_ids: Sequence[int]) -> Sequence[PackingSlip]: ...


class InvoiceRepository(Protocol):
    async def get(self, invoice_id: int) -> CustomerInvoice | None: ...
    async def add(self, invoice: CustomerInvoice) -> None: ...
    async def of_order(self, order_id: int) -> Sequence[CustomerInvoice]: ...


class FreeTextInvoiceRepository(Protocol):
    async def get(self, invoice_id: int) -> FreeTextInvoice | None: ...
    async def add(self, invoice: FreeTextInvoice) -> None: ...


class PostingProfileRepository(Protocol):
    async def get(self, code: str) -> PostingProfile | None: ...
    async def add(self, profile: PostingProfile) -> None: ...


class OutboxRepository(Protocol):
    async def add(self, mail: OutboxMail) -> None: ...
    async def due(self, now: datetime, limit: int) -> Sequence[OutboxMail]: ...


class NumberSequences(Protocol):
    async def next(self, name: str) -> int: ...


# ~~ §1 relationships ~~
class PartyRepository(Protocol):
    async def get(self, party_id: int) -> Party | None: ...
    async def add(self, party: Party) -> None: ...
    async def of_owner(self, owner_id: int | None, limit: int | None = None,
                       stages: Sequence[str] | None = None) -> Sequence[Party]: ...
    async def pipeline_figures(self, owner_id: int | None) -> tuple[dict, list]: ...
    async def by_customer(self, customer_id: int) -> Party | None: ...
    async def with_contact(self, email: str, phone: str) -> Sequence[Party]: ...
    async def customers_with_email(self, email: str) -> Sequence[Customer]: ...
# ~~ end §1 ~~

# ~~ §2 pricing ~~
class TradeAgreementRepository(Protocol):
    async def for_item(self, item_number: str, item_group: str) -> Sequence[TradeAgreement]: ...
    async def all(self) -> Sequence[TradeAgreement]: ...
    async def add(self, agreement: TradeAgreement) -> None: ...
# ~~ end §2 ~~

# ~~ §3 sales agreements ~~
class SalesAgreementRepository(Protocol):
    async def get(self, agreement_id: int) -> SalesAgreement | None: ...
    async def add(self, agreement: SalesAgreement) -> None: ...
    async def list_of(self, salesperson_id: int | None, limit: int) -> Sequence[SalesAgreement]: ...
    async def orders_of(self, agreement_id: int) -> Sequence[SalesOrder]: ...


# ~~ end §3 ~~

# ~~ §4 order types ~~
class ReturnsRepository(Protocol):
    """Returned orders and the invoices goods are returned from (domain/returns.py)."""
    async def invoices_of(self, salesperson_id: int | None, limit: int) -> Sequence[CustomerInvoice]: ...
    async def invoice_by_number(self, number: str) -> CustomerInvoice | None: ...
    async def returns_of_invoice(self, invoice_id: int) -> Sequence[SalesOrder]: ...
# ~~ end §4 ~~

# ~~ §5 up-sell/cross-sell ~~
class ProductListRuleRepository(Protocol):
    async def get(self, rule_id: int) -> ProductListRule | None: ...
    async def add(self, rule: ProductListRule) -> None: ...
    async def delete(self, rule: ProductListRule) -> None: ...
    async def all(self) -> Sequence[ProductListRule]: ...
    async def for_item(self, item_id: int) -> Sequence[ProductListRule]: ...
    async def by_key(self, key: tuple) -> ProductListRule | None: ...


class SuggestionOfferRepository(Protocol):
    async def get(self, offer_id: int) -> SuggestionOffer | None: ...
    async def add(self, offer: SuggestionOffer) -> None: ...
    async def pending_of(self, quotation_id: int) -> Sequence[SuggestionOffer]: ...
    async def ignore_where_not_draft(self, now: datetime) -> None: ...
    async def counts(self, salesperson_id: int | None) -> Sequence[tuple[int, str, int]]: ...

# ~~ end §5 ~~

# ~~ §6 invoicing ~~
class InvoicingRepository(Protocol):
    async def uninvoiced_slips(self, first_day: date, last_day: date,
                               customer_id: int | None = None) -> list[PackingSlip]: ...
    async def claim_slips(self, slip_ids: Sequence[int], invoice_number: str) -> int: ...
    async def orders(self, order_ids: Sequence[int]) -> dict[int, SalesOrder]: ...
    async def free_text_drafts_of(self, salesperson_id: int, limit: int) -> list[FreeTextInvoice]: ...
    async def delete_free_text_invoice(self, invoice: FreeTextInvoice) -> None: ...
    async def posting_profiles(self) -> list[PostingProfile]: ...
# ~~ end §6 ~~

# ~~ §7 backorders ~~
class BackorderRepository(Protocol):
    async def by_item(self, salesperson_id: int | None, limit: int,
                      item_id: int | None = None) -> list[ItemBackorders]: ...
    async def by_customer(self, salesperson_id: int | None, limit: int) -> list[CustomerBackorders]: ...
    async def by_vendor(self, limit: int) -> list[VendorBackorders]: ...
    async def lines(self, salesperson_id: int | None, *, item_ids: Sequence[int] | None = None,
                    customer_id: int | None = None, limit: int | None = None) -> list[BackorderLine]: ...
    async def missing_deliveries(self, *, item_ids: Sequence[int] | None = None,
                                 vendor_id: int | None = None) -> list[MissingDelivery]: ...
    async def set_allocated(self, allocated: Mapping[int, Decimal]) -> None: ...
    async def on_hand(self, item_ids: Sequence[int]) -> dict[int, Decimal]: ...


class VendorRepository(Protocol):
    async def get(self, vendor_id: int) -> Vendor | None: ...
    async def by_account(self, account: str) -> Vendor | None: ...
    async def add(self, vendor: Vendor) -> None: ...


class PurchaseOrderRepository(Protocol):
    async def by_key(self, number: str, item_id: int) -> PurchaseOrder | None: ...
    async def add(self, purchase_order: PurchaseOrder) -> None: ...
# ~~ end §7 ~~

# ~~ §C customer channel ~~
class CustomerChannelRepository(Protocol):
    """Link tokens used, linked accounts, and one customer's own documents (issue 4)."""
    async def link_used(self, nonce: str) -> bool: ...
    async def add_link_use(self, use: LinkUse) -> None: ...
    async def remove_user(self, user: User) -> None: ...
    async def serves(self, customer_id: int, salesperson_id: int) -> bool: ...
    async def quotations_of(self, customer_id: int, limit: int) -> Sequence[Quotation]: ...
    async def orders_of(self, customer_id: int, limit: int, open_only: bool = False) -> Sequence[SalesOrder]: ...
    async def invoices_of(self, customer_id: int, limit: int) -> Sequence[CustomerInvoice]: ...
    async def free_text_invoices_of(self, customer_id: int, limit: int) -> Sequence[FreeTextInvoice]: ...

# ~~ end §C ~~

# ~~ §R quote requests ~~
class QuotationRequestRepository(Protocol):
    async def get(self, request_id: int) -> QuotationRequest | None: ...
    async def add(self, request: QuotationRequest) -> None: ...
    async def open_of(self, salesperson_id: int | None, include_queue: bool,
                      limit: int) -> Sequence[QuotationRequest]: ...
    async def latest_salesperson_of(self, customer_id: int) -> int | None: ...
    async def managers(self) -> Sequence[User]: ...
# ~~ end §R ~~

# ~~ §A accept and web ~~
# ~~ end §A ~~

# ~~ §I imap ~~
class InboundMailRepository(Protocol):
    async def get(self, mail_id: int) -> InboundMail | None: ...
    async def add(self, mail: InboundMail) -> None: ...
    async def find(self, folder: str, uidvalidity: int, uid: int,
                   message_id: str | None) -> InboundMail | None: ...
    async def last_uid(self, folder: str, uidvalidity: int) -> int | None: ...
# ~~ end §I ~~

# ~~ §K campaigns ~~
# ~~ end §K ~~

# ~~ §N notices ~~
# ~~ end §N ~~

class UnitOfWork(Protocol):
    users: UserRepository
    customers: CustomerRepository
    items: ItemRepository
    quotations: QuotationRepository
    sales_orders: SalesOrderRepository
    packing_slips: PackingSlipRepository
    invoices: InvoiceRepository
    free_text_invoices: FreeTextInvoiceRepository
    posting_profiles: PostingProfileRepository
    outbox: OutboxRepository
    numbers: NumberSequences

    # ~~ §1 relationships ~~
    parties: PartyRepository
    # ~~ end §1 ~~

    # ~~ §2 pricing ~~
    trade_agreements: TradeAgreementRepository
    # ~~ end §2 ~~

    # ~~ §3 sales agreements ~~
    sales_agreements: SalesAgreementRepository
    # ~~ end §3 ~~

    # ~~ §4 order types ~~
    returns: ReturnsRepository
    # ~~ end §4 ~~

    # ~~ §5 up-sell/cross-sell ~~
    product_list_rules: ProductListRuleRepository
    suggestion_offers: SuggestionOfferRepository
    # ~~ end §5 ~~

    # ~~ §6 invoicing ~~
    invoicing: InvoicingRepository
    # ~~ end §6 ~~

    # ~~ §7 backorders ~~
    backorders: BackorderRepository
    vendors: VendorRepository
    purchase_orders: PurchaseOrderRepository
    # ~~ end §7 ~~

    # ~~ §C customer channel ~~
    customer_channel: CustomerChannelRepository
    # ~~ end §C ~~

    # ~~ §R quote requests ~~
    quotation_requests: QuotationRequestRepository
    # ~~ end §R ~~

    # ~~ §A accept and web ~~
    # ~~ end §A ~~

    # ~~ §I imap ~~
    inbound_mails: InboundMailRepository
    # ~~ end §I ~~

    # ~~ §K campaigns ~~
    # ~~ end §K ~~

    # ~~ §N notices ~~
    # ~~ end §N ~~

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
