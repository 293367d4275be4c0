"""A Telegram campaign's buttons (Interested / Not now / Stop messages, issue 5 §4-§5), the
salesperson's notice of a response, and /campaign N: the campaign's funnel as text and a chart.

The buttons carry the recipient row only; the service checks that the tapping chat is that row's
(a button replayed from another chat is refused).
"""
from __future__ import annotations

import asyncio

from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (BufferedInputFile, CallbackQuery, InlineKeyboardButton as Button,
                           InlineKeyboardMarkup, Message)

from bot.formatting import format_money
from bot.funnel_chart import funnel_png
from bot.i18n import _, current_locale
from domain.campaign_response import Effect, ResponseKind
from domain.errors import N_, InvalidInput
from domain.services import campaign_responses
from domain.services.campaign_responses import ResponseNotice
from domain.user import User
from handlers.deps import Deps
from handlers.leads import PartyOpen
from handlers.routes import Routes
from handlers.text import esc

routes = Routes("campaign_responses")


class CampaignReply(CallbackData, prefix="cr"):
    action: str  # i interested, n not now, s stop messages
    recipient_id: int


def campaign_keyboard(recipient_id: int) -> InlineKeyboardMarkup:
    def b(label: str, action: str) -> Button:
        return Button(text=label, callback_data=CampaignReply(action=action, recipient_id=recipient_id).pack())
    return InlineKeyboardMarkup(inline_keyboard=[[b(_("Interested"), "i"), b(_("Not now"), "n")],
                                                 [b(_("Stop messages"), "s")]])


def notice_message(n: ResponseNotice) -> tuple[str, InlineKeyboardMarkup | None]:
    head = _("{name} is interested in campaign #{id} ({campaign}).").format(
        name=esc(n.contact_name), id=n.campaign.id, campaign=esc(n.campaign.name))
    step = {Effect.LEAD: _("They are a lead now; follow them up."),
            Effect.QUALIFY: _("They were a lead already: qualify them as an opportunity."),
            Effect.NOTED: _("They already have an open opportunity."),
            Effect.QUOTE: _("Start a quotation with /quote and the account {account}.").format(
                account=esc(n.account_number))}[n.effect]
    markup = None
    if n.party_id is not None:
        markup = InlineKeyboardMarkup(inline_keyboard=[[Button(
            text=_("Open"), callback_data=PartyOpen(party_id=n.party_id).pack())]])
    return head + "\n" + step, markup


@routes.callback_query(CampaignReply.filter())
async def reply(query: CallbackQuery, callback_data: CampaignReply, deps: Deps, **data) -> None:
    chat_id, rid = query.from_user.id, callback_data.recipient_id
    if callback_data.action == "s":
        await campaign_responses.stop_messages(deps.uow(), deps.clock, rid, chat_id)
        await query.answer(_("Done: you will get no more campaign messages here."), show_alert=True)
        return
    kind = ResponseKind.INTERESTED if callback_data.action == "i" else ResponseKind.NOT_NOW
    answered = await campaign_responses.respond(deps.uow(), deps.clock, rid, kind, chat_id)
    if answered.recorded and kind is ResponseKind.INTERESTED and (kit := data.get("campaigns")) is not None:
        kit.wake_telegram()  # the salesperson's notice goes out now
    if not answered.recorded:
        text = _("Your answer was already noted. Thank you!")
    elif kind is ResponseKind.INTERESTED:
        text = _("Thank you! Your contact person will get in touch with you soon.")
    else:
        text = _("Thank you, noted. We will not bother you about this again.")
    await query.answer(text, show_alert=True)


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
    v = await campaign_responses.funnel_view(deps.uow(), user, int(number))
    await message.answer(funnel_text(v, deps.currency))
    steps = v.funnel.steps()
    png = await asyncio.to_thread(funnel_png, _("Campaign #{id}").format(id=v.campaign.id),
                                  [_(label) for label, _n in steps], [n for _l, n in steps])
    await message.answer_photo(BufferedInputFile(png, filename=f"campaign-{v.campaign.id}.png"),
                               caption=_("Each step counts contacts who reached the step above it."))
