"""Repositories of the customers' own channel: linked Telegram accounts, quotation requests, the
answers to quotations with their Telegram deliveries, and mail taken in over IMAP."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.customer_link import LinkUse
from domain.free_text_invoice import FreeTextInvoice, FreeTextInvoiceStatus
from domain.invoice import CustomerInvoice
from domain.mail_intake import InboundMail
from domain.quotation import Quotation, QuotationStatus
from domain.quotation_answer import DeliveryStatus, QuotationAnswer, TelegramDelivery
from domain.quotation_request import QuotationRequest, RequestStatus
from domain.sales_order import SalesOrder, SalesOrderStatus, SalesOrderType
from domain.user import ROLE_PERMISSIONS, Permission
from domain.user import Role as _Role
from domain.user import User
from storage import tables as t
from storage.repository_base import _Repository
from storage.send_claims import LeasedQueue


class CustomerChannelRepository:
    """Link tokens used, linked accounts, and one customer's own documents (issue 4)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _all(self, stmt) -> list:
        return list((await self.session.scalars(stmt)).all())

    async def link_used(self, nonce: str) -> bool:
        return await self.session.get(LinkUse, nonce) is not None

    async def add_link_use(self, use: LinkUse) -> None:
        self.session.add(use)

    async def remove_user(self, user: User) -> None:
        await self.session.delete(user)

    async def serves(self, customer_id: int, salesperson_id: int) -> bool:
        """A salesperson's own customers: those they quoted or have orders for."""
        q, o = t.quotations.c, t.sales_orders.c
        quoted = select(q.id).where(q.customer_id == customer_id, q.salesperson_id == salesperson_id)
        ordered = select(o.id).where(o.customer_id == customer_id, o.salesperson_id == salesperson_id)
        found = await self.session.scalar(select(quoted.union(ordered).subquery().c.id).limit(1))
        return found is not None

    async def quotations_of(self, customer_id: int, limit: int) -> Sequence[Quotation]:
        """What the customer was sent: drafts never left the company."""
        q = t.quotations.c
        return await self._all(select(Quotation).where(
            q.customer_id == customer_id, q.status != QuotationStatus.CREATED, q.sent_at.is_not(None),
        ).order_by(q.id.desc()).limit(limit))

    async def orders_of(self, customer_id: int, limit: int, open_only: bool = False) -> Sequence[SalesOrder]:
        o = t.sales_orders.c  # a Journal is a draft order: not the customer's business yet
        stmt = select(SalesOrder).where(o.customer_id == customer_id, o.order_type != SalesOrderType.JOURNAL)
        if open_only:
            stmt = stmt.where(o.status == SalesOrderStatus.OPEN_ORDER)
        return await self._all(stmt.order_by(o.id.desc()).limit(limit))

    async def invoices_of(self, customer_id: int, limit: int) -> Sequence[CustomerInvoice]:
        i = t.customer_invoices.c
        return await self._all(select(CustomerInvoice).where(i.customer_id == customer_id)
                               .order_by(i.id.desc()).limit(limit))

    async def free_text_invoices_of(self, customer_id: int, limit: int) -> Sequence[FreeTextInvoice]:
        f = t.free_text_invoices.c
        return await self._all(select(FreeTextInvoice).where(
            f.customer_id == customer_id, f.status == FreeTextInvoiceStatus.POSTED,
        ).order_by(f.id.desc()).limit(limit))


class QuotationRequestRepository(_Repository):
    model = QuotationRequest

    async def open_of(self, salesperson_id: int | None, include_queue: bool,
                      limit: int) -> Sequence[QuotationRequest]:
        """New requests: one salesperson's (None: everyone's), plus the shared queue if asked."""
        r = t.quotation_requests.c
        stmt = select(QuotationRequest).where(r.status == RequestStatus.NEW)
        if salesperson_id is not None:
            mine = r.salesperson_id == salesperson_id
            stmt = stmt.where(or_(mine, r.salesperson_id.is_(None)) if include_queue else mine)
        elif not include_queue:
            stmt = stmt.where(r.salesperson_id.is_not(None))
        return await self._all(stmt.order_by(r.id.desc()).limit(limit))

    async def latest_salesperson_of(self, customer_id: int) -> int | None:
        """Who last quoted or took an order from the customer (the newest document wins)."""
        q, o = t.quotations.c, t.sales_orders.c
        both = select(q.salesperson_id.label("sp"), q.created_at.label("at"), q.id.label("id")).where(
            q.customer_id == customer_id).union_all(
            select(o.salesperson_id, o.created_at, o.id).where(o.customer_id == customer_id)).subquery()
        return await self.session.scalar(
            select(both.c.sp).order_by(both.c.at.desc(), both.c.id.desc()).limit(1))

    async def managers(self) -> Sequence[User]:
        """Who sees the shared queue: every role that sees everyone's documents."""
        roles = [role for role, permissions in ROLE_PERMISSIONS.items() if Permission.SEE_ALL in permissions]
        return await self._all(select(User).where(t.users.c.role.in_(roles)).order_by(t.users.c.id))


class QuotationAnswerRepository:
    """Customers' answers to quotations, and quotations owed to their Telegram chats (issue 4 §4)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.delivery_claims = LeasedQueue(session, t.telegram_deliveries, TelegramDelivery,
                                           DeliveryStatus.QUEUED)

    async def add(self, answer: QuotationAnswer) -> None:
        self.session.add(answer)

    async def of_quotation(self, quotation_id: int) -> Sequence[QuotationAnswer]:
        a = t.quotation_answers.c
        return list((await self.session.scalars(select(QuotationAnswer).where(
            a.quotation_id == quotation_id).order_by(a.id))).all())

    async def linked_users(self, customer_id: int) -> Sequence[User]:
        u = t.users.c
        return list((await self.session.scalars(select(User).where(
            u.customer_id == customer_id, u.role == _Role.CUSTOMER).order_by(u.id))).all())

    async def add_delivery(self, delivery: TelegramDelivery) -> None:
        self.session.add(delivery)

    async def delivery(self, delivery_id: int) -> TelegramDelivery | None:
        return await self.session.get(TelegramDelivery, delivery_id)

    async def due_deliveries(self, now: datetime, limit: int) -> Sequence[TelegramDelivery]:
        d = t.telegram_deliveries.c
        return list((await self.session.scalars(select(TelegramDelivery).where(
            d.status == DeliveryStatus.QUEUED, d.next_attempt_at <= now,
        ).order_by(d.next_attempt_at, d.id).limit(limit))).all())


class InboundMailRepository(_Repository):
    model = InboundMail

    async def find(self, folder: str, uidvalidity: int, uid: int,
                   message_id: str | None) -> InboundMail | None:
        """The mail recorded under this UID of this folder, or under this Message-ID."""
        c = t.inbound_mails.c
        same_uid = (c.folder == folder) & (c.uidvalidity == uidvalidity) & (c.uid == uid)
        condition = or_(same_uid, c.message_id == message_id) if message_id else same_uid
        return await self.session.scalar(select(InboundMail).where(condition).limit(1))

    async def last_uid(self, folder: str, uidvalidity: int) -> int | None:
        c = t.inbound_mails.c
        return await self.session.scalar(select(func.max(c.uid)).where(
            c.folder == folder, c.uidvalidity == uidvalidity))
