"""Sends campaign e-mails from the recipient queue: every recipient exactly once.

Per row: claim (a batch, committed) -> `sending` (committed BEFORE the message goes to SMTP: MAIL FROM
and RCPT TO, which hand nothing over, go out while it commits; DATA waits for the commit) -> DATA ->
the outcome (committed together with the next rows' `sending`, in a group commit shared by all
connections of the process; a connection marks IN_FLIGHT rows at a time, see below). So after a kill -9 at any moment:
- a row still `queued` (claimed or not) was never handed to SMTP: it is sent after the lease;
- a row in `sending` may or may not have been accepted: it becomes UNKNOWN once its lease ran out and
  is never resent automatically (`salesbot campaign status` reports it); at most IN_FLIGHT (2) rows
  per SMTP connection are in `sending` at any time (a connection marks that many together, then
  sends them), so a crash leaves at most connections x IN_FLIGHT unknowns;
- a row `sent` is done.
A reply from the server decides the rest: 2xx sent; 4xx (421 too) back to queued with backoff; 5xx
bounced, and the address is opted out in the consent record. A connection lost during DATA is
ambiguous (the server may have taken it): UNKNOWN too. An SMTP server that cannot be reached
touches no row: the claimed rows go back and sending waits (the campaign is paused, never lost).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from datetime import timedelta

from bot.campaign_mail import CampaignMailer, Recipient
from bot.campaign_smtp import Attempt, Connection, SmtpConfig, SmtpDown
from bot.group_commit import GroupCommit
from bot.rate_limit import Pace, RateLimit
from bot.worker import BackgroundLoop, worker_name
from domain.campaign import Outcome, RecipientState, outcome_of
from domain.campaign_content import CompiledContent
from domain.consent import Channel
from domain.ports import Clock
from storage.recipient_rows import Begin, Record
from storage.sqlite_recipient_queue import SenderConnection

log = logging.getLogger(__name__)


# Rows of one connection marked `sending` together (one commit before their DATA, one for their
# outcomes with the next window's marks): at most connections x IN_FLIGHT rows per process are in
# `sending` at any time, so a kill -9 leaves at most that many rows UNKNOWN.
IN_FLIGHT = 2
MAX_IN_FLIGHT = 4
# A sending round's length: its connections claim batch after batch for up to this long.
ROUND_SECONDS = 10.0


class CampaignSender(BackgroundLoop):
    task_name = "campaign-sender"

    def __init__(self, uow: Callable, clock: Clock, mailer: CampaignMailer, smtp: SmtpConfig, *,
                 rate: float = 20, connections: int = 2, batch: int = 50, lease_seconds: float = 300,
                 poll_seconds: float = 15, name: str | None = None, in_flight: int = IN_FLIGHT,
                 pace: Pace | None = None) -> None:
        """`pace`: one shared with other processes (bot/rate_limit.py); else `rate` for this process."""
        super().__init__()
        self.uow, self.clock, self.mailer, self.smtp = uow, clock, mailer, smtp
        self.rate: Pace = pace or RateLimit(rate)
        self.connections = connections
        self.batch = batch
        if not 1 <= in_flight <= MAX_IN_FLIGHT:
            raise ValueError(f"in_flight must be 1..{MAX_IN_FLIGHT}")
        self.in_flight = in_flight
        self.lease = timedelta(seconds=lease_seconds)
        self.poll_seconds = poll_seconds
        self.name = name or worker_name()
        self.smtp_down: str | None = None  # the last connection error while the server is unreachable
        self._content: dict[tuple[int, str], tuple[str, CompiledContent]] = {}
        self._journal = GroupCommit(uow, writers=connections)

    # --- lifecycle ---------------------------------------------------------------------------------

    async def run(self) -> None:
        backoff = 1.0
        while not self._stopping:
            try:
                while not self._stopping and await self.drain_once():
                    pass
                backoff = 1.0
            except Exception:
                if asyncio.current_task().cancelling():
                    raise
                log.exception("campaign sending failed; trying again shortly")
            wait = self.poll_seconds if self.smtp_down is None else min(backoff, self.poll_seconds)
            backoff = min(backoff * 2, 60)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
            self._wake.clear()

    # --- one round ---------------------------------------------------------------------------------

    async def drain_once(self) -> int:
        """One round: every connection claims and sends batches, the next as soon as one is done, until
        nothing is left to claim or the round has run ROUND_SECONDS; the number of rows handled.
        Between rounds: rows left `sending` by a dead sender expire, finished campaigns close, the
        campaigns' content is read afresh."""
        if not self.mailer.secret:  # no signed unsubscribe link, no campaign mail (rows stay queued)
            log.error("campaign mail needs SALESBOT_SECRET_KEY for its unsubscribe links")
            return 0
        now = self.clock.now()
        async with self.uow() as uow:
            if await uow.recipients.expire_stale(now, self.lease):
                log.warning("campaign rows found in `sending` after a crash are now `unknown` (not resent)")
            await uow.commit()
            engine = uow.session.bind
        self._content.clear()
        self._journal.own = own = await SenderConnection.open(engine)
        try:
            until = time.monotonic() + ROUND_SECONDS
            counts = await asyncio.gather(*(self._work(f"{self.name}/{n}", until)
                                            for n in range(self.connections)))
        finally:
            self._journal.own = None
            if own is not None:
                await own.close()
        async with self.uow() as uow:
            done = await uow.recipients.finish_campaigns(self.clock.now())
            await uow.commit()
        for campaign_id in done:
            log.info("campaign %s is done", campaign_id)
        return sum(counts)

    async def _work(self, worker: str, until: float) -> int:
        connection = Connection(self.smtp)
        handled = 0
        try:
            while True:
                count, more = await self._send_batch(worker, connection)
                handled += count
                if not more or self._stopping or time.monotonic() >= until:
                    return handled
        finally:
            await connection.close()
            # whatever was claimed and not begun goes back now
            if self._journal.own is not None:
                await self._journal.own.release(worker)
            else:
                async with self.uow() as uow:
                    await uow.recipients.release(worker)
                    await uow.commit()

    async def _send_batch(self, worker: str, connection: Connection) -> tuple[int, bool]:
        """Claim a batch and send it: (rows handled, whether to claim another: the batch was full and
        all of it went through)."""
        try:
            await connection.ensure()
        except SmtpDown as exc:
            if self.smtp_down is None:
                log.warning("SMTP server unreachable, campaign sending waits: %s", exc)
            self.smtp_down = str(exc)
            return 0, False
        self.smtp_down = None
        if self._journal.own is not None:  # claim, consent check and skip in one transaction
            rows, out = await self._journal.own.claim(worker, self.clock.now(), self.lease, self.batch)
        else:
            async with self.uow() as uow:
                rows = await uow.recipients.claim(worker, self.clock.now(), self.lease, self.batch)
                out = await uow.consents.opted_out(Channel.EMAIL, [row.email for row in rows]) if rows else set()
                await uow.recipients.skip([row.id for row in rows if row.email in out], worker)
                await uow.commit()
        sendable = [row for row in rows if row.email not in out]
        handled = len(rows) - len(sendable)
        more = len(rows) == self.batch
        pending: list[Record] = []  # the outcomes of the last window, committed with the next `sending`s
        try:
            for start in range(0, len(sendable), self.in_flight):
                if self._stopping:
                    more = False
                    break
                try:
                    await connection.ensure()
                except SmtpDown as exc:
                    self.smtp_down = str(exc)
                    more = False
                    break
                sent, pending, go_on = await self._send_window(
                    worker, connection, sendable[start:start + self.in_flight], pending)
                handled += sent
                if not go_on:
                    more = False
                    break
        finally:
            if pending:
                await self._journal.run(pending)
        return handled, more

    async def _compiled(self, campaign_id: int, language: str) -> tuple[str, CompiledContent]:
        key = (campaign_id, language)
        if key not in self._content:
            async with self.uow() as uow:
                campaign = await uow.campaigns.get(campaign_id)
                content = campaign.content_for(language)
                self._content[key] = (campaign.name, CompiledContent(content))
        return self._content[key]

    async def _send_window(self, worker: str, connection: Connection, window: list, pending: list[Record]):
        """Send up to `in_flight` rows: their `sending` marks are committed together with the previous
        window's outcomes, before any of their DATA (the first row's MAIL FROM and RCPT TO go out while
        that commits). (rows begun, their outcomes to commit next, go on). Not go on: the campaign was
        paused or cancelled, a row is not ours any more, or the server went away."""
        prepared = []
        for row in window:
            name, content = await self._compiled(row.campaign_id, row.language)
            message_id = self.mailer.message_id(row.campaign_id, row.id)
            recipient = Recipient(row.contact_kind, row.contact_id, row.email, row.name, row.company,
                                  row.salesperson, row.id)
            try:
                data, problem = self.mailer.build(content, name, recipient, message_id,
                                                  campaign_id=row.campaign_id), ""
            except ValueError as exc:  # an address no server would take: failed, never retried
                data, problem = None, f"cannot build message: {exc}"
            await self.rate.wait()
            prepared.append((row, message_id, data, problem))
        now = self.clock.now()
        committed = self._journal.submit(pending, [Begin(row.id, worker, message_id, now)
                                                   for row, message_id, _data, _problem in prepared])
        first_data = prepared[0][2]
        refused = None
        try:
            if first_data is not None:  # the envelope goes out while the `sending` marks commit
                refused = await connection.envelope(self.mailer.mail_from_address, prepared[0][0].email)
            began = await committed
        except BaseException:
            if not committed.done():
                committed.cancel()
            if first_data is not None and refused is None:
                await connection.abandon()
            raise
        if not began[0] and first_data is not None and refused is None:
            await connection.abandon()
        records, go_on = [], all(began)
        for n, ((row, _message_id, data, problem), took) in enumerate(zip(prepared, began)):
            if not took:  # not marked: never handed over, stays queued (released at the end)
                continue
            # DATA only now: the row's `sending` is committed
            if data is None:
                attempt, outcome = Attempt(False, detail=problem), Outcome(RecipientState.FAILED)
            else:
                if n == 0:
                    attempt = refused or await connection.data(data)
                else:
                    attempt = await self._send_marked(connection, row.email, data)
                    if attempt.code is None and not attempt.delivered and connection.smtp is None:
                        go_on = False
            now = self.clock.now()
            if data is not None:
                outcome = outcome_of(attempt.code, attempt.delivered, row.attempts + 1, now, attempt.ambiguous)
            if outcome.state is RecipientState.QUEUED:
                log.info("campaign mail to recipient %s deferred: %s", row.id, attempt.detail)
            records.append(Record(row.id, worker, outcome.state, now, outcome.retry_at,
                                  None if attempt.delivered else attempt.detail,
                                  (row.email, row.contact_kind, row.contact_id) if outcome.opt_out else None))
        return len(records), records, go_on

    async def _send_marked(self, connection: Connection, email: str, data: bytes) -> Attempt:
        """A row already committed `sending`: sent, or an attempt that hands nothing over (the server
        cannot be reached: retried with backoff like any failure before DATA)."""
        try:
            await connection.ensure()
        except SmtpDown as exc:
            self.smtp_down = str(exc)
            return Attempt(False, None, detail=str(exc))
        return await connection.send(self.mailer.mail_from_address, email, data)

    async def send_test(self, content: CompiledContent, name: str, recipient: Recipient, to: str) -> Attempt:
        """The test send to oneself: one message on its own connection, recorded nowhere."""
        data = self.mailer.build(content, name, recipient, self.mailer.message_id(0, secrets.randbits(40)),
                                 to=to)
        connection = Connection(self.smtp)
        try:
            await connection.ensure()
            return await connection.send(self.mailer.mail_from_address, to, data)
        except SmtpDown as exc:
            return Attempt(False, None, detail=str(exc))
        finally:
            await connection.close()
