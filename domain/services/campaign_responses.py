"""Campaign responses (issue 5 §4-§5): the Telegram buttons and the e-mail interest link, and the
campaign's funnel. The rules are in domain/campaign_response.py."""
from __future__ import annotations

from dataclasses import dataclass

from domain.campaign import Campaign
from domain.campaign_response import Effect, Response, ResponseKind, effect_of, start_sales_process
from domain.consent import Channel, ConsentSource
from domain.errors import N_, ConcurrentChange, NotFound, NotPermitted
from domain.ports import Clock, UnitOfWork
from domain.relationship import Stage

NOT_YOURS = N_("This button is not meant for you.")


@dataclass(frozen=True)
class Answered:
    recorded: bool          # False: this contact had already answered this campaign
    effect: Effect | None = None
    response_id: int | None = None


async def _recipient(uow: UnitOfWork, recipient_id: int, chat_id: int | None):
    row = await uow.campaign_responses.recipient(recipient_id)
    if row is None:
        raise NotFound(N_("This campaign is no longer known."))
    if chat_id is not None and (row.channel != Channel.TELEGRAM.value or row.chat_id != chat_id):
        raise NotPermitted(NOT_YOURS)  # a button replayed from another chat
    return row


async def respond(uow: UnitOfWork, clock: Clock, recipient_id: int, kind: ResponseKind,
                  chat_id: int | None = None) -> Answered:
    """`chat_id`: the tapping chat (Telegram), which must be the row's; None for the signed e-mail link."""
    now = clock.now()
    channel = Channel.EMAIL if chat_id is None else Channel.TELEGRAM
    try:
        async with uow:
            row = await _recipient(uow, recipient_id, chat_id)
            if await uow.campaign_responses.find(row.campaign_id, row.contact_kind, row.contact_id):
                return Answered(False)
            campaign: Campaign = await uow.campaigns.get(row.campaign_id)
            party = customer = None
            if row.contact_kind == "party":
                party = await uow.parties.get(row.contact_id)
            else:
                customer = await uow.customers.get(row.contact_id)
                party = await uow.parties.by_customer(row.contact_id)
            effect = effect_of(kind, row.contact_kind, party.stage if party else None,
                               party is not None and party.open_opportunity is not None)
            salesperson = None
            if effect is not Effect.NONE:
                salesperson = (customer.salesperson_id if customer is not None else None) or \
                    (party.owner_id if party is not None else None) or campaign.created_by
            start_sales_process(party, effect, party.owner_id if party else salesperson, now)
            response = Response(row.campaign_id, row.id, row.contact_kind, row.contact_id, kind, effect,
                                party.id if party else None, customer.id if customer else None, salesperson)
            response_id = await uow.campaign_responses.add(response, channel, now)
            await uow.commit()
    except ConcurrentChange:  # the same contact answered twice at the same moment: one is kept
        return Answered(False)
    return Answered(True, effect, response_id)


async def stop_messages(uow: UnitOfWork, clock: Clock, recipient_id: int, chat_id: int) -> None:
    """The Stop messages button: this chat opts out of Telegram campaigns (like /stop)."""
    async with uow:
        row = await _recipient(uow, recipient_id, chat_id)
        await uow.consents.opt_out(Channel.TELEGRAM, str(chat_id), ConsentSource.STOP, clock.now(),
                                   "customer" if row.contact_kind == "customer" else "", row.contact_id)
        await uow.commit()


@dataclass(frozen=True)
class ResponseNotice:
    response_id: int
    telegram_id: int
    language: str | None
    campaign: Campaign
    contact_name: str
    effect: Effect
    party_id: int | None
    account_number: str


async def pending_notice(uow: UnitOfWork, response_id: int) -> ResponseNotice | None:
    """What the salesperson is told about one response (None: nobody to tell)."""
    async with uow:
        x = await uow.campaign_responses.get(response_id)
        user = await uow.users.get(x.notify_user_id) if x and x.notify_user_id else None
        if user is None:
            return None
        campaign = await uow.campaigns.get(x.campaign_id)
        party = await uow.parties.get(x.party_id) if x.party_id else None
        customer = await uow.customers.get(x.customer_id) if x.customer_id else None
        name = customer.name if customer else party.display_name if party else "?"
        return ResponseNotice(x.id, user.telegram_id, user.language, campaign, name, Effect(x.effect),
                              party.id if party and party.stage is not Stage.CUSTOMER else None,
                              customer.account_number if customer else "")
