"""Messages the bot starts itself (not replies): to a salesperson, in their language.

Keeps to Telegram's rules: on 429 wait exactly retry_after and try again; a 403 (blocked,
deactivated) is permanent and only logged.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter, TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import _, use_locale
from domain.outbox import OutboxMail
from domain.ports import UnitOfWork
from domain.user import User
from handlers.text import esc

log = logging.getLogger(__name__)
MAX_RETRIES = 3


class Notifier:
    on_forbidden: Callable[[int], Awaitable[None]] | None = None  # issue 5: told about a 403

    def __init__(self, bot: Bot, uow: Callable[[], UnitOfWork], default_locale: str) -> None:
        self.bot, self.uow, self.default_locale = bot, uow, default_locale

    async def send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> bool:
        for _attempt in range(MAX_RETRIES + 1):
            try:
                await self.bot.send_message(chat_id, text, reply_markup=markup)
                return True
            except TelegramRetryAfter as exc:
                await asyncio.sleep(exc.retry_after)
            except (TelegramForbiddenError, TelegramBadRequest) as exc:
                log.warning("cannot message chat %s: %s", chat_id, exc)
                if isinstance(exc, TelegramForbiddenError) and self.on_forbidden is not None:
                    await self.on_forbidden(chat_id)  # issue 5: blocked/deactivated -> consent record
                return False
        return False

    def locale_of(self, user: User) -> str:
        return user.language or self.default_locale

    async def mail_failed(self, user_id: int, mail: OutboxMail) -> None:
        async with self.uow() as uow:
            user = await uow.users.get(user_id)
        if user is None:
            return
        with use_locale(self.locale_of(user)):
            text = _("The e-mail to {recipient} could not be delivered: {reason}").format(
                recipient=esc(mail.recipient), reason=esc(mail.last_error or ""))
        await self.send(user.telegram_id, text)
