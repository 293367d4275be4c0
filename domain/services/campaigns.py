"""Campaign use cases (issue 5 §1-§3): create, content, schedule, pause/resume/cancel, start when due,
and the consent changes that land from unsubscribing, /stop, bounces and Telegram 403s."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from datetime import datetime

from domain.campaign import (Campaign, CampaignProgress, CampaignStatus, CampaignType, Selection, Target,
                             parse_type)
from domain.campaign_content import parse_content
from domain.campaign_response import Funnel, funnel
from domain.consent import Channel, ConsentSource
from domain.errors import N_, InvalidInput, NotFound
from domain.ports import Clock, UnitOfWork
from domain.user import Permission, User


@dataclass(frozen=True)
class CampaignView:
    campaign: Campaign
    progress: CampaignProgress
    contacts: Any = None  # mailing and telemarketing: storage's ContactCount of the selection
    calls: Any = None     # telemarketing once started: storage's CallProgress


@dataclass(frozen=True)
class Created:
    campaign: Campaign
    targets: int
    opted_out: int


async def _get(uow: UnitOfWork, user: User, campaign_id: int) -> Campaign:
    campaign = await uow.campaigns.get(campaign_id)
    if campaign is None or not user.may_see(campaign.created_by):
        raise NotFound(N_("Campaign #{number} does not exist or is not yours."), number=campaign_id)
    return campaign


async def create(uow: UnitOfWork, clock: Clock, user: User, type_text: str, name: str, language: str,
                 selection_text: str) -> Created:
    user.require(Permission.CAMPAIGNS)
    selection = Selection.parse(selection_text)
    campaign = Campaign.create(parse_type(type_text), name, language, selection, user.id, clock.now())
    async with uow:
        await uow.campaigns.add(campaign)
        await uow.flush()
        if campaign.type is CampaignType.EMAIL:
            count = await uow.campaigns.count_targets(selection, campaign.language)
            reached, out = count.contacts, count.opted_out
        else:
            count = await uow.campaign_contacts.count(selection, campaign.language)
            reached, out = count.contacts, count.refused if campaign.type is CampaignType.MAILING else 0
        await uow.commit()
    return Created(campaign, reached, out)


async def create_from_message(uow: UnitOfWork, clock: Clock, user: User, text: str) -> Created:
    """Four lines: type; name; language; selection (e.g. `stage=customer group=retail`, or `all`)."""
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    if len(lines) != 4:
        raise InvalidInput(N_("Type four lines: the type (e-mail, mailing or telemarketing), the name, "
                              "the language (en or nl) and the selection (for example stage=customer "
                              "group=retail language=nl, or all)."))
    return await create(uow, clock, user, *lines)


async def listing(uow: UnitOfWork, user: User) -> Sequence[Campaign]:
    user.require(Permission.CAMPAIGNS)
    async with uow:
        return await uow.campaigns.list(None if user.can(Permission.SEE_ALL) else user.id)


async def view(uow: UnitOfWork, user: User, campaign_id: int) -> CampaignView:
    user.require(Permission.CAMPAIGNS)
    async with uow:
        campaign = await _get(uow, user, campaign_id)
        if campaign.type is not CampaignType.EMAIL:
            contacts = await uow.campaign_contacts.count(campaign.selection, campaign.language)
            calls = (await uow.calls.progress(campaign.id)
                     if campaign.type is CampaignType.TELEMARKETING and campaign.started_at else None)
            return CampaignView(campaign, CampaignProgress(), contacts, calls)
        progress = CampaignProgress.of(await uow.campaigns.progress(campaign.id))
        if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED) and not progress.targeted:
            count = await uow.campaigns.count_targets(campaign.selection, campaign.language)
            progress = CampaignProgress(targeted=count.contacts, skipped=count.opted_out)
        return CampaignView(campaign, progress)


async def set_content(uow: UnitOfWork, user: User, campaign_id: int, language: str, text: str) -> Campaign:
    user.require(Permission.CAMPAIGNS)
    content = parse_content(language, text)
    async with uow:
        campaign = await _get(uow, user, campaign_id)
        campaign.set_content(content)
        await uow.commit()
    return campaign


async def first_target(uow: UnitOfWork, user: User, campaign_id: int) -> tuple[Campaign, Target]:
    """For the preview: the campaign and the first contact it would reach."""
    user.require(Permission.CAMPAIGNS)
    async with uow:
        campaign = await _get(uow, user, campaign_id)
        row = await uow.campaigns.first_target(campaign)
    if row is None:
        raise InvalidInput(N_("Campaign {number} reaches nobody: no contact matches its selection."),
                           number=campaign.label)
    return campaign, Target(row.contact_kind, row.contact_id, row.email, row.language, row.name,
                            row.company, row.salesperson)


async def _transition(uow: UnitOfWork, user: User, campaign_id: int, move) -> Campaign:
    user.require(Permission.CAMPAIGNS)
    async with uow:
        campaign = await _get(uow, user, campaign_id)
        move(campaign)
        await uow.commit()
    return campaign


async def schedule(uow: UnitOfWork, clock: Clock, user: User, campaign_id: int,
                   at: datetime | None) -> Campaign:
    """At a date and time, or now (None): the scheduler starts it on its next poll."""
    now = clock.now()
    return await _transition(uow, user, campaign_id,
                             lambda c: c.send_now(now) if at is None else c.schedule(at, now))


async def pause(uow: UnitOfWork, user: User, campaign_id: int) -> Campaign:
    return await _transition(uow, user, campaign_id, lambda c: c.pause())


async def resume(uow: UnitOfWork, user: User, campaign_id: int) -> Campaign:
    return await _transition(uow, user, campaign_id, lambda c: c.resume())


async def cancel(uow: UnitOfWork, clock: Clock, user: User, campaign_id: int) -> Campaign:
    """The rows not yet handed to a sender end as cancelled in the same transaction, so the card
    does not show them queued forever; a row already `sending` keeps its outcome (the mail is on its
    way; its sender records what happened). Likewise a call list's open calls: cancelled, so no
    salesperson is left with a call that never comes back."""
    user.require(Permission.CAMPAIGNS)
    async with uow:
        campaign = await _get(uow, user, campaign_id)
        campaign.cancel(clock.now())
        await uow.campaigns.cancel_unsent(campaign.id)
        await uow.calls.cancel_open(campaign.id)
        await uow.commit()
    return campaign


# --- the scheduler's side ------------------------------------------------------------------------

async def due_campaigns(uow: UnitOfWork, clock: Clock) -> Sequence[int]:
    async with uow:
        return await uow.campaigns.due(clock.now())


async def start(uow: UnitOfWork, clock: Clock, campaign_id: int) -> bool:
    """A due campaign starts: SENDING and one queued row per recipient (telemarketing: its call
    list), in one transaction. False when
    it is not due any more (paused, cancelled, or another process started it: the version check and
    the unique (campaign, e-mail) key make a second start a no-op)."""
    now = clock.now()
    async with uow:
        campaign = await uow.campaigns.get(campaign_id)
        if campaign is None or not campaign.is_due(now):
            return False
        campaign.start(now)
        await uow.flush()
        if campaign.type is CampaignType.TELEMARKETING:
            await uow.campaign_contacts.build_call_list(campaign, now)
            if not await uow.calls.open_count(campaign.id):
                campaign.finish(now)  # nobody to call (no target has a phone number)
        else:
            await uow.campaigns.queue_recipients(campaign, now)
        await uow.commit()
    return True


# --- consent -------------------------------------------------------------------------------------

async def unsubscribe(uow: UnitOfWork, clock: Clock, contact_kind: str, contact_id: int) -> str:
    """The link in a campaign mail: the contact's address is opted out of e-mail campaigns."""
    async with uow:
        email = await opt_out_contact(uow, clock.now(), contact_kind, contact_id)
        if email is None:
            raise NotFound(N_("This unsubscribe link is not valid. Please use the link from our latest "
                              "e-mail."))
        await uow.commit()
    return email


async def contact_language(uow: UnitOfWork, contact_kind: str, contact_id: int) -> str | None:
    """The language an unsubscribe token's contact reads: a customer's own; None for a party (it
    has none) or a contact that is gone."""
    if contact_kind != "customer":
        return None
    async with uow:
        customer = await uow.customers.get(contact_id)
    return customer.language if customer is not None else None


async def opt_out_contact(uow: UnitOfWork, now: datetime, contact_kind: str, contact_id: int) -> str | None:
    """Inside an open unit of work (not committed): the contact an unsubscribe token names (the
    link, or the mailto in domain/services/mail_intake.py) is opted out of e-mail campaigns at its
    address; the address, or None when the contact or its address is gone."""
    contact = await (uow.customers if contact_kind == "customer" else uow.parties).get(contact_id)
    if contact is None or not contact.email:
        return None
    await uow.consents.opt_out(Channel.EMAIL, contact.email, ConsentSource.UNSUBSCRIBE, now,
                               contact_kind, contact_id)
    return contact.email


async def telegram_opt_out(uow: UnitOfWork, clock: Clock, telegram_id: int, source: ConsentSource,
                           customer_id: int | None = None) -> None:
    """/stop (source STOP) or a Telegram 403 (BLOCKED): no more campaign messages in Telegram."""
    async with uow:
        await uow.consents.opt_out(Channel.TELEGRAM, str(telegram_id), source, clock.now(),
                                   "customer" if customer_id else "", customer_id)
        await uow.commit()


@dataclass(frozen=True)
class FunnelView:
    campaign: Campaign
    funnel: Funnel


async def funnel_view(uow: UnitOfWork, user: User, campaign_id: int) -> FunnelView:
    """Marketing sees their own campaigns, managers all."""
    user.require(Permission.CAMPAIGNS)
    async with uow:
        campaign = await _get(uow, user, campaign_id)
        facts = await uow.campaign_responses.contact_facts(campaign.id, campaign.started_at)
    return FunnelView(campaign, funnel(facts))
