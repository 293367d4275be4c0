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
# ~~ end §1 ~~

# ~~ §2 pricing ~~
# ~~ end §2 ~~

# ~~ §3 sales agreements ~~
# ~~ end §3 ~~

# ~~ §4 order types ~~
# ~~ end §4 ~~

# ~~ §5 up-sell/cross-sell ~~
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
# ~~ end §1 ~~

# ~~ §2 pricing ~~
# ~~ end §2 ~~

# ~~ §3 sales agreements ~~
# ~~ end §3 ~~

# ~~ §4 order types ~~
# ~~ end §4 ~~

# ~~ §5 up-sell/cross-sell ~~
# ~~ end §5 ~~

# ~~ §6 invoicing ~~
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
    # ~~ end §1 ~~

    # ~~ §2 pricing ~~
    # ~~ end §2 ~~

    # ~~ §3 sales agreements ~~
    # ~~ end §3 ~~

    # ~~ §4 order types ~~
    # ~~ end §4 ~~

    # ~~ §5 up-sell/cross-sell ~~
    # ~~ end §5 ~~

    # ~~ §6 invoicing ~~
    # ~~ end §6 ~~

    # ~~ §7 backorders ~~
    backorders: BackorderRepository
    vendors: VendorRepository
    purchase_orders: PurchaseOrderRepository
    # ~~ end §7 ~~

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
