"""/cancel from any step, and polite answers to what nobody expected."""
from __future__ import annotations

from handlers.routes import Routes
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import _
from handlers.free_text_invoices import FreeTextEntry
from handlers.quote_entry import QuoteEntry
from handlers.request_entry import RequestEntry

cancel_routes = Routes("cancel")
fallback_routes = Routes("fallback")


@cancel_routes.message(Command("cancel"))
async def cancel(message: Message, state: FSMContext) -> None:
    step = await state.get_state()
    await state.clear()
    await message.answer(_stopped(step) if step is not None else _("There is nothing to cancel."))


def _stopped(step: str) -> str:
    """Where the draft left behind can be found again: only quotations and free text invoices
    have drafts that outlive the conversation (a customer's /cancel must not point to /quotes)."""
    if step in QuoteEntry.__all_states_names__:
        return _("Stopped. What you saved so far is kept; drafts stay in /quotes.")
    if step in RequestEntry.__all_states_names__:  # a customer's basket lives in the conversation only
        return _("Stopped. Your quotation request was not sent.")
    if step in FreeTextEntry.__all_states_names__:
        return _("Stopped. What you saved so far is kept; /freetext shows your drafts.")
    return _("Stopped. What you saved so far is kept.")


@fallback_routes.message()
async def unexpected_message(message: Message) -> None:
    await message.answer(_("I did not understand that. /help lists what I can do."))


@fallback_routes.callback_query()
async def unexpected_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer valid."), show_alert=True)
