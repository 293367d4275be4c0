"""Middlewares: who is talking (checked on every update) and in which language to answer."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, User as TelegramUser

from bot.i18n import _, pick_locale, set_locale
from domain.services.users import user_by_telegram_id

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UserMiddleware(BaseMiddleware):
    """Loads the registered user for every update; strangers are told to ask an admin, nothing more.

    The user is read afresh on each update, so a role change or removal takes effect at once.
    """

    def __init__(self, default_locale: str) -> None:
        self.default_locale = default_locale

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        if sender is None:
            return None
        user = await user_by_telegram_id(data["deps"].uow(), sender.id)
        set_locale(pick_locale(user.language if user else None, sender.language_code,
                               self.default_locale))
        if user is None:
            return await _refuse_stranger(event)
        data["user"] = user
        return await handler(event, data)


async def _refuse_stranger(event: TelegramObject) -> None:
    text = _("Hello! This bot is for registered staff only. Please ask your administrator to add "
             "your Telegram account.")
    if isinstance(event, Message):
        await event.answer(text)
    elif isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
