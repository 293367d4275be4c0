"""APScheduler 3 jobs. The work itself lives in our tables, so a missed or crashed run is picked
up by the next one; jobs run however late (misfire_grace_time=None) and backlogs coalesce.

Several bot processes (each runs this scheduler): a run of the expiry job first takes the leader
lock `quotation-expiry` (storage LeaderLock, as the campaign schedules do) and gives it back when it
is done, so one process at a time warns and expires; the others' runs find the lock held and do
nothing (the next run, of whichever process, finds whatever is left). The lock is renewed before
each warning; a holder that died is replaced once its TTL ran out. Quotations past their date are
expired before any warning is sent, so a Telegram outage does not keep them open. A warning is
recorded after it went out (a crash in between repeats it, never skips it; one Telegram could not
take for now, a 5xx, no connection or a 429 after our retries, is not recorded and the next run
tries again; a blocked chat is recorded), with a conditional UPDATE, so should two
runs overlap anyway (a holder that hung past its TTL) only one records it and the hung one stops at
its next renewal: at worst one warning twice, never none.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.worker import worker_name
from bot.i18n import _, use_locale
from bot.notifier import Delivery, Notifier
from domain.ports import Clock
from domain.services import expiry
from handlers.text import day, esc
from storage.leader_lock import LeaderLock

log = logging.getLogger(__name__)
JOB_DEFAULTS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}
LOCK = "quotation-expiry"


class ExpiryJob:
    def __init__(self, uow, clock: Clock, notifier: Notifier, holder: str | None = None,
                 ttl_seconds: float = 120) -> None:
        self.uow, self.clock, self.notifier = uow, clock, notifier
        self.holder, self.ttl = holder or worker_name(), timedelta(seconds=ttl_seconds)

    async def run(self) -> bool:
        """Warn and expire, if no other process is doing it; False: another one was."""
        if not await self.lead():
            log.info("the expiry job runs in another process")
            return False
        try:
            # Expiring first: it must not wait for Telegram to take the warnings.
            expired = await expiry.expire_quotations(self.uow(), self.clock)
            if expired:
                log.info("expired %d quotation(s)", len(expired))
            await self.warn()
        finally:
            await self.resign()
        return True

    async def lead(self) -> bool:
        """Take or renew the lock (committed at once)."""
        async with self.uow() as uow:
            leader = await LeaderLock(uow.session).acquire(LOCK, self.holder, self.clock.now(), self.ttl)
            await uow.commit()
        return leader

    async def resign(self) -> None:
        async with self.uow() as uow:
            await LeaderLock(uow.session).release(LOCK, self.holder)
            await uow.commit()

    async def warn(self) -> bool:
        """Called with the lock held (run); False: the lock passed to another process meanwhile."""
        for warning in await expiry.quotations_to_warn(self.uow(), self.clock):
            if not await self.lead():
                log.warning("the expiry lock passed to another process: it warns the rest")
                return False
            if await self.send_warning(warning) is not Delivery.LATER:
                await expiry.mark_warned(self.uow(), self.clock, warning.quotation.id)
        return True

    async def send_warning(self, warning: expiry.ExpiryWarning) -> Delivery:
        """LATER (not recorded, the next run tries again): Telegram failed for now, or we did."""
        q, salesperson = warning.quotation, warning.salesperson
        with use_locale(self.notifier.locale_of(salesperson)):
            text = _("Quotation {number} expires after today ({date}). Confirm it or extend it "
                     "in /quotes before then.").format(number=esc(q.number), date=day(q.valid_until))
        try:
            outcome, _error = await self.notifier.deliver(salesperson.telegram_id, text)
        except Exception:  # one warning's fault stops neither the others nor the expiry
            log.exception("expiry warning for quotation %s", q.id)
            return Delivery.LATER
        return outcome


def build_scheduler(job: ExpiryJob, every_minutes: int, timezone: str) -> AsyncIOScheduler:
    """Pass the bound coroutine method: APScheduler 3 runs a callable object with an async
    __call__ in a thread pool and never awaits it."""
    scheduler = AsyncIOScheduler(timezone=timezone, job_defaults=JOB_DEFAULTS)
    # First run at start-up: a bot that was down over midnight catches up at once.
    scheduler.add_job(job.run, "interval", minutes=every_minutes, id="quotation_expiry",
                      next_run_time=datetime.now(ZoneInfo(timezone)), replace_existing=True)
    return scheduler
