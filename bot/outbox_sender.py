"""Drains the mail outbox: claim, then for each mail in turn compose, deliver outside any
transaction, and record the outcome.

Crash safety: a row is marked sent only after the server accepted it. A crash between the two
sends that mail again on restart, with the same Message-ID (at least once, never lost); a crash
before sending loses nothing because the row is still queued.

Several processes (every bot process runs a sender; storage/send_claims.py): a round claims a batch
of due rows (committed; `FOR UPDATE SKIP LOCKED` on PostgreSQL), so two senders never take the same
row. Just before a mail goes to SMTP its lease is renewed, conditionally: a row another sender has
taken over is skipped. The outcome is recorded under a row lock; a retry or failure is recorded only
by the row's holder, an accepted mail by whoever delivered it. Rows claimed but not reached (the
sender is stopping) are given back at once.

A holder that dies or hangs keeps its rows until their lease (`send_lease_seconds`, 300 s) runs out;
then any sender takes them over. A row whose lease ran out while its mail was with the server (the
holder died after SMTP accepted it, or hung past the lease) is sent again by the next holder, with
the same Message-ID: transactional mail is at least once, never lost, unlike the campaign sender,
which marks such rows unknown and never resends them. The lease is far longer than one delivery
(the SMTP timeout is 30 s), so two live senders do not overlap.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.worker import worker_name
from bot.mail import MAX_ATTEMPTS, Delivery, DeliveryResult, MailTransport, next_step
from bot.mail_composer import MailComposer
from bot.worker import BackgroundLoop
from domain.outbox import MailStatus, OutboxMail
from domain.ports import Clock, UnitOfWork

log = logging.getLogger(__name__)
BATCH = 20

# Called when a mail finally failed: (user id to tell, the outbox row).
FailureNotifier = Callable[[int, OutboxMail], Awaitable[None]]


class OutboxSender(BackgroundLoop):
    task_name = "outbox-sender"

    def __init__(self, uow: Callable[[], UnitOfWork], transport: MailTransport, composer: MailComposer,
                 clock: Clock, on_failure: FailureNotifier | None = None, poll_seconds: float = 30,
                 lease_seconds: float = 300, name: str | None = None) -> None:
        super().__init__()
        self.uow, self.transport, self.composer, self.clock = uow, transport, composer, clock
        self.on_failure = on_failure
        self.poll_seconds = poll_seconds
        self.lease = timedelta(seconds=lease_seconds)
        self.name = name or worker_name()  # the claim holder: unique per sender

    async def drain_once(self) -> int:
        """Claim and send what is due now; returns how many rows were claimed."""
        async with self.uow() as uow:
            due = await uow.outbox.claims.claim(self.name, self.clock.now(), self.lease, BATCH)
            await uow.commit()
        for row in due:  # in claim order, one at a time: a takeover charges only the row in hand
            if self._stopping:
                break
            if not await self._renew(row.id):
                log.warning("mail %s was taken over by another sender: skipped here", row.id)
                continue
            await self._record(row.id, await self._attempt(row))
        if self._stopping:
            await self._release()
        return len(due)

    async def _attempt(self, row: OutboxMail) -> Delivery:
        """Compose the mail and hand it to the server."""
        if row.attempts >= MAX_ATTEMPTS:  # used up by senders that died with it: not once more
            return Delivery(DeliveryResult.FAILED, f"given up after {row.attempts} attempts; the sender "
                                                   "stopped while this mail was with it")
        try:
            async with self.uow() as uow:
                outgoing = await self.composer.compose(uow, row)
        except Exception as exc:  # a document that cannot be rendered is a failure, not a loop
            log.exception("cannot compose outbox mail %s", row.id)
            return Delivery(DeliveryResult.FAILED, f"cannot compose: {exc}")
        return await self.transport.deliver(outgoing)

    async def _renew(self, row_id: int) -> bool:
        async with self.uow() as uow:
            ours = await uow.outbox.claims.renew(row_id, self.name, self.clock.now(), self.lease)
            await uow.commit()
        return ours

    async def _release(self) -> None:
        async with self.uow() as uow:
            await uow.outbox.claims.release(self.name)
            await uow.commit()

    async def _record(self, row_id: int, delivery: Delivery) -> None:
        async with self.uow() as uow:
            row = await uow.outbox.claims.locked(row_id)
            step = next_step(delivery, row.attempts + 1)
            if row.status != MailStatus.QUEUED or (row.claimed_by != self.name and step.action != "sent"):
                # Another sender took the row over after our lease ran out (we hung): its holder
                # decides a retry or a failure; only an accepted mail is recorded whoever sent it.
                log.warning("mail %s no longer ours (%s, held by %s): outcome %s not recorded",
                            row.id, row.status, row.claimed_by, step.action)
                return
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
