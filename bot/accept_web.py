"""Issue 4 §4 assembled: the salesperson's notices, the Telegram deliveries of sent quotations and
the bot's HTTP server with the quotation answer page (and the Telegram webhook when configured)."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher

from bot.answer_links import secret_of
from bot.answer_notices import AnswerNotices
from bot.documents.renderer import DocumentRenderer
from bot.notifier import Notifier
from bot.quotation_page import QuotationPage
from bot.settings import Settings
from bot.telegram_delivery import TelegramDeliveries
from bot.web import RouteAdder, WebServer
from bot.webhook import Webhook, webhook_secret
from domain.ports import Clock

log = logging.getLogger(__name__)


@dataclass
class AcceptAndWeb:
    notices: AnswerNotices
    deliveries: TelegramDeliveries
    page: QuotationPage
    server: WebServer | None = None
    webhook: Webhook | None = None
    extra_routes: list[RouteAdder] = field(default_factory=list)  # other parts' pages, added before start

    @classmethod
    def build(cls, settings: Settings, bot: Bot, uow, clock: Clock, documents: DocumentRenderer,
              notifier: Notifier, dispatcher: Dispatcher) -> AcceptAndWeb:
        notices = AnswerNotices(notifier)
        deliveries = TelegramDeliveries(bot, uow, documents, clock, settings.currency, settings.locale,
                                        settings.company_name, poll_seconds=settings.telegram_poll_seconds,
                                        lease_seconds=settings.send_lease_seconds)
        page = QuotationPage(uow, clock, secret_of(settings), settings.currency, settings.company_name,
                             settings.locale, told=notices.tell_salesperson)
        web = cls(notices, deliveries, page)
        if settings.webhook_url:
            if settings.http_port is None:
                raise ValueError("SALESBOT_WEBHOOK_URL needs the HTTP server (SALESBOT_HTTP_PORT)")
            secret = secret_of(settings)
            web.webhook = Webhook(dispatcher, bot, settings.webhook_url,
                                  webhook_secret(secret) if secret else "", uow, clock)
        if settings.http_port is not None:
            web.server = WebServer(settings.http_host, settings.http_port, web.route_adders)
        return web

    def route_adders(self) -> list[RouteAdder]:
        webhook = [self.webhook.add_routes] if self.webhook is not None else []
        return [self.page.add_routes, *webhook, *self.extra_routes]

    async def start(self) -> None:
        self.deliveries.start()
        if self.server is not None:
            await self.server.start()
        if self.webhook is not None:
            await self.webhook.register()

    async def serve_webhook(self, stop: asyncio.Event | None = None) -> None:
        """`salesbot run` with SALESBOT_WEBHOOK_URL: updates arrive at the HTTP server until SIGINT/SIGTERM."""
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        log.info("receiving Telegram updates at %s", self.webhook.url)
        await stop.wait()

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
        if self.webhook is not None:
            await self.webhook.drain()
        await self.deliveries.stop()
