"""The one place that assembles everything: database, dispatcher, mailer, scheduler."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import notices as delay_notice_jobs, web_interest, web_unsubscribe
from bot.long_messages import SplitLongMessages
from bot.accept_web import AcceptAndWeb
from bot.campaign_jobs import add_campaign_job
from bot.campaign_kit import CampaignKit
from bot.clock import SystemClock
from bot.customer_links import CustomerLinks
from bot.documents.renderer import DocumentRenderer, company_header
from bot.imap_poller import ImapPoller, imap_poller_from_settings
from bot.mail import EmlDirectoryTransport, MailTransport, SmtpTransport
from bot.mail_composer import MailComposer
from bot.mail_requests import QuotationRequestSink
from bot.middlewares import IdsInRange, InFlightUpdates, UserMiddleware
from bot.telegram_hiccups import TelegramHiccups
from bot.notifier import Notifier
from bot.outbox_sender import OutboxSender
from bot.request_notices import RequestNotices
from bot.scheduler import ExpiryJob, build_scheduler
from bot.settings import Settings
from bot.warmup import pin_response_models
from bot.web_health import Health, database_check
from domain.ports import Clock
from handlers import (agreement_entry, agreements, backorders, calls as call_handlers, campaign_responses,
                      campaign_results, campaigns as campaign_handlers, common,
                      contact_tags as contact_tag_handlers, customer_link, customer_view, customers, delay_notices,
                      errors, free_text_drafts, free_text_invoices, invoice_slips,
                      invoicing as invoicing_handlers, language, leads, order_types as order_types_handlers,
                      orders, pipeline, pricing as pricing_handlers, product_lists, quotation_answers,
                      quotation_list, quote_entry, request_entry, request_list, returns as returns_handlers,
                      start)
from handlers.deps import Deps
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 10


def make_bot(settings: Settings, token: str) -> Bot:
    pin_response_models()
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


def make_transport(settings: Settings) -> MailTransport:
    if not settings.smtp_host:
        return EmlDirectoryTransport(settings.outbox_dir)
    return SmtpTransport(settings.smtp_host, settings.smtp_port, username=settings.smtp_username,
                         password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
                         security=settings.smtp_security)


def make_storage(settings: Settings) -> BaseStorage:
    if not settings.redis_url:
        return MemoryStorage()
    from aiogram.fsm.storage.base import DefaultKeyBuilder
    from aiogram.fsm.storage.redis import RedisStorage

    # Conversations expire after a day of silence; keys carry the bot id (PITFALLS.md).
    return RedisStorage.from_url(settings.redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True),
                                 state_ttl=86400, data_ttl=86400)


def make_isolation(storage: BaseStorage) -> BaseEventIsolation:
    """One update at a time per user and chat. aiogram handles updates as concurrent tasks: without
    this, '/cancel' and the next message typed right after it would race, the second reading a
    conversation the first had just ended. Redis isolates across processes, the memory lock within one."""
    from aiogram.fsm.storage.redis import RedisStorage

    if isinstance(storage, RedisStorage):
        return storage.create_isolation()
    return SimpleEventIsolation()


def _outermost(dp: Dispatcher, middleware: InFlightUpdates) -> None:
    """Put the in-flight count around aiogram's own update middlewares (errors, user context, FSM):
    an update counts as done only once its conversation lock is released too, so a shutdown that
    waits for it does not close Redis under that release."""
    own = list(dp.update.outer_middleware[:])
    for registered in own:
        dp.update.outer_middleware.unregister(registered)
    for registered in (middleware, *own):
        dp.update.outer_middleware(registered)


def build_dispatcher(deps: Deps, settings: Settings, storage: BaseStorage | None = None) -> Dispatcher:
    storage = storage or MemoryStorage()
    dp = Dispatcher(storage=storage, events_isolation=make_isolation(storage), deps=deps)
    dp["in_flight"] = in_flight = InFlightUpdates()
    _outermost(dp, in_flight)
    users = UserMiddleware(settings.locale, deep_link=customer_link.open_deep_link)
    dp.message.outer_middleware(users)
    dp.callback_query.outer_middleware(users)
    dp.callback_query.outer_middleware(IdsInRange())  # after the user check: it answers in their language
    # Order matters: /cancel wins in any state; the fallback answers what no router took.
    routes = (errors.routes, common.cancel_routes, start.routes, language.routes,
              quote_entry.routes, quotation_list.routes, orders.routes, free_text_invoices.routes,
              leads.routes, pipeline.routes, customers.routes,
              pricing_handlers.routes,
              agreements.routes, agreement_entry.routes,
              order_types_handlers.routes,
              returns_handlers.routes,
              product_lists.routes,
              invoicing_handlers.routes, invoice_slips.routes, free_text_drafts.routes,
              backorders.routes,
              customer_link.routes, customer_view.routes,
              request_entry.routes, request_list.routes,
              quotation_answers.routes,
              campaign_handlers.routes, campaign_responses.routes, campaign_results.routes,
              contact_tag_handlers.routes, call_handlers.routes,
              delay_notices.routes,
              common.fallback_routes)
    dp.include_routers(*(r.build() for r in routes))
    return dp


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    clock: Clock
    bot: Bot
    dispatcher: Dispatcher
    outbox: OutboxSender
    expiry_job: ExpiryJob
    links: CustomerLinks | None = None

    @property
    def accept_web(self) -> AcceptAndWeb | None:
        """Issue 4 §4: Telegram deliveries of quotations and the HTTP server (built in build_app)."""
        return self.dispatcher.workflow_data.get("accept_web")

    imap: ImapPoller | None = None

    _notice_jobs = None

    @property
    def notice_jobs(self):
        """(delay notices job, morning digest job), made on first use."""
        if self._notice_jobs is None:
            self._notice_jobs = delay_notice_jobs.make_jobs(self)
        return self._notice_jobs
    _scheduler = None

    async def start_background(self) -> None:
        if self.links is not None:
            await self.links.learn_username(self.bot)
        self.outbox.start()
        self._scheduler = build_scheduler(self.expiry_job, self.settings.expiry_check_minutes,
                                          self.settings.timezone)
        self._scheduler.start()

        if self.accept_web is not None:
            await self.accept_web.start()

        # Built here, not in build_app, so the return line stays the lead's: None without IMAP_HOST.
        self.imap = self.imap or imap_poller_from_settings(
            self.settings, self.uow, self.clock, on_queued=self.outbox.wake,
            sink=QuotationRequestSink(self.dispatcher["request_notices"]))
        if self.imap is not None:
            self.imap.start()

        # Campaign schedules: this process's scheduler polls the campaigns table (leader lock inside).
        self.dispatcher["campaigns"].start()
        add_campaign_job(self._scheduler, self.dispatcher["campaigns"].job,
                         self.settings.campaign_poll_seconds, self.settings.timezone)

        delay_notice_jobs.add_notice_jobs(self._scheduler, *self.notice_jobs, self.settings.notice_time,
                                          self.settings.digest_time)

    async def close(self) -> None:
        """Graceful: updates being handled finish first, then background work, then connections."""
        self.dispatcher["health"].stopping = True  # a load balancer sends new updates elsewhere
        if not await self.dispatcher["in_flight"].drain(SHUTDOWN_GRACE_SECONDS):
            log.warning("some updates were still being handled at shutdown")
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

        if self.accept_web is not None:
            await self.accept_web.stop()

        if self.imap is not None:
            await self.imap.stop()

        await self.dispatcher["campaigns"].stop()

        await self.outbox.stop()
        await self.dispatcher.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()


def build_app(settings: Settings, bot: Bot, *, transport: MailTransport | None = None,
              clock: Clock | None = None, storage: BaseStorage | None = None) -> App:
    pin_response_models()
    bot.session.middleware(SplitLongMessages())  # a long quotation arrives in parts (bot/long_messages.py)
    bot.session.middleware(TelegramHiccups())  # inside it: each part is retried after a 429
    engine = create_engine(settings.database_url, settings.timezone)
    uow = UnitOfWorkFactory(session_factory(engine))
    clock = clock or SystemClock(settings.timezone)
    notifier = Notifier(bot, uow, settings.locale)
    documents = DocumentRenderer(company_header(settings), settings.currency)
    links = CustomerLinks.from_settings(settings)
    outbox = OutboxSender(uow, transport or make_transport(settings), MailComposer(settings, documents, links=links), clock,
                          on_failure=notifier.mail_failed, poll_seconds=settings.outbox_poll_seconds,
                          lease_seconds=settings.send_lease_seconds)
    deps = Deps(uow=uow, clock=clock, currency=settings.currency, mail_queued=outbox.wake,
                documents=documents, links=links,
                warehouse_management=settings.warehouse_management,
                phone_country_code=settings.phone_country_code)
    dispatcher = build_dispatcher(deps, settings, storage or make_storage(settings))
    # Handlers that create quotation requests tell the salesperson through this (also for §3's mails).
    dispatcher["request_notices"] = RequestNotices(notifier)

    dispatcher["accept_web"] = accept_web = AcceptAndWeb.build(settings, bot, uow, clock, documents, notifier,
                                                                  dispatcher)
    dispatcher["answer_notices"] = accept_web.notices

    dispatcher["campaigns"] = campaign_kit = CampaignKit.from_settings(settings, uow, clock)
    notifier.on_forbidden = campaign_kit.telegram_blocked
    campaign_kit.attach_telegram(bot, settings)
    # The "I'm interested" pages of campaign e-mails, beside the unsubscribe pages.
    accept_web.extra_routes.append(partial(
        web_interest.add_routes, uow=uow, clock=clock, locale=settings.locale, wake=campaign_kit.wake_telegram,
        secret=settings.secret_key.get_secret_value().encode() if settings.secret_key else None))
    # The unsubscribe pages are served by the bot's one HTTP server (when it runs).
    accept_web.extra_routes.append(partial(
        web_unsubscribe.add_routes, uow=uow, clock=clock, locale=settings.locale,
        secret=settings.secret_key.get_secret_value().encode() if settings.secret_key else None))

    dispatcher["notice_locale"] = settings.locale  # the salesperson's report of a notice answer

    # GET /healthz: the database, and Redis where the conversations live there (RedisStorage.redis).
    checks = {"database": database_check(engine)}
    if (redis := getattr(dispatcher.storage, "redis", None)) is not None:
        checks["redis"] = redis.ping
    dispatcher["health"] = health = Health(checks)
    accept_web.extra_routes.append(health.add_routes)

    return App(settings, engine, uow, clock, bot, dispatcher, outbox, ExpiryJob(uow, clock, notifier), links)
