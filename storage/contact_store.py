"""Contacts across customers and parties for the campaign types that reach people without e-mail:
tags (for every selection), letter targets (mailing) and call list rows (telemarketing)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, delete, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.call_list import CallState
from domain.campaign import Campaign, Selection
from domain.consent import Channel, ConsentSource
from domain.relationship import Stage
from storage import tables as t

ct = t.contact_tags.c


def tagged(kind: str, id_column, tags: Sequence[str]):
    """A condition: the contact carries every one of `tags` (True when there are none)."""
    return and_(True, *[exists().where(ct.contact_kind == kind, ct.contact_id == id_column, ct.tag == tag)
                        for tag in tags])


def refused_post(email_column):
    """The contact opted out themselves (unsubscribe link, /stop, or staff on their word). A bounce
    says the address is dead, not that they refuse letters."""
    k = t.consents.c
    return exists().where(k.channel == Channel.EMAIL.value, k.address == func.lower(email_column),
                          k.opted_out.is_(True), k.source != ConsentSource.BOUNCE.value)


def contact_selects(selection: Selection, language: str):
    """(customers, parties) selects of every contact a selection reaches, with or without an e-mail
    address or phone; None where the selection excludes them. Every campaign type starts here.

    Customers are the stage Customer; parties at the earlier stages. Parties have no customer group
    and no language of their own: a group or language in the selection leaves them out, and they get
    the campaign's language. A contact's salesperson is the account's, else its party's owner.
    """
    c, p, u = t.customers.c, t.parties.c, t.users.c
    customers = parties = None
    if selection.stage in (None, Stage.CUSTOMER):
        owner = t.parties.alias("owner_party")
        salesperson_id = func.coalesce(c.salesperson_id, owner.c.owner_id)
        customers = (
            select(literal("customer").label("contact_kind"), c.id.label("contact_id"),
                   c.name.label("name"), c.name.label("company"), c.email.label("email"),
                   func.coalesce(owner.c.phone, "").label("phone"), c.language.label("language"),
                   salesperson_id.label("salesperson_id"), func.coalesce(u.name, "").label("salesperson"),
                   c.postal_address.label("postal_address"))
            .select_from(t.customers.outerjoin(owner, owner.c.customer_id == c.id)
                         .outerjoin(t.users, u.id == salesperson_id))
            .where(tagged("customer", c.id, selection.tags)))
        if selection.customer_group:
            customers = customers.where(c.customer_group == selection.customer_group)
        if selection.language:
            customers = customers.where(c.language == selection.language)
    if selection.stage != Stage.CUSTOMER and not selection.customer_group and not selection.language:
        stages = [selection.stage] if selection.stage else [Stage.PROSPECT, Stage.LEAD, Stage.OPPORTUNITY]
        parties = (
            select(literal("party").label("contact_kind"), p.id.label("contact_id"), p.name.label("name"),
                   p.company.label("company"), p.email.label("email"), p.phone.label("phone"),
                   literal(language).label("language"), p.owner_id.label("salesperson_id"),
                   func.coalesce(u.name, "").label("salesperson"), p.postal_address.label("postal_address"))
            .select_from(t.parties.outerjoin(t.users, u.id == p.owner_id))
            .where(p.stage.in_([str(s) for s in stages]), tagged("party", p.id, selection.tags)))
    return customers, parties


@dataclass(frozen=True)
class LetterTarget:
    contact_kind: str
    contact_id: int
    name: str
    company: str
    email: str
    language: str
    salesperson: str
    postal_address: str  # lines separated by newlines; "" when unknown


@dataclass(frozen=True)
class ContactCount:
    contacts: int
    without_phone: int
    refused: int  # opted out of marketing themselves (letters skip them)


class ContactTagRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of(self, kind: str, contact_id: int) -> tuple[str, ...]:
        rows = await self.session.scalars(select(ct.tag).where(ct.contact_kind == kind, ct.contact_id == contact_id)
                                          .order_by(ct.tag))
        return tuple(rows.all())

    async def replace(self, kind: str, contact_id: int, tags: Sequence[str]) -> None:
        current = set(await self.of(kind, contact_id))
        gone = current - set(tags)
        if gone:
            await self.session.execute(delete(t.contact_tags).where(
                ct.contact_kind == kind, ct.contact_id == contact_id, ct.tag.in_(sorted(gone))))
        for tag in sorted(set(tags) - current):
            await self.session.execute(t.contact_tags.insert().values(contact_kind=kind, contact_id=contact_id,
                                                                      tag=tag))


class CampaignContacts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _union(self, campaign_or_selection, language: str):
        selects = [s for s in contact_selects(campaign_or_selection, language) if s is not None]
        if not selects:
            return None
        return selects[0].union_all(*selects[1:]).subquery() if len(selects) > 1 else selects[0].subquery()

    async def count(self, selection: Selection, language: str) -> ContactCount:
        sub = self._union(selection, language)
        if sub is None:
            return ContactCount(0, 0, 0)
        total, no_phone, refused = (await self.session.execute(select(
            func.count(), func.count().filter(sub.c.phone == ""),
            func.count().filter(refused_post(sub.c.email))).select_from(sub))).one()
        return ContactCount(total or 0, no_phone or 0, refused or 0)

    async def letter_targets(self, campaign: Campaign) -> list[LetterTarget]:
        sub = self._union(campaign.selection, campaign.language)
        if sub is None:
            return []
        rows = await self.session.execute(
            select(sub.c.contact_kind, sub.c.contact_id, sub.c.name, sub.c.company, sub.c.email,
                   sub.c.language, func.coalesce(t.users.c.name, ""), sub.c.postal_address)
            .select_from(sub.outerjoin(t.users, t.users.c.id == sub.c.salesperson_id))
            .where(~refused_post(sub.c.email)).order_by(sub.c.name, sub.c.contact_kind, sub.c.contact_id))
        return [LetterTarget(*row) for row in rows.all()]

    async def build_call_list(self, campaign: Campaign, now: datetime) -> None:
        """One call per target (INSERT ... SELECT); without a phone number: skipped."""
        sub = self._union(campaign.selection, campaign.language)
        if sub is None:
            return
        state = case((sub.c.phone == "", CallState.SKIPPED.value), else_=CallState.OPEN.value)
        rows = select(literal(campaign.id), sub.c.contact_kind, sub.c.contact_id, sub.c.name, sub.c.company,
                      sub.c.phone, sub.c.language, sub.c.salesperson_id, state, literal(0), literal(1))
        await self.session.execute(t.campaign_calls.insert().from_select(
            ["campaign_id", "contact_kind", "contact_id", "name", "company", "phone", "language",
             "assigned_to", "state", "attempts", "version"], rows))
