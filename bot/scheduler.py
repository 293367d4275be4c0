"""APScheduler 3 jobs. The work itself lives in our tables, so a missed or crashed run is picked
up by the next one; jobs run however late (misfire_grace_time=None) and backlogs coalesce."""
from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.i18n import _, use_locale
from bot.notifier import Notifier
from domain.ports import Clock
from domain.services import expiry
from handlers.text import day, esc

log = logging.getLogger(__name__)
JOB_DEFAULTS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


class ExpiryJob:
    def __init__(self, uow, clock: Clock, notifier: Notifier) -> None:
        self.uow, self.clock, self.notifier = uow, clock, notifier

    async def run(self) -> None:
        await self.warn()
        expired = await expiry.expire_quotations(self.uow(), self.clock)
        if expired:
            log.info("expired %d quotation(s)", len(expired))

    async def warn(self) -> None:
        for warning in await expiry.quotations_to_warn(self.uow(), self.clock):
            q, salesperson = warning.quotation, warning.salesperson
            with use_locale(self.notifier.locale_of(salesperson)):
                text = _("Quotation {number} expires after today ({date}). Confirm it or extend it "
                         "in /quotes before then.").format(number=esc(q.number), date=day(q.valid_until))
            await self.notifier.send(salesperson.telegram_id, text)
            await expiry.mark_warned(self.uow(), self.clock, q.id)


def build_scheduler(job: ExpiryJob, every_minutes: int, timezone: str) -> AsyncIOScheduler:
    """Pass the bound coroutine method: APScheduler 3 runs a callable object with an async
    __call__ in a thread pool and never awaits it."""
    scheduler = AsyncIOScheduler(timezone=timezone, job_defaults=JOB_DEFAULTS)
    # First run at start-up: a bot that was down over midnight catches up at once.
    scheduler.add_job(job.run, "interval", minutes=every_minutes, id="quotation_expiry",
                      next_run_time=datetime.now(ZoneInfo(timezone)), replace_existing=True)
    return scheduler
