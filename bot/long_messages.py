"""Texts longer than one Telegram message go out as several messages, the buttons under the last.

Telegram refuses a text of more than 4 096 characters (counted after the HTML is parsed) with
"message is too long". A quotation or sales order of some forty lines with long item names is
longer than that, and its draft could then no longer be shown at all. The split is made between
lines, never inside an HTML tag; a single line longer than a message is cut as plain text.

This is a request middleware of aiogram's client session, so every handler, notice and campaign
message gets it without knowing about it.
"""
from __future__ import annotations

import html
import re
from typing import Any

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import EditMessageText, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.formatting import plain_text

TEXT_LIMIT = 4096  # Telegram's, in UTF-16 code units of the text after parsing
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def visible_length(text: str, is_html: bool) -> int:
    """What Telegram counts: the text as shown (tags removed, entities decoded), in UTF-16 units."""
    shown = plain_text(text) if is_html else text
    return len(shown.encode("utf-16-le")) // 2


def split_message(text: str, is_html: bool, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` as parts of at most `limit` visible characters, split between lines."""
    # Fast path for nearly every message: a character is at most two UTF-16 units, and parsing
    # only shortens the text.
    if 2 * len(text) <= limit or visible_length(text, is_html) <= limit:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for block in _blocks(text, is_html):
        length = visible_length(block, is_html)
        if current and size + 1 + length > limit:
            parts.append("\n".join(current))
            current, size = [], 0
        if length > limit:
            parts.extend(_cut(block, is_html, limit))
            continue
        size += (1 if current else 0) + length
        current.append(block)
    if current:
        parts.append("\n".join(current))
    return [part.strip("\n") for part in parts if part.strip()]


def _blocks(text: str, is_html: bool) -> list[str]:
    """Lines, joined where an HTML tag is still open at the end of a line (a split there would
    leave both parts unparsable)."""
    blocks: list[str] = []
    pending: list[str] = []
    depth = 0
    for line in text.split("\n"):
        pending.append(line)
        if is_html:
            for closing, _name in _TAG.findall(line):
                depth += -1 if closing else 1
        if depth <= 0:
            blocks.append("\n".join(pending))
            pending, depth = [], 0
    if pending:
        blocks.append("\n".join(pending))
    return blocks


def _cut(block: str, is_html: bool, limit: int) -> list[str]:
    """A block longer than a message: its plain text in pieces (the formatting is given up)."""
    shown = plain_text(block) if is_html else block
    pieces, piece, size = [], [], 0
    for char in shown:  # by character, so no surrogate pair is cut in two
        width = 2 if ord(char) > 0xFFFF else 1
        if size + width > limit:
            pieces.append("".join(piece))
            piece, size = [], 0
        piece.append(char)
        size += width
    pieces.append("".join(piece))
    return [html.escape(p, quote=False) if is_html else p for p in pieces if p.strip()]


class SplitLongMessages(BaseRequestMiddleware):
    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Any:
        if not isinstance(method, (SendMessage, EditMessageText)):
            return await make_request(bot, method)
        parts = split_message(method.text, _is_html(bot, method))
        if len(parts) == 1:
            return await make_request(bot, method)
        if isinstance(method, EditMessageText) and method.chat_id is None:
            # An inline message has no chat to send the rest to: keep what fits.
            return await make_request(bot, method.model_copy(update={"text": parts[0]}))
        markup, last = method.reply_markup, len(parts) - 1
        result = await make_request(bot, method.model_copy(update={"text": parts[0], "reply_markup": None}))
        for n, part in enumerate(parts[1:], start=1):
            result = await make_request(bot, _follow_up(method, part, markup if n == last else None))
        return result


def _follow_up(method: SendMessage | EditMessageText, text: str, markup: Any) -> SendMessage:
    """A further part, sent as a new message to the same chat; only the first answers a message."""
    if isinstance(method, SendMessage):
        return method.model_copy(update={"text": text, "reply_markup": markup, "reply_parameters": None,
                                         "reply_to_message_id": None})
    return SendMessage(chat_id=method.chat_id, text=text, parse_mode=method.parse_mode,
                       business_connection_id=method.business_connection_id, reply_markup=markup)


def _is_html(bot: Bot, method: SendMessage | EditMessageText) -> bool:
    mode = method.parse_mode
    if isinstance(mode, Default):
        mode = bot.default[mode.name]
    return str(mode or "").upper() == "HTML"
