"""Picking a customer from what was typed, shared by every conversation that starts with one."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram.types import InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.services import catalog
from domain.services.catalog import MAX_MATCHES
from handlers.callbacks import CustomerPick
from handlers.deps import Deps
from handlers.text import esc


async def answer_customer_search(message: Message, deps: Deps, start: Callable[[int], Awaitable[None]],
                                 text: str | None = None) -> None:
    """One match starts at once; a few give buttons (CustomerPick); none or too many say so.
    `text`: what to look for, when it is not the message's whole text (a command's argument)."""
    text = message.text if text is None else text
    found = await catalog.find_customers(deps.uow(), text)
    if not found:
        await message.answer(_("No customer matches “{text}”. Try again, or /cancel.").format(text=esc(text)))
    elif len(found) > MAX_MATCHES:
        await message.answer(_("More than {count} customers match. Type more of the name.").format(count=MAX_MATCHES))
    elif len(found) == 1:
        await start(found[0].id)
    else:
        keyboard = [[Button(text=f"{c.account_number} · {c.name}", callback_data=CustomerPick(customer_id=c.id).pack())]
                    for c in found]
        await message.answer(_("Which one?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard))
