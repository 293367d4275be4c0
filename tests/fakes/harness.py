"""Helpers to run a real aiogram Bot/Dispatcher against :class:`FakeBotAPI` (no pytest needed)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from tests.fakes.bot_api import FakeBotAPI

TEST_TOKEN = "42:TEST"


def make_bot(fake: FakeBotAPI, *, token: str = TEST_TOKEN, parse_mode: str | None = "HTML") -> Bot:
    """A real aiogram Bot whose real AiohttpSession talks to ``fake`` over loopback."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.url))
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=parse_mode))


@asynccontextmanager
async def polling(dp: Dispatcher, bot: Bot, fake: FakeBotAPI, *, polling_timeout: int = 1,
                  **kwargs: Any) -> AsyncIterator[asyncio.Task[None]]:
    """Run ``dp.start_polling`` in a task until the block exits; returns once the first getUpdates arrived."""
    polls_before = len(fake.calls_of("getUpdates"))
    task = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, polling_timeout=polling_timeout,
                         close_bot_session=False, **kwargs)
    )
    try:
        first_poll = asyncio.create_task(fake.wait_for_count("getUpdates", polls_before + 1))
        await asyncio.wait({task, first_poll}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():  # startup failed: surface the dispatcher's exception
            first_poll.cancel()
            await task
        await first_poll
        yield task
    finally:
        if not task.done():
            # stop_polling waits for the polling loop to wind down; a dead task has nothing to stop.
            await dp.stop_polling()
        await task  # re-raises if polling itself crashed
