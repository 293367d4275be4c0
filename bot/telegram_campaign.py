"""Telegram campaigns (issue 5 §4) and the salesperson's notice of a response (§5).

The same exactly-once rules as the e-mail sender (bot/campaign_sender.py): a batch of Telegram rows is
claimed, each row is committed `sending` BEFORE sendMessage, and its outcome after; a row found in
`sending` after its lease becomes UNKNOWN (the e-mail sender's `expire_stale` covers both channels) and
is never resent.

Telegram's limits: one global pace (`rate` messages per second, settings: at most 30; with Redis shared
by every process of the bot, bot/rate_limit.py) and at most one message per `chat_interval` per chat
(a chat's row is claimed by one process). A 429 (TelegramRetryAfter) is not a failed attempt: the sender
sleeps exactly `retry_after` and sends the same row again (it stays `sending`, its lease renewed). A 403
(blocked, deactivated) marks the chat opted out (consent, BLOCKED) and the row bounced. A 400 fails the
row. A network or server error after the request left may have delivered it: UNKNOWN, not resent.

Each round also sends the salespeople's notices of new responses (campaign_responses rows whose
`notified_at` is empty), written in the response's own transaction so a crash cannot lose them.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import (TelegramBadRequest, TelegramForbiddenError, TelegramNetworkError,
                                TelegramRetryAfter, TelegramServerError)

from bot.campaign_mail import CampaignMailer, Recipient
from bot.rate_limit import Pace, RateLimit
from bot.i18n import pick_locale, use_locale
from bot.worker import BackgroundLoop
from domain.campaign import RecipientState
from domain.campaign_content import CompiledContent
from domain.consent import Channel, ConsentSource
from domain.ports import Clock
from domain.services import campaign_responses
from handlers.campaign_responses import campaign_keyboard
from handlers.campaign_results import notice_message
from handlers.text import esc

log = logging.getLogger(__name__)
Q = RecipientState


class ChatPace:
    """At most one message per `interval` seconds to each chat."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last: dict[int, float] = {}

    async def wait(self, chat_id: int) -> None:
        last = self._last.get(chat_id)
        if last is not None and (delay := last + self.interval - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        self._last[chat_id] = time.monotonic()


class TelegramCampaignSender(BackgroundLoop):
    task_name = "telegram-campaign-sender"

    def __init__(self, bot: Bot, uow: Callable, clock: Clock, mailer: CampaignMailer, *, default_locale: str,
                 name: str, rate: float = 25, chat_interval: float = 1.0, batch: int = 50,
                 lease_seconds: float = 300, poll_seconds: float = 15, pace: Pace | None = None) -> None:
        """`pace`: one shared with other processes (bot/rate_limit.py); else `rate` for this process."""
        super().__init__()
        self.bot, self.uow, self.clock, self.mailer = bot, uow, clock, mailer
        self.default_locale, self.name = default_locale, f"{name}/tg"
        self.rate: Pace = pace or RateLimit(rate)
        self.pace = ChatPace(chat_interval)
        self.batch, self.lease, self.poll_seconds = batch, timedelta(seconds=lease_seconds), poll_seconds
        self._content: dict[tuple[int, str], tuple[str, CompiledContent]] = {}

    async def drain_once(self) -> int:
        handled = await self.send_notices()
        async with self.uow() as uow:
            await uow.recipients.expire_stale(self.clock.now(), self.lease)
            rows = await uow.recipients.claim(self.name, self.clock.now(), self.lease, self.batch,
                                              Channel.TELEGRAM)
            out = await uow.consents.opted_out(Channel.TELEGRAM, [str(row.chat_id) for row in rows])
            await uow.recipients.skip([row.id for row in rows if str(row.chat_id) in out], self.name)
            await uow.commit()
        self._content.clear()
        try:
            for row in rows:
                if self._stopping:
                    break
                if str(row.chat_id) not in out and not await self._send_row(row):
                    break
                handled += 1
        finally:
            async with self.uow() as uow:
                await uow.recipients.release(self.name)
                await uow.recipients.finish_campaigns(self.clock.now())
                await uow.commit()
        return handled

    async def _compiled(self, campaign_id: int, language: str) -> tuple[str, CompiledContent]:
        if (campaign_id, language) not in self._content:
            async with self.uow() as uow:
                campaign = await uow.campaigns.get(campaign_id)
                self._content[(campaign_id, language)] = (campaign.name,
                                                          CompiledContent(campaign.content_for(language)))
        return self._content[(campaign_id, language)]

    async def _send_row(self, row) -> bool:
        """False: the row is not ours any more, or the campaign was paused or cancelled."""
        name, content = await self._compiled(row.campaign_id, row.language)
        fields = self.mailer.fields(name, Recipient(row.contact_kind, row.contact_id, row.email, row.name,
                                                    row.company, row.salesperson))
        fields["interest_url"] = ""  # the button does it here
        rendered = content.render(fields)
        with use_locale(pick_locale(row.language, None, self.default_locale)):
            text = f"<b>{esc(rendered.subject)}</b>\n\n{esc(rendered.text.strip())}"
            markup = campaign_keyboard(row.id)
        await self.pace.wait(row.chat_id)
        await self.rate.wait()
        async with self.uow() as uow:
            began = await uow.recipients.begin_sending(row.id, self.name, "", self.clock.now())
            await uow.commit()
        if not began:
            return False
        state, error, opt_out = Q.SENT, None, False
        while True:
            try:
                await self.bot.send_message(row.chat_id, text, reply_markup=markup)
            except TelegramRetryAfter as exc:
                await self._renew(row.id)
                log.info("telegram asks to wait %s s before chat %s", exc.retry_after, row.chat_id)
                await asyncio.sleep(exc.retry_after)
                continue
            except TelegramForbiddenError as exc:
                state, error, opt_out = Q.BOUNCED, str(exc), True
            except TelegramBadRequest as exc:
                state, error = Q.FAILED, str(exc)
            except (TelegramNetworkError, TelegramServerError) as exc:
                state, error = Q.UNKNOWN, f"maybe sent: {exc}"
            break
        async with self.uow() as uow:
            now = self.clock.now()
            await uow.recipients.record(row.id, self.name, state, now, error=error)
            if opt_out:
                await uow.consents.opt_out(Channel.TELEGRAM, str(row.chat_id), ConsentSource.BLOCKED, now,
                                           row.contact_kind, row.contact_id)
            await uow.commit()
        return True

    async def _renew(self, row_id: int) -> None:
        """Waiting out a 429 is not a crash: the row's lease starts again."""
        async with self.uow() as uow:
            await uow.recipients.renew(row_id, self.name, self.clock.now())
            await uow.commit()

    async def send_notices(self) -> int:
        async with self.uow() as uow:
            ids = await uow.campaign_responses.pending_notices(self.batch)
        for response_id in ids:
            notice = await campaign_responses.pending_notice(self.uow(), response_id)
            if notice is not None:
                with use_locale(notice.language or self.default_locale):
                    text, markup = notice_message(notice)
                while True:
                    try:
                        await self.bot.send_message(notice.telegram_id, text, reply_markup=markup)
                    except TelegramRetryAfter as exc:
                        await asyncio.sleep(exc.retry_after)
                        continue
                    except (TelegramForbiddenError, TelegramBadRequest) as exc:
                        log.warning("response notice %s cannot reach its salesperson: %s", response_id, exc)
                    except (TelegramNetworkError, TelegramServerError) as exc:
                        log.warning("response notice %s deferred: %s", response_id, exc)
                        return len(ids)
                    break
            async with self.uow() as uow:
                await uow.campaign_responses.mark_notified(response_id, self.clock.now())
                await uow.commit()
        return len(ids)
