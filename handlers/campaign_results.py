"""What came of a campaign, for staff: the salesperson's notice of a response (sent by the Telegram
campaign sender) and /campaign N, the campaign's funnel as text and as a chart."""
from __future__ import annotations

import asyncio

from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.formatting import format_money
from bot.funnel_chart import funnel_png
from bot.i18n import _, current_locale
from domain.campaign_response import Effect
from domain.errors import N_, InvalidInput
from domain.services import campaigns
from domain.services.campaign_responses import ResponseNotice
from domain.user import User
from handlers.deps import Deps
from handlers.leads import PartyOpen
from handlers.routes import Routes
from handlers.text import esc

routes = Routes("campaign_results")


def notice_message(n: ResponseNotice) -> tuple[str, InlineKeyboardMarkup | None]:
    head = _("{name} is interested in campaign #{id} ({campaign}).").format(
        name=esc(n.contact_name), id=n.campaign.id, campaign=esc(n.campaign.name))
    step = {Effect.LEAD: _("They are a lead now; follow them up."),
            Effect.OPPORTUNITY: _("They were a lead already and are an opportunity now. Open it and "
                                  "give the estimate (value, probability, close date)."),
            Effect.QUALIFY: _("They were a lead already: qualify them as an opportunity."),
            Effect.NOTED: _("They already have an open opportunity."),
            Effect.QUOTE: _("Start a quotation with /quote and the account {account}.").format(
                account=esc(n.account_number))}[n.effect]
    markup = None
    if n.party_id is not None:
        markup = InlineKeyboardMarkup(inline_keyboard=[[Button(
            text=_("Open"), callback_data=PartyOpen(party_id=n.party_id).pack())]])
    return head + "\n" + step, markup


USAGE = N_("Type /campaign and the campaign's number, e.g. /campaign 3.")


def funnel_text(v, currency: str) -> str:
    f, c = v.funnel, v.campaign
    return "\n".join([
        _("<b>Campaign #{id}: {name}</b>").format(id=c.id, name=esc(c.name)),
        _("Targeted: {count}").format(count=f.targeted),
        _("Sent: {sent} · failed: {failed} · bounced: {bounced}").format(
            sent=f.sent, failed=f.failed, bounced=f.bounced),
        _("Unsubscribed since the start: {count}").format(count=f.unsubscribed),
        _("Responded: {count} (interested: {interested})").format(count=f.responded, interested=f.interested),
        _("Leads: {count}").format(count=f.leads),
        _("Quotations: {count}").format(count=f.quotations),
        _("Orders won: {count}, worth {value}").format(
            count=f.orders_won, value=format_money(f.won_value, currency, current_locale())),
        _("Quotations and orders count when made out to a contact who answered Interested, after that "
          "answer.")])


@routes.message(Command("campaign"))
async def show_funnel(message: Message, command: CommandObject, user: User, deps: Deps) -> None:
    number = (command.args or "").strip().lstrip("#")
    if not number.isdigit():
        raise InvalidInput(USAGE)
    v = await campaigns.funnel_view(deps.uow(), user, int(number))
    await message.answer(funnel_text(v, deps.currency))
    steps = v.funnel.steps()
    png = await asyncio.to_thread(funnel_png, _("Campaign #{id}").format(id=v.campaign.id),
                                  [_(label) for label, _n in steps], [n for _l, n in steps])
    await message.answer_photo(BufferedInputFile(png, filename=f"campaign-{v.campaign.id}.png"),
                               caption=_("Each step counts contacts who reached the step above it."))
