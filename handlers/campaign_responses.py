"""A Telegram campaign's buttons (Interested / Not now / Stop messages, issue 5 §4-§5): what the
contact taps and reads. What the salesperson and marketing see of the answers is in
handlers/campaign_results.py.

The buttons carry the recipient row only; the service checks that the tapping chat is that row's
(a button replayed from another chat is refused).
"""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup

from bot.i18n import _
from domain.campaign_response import ResponseKind
from domain.services import campaign_responses
from handlers.deps import Deps
from handlers.routes import Routes

routes = Routes("campaign_responses")


class CampaignReply(CallbackData, prefix="cr"):
    action: str  # i interested, n not now, s stop messages
    recipient_id: int


def campaign_keyboard(recipient_id: int) -> InlineKeyboardMarkup:
    def b(label: str, action: str) -> Button:
        return Button(text=label, callback_data=CampaignReply(action=action, recipient_id=recipient_id).pack())
    return InlineKeyboardMarkup(inline_keyboard=[[b(_("Interested"), "i"), b(_("Not now"), "n")],
                                                 [b(_("Stop messages"), "s")]])


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
