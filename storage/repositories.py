"""Repositories: load and add aggregates. They never commit; the unit of work does."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.customer import Customer
from domain.free_text_invoice import FreeTextInvoice, PostingProfile
from domain.invoice import CustomerInvoice
from domain.item import Item
from domain.outbox import MailStatus, OutboxMail
from domain.packing_slip import PackingSlip
from domain.quotation import OPEN_STATUSES, Quotation
from domain.sales_order import SalesOrder, SalesOrderStatus
from domain.user import User
from storage import tables as t
# Repositories kept in modules of their own, re-exported for storage/uow.py.
from storage.backorder_repository import (BackorderRepository, PurchaseOrderRepository,  # noqa: F401
                                          VendorRepository)
from storage.call_store import CallRepository  # noqa: F401
from storage.campaign_store import CampaignRepository, ConsentRepository  # noqa: F401
from storage.recipient_queue import RecipientQueue  # noqa: F401
from storage.contact_store import CampaignContacts, ContactTagRepository  # noqa: F401
from storage.customer_channel_store import (CustomerChannelRepository, InboundMailRepository,  # noqa: F401
                                            QuotationAnswerRepository, QuotationRequestRepository)
from storage.invoicing_store import InvoicingRepository, ReturnsRepository  # noqa: F401
from storage.notice_repository import DelayNoticeRepository  # noqa: F401
from storage.pricing_store import (ProductListRuleRepository, SalesAgreementRepository,  # noqa: F401
                                   SuggestionOfferRepository, TradeAgreementRepository)
from storage.relationship_store import PartyRepository  # noqa: F401
from storage.repository_base import _Repository
from storage.response_store import CampaignResponseRepository  # noqa: F401
from storage.send_claims import LeasedQueue
from storage.update_log import UpdateLog  # noqa: F401


class UserRepository(_Repository):
    model = User

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        return await self.session.scalar(select(User).where(t.users.c.telegram_id == telegram_id))

    async def all(self) -> Sequence[User]:
        return await self._all(select(User).order_by(t.users.c.name))


def _same_text(column, text: str):
    """Equal but for case: not ilike, in which a typed % or _ would match any account or item."""
    return func.lower(column) == func.lower(text)


class CustomerRepository(_Repository):
    model = Customer

    async def by_account(self, account_number: str) -> Customer | None:
        return await self.session.scalar(
            select(Customer).where(t.customers.c.account_number == account_number.strip()))

    async def search(self, text: str, limit: int) -> Sequence[Customer]:
        c = t.customers.c
        text = text.strip()
        return await self._all(select(Customer).where(or_(
            _same_text(c.account_number, text), c.name.icontains(text, autoescape=True),
        )).order_by(c.name).limit(limit))

    async def all(self) -> Sequence[Customer]:
        return await self._all(select(Customer).order_by(t.customers.c.account_number))


class ItemRepository(_Repository):
    model = Item

    async def by_number(self, item_number: str) -> Item | None:
        return await self.session.scalar(
            select(Item).where(t.items.c.item_number == item_number.strip()))

    async def search(self, text: str, limit: int) -> Sequence[Item]:
        c = t.items.c
        text = text.strip()
        return await self._all(select(Item).where(or_(
            _same_text(c.item_number, text), c.name.icontains(text, autoescape=True),
        )).order_by(c.item_number).limit(limit))

    async def many(self, item_ids: Sequence[int]) -> dict[int, Item]:
        found = await self._all(select(Item).where(t.items.c.id.in_(list(item_ids))))
        return {i.id: i for i in found}


class QuotationRepository(_Repository):
    model = Quotation

    async def open_of(self, salesperson_id: int | None, limit: int) -> Sequence[Quotation]:
        q = t.quotations.c
        stmt = select(Quotation).where(q.status.in_(list(OPEN_STATUSES)))
        if salesperson_id is not None:
            stmt = stmt.where(q.salesperson_id == salesperson_id)
        return await self._all(stmt.order_by(q.id.desc()).limit(limit))

    async def open_valid_until_before(self, day: date) -> Sequence[Quotation]:
        q = t.quotations.c
        return await self._all(select(Quotation).where(
            q.status.in_(list(OPEN_STATUSES)), q.valid_until < day).order_by(q.id))

    async def open_valid_until(self, day: date) -> Sequence[Quotation]:
        q = t.quotations.c
        return await self._all(select(Quotation).where(
            q.status.in_(list(OPEN_STATUSES)), q.valid_until == day).order_by(q.id))

    async def mark_expiry_warned(self, quotation_id: int, day: date) -> bool:
        """A conditional UPDATE: of two runs recording the same warning, exactly one gets True. It
        leaves the version alone, so a salesperson editing the quotation meanwhile is not refused."""
        q = t.quotations.c
        result = await self.session.execute(update(t.quotations).where(
            q.id == quotation_id, q.expiry_warned_on.is_(None)).values(expiry_warned_on=day))
        return result.rowcount == 1


class SalesOrderRepository(_Repository):
    model = SalesOrder

    async def open_of(self, salesperson_id: int | None, limit: int) -> Sequence[SalesOrder]:
        o = t.sales_orders.c
        stmt = select(SalesOrder).where(o.status.in_(
            [SalesOrderStatus.OPEN_ORDER, SalesOrderStatus.DELIVERED]))
        if salesperson_id is not None:
            stmt = stmt.where(o.salesperson_id == salesperson_id)
        return await self._all(stmt.order_by(o.id.desc()).limit(limit))

    async def by_quotation(self, quotation_id: int) -> SalesOrder | None:
        return await self.session.scalar(
            select(SalesOrder).where(t.sales_orders.c.quotation_id == quotation_id))


class PackingSlipRepository(_Repository):
    model = PackingSlip

    async def of_order(self, order_id: int) -> Sequence[PackingSlip]:
        p = t.packing_slips.c
        return await self._all(select(PackingSlip).where(p.sales_order_id == order_id).order_by(p.id))

    async def many(self, slip_ids: Sequence[int]) -> Sequence[PackingSlip]:
        p = t.packing_slips.c
        return await self._all(select(PackingSlip).where(p.id.in_(list(slip_ids))).order_by(p.id))

    async def of_invoice(self, invoice_number: str) -> Sequence[PackingSlip]:
        p = t.packing_slips.c
        return await self._all(
            select(PackingSlip).where(p.invoice_number == invoice_number).order_by(p.posted_on, p.id))


class InvoiceRepository(_Repository):
    model = CustomerInvoice

    async def of_order(self, order_id: int) -> Sequence[CustomerInvoice]:
        i = t.customer_invoices.c
        return await self._all(
            select(CustomerInvoice).where(i.sales_order_id == order_id).order_by(i.id))


class FreeTextInvoiceRepository(_Repository):
    model = FreeTextInvoice


class PostingProfileRepository(_Repository):
    model = PostingProfile  # get() takes the profile's code


class OutboxRepository(_Repository):
    model = OutboxMail

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        # claim / renew / locked / release for the senders of every process (storage/send_claims.py)
        self.claims = LeasedQueue(session, t.outbox_mails, OutboxMail, MailStatus.QUEUED)

    async def due(self, now: datetime, limit: int) -> Sequence[OutboxMail]:
        o = t.outbox_mails.c
        return await self._all(select(OutboxMail).where(
            o.status == MailStatus.QUEUED, o.next_attempt_at <= now,
        ).order_by(o.next_attempt_at, o.id).limit(limit))


class NumberSequences:
    """Gap-free document numbers: the counter moves inside the business transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next(self, name: str) -> int:
        s = t.number_sequences
        value = await self.session.scalar(
            update(s).where(s.c.name == name).values(last_value=s.c.last_value + 1)
            .returning(s.c.last_value))
        if value is None:
            await self.session.execute(s.insert().values(name=name, last_value=1))
            value = 1
        return value


