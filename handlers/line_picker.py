"""'Which line?': a button per line of a quotation, free text invoice or request, within what
Telegram takes in one inline keyboard (100 buttons, 8 to a row, about 10 kB in all)."""
from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup

from bot.i18n import _

NUMBERS_PER_KEYBOARD = 96  # 12 rows of 8 bare line numbers
ROW = 8
MAX_BYTES = 8_000  # of the keyboard's JSON: below Telegram's ~10 kB, with room to spare


def line_keyboards(choices: Sequence[tuple[int, str, str]]) -> list[InlineKeyboardMarkup]:
    """`choices`: (line number, label, callback data) per line. One keyboard with a labelled button
    per line when it fits; else the bare line numbers (as the document above shows them), 96 to a
    keyboard, in as many keyboards as it takes."""
    labelled = _labelled(choices)
    return [labelled] if labelled is not None else _numbered(choices)


def _labelled(choices: Sequence[tuple[int, str, str]]) -> InlineKeyboardMarkup | None:
    if len(choices) > NUMBERS_PER_KEYBOARD:
        return None
    markup = InlineKeyboardMarkup(inline_keyboard=[[Button(text=label, callback_data=data)]
                                                   for _n, label, data in choices])
    return markup if len(markup.model_dump_json(exclude_none=True).encode()) <= MAX_BYTES else None


def _numbered(choices: Sequence[tuple[int, str, str]]) -> list[InlineKeyboardMarkup]:
    numbers = [Button(text=str(n), callback_data=data) for n, _label, data in choices]
    pages = [numbers[i:i + NUMBERS_PER_KEYBOARD] for i in range(0, len(numbers), NUMBERS_PER_KEYBOARD)]
    return [InlineKeyboardMarkup(inline_keyboard=[page[i:i + ROW] for i in range(0, len(page), ROW)])
            for page in pages]


async def ask_which_line(query: CallbackQuery, choices: Sequence[tuple[int, str, str]]) -> None:
    """Answer the tap and offer the lines, in several messages when one keyboard cannot hold them."""
    labelled = _labelled(choices)
    keyboards = [labelled] if labelled is not None else _numbered(choices)
    first = _("Which line?") if labelled is not None else _("Which line? Tap its number.")
    await query.answer()
    for n, keyboard in enumerate(keyboards):
        await query.message.answer(first if n == 0 else _("More lines:"), reply_markup=keyboard)
