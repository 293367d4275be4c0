"""Campaign storage (issue 5): the campaign aggregate, its targets and the contacts' consent.
The recipient queue is storage/recipient_queue.py, the schedulers' lock storage/leader_lock.py."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, case, exists, func, literal, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import Campaign, CampaignStatus, RecipientState, Selection
from domain.consent import Channel, Consent, ConsentSource, email_key
from domain.user import Role
from storage import tables as t
from storage.contact_store import contact_selects
from storage.repository_base import dialect_insert


r, cp = t.campaign_recipients.c, t.campaigns.c
Q = RecipientState
ADDRESS_KEY = ["campaign_id", "channel", "chat_id", "email"]


# --- targets -----------------------------------------------------------------------------------------

def _target_selects(selection: Selection, language: str, need_email: bool = True):
    """(customers, parties) selects of an e-mail campaign's target columns (storage/contact_store.py
    chooses the contacts); `need_email`: only those with an address."""
    return tuple(None if s is None else _email_columns(s, need_email)
                 for s in contact_selects(selection, language))


def _email_columns(contacts, need_email: bool):
    col = contacts.selected_columns
    chosen = contacts.with_only_columns(col.contact_kind, col.contact_id, func.lower(col.email).label("email"),
                                        col.language, col.name, col.company, col.salesperson)
    return chosen.where(col.email != "") if need_email else chosen


def _opted_out(email_column):
    k = t.consents.c
    return exists().where(k.channel == Channel.EMAIL.value, k.address == email_column, k.opted_out.is_(True))


@dataclass(frozen=True)
class TargetCount:
    contacts: int   # distinct e-mail addresses
    opted_out: int  # of whom opted out of e-mail


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id_: int) -> Campaign | None:
        return await self.session.get(Campaign, id_)

    async def add(self, campaign: Campaign) -> None:
        self.session.add(campaign)

    async def list(self, created_by: int | None, limit: int = 20) -> Sequence[Campaign]:
        stmt = select(Campaign).order_by(cp.id.desc()).limit(limit)
        if created_by is not None:
            stmt = stmt.where(cp.created_by == created_by)
        return list((await self.session.scalars(stmt)).all())

    async def due(self, now: datetime) -> Sequence[int]:
        stmt = select(cp.id).where(cp.status == CampaignStatus.SCHEDULED.value, cp.scheduled_at <= now)
        return list((await self.session.scalars(stmt.order_by(cp.scheduled_at))).all())

    async def count_targets(self, selection: Selection, language: str) -> TargetCount:
        selects = [s for s in _target_selects(selection, language) if s is not None]
        if not selects:
            return TargetCount(0, 0)
        emails = union_all(*[s.with_only_columns(s.selected_columns.email) for s in selects]).subquery()
        distinct = select(emails.c.email).distinct().subquery()
        total = await self.session.scalar(select(func.count()).select_from(distinct))
        out = await self.session.scalar(select(func.count()).select_from(distinct)
                                        .where(_opted_out(distinct.c.email)))
        return TargetCount(total or 0, out or 0)

    async def queue_recipients(self, campaign: Campaign, now: datetime) -> None:
        """One row per distinct address (customers first), in the database alone: INSERT ... SELECT.
        Opted-out addresses are queued as skipped, so the count shows them."""
        for select_ in _target_selects(campaign.selection, campaign.language):
            if select_ is None:
                continue
            sub = select_.subquery()
            state = case((_opted_out(sub.c.email), Q.SKIPPED.value), else_=Q.QUEUED.value)
            rows = select(literal(campaign.id), sub.c.contact_kind, sub.c.contact_id, sub.c.email,
                          sub.c.language, sub.c.name, sub.c.company, sub.c.salesperson, state,
                          literal(0), literal(now, t.campaign_recipients.c.next_attempt_at.type),
                          literal("")).where(sub.c.email != "")
            stmt = dialect_insert(self.session, t.campaign_recipients).from_select(
                ["campaign_id", "contact_kind", "contact_id", "email", "language", "name", "company",
                 "salesperson", "state", "attempts", "next_attempt_at", "message_id"], rows)
            await self.session.execute(stmt.on_conflict_do_nothing(index_elements=ADDRESS_KEY))
        await self._queue_telegram(campaign, now)

    async def _queue_telegram(self, campaign: Campaign, now: datetime) -> None:
        """Issue 5 §4: a targeted customer's every linked Telegram account gets a Telegram row too;
        an account that opted out of Telegram campaigns (/stop, a 403) is queued as skipped."""
        customers, _parties = _target_selects(campaign.selection, campaign.language, need_email=False)
        if customers is None:
            return
        sub, u, k = customers.subquery(), t.users.c, t.consents.c
        chat = func.cast(u.telegram_id, String)
        stopped = exists().where(k.channel == Channel.TELEGRAM.value, k.address == chat, k.opted_out.is_(True))
        state = case((stopped, Q.SKIPPED.value), else_=Q.QUEUED.value)
        rows = (select(literal(campaign.id), sub.c.contact_kind, sub.c.contact_id, sub.c.email,
                       func.coalesce(u.language, sub.c.language), sub.c.name, sub.c.company,
                       sub.c.salesperson, state, literal(0),
                       literal(now, t.campaign_recipients.c.next_attempt_at.type), literal(""),
                       literal(Channel.TELEGRAM.value), u.telegram_id)
                .select_from(sub.join(t.users, (u.customer_id == sub.c.contact_id)
                                      & (u.role == Role.CUSTOMER.value))))
        stmt = dialect_insert(self.session, t.campaign_recipients).from_select(
            ["campaign_id", "contact_kind", "contact_id", "email", "language", "name", "company",
             "salesperson", "state", "attempts", "next_attempt_at", "message_id", "channel", "chat_id"], rows)
        await self.session.execute(stmt.on_conflict_do_nothing(index_elements=ADDRESS_KEY))

    async def cancel_unsent(self, campaign_id: int) -> int:
        """The campaign was cancelled: its queued rows (claimed or not, retries too) will never be
        sent. Only `queued` rows change, and a sender's `begin_sending` needs `queued` too, so a row
        is either cancelled here or already `sending` (left to its sender to record), never both; on
        PostgreSQL the row lock orders this UPDATE and a concurrent `begin_sending`, and the second
        re-checks the state."""
        result = await self.session.execute(
            update(t.campaign_recipients)
            .where(r.campaign_id == campaign_id, r.state == Q.QUEUED.value)
            .values(state=Q.CANCELLED.value, last_error="campaign cancelled"))
        return result.rowcount

    async def progress(self, campaign_id: int) -> dict[str, int]:
        rows = await self.session.execute(select(r.state, func.count()).where(r.campaign_id == campaign_id)
                                          .group_by(r.state))
        return {str(state): count for state, count in rows.all()}

    async def first_target(self, campaign: Campaign):
        for select_ in _target_selects(campaign.selection, campaign.language):
            if select_ is not None:
                row = (await self.session.execute(select_.order_by(literal(1)).limit(1))).first()
                if row is not None:
                    return row
        return None


class ConsentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, channel: Channel, address: str) -> Consent | None:
        k = t.consents.c
        return await self.session.scalar(select(Consent).where(k.channel == channel.value,
                                                               k.address == address))

    async def opt_out(self, channel: Channel, address: str, source: ConsentSource, now: datetime,
                      contact_kind: str = "", contact_id: int | None = None) -> None:
        """Record an opt-out (an upsert: safe when two happen at once)."""
        address = email_key(address) if channel is Channel.EMAIL else str(address)
        stmt = dialect_insert(self.session, t.consents).values(
            channel=channel.value, address=address, opted_out=True, source=source.value, changed_at=now,
            contact_kind=contact_kind, contact_id=contact_id)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["channel", "address"],
            set_={"opted_out": True, "source": source.value, "changed_at": now}))

    async def opted_out(self, channel: Channel, addresses: Sequence[str]) -> set[str]:
        k = t.consents.c
        rows = await self.session.scalars(select(k.address).where(
            k.channel == channel.value, k.address.in_(list(addresses)), k.opted_out.is_(True)))
        return set(rows.all())
