"""/cancel from any step, and polite answers to what nobody expected."""
from __future__ import annotations

from handlers.routes import Routes
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import _

cancel_routes = Routes("cancel")
fallback_routes = Routes("fallback")


@cancel_routes.message(Command("cancel"))
async def cancel(message: Message, state: FSMContext) -> None:
    had_state = await state.get_state() is not None
    await state.clear()
    await message.answer(_("Stopped. What you saved so far is kept; drafts stay in /quotes.")
                         if had_state else _("There is nothing to cancel."))


@fallback_routes.message()
async def unexpected_message(message: Message) -> None:
    await message.answer(_("I did not understand that. /help lists what I can do."))


@fallback_routes.callback_query()
async def unexpected_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer valid."), show_alert=True)
