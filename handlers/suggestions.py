"""Up-sell/cross-sell suggestions under a line just entered: one message with a button each.

Called by the quotation entry after a line is added; the tap is handled in handlers/product_lists.py.
"""
from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _
from domain.product_list import RuleKind
from domain.services.product_lists import Suggestion
from handlers.text import esc


class SuggestionTap(CallbackData, prefix="sg"):
    offer_id: int


def suggestion_button_text(s: Suggestion) -> str:
    # Button labels are plain text: no escaping.
    words = _("Instead: {item}") if s.kind is RuleKind.UP_SELL else _("Add: {item}")
    return words.format(item=f"{s.suggested.item_number} · {s.suggested.name}")[:60]


def suggestions_text(suggestions: Sequence[Suggestion]) -> str:
    first = suggestions[0].item
    rows = [_("Suggestions for {item} {name}:").format(item=esc(first.item_number), name=esc(first.name))]
    for s in suggestions:
        what = (_("Up-sell: {item} {name} instead") if s.kind is RuleKind.UP_SELL
                else _("Cross-sell: {item} {name} as well"))
        row = "• " + what.format(item=esc(s.suggested.item_number), name=esc(s.suggested.name))
        if s.note:
            row += " — <i>" + esc(s.note) + "</i>"
        rows.append(row)
    return "\n".join(rows)


async def show_suggestions(message: Message, found: list[Suggestion]) -> None:
    if not found:
        return
    keyboard = [[Button(text=suggestion_button_text(s),
                        callback_data=SuggestionTap(offer_id=s.offer_id).pack())] for s in found]
    await message.answer(suggestions_text(found),
                         reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard))
