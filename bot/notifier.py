"""Messages the bot starts itself (not replies): to a salesperson, in their language.

Keeps to Telegram's rules: on 429 wait exactly retry_after and try again; a 403 (blocked,
deactivated) is permanent and only logged.

Which Telegram errors are worth another try later is decided here (`is_transient`), for every job
that sends: a 5xx, a network error, or a 429 still there after our retries. A 403 or a 400 is final.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from enum import Enum

from aiogram import Bot
from aiogram.exceptions import (TelegramBadRequest, TelegramForbiddenError, TelegramNetworkError,
                                TelegramRetryAfter, TelegramServerError)
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import _, use_locale
from domain.outbox import OutboxMail
from domain.services.outbox_documents import mailed_document
from domain.ports import UnitOfWork
from domain.user import User
from handlers.text import esc

log = logging.getLogger(__name__)
MAX_RETRIES = 3


def is_transient(exc: BaseException) -> bool:
    """Telegram may take the same message later: its server failed (5xx), it could not be reached,
    or it still asked us to slow down. Anything else (403 blocked, 400 bad chat) stays refused."""
    return isinstance(exc, (TelegramServerError, TelegramNetworkError, TelegramRetryAfter))


class Delivery(Enum):
    SENT = "sent"
    REFUSED = "refused"  # final: blocked, deactivated, no such chat
    LATER = "later"  # transient: worth trying again in a later run


class Notifier:
    on_forbidden: Callable[[int], Awaitable[None]] | None = None  # issue 5: told about a 403

    def __init__(self, bot: Bot, uow: Callable[[], UnitOfWork], default_locale: str) -> None:
        self.bot, self.uow, self.default_locale = bot, uow, default_locale

    async def send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> bool:
        """True when delivered; a 5xx or network error is raised (see `deliver` for jobs that retry)."""
        try:
            return await self._send(chat_id, text, markup)
        except TelegramRetryAfter:
            return False

    async def deliver(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None,
                      ) -> tuple[Delivery, str | None]:
        """For jobs that keep what was not delivered for their next run: the outcome and why."""
        try:
            if await self._send(chat_id, text, markup):
                return Delivery.SENT, None
            return Delivery.REFUSED, "not delivered (blocked, or no such chat)"
        except Exception as exc:
            if not is_transient(exc):
                raise
            log.warning("Telegram could not take a message to chat %s now: %s", chat_id, exc)
            return Delivery.LATER, str(exc)

    async def _send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> bool:
        for attempt in range(MAX_RETRIES + 1):
            try:
                await self.bot.send_message(chat_id, text, reply_markup=markup)
                return True
            except TelegramRetryAfter as exc:
                if attempt == MAX_RETRIES:
                    raise  # still too many requests: transient, the caller decides
                await asyncio.sleep(exc.retry_after)
            except (TelegramForbiddenError, TelegramBadRequest) as exc:
                log.warning("cannot message chat %s: %s", chat_id, exc)
                if isinstance(exc, TelegramForbiddenError) and self.on_forbidden is not None:
                    await self.on_forbidden(chat_id)  # issue 5: blocked/deactivated -> consent record
                return False
        raise AssertionError("unreachable")

    def locale_of(self, user: User) -> str:
        return user.language or self.default_locale

    async def mail_failed(self, user_id: int, mail: OutboxMail) -> None:
        async with self.uow() as uow:
            user = await uow.users.get(user_id)
            document = await mailed_document(uow, mail)
        if user is None:
            return
        with use_locale(self.locale_of(user)):
            if document:  # which quotation or invoice did not reach the customer
                text = _("The e-mail with {document} to {recipient} could not be delivered: {reason}").format(
                    document=esc(document), recipient=esc(mail.recipient), reason=esc(mail.last_error or ""))
            else:
                text = _("The e-mail to {recipient} could not be delivered: {reason}").format(
                    recipient=esc(mail.recipient), reason=esc(mail.last_error or ""))
        await self.send(user.telegram_id, text)
