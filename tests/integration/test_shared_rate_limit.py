"""One campaign pace for every process of a bot (scale-out): the slots come from Redis, so two
processes at 2 messages/s together send 2 a second, not 4; a Redis that is down stops nothing."""
from __future__ import annotations

import asyncio
import logging
import os
import uuid

import pytest

from bot.app import build_app
from bot.rate_limit import RateLimit, SharedRateLimit, connect_redis
from bot.settings import Settings
from tests.fakes.harness import make_bot

REDIS_URL = os.environ.get("SALESBOT_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="SALESBOT_TEST_REDIS_URL is not set")


@pytest.fixture
async def two_processes():
    """Two clients of one Redis, as two bot processes have, pacing the same key."""
    clients = [connect_redis(REDIS_URL), connect_redis(REDIS_URL)]
    key = f"salesbot:test:rate:{uuid.uuid4().hex}"
    yield [SharedRateLimit(client, key, rate=2) for client in clients]
    await clients[0].delete(key)
    for client in clients:
        await client.aclose()


@needs_redis
async def test_two_processes_share_one_pace(two_processes):
    first, second = two_processes
    # Reserving takes no time to speak of next to the 0.5 s between slots: taken in turn by the
    # two processes, the ten slots are one after the other, half a second apart.
    delays = [await (first if n % 2 else second).reserve() for n in range(10)]
    assert delays[0] == pytest.approx(0, abs=0.05)
    assert delays == sorted(delays)
    assert [b - a for a, b in zip(delays, delays[1:])] == pytest.approx([0.5] * 9, abs=0.05)


@needs_redis
async def test_an_idle_pace_starts_again_from_now_without_a_burst(two_processes):
    first, second = two_processes
    await first.reserve()  # a slot now; the next free one is half a second on
    await asyncio.sleep(0.6)  # idle past it: the slots not used are not saved up
    assert await second.reserve() == pytest.approx(0, abs=0.05)
    assert await first.reserve() == pytest.approx(0.5, abs=0.05)


async def test_redis_that_is_down_leaves_this_process_its_own_pace(caplog):
    client = connect_redis("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        pace = SharedRateLimit(client, "salesbot:test:rate:down", rate=1000, retry_seconds=60)
        with caplog.at_level(logging.WARNING, logger="bot.rate_limit"):
            await pace.wait()
            await pace.wait()
        assert await pace.reserve() is None  # Redis is not asked again before retry_seconds
        assert sum("Redis unreachable" in r.getMessage() for r in caplog.records) == 1
        assert pace.local._next > 0  # the process's own pace counted both messages
    finally:
        await client.aclose()


async def test_with_redis_the_campaign_senders_share_their_paces(database_url, fake_bot_api, tmp_path):
    settings = Settings(_env_file=None, database_url=database_url, telegram_api_url=fake_bot_api.url,
                        outbox_dir=tmp_path / "outbox")
    # Building connects to nothing: the client connects on the first message.
    app = build_app(settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"}), make_bot(fake_bot_api))
    try:
        kit = app.dispatcher["campaigns"]
        assert isinstance(kit.sender.rate, SharedRateLimit) and isinstance(kit.telegram.rate, SharedRateLimit)
        assert kit.telegram.rate.key == f"salesbot:rate:telegram:{app.bot.id}"
        assert kit.sender.rate.key == "salesbot:rate:smtp:@127.0.0.1"
    finally:
        await app.close()
    app = build_app(settings, make_bot(fake_bot_api))
    try:
        kit = app.dispatcher["campaigns"]
        assert isinstance(kit.sender.rate, RateLimit) and isinstance(kit.telegram.rate, RateLimit)
    finally:
        await app.close()
