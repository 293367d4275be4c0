"""Campaign responses (issue 5 §5): the recipient rows they answer, the responses themselves (with the
salesperson's notice owed, an outbox in the same row) and the funnel's facts per contact."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign_response import ContactFacts, Response
from domain.consent import Channel
from domain.sales_order import DELIVERABLE_TYPES, SalesOrder, SalesOrderStatus
from storage import tables as t

r, s = t.campaign_recipients.c, t.campaign_responses.c


@dataclass(frozen=True)
class RecipientRow:
    id: int
    campaign_id: int
    contact_kind: str
    contact_id: int
    channel: str
    chat_id: int
    email: str
    state: str
    language: str = ""  # the recipient's: what its pages speak


@dataclass(frozen=True)
class StoredResponse:
    id: int
    campaign_id: int
    contact_kind: str
    contact_id: int
    kind: str
    effect: str
    party_id: int | None
    customer_id: int | None
    notify_user_id: int | None


_RESPONSE_COLUMNS = (s.id, s.campaign_id, s.contact_kind, s.contact_id, s.kind, s.effect, s.party_id,
                     s.customer_id, s.notify_user_id)


class CampaignResponseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def recipient(self, row_id: int) -> RecipientRow | None:
        row = (await self.session.execute(
            select(r.id, r.campaign_id, r.contact_kind, r.contact_id, r.channel, r.chat_id, r.email, r.state,
                   r.language)
            .where(r.id == row_id))).first()
        return None if row is None else RecipientRow(*(str(v) if i in (4, 7) else v for i, v in enumerate(row)))

    async def find(self, campaign_id: int, contact_kind: str, contact_id: int) -> StoredResponse | None:
        row = (await self.session.execute(select(*_RESPONSE_COLUMNS).where(
            s.campaign_id == campaign_id, s.contact_kind == contact_kind, s.contact_id == contact_id))).first()
        return None if row is None else StoredResponse(*row)

    async def get(self, response_id: int) -> StoredResponse | None:
        row = (await self.session.execute(select(*_RESPONSE_COLUMNS).where(s.id == response_id))).first()
        return None if row is None else StoredResponse(*row)

    async def add(self, response: Response, channel: Channel, now: datetime) -> int:
        """The new response's id (a concurrent second answer hits the unique key: the caller's unit of
        work then reports a lost race)."""
        result = await self.session.execute(t.campaign_responses.insert().values(
            campaign_id=response.campaign_id, recipient_id=response.recipient_id,
            contact_kind=response.contact_kind, contact_id=response.contact_id, kind=response.kind.value,
            channel=channel.value, effect=response.effect.value, responded_at=now,
            party_id=response.party_id, customer_id=response.customer_id,
            notify_user_id=response.notify_user_id).returning(s.id))
        return result.scalar_one()

    async def pending_notices(self, limit: int) -> list[int]:
        rows = await self.session.scalars(select(s.id).where(s.notify_user_id.is_not(None),
                                                             s.notified_at.is_(None)).order_by(s.id).limit(limit))
        return list(rows.all())

    async def mark_notified(self, response_id: int, now: datetime) -> None:
        await self.session.execute(update(t.campaign_responses).where(s.id == response_id)
                                   .values(notified_at=now))

    async def contact_facts(self, campaign_id: int, started_at: datetime | None) -> list[ContactFacts]:
        """Per targeted contact (a recipient row's, or a telemarketing call's: a call list has no
        rows): its rows' states, an opt-out after the start, its response and the quotations and
        orders attributed to it (domain/campaign_response.py)."""
        states: dict[tuple[str, int], set[str]] = defaultdict(set)
        addresses: dict[tuple[str, str], tuple[str, int]] = {}
        rows = await self.session.execute(select(r.contact_kind, r.contact_id, r.state, r.channel, r.email,
                                                 r.chat_id).where(r.campaign_id == campaign_id))
        for kind, contact_id, state, channel, email, chat_id in rows.all():
            key = (kind, contact_id)
            states[key].add(str(state))
            address = email if str(channel) == Channel.EMAIL.value else str(chat_id)
            addresses[(str(channel), address)] = key
        calls = await self.session.execute(select(t.campaign_calls.c.contact_kind, t.campaign_calls.c.contact_id)
                                           .where(t.campaign_calls.c.campaign_id == campaign_id))
        for kind, contact_id in calls.all():
            states.setdefault((kind, contact_id), set())  # a call list's target: targeted, never 'sent'
        unsubscribed: set[tuple[str, int]] = set()
        if started_at is not None and addresses:
            k = t.consents.c
            out = await self.session.execute(select(k.channel, k.address).where(
                k.opted_out.is_(True), k.changed_at >= started_at,
                k.address.in_([a for _c, a in addresses])))
            for channel, address in out.all():
                if (key := addresses.get((str(channel), address))) is not None:
                    unsubscribed.add(key)
        responses = {(x.contact_kind, x.contact_id): x for x in (await self.session.execute(
            select(s.contact_kind, s.contact_id, s.kind, s.effect, s.responded_at, s.customer_id,
                   s.party_id).where(s.campaign_id == campaign_id))).all()}
        attributed = await self._attributed(responses.values())
        facts = []
        for key, row_states in states.items():
            response = responses.get(key)
            interested = response is not None and response.kind == "interested"
            quotations, orders, value = attributed.get(key, (0, 0, Decimal("0")))
            facts.append(ContactFacts(
                frozenset(row_states), key in unsubscribed, response is not None, interested,
                interested and response.effect in ("lead", "opportunity", "qualify", "noted"),
                quotations, orders, value))
        return facts

    async def _attributed(self, responses) -> dict[tuple[str, int], tuple[int, int, Decimal]]:
        q, o, p = t.quotations.c, t.sales_orders.c, t.parties.c
        out: dict[tuple[str, int], tuple[int, int, Decimal]] = {}
        for x in responses:
            if x.kind != "interested":
                continue
            customer_id = x.customer_id
            if customer_id is None and x.party_id is not None:
                customer_id = await self.session.scalar(select(p.customer_id).where(p.id == x.party_id))
            if customer_id is None:
                continue
            quotations = await self.session.scalar(select(func.count()).select_from(t.quotations).where(
                q.customer_id == customer_id, q.created_at >= x.responded_at)) or 0
            order_ids = (await self.session.scalars(select(o.id).where(
                o.customer_id == customer_id, o.created_at >= x.responded_at,
                o.status != SalesOrderStatus.CANCELED.value,
                o.order_type.in_([str(v) for v in DELIVERABLE_TYPES])))).all()
            value = Decimal("0")
            for order_id in order_ids:
                order = await self.session.get(SalesOrder, order_id)
                value += order.totals.net
            out[(x.contact_kind, x.contact_id)] = (quotations, len(order_ids), value)
        return out

