"""Fires due campaigns (APScheduler polls; the schedule itself lives in the campaigns table).

Only the process holding the leader lock (a row in `leader_locks`, renewed on every poll, taken over
once it expires) starts campaigns, so with several bot processes on one database exactly one fires
the schedules; starting is idempotent besides (version check, unique (campaign, e-mail) key). The
sending itself is shared: every process's CampaignSender claims batches of rows.

The job runs however late (misfire_grace_time=None) and coalesces a backlog into one run, on
purpose: a campaign due while the bot was down is started at the first poll after the restart.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.scheduler import JOB_DEFAULTS
from domain.ports import Clock
from domain.services import campaigns
from storage.leader_lock import LeaderLock

log = logging.getLogger(__name__)
LOCK = "campaign-scheduler"
JOB_ID = "campaign_schedules"


class CampaignJob:
    def __init__(self, uow: Callable, clock: Clock, holder: str, poll_seconds: float,
                 wake: Callable[[], None] = lambda: None) -> None:
        self.uow, self.clock, self.holder = uow, clock, holder
        self.ttl = timedelta(seconds=max(3 * poll_seconds, 10))
        self.wake = wake
        self._current: asyncio.Task | None = None
        self._stopped = False

    async def is_leader(self) -> bool:
        async with self.uow() as uow:
            leader = await LeaderLock(uow.session).acquire(LOCK, self.holder, self.clock.now(), self.ttl)
            await uow.commit()
        return leader

    async def fire(self) -> list[int]:
        """Start every due campaign, if this process is the leader; the ids started.

        The work runs in its own task, shielded: APScheduler's shutdown cancels running jobs, and a
        start must not be cut off mid-transaction; stop() waits for it instead."""
        if self._stopped:
            return []
        self._current = task = asyncio.ensure_future(self._fire())
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not self._stopping_scheduler():
                raise
            return []  # the scheduler is shutting down: stop() waits for the task

    def _stopping_scheduler(self) -> bool:
        return not (self._current is None or self._current.done()) or self._stopped

    async def stop(self, grace_seconds: float = 10) -> None:
        """No new runs; the one in progress finishes (shutdown must not cancel it mid-transaction)."""
        self._stopped = True
        if self._current is not None and not self._current.done():
            await asyncio.wait({self._current}, timeout=grace_seconds)

    async def _fire(self) -> list[int]:
        if not await self.is_leader():
            return []
        started = []
        for campaign_id in await campaigns.due_campaigns(self.uow(), self.clock):
            if await campaigns.start(self.uow(), self.clock, campaign_id):
                log.info("campaign %s started", campaign_id)
                started.append(campaign_id)
        if started:
            self.wake()
        return started

    async def resign(self) -> None:
        async with self.uow() as uow:
            await LeaderLock(uow.session).release(LOCK, self.holder)
            await uow.commit()


def add_campaign_job(scheduler: AsyncIOScheduler, job: CampaignJob, poll_seconds: float,
                     timezone: str) -> None:
    """Bound coroutine method (APScheduler 3 awaits coroutine functions only), first run at once."""
    scheduler.add_job(job.fire, "interval", seconds=poll_seconds, id=JOB_ID, replace_existing=True,
                      next_run_time=datetime.now(ZoneInfo(timezone)), **JOB_DEFAULTS)


def build_campaign_scheduler(job: CampaignJob, poll_seconds: float, timezone: str) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=timezone, job_defaults=JOB_DEFAULTS)
    add_campaign_job(scheduler, job, poll_seconds, timezone)
    return scheduler
