"""Issue 5 §6 jobs: the daily backorder delay notices and the salespeople's morning digest.

Both run at a time of day from settings in the company's time zone (APScheduler cron triggers,
misfire_grace_time=None and coalesce, so a bot that was down at that time runs them once when
it is back). The Telegram messages of the notices are rows drained here (`send_queued`), also
every few minutes, so a crash after the notices were committed loses no message.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.i18n import _, ngettext, use_locale
from bot.notifier import Delivery, Notifier
from domain.delay_notice import Digest, MessageStatus, NoticeMessage, NoticeRules
from domain.ports import Clock
from domain.services import delay_notices as service
from domain.user import User
from handlers.delay_notices import notice_keyboard, notice_text
from handlers.text import day, esc, qty

log = logging.getLogger(__name__)
BATCH = 50
DRAIN_MINUTES = 5
MAX_ATTEMPTS = 12  # a message Telegram keeps failing is given up after about an hour of drains


def parse_time(value: str) -> tuple[int, int]:
    """'07:30' -> (7, 30)."""
    hour, _sep, minute = value.strip().partition(":")
    h, m = int(hour), int(minute or 0)
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(f"not a time of day: {value!r}")
    return h, m


class NoticeJob:
    def __init__(self, uow, clock: Clock, notifier: Notifier, rules: NoticeRules = NoticeRules(),
                 mail_queued: Callable[[], None] | None = None) -> None:
        self.uow, self.clock, self.notifier, self.rules = uow, clock, notifier, rules
        self.mail_queued = mail_queued

    async def run(self) -> int:
        created = await service.run_notices(self.uow, self.clock, self.rules)
        if created:
            log.info("%d backorder delay notice(s)", len(created))
            if self.mail_queued is not None:
                self.mail_queued()
        await self.send_queued()
        return len(created)

    async def send_queued(self) -> int:
        """Send the queued Telegram messages, each once per run (in id order): each is claimed
        (committed) before it is sent, so it is never sent twice; a 403 (blocked) or 400 marks it
        failed, and the e-mail still went out; a transient failure gives it back for a later run."""
        sent, after = 0, 0
        while True:
            async with self.uow() as uow:
                rows = await uow.delay_notices.queued_messages(BATCH, after)
            if not rows:
                return sent
            for row in rows:
                after = row.id
                sent += await self._send_one(row)

    async def _send_one(self, row: NoticeMessage) -> bool:
        async with self.uow() as uow:
            claimed = await uow.delay_notices.claim_message(row.id)
            await uow.commit()
        if not claimed:
            return False
        try:
            outcome, error = await self._send(row)
        except Exception as exc:  # a fault of ours: record it; never crash the job
            log.exception("delay notice message %s", row.id)
            outcome, error = Delivery.REFUSED, str(exc)
        attempts = row.attempts + 1  # counted by the claim
        async with self.uow() as uow:
            if outcome is Delivery.LATER and attempts < MAX_ATTEMPTS:
                await uow.delay_notices.release_message(row.id, error or "")
            else:
                ok = outcome is Delivery.SENT
                await uow.delay_notices.finish_message(
                    row.id, MessageStatus.SENT if ok else MessageStatus.FAILED,
                    self.clock.now() if ok else None, error)
            await uow.commit()
        return outcome is Delivery.SENT

    async def _send(self, row: NoticeMessage) -> tuple[Delivery, str | None]:
        view = await service.notice_view(self.uow(), row.notice_id)
        if view is None:
            return Delivery.REFUSED, "the notice no longer exists"
        async with self.uow() as uow:
            user = await uow.users.get(row.user_id)
        locale = (user.language if user else None) or view.customer.language or self.notifier.default_locale
        with use_locale(locale):
            text, markup = notice_text(view), notice_keyboard(view.notice.id)
        return await self.notifier.deliver(row.telegram_id, text, markup)


def digest_text(digest: Digest) -> str:
    parts = [_("<b>Good morning.</b> Your day at a glance:")]
    if digest.backorder_count:
        parts.append("")
        parts.append(ngettext("{count} order line waits for delivery", "{count} order lines wait for delivery",
                              digest.backorder_count).format(count=digest.backorder_count)
                     + (" " + _("({late} past the confirmed date)").format(late=digest.late_count)
                        if digest.late_count else "") + ":")
        for line in digest.first_lines:
            when = day(line.confirmed_date) if line.confirmed_date else "-"
            parts.append(f"· {esc(line.order_number)}/{line.line_number} {esc(line.item_number)} "
                         f"{qty(line.remainder)} {esc(line.unit)} · {when}")
        if digest.backorder_count > len(digest.first_lines):
            parts.append(_("… see /backorders"))
    if digest.quotations:
        parts.append("")
        parts.append(_("Quotations expiring within two days:"))
        for q in digest.quotations:
            parts.append(f"· {esc(q.number)} {esc(q.customer_name)} · "
                         + _("valid until {date}").format(date=day(q.valid_until)))
    if digest.agreements:
        parts.append("")
        parts.append(_("Sales agreements ending soon with commitment left:"))
        for a in digest.agreements:
            parts.append(f"· {esc(a.number)} {esc(a.customer_name)} · "
                         + _("ends {date}, {remaining} left").format(date=day(a.valid_to), remaining=qty(a.remaining)))
    return "\n".join(parts)


class DigestJob:
    def __init__(self, uow, clock: Clock, notifier: Notifier, agreement_days: int = 14) -> None:
        self.uow, self.clock, self.notifier, self.agreement_days = uow, clock, notifier, agreement_days
        self.missed: set[int] = set()  # salespeople Telegram could not reach today, for retry_missed
        self.missed_on: date | None = None

    async def run(self, only: set[int] | None = None) -> int:
        """One message per salesperson with something to report, at most once a day (recorded
        before sending: a crash right after the record skips that day's digest, never doubles it).
        Each salesperson's digest stands alone: a failure is logged and the others still go out."""
        sent = 0
        for user, digest in await service.digests_due(self.uow, self.clock, self.agreement_days):
            if only is not None and user.id not in only:
                continue
            if not await service.claim_digest(self.uow(), self.clock, user.id):
                continue
            sent += await self._send(user, digest)
        return sent

    async def retry_missed(self) -> int:
        """Every few minutes: the digests of today that Telegram could not take (5xx, unreachable)."""
        if self.missed_on != self.clock.today():
            self.missed.clear()
        if not self.missed:
            return 0
        missed, self.missed = self.missed, set()
        return await self.run(only=missed)

    async def _send(self, user: User, digest: Digest) -> bool:
        with use_locale(self.notifier.locale_of(user)):
            text = digest_text(digest)
        try:
            outcome, _error = await self.notifier.deliver(user.telegram_id, text)
        except Exception:  # a fault of ours: logged; the record stays so it does not repeat all day
            log.exception("morning digest for user %s", user.id)
            return False
        if outcome is Delivery.LATER:  # not sent: no longer recorded, so a later run may send it
            await service.unclaim_digest(self.uow(), self.clock, user.id)
            self.missed.add(user.id)
            self.missed_on = self.clock.today()
        return outcome is Delivery.SENT


def add_notice_jobs(scheduler: AsyncIOScheduler, notices: NoticeJob, digest: DigestJob,
                    notice_time: str, digest_time: str) -> None:
    """Register the jobs on the bot's scheduler (its job defaults: run late, coalesce, one at a time)."""
    h, m = parse_time(notice_time)
    scheduler.add_job(notices.run, "cron", hour=h, minute=m, id="delay_notices", replace_existing=True)
    scheduler.add_job(notices.send_queued, "interval", minutes=DRAIN_MINUTES, id="delay_notice_messages",
                      replace_existing=True)
    h, m = parse_time(digest_time)
    scheduler.add_job(digest.run, "cron", hour=h, minute=m, id="morning_digest", replace_existing=True)
    scheduler.add_job(digest.retry_missed, "interval", minutes=DRAIN_MINUTES, id="morning_digest_retry",
                      replace_existing=True)


def make_jobs(app) -> tuple[NoticeJob, DigestJob]:
    """The two jobs for a built bot.app.App (its database, clock, bot, settings and outbox)."""
    s = app.settings
    notifier = Notifier(app.bot, app.uow, s.locale)
    rules = NoticeRules(handling_days=s.notice_handling_days, uncovered_days=s.notice_uncovered_days)
    return (NoticeJob(app.uow, app.clock, notifier, rules, mail_queued=app.outbox.wake),
            DigestJob(app.uow, app.clock, notifier, s.digest_agreement_days))
