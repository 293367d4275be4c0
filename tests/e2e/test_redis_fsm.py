"""With SALESBOT_REDIS_URL set, conversations live in Redis and survive a restart of the bot."""
from __future__ import annotations

import os

import pytest

from bot.app import build_app, make_storage
from tests.e2e.chat import Chat
from tests.fakes.harness import make_bot, polling

REDIS_URL = os.environ.get("SALESBOT_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="SALESBOT_TEST_REDIS_URL is not set")
SAM = 1001


async def test_a_quotation_conversation_survives_a_restart_with_redis_storage(
        settings, fake_bot_api, clock, seeded):
    settings = settings.model_copy(update={"redis_url": REDIS_URL})
    first_storage = make_storage(settings)
    await first_storage.redis.flushdb()
    app = build_app(settings, make_bot(fake_bot_api), clock=clock, storage=first_storage)
    chat = Chat(fake_bot_api, SAM)
    try:
        async with polling(app.dispatcher, app.bot, fake_bot_api):
            await chat.say("/quote")
            assert "Acme Office BV" in await chat.say("C-001")
    finally:
        await app.close()

    # A new process: new dispatcher, new storage object, same Redis.
    app = build_app(settings, make_bot(fake_bot_api), clock=clock)
    try:
        async with polling(app.dispatcher, app.bot, fake_bot_api):
            draft = await chat.say("A-100 3")
            assert "Office chair" in draft and "3 pcs" in draft
    finally:
        await app.close()
