"""GET /healthz: 200 while the process reaches its database (and Redis, when set) and is not
stopping; 503 naming the failing part, and nothing else about it, otherwise."""
from __future__ import annotations

import asyncio
import os
import sqlite3
from contextlib import closing

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app
from bot.settings import Settings
from bot.web import build_web_app
from storage.migrate import upgrade
from tests.fakes.harness import make_bot

REDIS_URL = os.environ.get("SALESBOT_TEST_REDIS_URL")
NOBODY_LISTENS = "127.0.0.1:1"


async def _get_health(app) -> tuple[int, dict]:
    async with TestClient(TestServer(build_web_app(app.accept_web.route_adders()))) as client:
        response = await client.get("/healthz")
        return response.status, await response.json()


def _settings(database_url, fake_bot_api, tmp_path, **changes) -> Settings:
    return Settings(_env_file=None, database_url=database_url, telegram_api_url=fake_bot_api.url,
                    outbox_dir=tmp_path / "outbox", **changes)


async def test_a_process_that_reaches_its_database_is_healthy_until_it_stops(database_url, fake_bot_api,
                                                                           tmp_path):
    app = build_app(_settings(database_url, fake_bot_api, tmp_path), make_bot(fake_bot_api))
    try:
        assert await _get_health(app) == (200, {"status": "ok", "database": "ok"})
        app.dispatcher["health"].stopping = True  # what App.close does first
        assert await _get_health(app) == (503, {"status": "unavailable", "database": "ok",
                                                "process": "stopping"})
    finally:
        await app.close()


async def test_on_sqlite_a_long_write_elsewhere_does_not_make_it_unavailable(tmp_path, fake_bot_api):
    """The check only reads: it does not wait for the write lock (the busy timeout is 15 s, longer
    than a check may take)."""
    path = tmp_path / "health.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade, url)
    app = build_app(_settings(url, fake_bot_api, tmp_path), make_bot(fake_bot_api))
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as writer:
            writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
            assert await _get_health(app) == (200, {"status": "ok", "database": "ok"})
            writer.execute("ROLLBACK")
    finally:
        await app.close()


async def test_a_database_that_cannot_be_reached_makes_it_unavailable(fake_bot_api, tmp_path, caplog):
    url = f"postgresql+asyncpg://postgres@{NOBODY_LISTENS}/test"
    app = build_app(_settings(url, fake_bot_api, tmp_path), make_bot(fake_bot_api))
    try:
        status, body = await _get_health(app)
    finally:
        await app.close()
    assert (status, body) == (503, {"status": "unavailable", "database": "unreachable"})
    assert any("health check database failed" in r.getMessage() for r in caplog.records)


async def test_redis_that_cannot_be_reached_makes_it_unavailable(database_url, fake_bot_api, tmp_path):
    settings = _settings(database_url, fake_bot_api, tmp_path, redis_url=f"redis://{NOBODY_LISTENS}/0")
    app = build_app(settings, make_bot(fake_bot_api))
    try:
        assert await _get_health(app) == (503, {"status": "unavailable", "database": "ok",
                                                "redis": "unreachable"})
    finally:
        await app.close()


@pytest.mark.skipif(not REDIS_URL, reason="SALESBOT_TEST_REDIS_URL is not set")
async def test_with_redis_both_are_checked(database_url, fake_bot_api, tmp_path):
    app = build_app(_settings(database_url, fake_bot_api, tmp_path, redis_url=REDIS_URL),
                    make_bot(fake_bot_api))
    try:
        assert await _get_health(app) == (200, {"status": "ok", "database": "ok", "redis": "ok"})
    finally:
        await app.close()
