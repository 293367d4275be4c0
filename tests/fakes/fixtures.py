"""Pytest fixtures for end-to-end tests against :class:`FakeBotAPI` (loaded by tests/conftest.py).

    from tests.fakes.fixtures import polling  # or tests.fakes.harness outside pytest

    async def test_start(fake_bot_api, fake_bot):
        dp = build_dispatcher(...)
        async with polling(dp, fake_bot, fake_bot_api):
            fake_bot_api.push_message(1001, "/start")
            reply = await fake_bot_api.wait_for("sendMessage", chat_id=1001)
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.harness import TEST_TOKEN, make_bot, polling

__all__ = ["TEST_TOKEN", "fake_bot", "fake_bot_api", "make_bot", "polling"]


@pytest.fixture
async def fake_bot_api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def fake_bot(fake_bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = make_bot(fake_bot_api)
    yield bot
    await bot.session.close()
