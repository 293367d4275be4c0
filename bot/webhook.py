"""Issue 4 §4: Telegram's webhook on the bot's HTTP server, when SALESBOT_WEBHOOK_URL is set
(polling stays the default).

Telegram is told a secret with setWebhook and sends it back in the `X-Telegram-Bot-Api-Secret-Token`
header; an update without the matching header is refused with 403 and never reaches the bot.
The answer comes at once and the update is handled in a task (Telegram re-sends what it got no 2xx
for within about a minute); a re-sent update_id is handled once, also when it reaches another bot
process: every process records the updates it takes in one table of the shared database
(storage/update_log.py), and the first to record an update handles it. When the database cannot
be reached the answer is 503, so Telegram sends the update again later and nothing is lost.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections import OrderedDict
from datetime import timedelta
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiohttp import web

log = logging.getLogger(__name__)
HEADER = "X-Telegram-Bot-Api-Secret-Token"
RECENT_UPDATES = 1000
KEEP_SIGHTINGS = timedelta(days=2)  # Telegram keeps an undelivered update for 24 hours
FORGET_EVERY = 1000  # sightings between two clean-ups of the shared table


def webhook_secret(secret_key: bytes) -> str:
    """Derived from the company's secret: 64 characters Telegram accepts ([A-Za-z0-9_-])."""
    return hmac.new(secret_key, b"salesbot telegram webhook\x00", hashlib.sha256).hexdigest()


class Webhook:
    def __init__(self, dispatcher: Dispatcher, bot: Bot, url: str, secret: str, uow, clock) -> None:
        if not secret:
            raise ValueError("a webhook needs SALESBOT_SECRET_KEY (its secret token is derived from it)")
        self.dispatcher, self.bot, self.url, self.secret = dispatcher, bot, url, secret
        self.uow, self.clock = uow, clock
        self._sightings = 0
        self.path = urlsplit(url).path or "/"
        self._recent: OrderedDict[int, None] = OrderedDict()
        self._tasks: set[asyncio.Task] = set()

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(self.path, self.handle)

    async def register(self) -> None:
        await self.bot.set_webhook(self.url, secret_token=self.secret,
                                   allowed_updates=self.dispatcher.resolve_used_update_types())

    async def handle(self, request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(HEADER, "").encode(), self.secret.encode()):
            log.warning("webhook request without the right secret token from %s", request.remote)
            return web.Response(status=403, text="Forbidden")
        try:
            update = await request.json()
            update_id = int(update["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400, text="Bad Request")
        if update_id in self._recent:
            return web.json_response({})
        try:
            first = await self._first_sighting(update_id)
        except Exception:
            log.exception("could not record update %s; Telegram will send it again", update_id)
            return web.Response(status=503, text="Service Unavailable")
        self._remember(update_id)
        if not first:  # another process took it in first
            return web.json_response({})
        task = asyncio.create_task(self.dispatcher.feed_raw_update(self.bot, update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.json_response({})

    async def _first_sighting(self, update_id: int) -> bool:
        now = self.clock.now()
        async with self.uow() as uow:
            first = await uow.telegram_updates.first_sighting(update_id, now)
            self._sightings += 1
            if self._sightings % FORGET_EVERY == 0:
                await uow.telegram_updates.forget_before(now - KEEP_SIGHTINGS)
            await uow.commit()
        return first

    def _remember(self, update_id: int) -> None:
        self._recent[update_id] = None
        while len(self._recent) > RECENT_UPDATES:
            self._recent.popitem(last=False)

    async def drain(self, timeout: float = 10) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
