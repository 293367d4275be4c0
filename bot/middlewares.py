"""Middlewares: who is talking (checked on every update) and in which language to answer."""
from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, User as TelegramUser

from bot.i18n import _, pick_locale, set_locale
from bot.telegram_hiccups import handling_update
from domain.services.users import user_by_telegram_id

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
# Issue 4: `/start <payload>` is a deep link (a customer linking their account); it is open to strangers.
DeepLinkHandler = Callable[[Message, dict[str, Any], Any], Awaitable[Any]]


class UserMiddleware(BaseMiddleware):
    """Loads the registered user for every update; strangers are told to ask an admin, nothing more.

    The user is read afresh on each update, so a role change or removal takes effect at once.
    """

    def __init__(self, default_locale: str, deep_link: DeepLinkHandler | None = None) -> None:
        self.default_locale = default_locale
        self.deep_link = deep_link

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        if sender is None:
            return None
        user = await user_by_telegram_id(data["deps"].uow(), sender.id)
        set_locale(pick_locale(user.language if user else None, sender.language_code,
                               self.default_locale))
        if self.deep_link is not None and _is_deep_link(event):
            # From anyone, known or not, to its one handler and nowhere else (it gets user or None).
            if user is not None:
                data["user"] = user
            return await self.deep_link(event, data, user)
        if user is None:
            return await _refuse_stranger(event)
        data["user"] = user
        return await handler(event, data)


def _is_deep_link(event: TelegramObject) -> bool:
    if not isinstance(event, Message) or not event.text:
        return False
    command, _sep, payload = event.text.strip().partition(" ")
    return command.split("@")[0] == "/start" and bool(payload.strip())


async def _refuse_stranger(event: TelegramObject) -> None:
    # A former customer who unlinked meets this too: it names the way back for both kinds of user.
    text = _("This bot is for our staff and for customers who linked their Telegram account. Staff: "
             "ask your administrator to add you. Customers: use the Telegram link in one of our e-mails.")
    if isinstance(event, Message):
        await event.answer(text)
    elif isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)


class InFlightUpdates(BaseMiddleware):
    """Counts the updates being handled, so a shutdown can let them finish first.

    aiogram runs each update as a task and does not wait for those tasks when polling stops;
    closing the database and the HTTP session under a running handler would cut it off halfway.
    """

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self._running += 1
        self._idle.clear()
        handling = handling_update.set(True)  # bot/telegram_hiccups.py: a user waits for this reply
        try:
            return await handler(event, data)
        finally:
            handling_update.reset(handling)
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def drain(self, timeout: float) -> bool:
        """Wait until no update is being handled; False if some were still running at the timeout."""
        try:
            async with asyncio.timeout(timeout):  # not wait_for: see bot/outbox_sender.py
                await self._idle.wait()
            return True
        except TimeoutError:
            return False


# Ids in buttons index INTEGER columns (PostgreSQL's int4): a larger number in crafted callback data
# could only fail in the driver ("something went wrong"), so it is refused as the stale button it is.
MAX_ID = 2**31 - 1
_NUMBER = re.compile(r"-?\d+")


class IdsInRange(BaseMiddleware):
    """Refuses a button whose callback data holds a number no record can have."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, CallbackQuery) and event.data and _out_of_range(event.data):
            await event.answer(_("This button is no longer valid."), show_alert=True)
            return None
        return await handler(event, data)


def _out_of_range(callback_data: str) -> bool:
    return any(_NUMBER.fullmatch(part) and abs(int(part)) > MAX_ID for part in callback_data.split(":"))
