"""What Telegram refuses now and then while a handler answers a user, met in one place.

Only for requests made while an update is handled (bot.middlewares.InFlightUpdates marks them):
background senders (campaigns, notices, deliveries) keep their own pace and retry rules.

- 429 Too Many Requests: wait the `retry_after` Telegram gives, up to a few seconds, and send again,
  instead of losing the reply (and showing "something went wrong" after the work was done).
- A tap answered too late ("query is too old"): nothing can be shown on it any more, and the work
  behind it is done; the answer counts as not shown (False) instead of failing the handler.
- An edit of a message the user deleted: the text is sent as a new message instead (and buttons
  that were to be taken off it are gone with it).
- An edit that would show what is shown already ("message is not modified", e.g. a pick from an old
  keyboard): there is nothing to change, and the handler goes on.
"""
from __future__ import annotations

import asyncio
import contextvars
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import (AnswerCallbackQuery, EditMessageReplyMarkup, EditMessageText, SendMessage,
                             TelegramMethod)
from aiogram.methods.base import TelegramType

handling_update: contextvars.ContextVar[bool] = contextvars.ContextVar("handling_update", default=False)
MAX_WAIT_SECONDS = 10   # a user waits this long for a reply at most; beyond it the 429 stands
MAX_RETRIES = 2
TOO_OLD = "query is too old"
EDIT_GONE = "message to edit not found"
NOT_MODIFIED = "message is not modified"


class TelegramHiccups(BaseRequestMiddleware):
    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Any:
        if not handling_update.get():
            return await make_request(bot, method)
        for retry in range(MAX_RETRIES + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if retry == MAX_RETRIES or exc.retry_after > MAX_WAIT_SECONDS:
                    raise
                await asyncio.sleep(exc.retry_after)
            except TelegramBadRequest as exc:
                if isinstance(method, AnswerCallbackQuery) and TOO_OLD in exc.message:
                    return False
                if isinstance(method, EditMessageText) and EDIT_GONE in exc.message and method.chat_id:
                    return await make_request(bot, _as_new_message(method))
                if isinstance(method, EditMessageReplyMarkup) and EDIT_GONE in exc.message:
                    return False  # its buttons went with it
                if isinstance(method, (EditMessageText, EditMessageReplyMarkup)) and NOT_MODIFIED in exc.message:
                    return False
                raise


def _as_new_message(edit: EditMessageText) -> SendMessage:
    return SendMessage(chat_id=edit.chat_id, text=edit.text, parse_mode=edit.parse_mode,
                       entities=edit.entities, reply_markup=edit.reply_markup,
                       link_preview_options=edit.link_preview_options)
