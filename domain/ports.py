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
# ~~ end §5 ~~

# ~~ §6 invoicing ~~
# ~~ end §6 ~~

# ~~ §7 backorders ~~
# ~~ end §7 ~~

# ~~ §C customer channel ~~
from domain.customer_link import LinkUse
# ~~ end §C ~~

# ~~ §R quote requests ~~
# ~~ end §R ~~

# ~~ §A accept and web ~~
# ~~ end §A ~~

# ~~ §I imap ~~
# ~~ end §I ~~

# ~~ §K campaigns ~~
from domain.campaign import Campaign
from domain.consent import Channel, ConsentSource
# ~~ end §K ~~


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
# ~~ end §4 ~~

# ~~ §5 up-sell/cross-sell ~~
# ~~ end §5 ~~

# ~~ §6 invoicing ~~
# ~~ end §6 ~~

# ~~ §7 backorders ~~
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
# ~~ end §R ~~

# ~~ §A accept and web ~~
# ~~ end §A ~~

# ~~ §I imap ~~
# ~~ end §I ~~

# ~~ §K campaigns ~~
class CampaignRepository(Protocol):
    async def get(self, id_: int) -> Campaign | None: ...
    async def add(self, campaign: Campaign) -> None: ...
    async def list(self, created_by: int | None, limit: int = 20) -> Sequence[Campaign]: ...
    async def due(self, now: datetime) -> Sequence[int]: ...
    async def count_targets(self, selection, language: str): ...
    async def queue_recipients(self, campaign: Campaign, now: datetime) -> None: ...
    async def progress(self, campaign_id: int) -> dict[str, int]: ...
    async def first_target(self, campaign: Campaign): ...


class ConsentRepository(Protocol):
    async def opt_out(self, channel: Channel, address: str, source: ConsentSource, now: datetime,
                      contact_kind: str = "", contact_id: int | None = None) -> None: ...
    async def opted_out(self, channel: Channel, addresses: Sequence[str]) -> set[str]: ...


# ~~ end §K ~~

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
    # ~~ end §4 ~~

    # ~~ §5 up-sell/cross-sell ~~
    # ~~ end §5 ~~

    # ~~ §6 invoicing ~~
    # ~~ end §6 ~~

    # ~~ §7 backorders ~~
    # ~~ end §7 ~~

    # ~~ §C customer channel ~~
    customer_channel: CustomerChannelRepository
    # ~~ end §C ~~

    # ~~ §R quote requests ~~
    # ~~ end §R ~~

    # ~~ §A accept and web ~~
    # ~~ end §A ~~

    # ~~ §I imap ~~
    # ~~ end §I ~~

    # ~~ §K campaigns ~~
    campaigns: CampaignRepository
    consents: ConsentRepository
    # ~~ end §K ~~

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
