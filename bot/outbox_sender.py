"""Drains the mail outbox: compose, deliver outside any transaction, record the outcome.

Crash safety: a row is marked sent only after the server accepted it. A crash between the two
sends that mail again on restart, with the same Message-ID (at least once, never lost); a crash
before sending loses nothing because the row is still queued. Only one sender runs per database
in this release (the polling process); see README for the scale-out note.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.mail import Delivery, DeliveryResult, MailTransport, OutgoingMail, next_step
from bot.mail_composer import MailComposer
from bot.worker import BackgroundLoop
from domain.outbox import OutboxMail
from domain.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)
BATCH = 20

# Called when a mail finally failed: (user id to tell, the outbox row).
FailureNotifier = Callable[[int, OutboxMail], Awaitable[None]]


class OutboxSender(BackgroundLoop):
    task_name = "outbox-sender"

    def __init__(self, uow: Callable[[], UnitOfWork], transport: MailTransport, composer: MailComposer,
                 clock: Clock, on_failure: FailureNotifier | None = None, poll_seconds: float = 30) -> None:
        super().__init__()
        self.uow, self.transport, self.composer, self.clock = uow, transport, composer, clock
        self.on_failure = on_failure
        self.poll_seconds = poll_seconds

    async def run(self) -> None:
        while not self._stopping:
            try:
                while not self._stopping and await self.drain_once():
                    pass
            except Exception:  # keep the loop alive: the rows stay queued for the next round
                if asyncio.current_task().cancelling():
                    # A database driver may report our own cancellation as its error (asyncpg
                    # does): stop as asked instead of going round again.
                    raise asyncio.CancelledError from None
                log.exception("outbox round failed")
            if self._stopping:
                break
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
            # that arrives as the wake-up does, and the sender would then never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
            self._wake.clear()

    async def drain_once(self) -> int:
        """Send what is due now; returns how many rows were handled."""
        async with self.uow() as uow:
            due = list(await uow.outbox.due(self.clock.now(), BATCH))
            composed: list[tuple[OutboxMail, OutgoingMail | None, str]] = []
            for row in due:
                try:
                    composed.append((row, await self.composer.compose(uow, row), ""))
                except Exception as exc:  # a document that cannot be rendered is a failure, not a loop
                    log.exception("cannot compose outbox mail %s", row.id)
                    composed.append((row, None, f"cannot compose: {exc}"))
        for row, outgoing, error in composed:
            delivery = (await self.transport.deliver(outgoing) if outgoing is not None
                        else Delivery(DeliveryResult.FAILED, error))
            await self._record(row.id, delivery)
        return len(composed)

    async def _record(self, row_id: int, delivery: Delivery) -> None:
        async with self.uow() as uow:
            row = await uow.outbox.get(row_id)
            step = next_step(delivery, row.attempts + 1)
            if step.action == "sent":
                row.mark_sent(self.clock.now())
            elif step.action == "retry":
                row.retry_later(self.clock.now(), step.delay, delivery.detail)
                log.warning("mail %s to %s deferred: %s", row.id, row.recipient, delivery.detail)
            else:
                row.mark_failed(delivery.detail)
                log.error("mail %s to %s failed: %s", row.id, row.recipient, delivery.detail)
            await uow.commit()
        if step.action == "failed" and row.notify_user_id and self.on_failure:
            try:
                await self.on_failure(row.notify_user_id, row)
            except Exception:
                log.exception("could not report failed mail %s", row.id)
