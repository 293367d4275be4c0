"""Issue 4 §4: brings sent quotations to the customers' Telegram chats: the PDF, then the summary
with the buttons Accept / Decline / Ask for changes.

The rows were written in the send's transaction (domain/services/quotation_delivery.py), so a
crash before delivery loses nothing. Each step that reached the chat is committed at once, so a
restart resumes at the next step instead of sending again (a crash in the instant between
Telegram's answer and that commit can still repeat one message: at least once, never lost).
A 403 (the customer blocked the bot) is permanent: logged, recorded, and nothing else stops.

Several processes (every bot process runs this loop; storage/send_claims.py): a round claims its
rows with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), and before each step goes to Telegram
the lease is renewed, conditionally, so a row another process has taken over is left alone. A step
is recorded only if the row is still at that step (two holders can never both move it on), a retry
or failure only by the row's holder. A holder that died keeps its rows until the lease
(`send_lease_seconds`) runs out; the next holder resumes at the recorded step, so a step that reached
the chat in the instant before its holder died is sent again (at least once, as after a restart).
Rows claimed but not reached when stopping are given back at once.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import (TelegramBadRequest, TelegramForbiddenError, TelegramNetworkError,
                                TelegramRetryAfter, TelegramServerError)
from aiogram.types import BufferedInputFile

from bot.worker import worker_name
from bot.documents.renderer import DocumentRenderer
from bot.i18n import _, pick_locale, use_locale
from bot.worker import BackgroundLoop
from domain.ports import Clock, UnitOfWork
from domain.quotation import QuotationStatus
from domain.quotation_answer import DeliveryStatus
from handlers.quotation_answers import answer_keyboard
from handlers.render import quotation_text
from handlers.text import esc

log = logging.getLogger(__name__)
BATCH = 20
MAX_ATTEMPTS = 5
MAX_RATE_WAITS = 3


class TelegramDeliveries(BackgroundLoop):
    task_name = "telegram-deliveries"

    def __init__(self, bot: Bot, uow: Callable[[], UnitOfWork], documents: DocumentRenderer, clock: Clock,
                 currency: str, default_locale: str, company: str, poll_seconds: float = 5,
                 lease_seconds: float = 300, name: str | None = None) -> None:
        super().__init__()
        self.bot, self.uow, self.documents, self.clock = bot, uow, documents, clock
        self.currency, self.default_locale, self.company = currency, default_locale, company
        self.poll_seconds = poll_seconds
        self.lease = timedelta(seconds=lease_seconds)
        self.name = name or worker_name()  # the claim holder: unique per process

    async def drain_once(self) -> int:
        """Claim the due deliveries and bring them; returns how many were claimed."""
        async with self.uow() as uow:
            claimed = await uow.quotation_answers.delivery_claims.claim(
                self.name, self.clock.now(), self.lease, BATCH)
            await uow.commit()
        for d in claimed:
            if self._stopping:
                break
            if d.attempts >= MAX_ATTEMPTS:  # used up by processes that died with it (send_claims.py)
                await self._record(d.id, d.step, error=f"given up after {d.attempts} attempts", final=True)
                continue
            await self.deliver(d.id)
        if self._stopping and claimed:
            async with self.uow() as uow:
                await uow.quotation_answers.delivery_claims.release(self.name)
                await uow.commit()
        return len(claimed)

    async def deliver(self, delivery_id: int) -> None:
        """Bring one claimed delivery, from its recorded step on."""
        async with self.uow() as uow:
            d = await uow.quotation_answers.delivery(delivery_id)
            q = await uow.quotations.get(d.quotation_id)
            customer = await uow.customers.get(q.customer_id)
            user = await uow.users.get(d.user_id)
        if q.status is not QuotationStatus.SENT or user is None or user.customer_id != q.customer_id:
            await self._record(delivery_id, d.step, error="the quotation is no longer open or the "
                                                          "account is no longer linked", final=True)
            return
        locale = pick_locale(user.language, customer.language, self.default_locale)
        step, waits = d.step, 0
        while step < 2:
            if not await self._renew(delivery_id):
                log.warning("delivery %s was taken over by another process: left to it", delivery_id)
                return
            try:
                if step == 0:
                    pdf = await self.documents.quotation_pdf_async(q, customer, locale)
                    await self.bot.send_document(d.chat_id, BufferedInputFile(pdf, filename=f"{q.number}.pdf"))
                else:
                    with use_locale(locale):
                        text = "\n".join([
                            _("Your quotation from {company}:").format(company=esc(self.company)), "",
                            quotation_text(q, customer, self.currency), "",
                            _("Accept it, decline it or ask for changes with the buttons below.")])
                        markup = answer_keyboard(q.id)
                    await self.bot.send_message(d.chat_id, text, reply_markup=markup)
            except TelegramRetryAfter as exc:
                waits += 1
                if waits > MAX_RATE_WAITS:
                    await self._record(delivery_id, step, error=str(exc))
                    return
                await asyncio.sleep(exc.retry_after)
                continue
            except (TelegramForbiddenError, TelegramBadRequest) as exc:
                log.warning("quotation %s cannot reach chat %s: %s", q.number, d.chat_id, exc)
                await self._record(delivery_id, step, error=str(exc), final=True)
                return
            except (TelegramNetworkError, TelegramServerError) as exc:
                log.warning("quotation %s to chat %s deferred: %s", q.number, d.chat_id, exc)
                await self._record(delivery_id, step, error=str(exc))
                return
            await self._record(delivery_id, step)
            step += 1

    async def _renew(self, delivery_id: int) -> bool:
        async with self.uow() as uow:
            ours = await uow.quotation_answers.delivery_claims.renew(
                delivery_id, self.name, self.clock.now(), self.lease)
            await uow.commit()
        return ours

    async def _record(self, delivery_id: int, step: int, *, error: str | None = None,
                      final: bool = False) -> None:
        """The outcome of `step`: recorded only while the row is still at that step (so two holders
        never both move it on), and a retry or failure only by the row's holder."""
        async with self.uow() as uow:
            d = await uow.quotation_answers.delivery_claims.locked(delivery_id)
            if (d.status is not DeliveryStatus.QUEUED or d.step != step
                    or (error is not None and d.claimed_by != self.name)):
                log.warning("delivery %s no longer ours (step %s, held by %s): outcome not recorded",
                            delivery_id, d.step, d.claimed_by)
                return
            now = self.clock.now()
            if error is None:
                d.advance(now)
            elif final or d.attempts + 1 >= MAX_ATTEMPTS:
                d.fail(error)
            else:
                d.retry_later(now, timedelta(seconds=30 * 2 ** d.attempts), error)
            await uow.commit()
