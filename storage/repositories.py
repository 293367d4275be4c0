"""Repositories: load and add aggregates. They never commit; the unit of work does."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete as sql_delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.customer import Customer
from domain.customer_link import LinkUse
from domain.free_text_invoice import FreeTextInvoice, FreeTextInvoiceStatus, PostingProfile
from domain.invoice import CustomerInvoice
from domain.item import Item
from domain.mail_intake import InboundMail
from domain.outbox import MailStatus, OutboxMail
from domain.packing_slip import PackingSlip
from domain.pricing import ItemCode, TradeAgreement
from domain.product_list import Outcome, ProductListRule, SuggestionOffer
from domain.quotation import OPEN_STATUSES, Quotation, QuotationStatus
from domain.quotation_answer import DeliveryStatus, QuotationAnswer, TelegramDelivery
from domain.quotation_request import QuotationRequest, RequestStatus
from domain.relationship import Party
from domain.sales_agreement import SalesAgreement
from domain.sales_order import DELIVERABLE_TYPES, SalesOrder, SalesOrderStatus, SalesOrderType
from domain.user import ROLE_PERMISSIONS, Permission, Role as _Role, User
from storage import tables as t
# Repositories kept in modules of their own, re-exported for storage/uow.py.
from storage.backorder_repository import (BackorderRepository, PurchaseOrderRepository,  # noqa: F401
                                          VendorRepository)
from storage.call_store import CallRepository  # noqa: F401
from storage.campaign_store import CampaignRepository, ConsentRepository, RecipientQueue  # noqa: F401
from storage.contact_store import CampaignContacts, ContactTagRepository  # noqa: F401
from storage.notice_repository import DelayNoticeRepository  # noqa: F401
from storage.response_store import CampaignResponseRepository  # noqa: F401
from storage.send_claims import LeasedQueue


class _Repository:
    model: type

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id_: int):
        return await self.session.get(self.model, id_)

    async def add(self, obj) -> None:
        self.session.add(obj)

    async def _all(self, stmt) -> list:
        return list((await self.session.scalars(stmt)).all())


class UserRepository(_Repository):
    model = User

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        return await self.session.scalar(select(User).where(t.users.c.telegram_id == telegram_id))

    async def all(self) -> Sequence[User]:
        return await self._all(select(User).order_by(t.users.c.name))


class CustomerRepository(_Repository):
    model = Customer

    async def by_account(self, account_number: str) -> Customer | None:
        return await self.session.scalar(
            select(Customer).where(t.customers.c.account_number == account_number.strip()))

    async def search(self, text: str, limit: int) -> Sequence[Customer]:
        c = t.customers.c
        text = text.strip()
        return await self._all(select(Customer).where(or_(
            c.account_number.ilike(text), c.name.icontains(text, autoescape=True),
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
            c.item_number.ilike(text), c.name.icontains(text, autoescape=True),
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


class PartyRepository(_Repository):
    model = Party

    async def of_owner(self, owner_id: int | None, limit: int | None = None,
                       stages: Sequence[str] | None = None) -> Sequence[Party]:
        """One salesperson's parties (None: everyone's), newest first."""
        p = t.parties.c
        stmt = select(Party)
        if owner_id is not None:
            stmt = stmt.where(p.owner_id == owner_id)
        if stages is not None:
            stmt = stmt.where(p.stage.in_(list(stages)))
        stmt = stmt.order_by(p.id.desc())
        return await self._all(stmt.limit(limit) if limit else stmt)

    async def pipeline_figures(self, owner_id: int | None) -> tuple[dict, list]:
        """Parties per stage, and each opportunity's (status, value, probability): two queries,
        no parties loaded."""
        p, o = t.parties.c, t.opportunities.c
        stages = select(p.stage, func.count()).group_by(p.stage)
        opportunities = select(o.status, o.estimated_value, o.probability).join_from(
            t.opportunities, t.parties, o.party_id == p.id)
        if owner_id is not None:
            stages = stages.where(p.owner_id == owner_id)
            opportunities = opportunities.where(p.owner_id == owner_id)
        counts = {stage: count for stage, count in (await self.session.execute(stages)).all()}
        return counts, [tuple(row) for row in (await self.session.execute(opportunities)).all()]

    async def by_customer(self, customer_id: int) -> Party | None:
        return await self.session.scalar(select(Party).where(t.parties.c.customer_id == customer_id))

    async def with_contact(self, email: str, phone: str) -> Sequence[Party]:
        """Parties with the same e-mail address (any case) or the same phone number."""
        p = t.parties.c
        conditions = []
        if email:
            conditions.append(func.lower(p.email) == email.lower())
        if phone:
            conditions.append(p.phone == phone)
        if not conditions:
            return []
        return await self._all(select(Party).where(or_(*conditions)).order_by(p.id).limit(10))

    async def customers_with_email(self, email: str) -> Sequence[Customer]:
        if not email:
            return []
        return await self._all(select(Customer).where(
            func.lower(t.customers.c.email) == email.lower()).order_by(t.customers.c.id).limit(10))

class TradeAgreementRepository(_Repository):
    model = TradeAgreement

    async def for_item(self, item_number: str, item_group: str) -> list[TradeAgreement]:
        """The candidates for pricing an item: for it, for its group, or for all items."""
        c = t.trade_agreements.c
        wanted = [c.item_code == ItemCode.ALL,
                  (c.item_code == ItemCode.ITEM) & (c.item_value == item_number)]
        if item_group:
            wanted.append((c.item_code == ItemCode.GROUP) & (c.item_value == item_group))
        return await self._all(select(TradeAgreement).where(or_(*wanted)))

    async def all(self) -> list[TradeAgreement]:
        c = t.trade_agreements.c
        return await self._all(select(TradeAgreement).order_by(
            c.item_value, c.item_code, c.account_value, c.account_code, c.relation,
            c.from_quantity, c.id))

class SalesAgreementRepository(_Repository):
    model = SalesAgreement

    async def list_of(self, salesperson_id: int | None, limit: int) -> Sequence[SalesAgreement]:
        a = t.sales_agreements.c
        stmt = select(SalesAgreement)
        if salesperson_id is not None:
            stmt = stmt.where(a.salesperson_id == salesperson_id)
        return await self._all(stmt.order_by(a.id.desc()).limit(limit))

    async def orders_of(self, agreement_id: int) -> Sequence[SalesOrder]:
        """The orders taken from the agreement, canceled ones included (fulfilment skips them)."""
        o = t.sales_orders.c
        return await self._all(select(SalesOrder).where(o.agreement_id == agreement_id).order_by(o.id))


class ReturnsRepository:
    """Posted invoices (not credit notes) to return goods from, and an invoice's returned orders."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def invoices_of(self, salesperson_id: int | None, limit: int) -> Sequence[CustomerInvoice]:
        i = t.customer_invoices.c
        stmt = select(CustomerInvoice).where(i.credit_note_of.is_(None))
        if salesperson_id is not None:
            stmt = stmt.where(i.salesperson_id == salesperson_id)
        return list((await self.session.scalars(stmt.order_by(i.id.desc()).limit(limit))).all())

    async def invoice_by_number(self, number: str) -> CustomerInvoice | None:
        i = t.customer_invoices.c
        return await self.session.scalar(select(CustomerInvoice).where(
            i.number == number.strip().upper(), i.credit_note_of.is_(None)))

    async def returns_of_invoice(self, invoice_id: int) -> Sequence[SalesOrder]:
        o = t.sales_orders.c
        return list((await self.session.scalars(select(SalesOrder).where(
            o.returned_invoice_id == invoice_id).order_by(o.id))).all())

class ProductListRuleRepository(_Repository):
    model = ProductListRule

    async def delete(self, rule: ProductListRule) -> None:
        # Its offers go with it (the foreign key cascades too; said here for every database).
        await self.session.execute(sql_delete(t.suggestion_offers).where(
            t.suggestion_offers.c.rule_id == rule.id))
        await self.session.delete(rule)

    async def all(self) -> Sequence[ProductListRule]:
        return await self._all(select(ProductListRule).order_by(t.product_list_rules.c.id))

    async def for_item(self, item_id: int) -> Sequence[ProductListRule]:
        return await self._all(select(ProductListRule).where(
            t.product_list_rules.c.item_id == item_id).order_by(t.product_list_rules.c.id))

    async def by_key(self, key: tuple) -> ProductListRule | None:
        kind, item_id, suggested_item_id, group = key
        c = t.product_list_rules.c
        return await self.session.scalar(select(ProductListRule).where(
            c.kind == kind, c.item_id == item_id, c.suggested_item_id == suggested_item_id,
            func.lower(c.customer_group) == group.lower()))


class SuggestionOfferRepository(_Repository):
    model = SuggestionOffer

    async def pending_of(self, quotation_id: int) -> Sequence[SuggestionOffer]:
        c = t.suggestion_offers.c
        return await self._all(select(SuggestionOffer).where(
            c.quotation_id == quotation_id, c.outcome == Outcome.PENDING).order_by(c.id))

    async def ignore_where_not_draft(self, now: datetime) -> None:
        """Pending offers on quotations that are no longer drafts were ignored."""
        c, q = t.suggestion_offers.c, t.quotations.c
        await self.session.execute(
            update(t.suggestion_offers)
            .where(c.outcome == Outcome.PENDING,
                   c.quotation_id.in_(select(q.id).where(q.status != QuotationStatus.CREATED)))
            .values(outcome=Outcome.IGNORED, resolved_at=now, version=c.version + 1)
            .execution_options(synchronize_session=False))

    async def counts(self, salesperson_id: int | None) -> Sequence[tuple[int, str, int]]:
        c = t.suggestion_offers.c
        stmt = select(c.rule_id, c.outcome, func.count()).group_by(c.rule_id, c.outcome)
        if salesperson_id is not None:
            stmt = stmt.where(c.salesperson_id == salesperson_id)
        return [(rule_id, outcome, count) for rule_id, outcome, count in
                (await self.session.execute(stmt)).all()]

class InvoicingRepository:
    """Queries of §6: a month's packing slips not yet invoiced, claiming slips for one invoice,
    free text invoice drafts and posting profiles."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def uninvoiced_slips(self, first_day: date, last_day: date,
                               customer_id: int | None = None) -> list[PackingSlip]:
        p, o = t.packing_slips.c, t.sales_orders.c
        # A returned order's packing slips are receipts: they are credited, never on a month's invoice.
        stmt = (select(PackingSlip).join(t.sales_orders, o.id == p.sales_order_id)
                .where(p.invoice_number.is_(None), p.posted_on >= first_day, p.posted_on <= last_day,
                       o.order_type.in_(sorted(DELIVERABLE_TYPES - {SalesOrderType.RETURNED_ORDER}))))
        if customer_id is not None:
            stmt = stmt.where(p.customer_id == customer_id)
        return list((await self.session.scalars(stmt.order_by(p.customer_id, p.posted_on, p.id))).all())

    async def claim_slips(self, slip_ids: Sequence[int], invoice_number: str) -> int:
        """Mark the slips invoiced, only those not yet invoiced; returns how many it marked.

        Under concurrency the second of two transactions waits for the first and then matches
        fewer rows: the caller compares the count and gives up (two taps, one invoice)."""
        p = t.packing_slips
        result = await self.session.execute(
            update(p).where(p.c.id.in_(list(slip_ids)), p.c.invoice_number.is_(None))
            .values(invoice_number=invoice_number).execution_options(synchronize_session=False))
        return result.rowcount

    async def orders(self, order_ids: Sequence[int]) -> dict[int, SalesOrder]:
        found = (await self.session.scalars(
            select(SalesOrder).where(t.sales_orders.c.id.in_(list(order_ids))))).all()
        return {o.id: o for o in found}

    async def free_text_drafts_of(self, salesperson_id: int, limit: int) -> list[FreeTextInvoice]:
        f = t.free_text_invoices.c
        return list((await self.session.scalars(select(FreeTextInvoice).where(
            f.salesperson_id == salesperson_id, f.status == FreeTextInvoiceStatus.DRAFT,
        ).order_by(f.id.desc()).limit(limit))).all())

    async def delete_free_text_invoice(self, invoice: FreeTextInvoice) -> None:
        await self.session.delete(invoice)

    async def posting_profiles(self) -> list[PostingProfile]:
        return list((await self.session.scalars(
            select(PostingProfile).order_by(t.posting_profiles.c.code))).all())


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
