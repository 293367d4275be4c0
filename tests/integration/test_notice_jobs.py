"""Issue 5 §6: both jobs on the real APScheduler at the settings' times in the company time zone,
and the settings' time format."""
from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.notices import DigestJob, NoticeJob, add_notice_jobs
from bot.scheduler import ExpiryJob, build_scheduler
from bot.settings import Settings


class _Notifier:
    default_locale = "en"

    def locale_of(self, user) -> str:
        return "en"

    async def send(self, chat_id, text, markup=None) -> bool:
        return True

    async def deliver(self, chat_id, text, markup=None):
        from bot.notifier import Delivery
        await self.send(chat_id, text, markup)
        return Delivery.SENT, None


async def test_the_jobs_run_daily_at_the_settings_times(uow_factory, clock):
    notifier = _Notifier()
    scheduler = build_scheduler(ExpiryJob(uow_factory, clock, notifier), 60, "Europe/Amsterdam")
    add_notice_jobs(scheduler, NoticeJob(uow_factory, clock, notifier), DigestJob(uow_factory, clock, notifier),
                    "07:30", "08:05")
    scheduler.start(paused=True)
    try:
        jobs = {j.id: j for j in scheduler.get_jobs()}
        amsterdam = ZoneInfo("Europe/Amsterdam")
        now = datetime(2026, 11, 24, 9, 0, tzinfo=amsterdam)
        assert jobs["delay_notices"].trigger.get_next_fire_time(None, now) == datetime(2026, 11, 25, 7, 30, tzinfo=amsterdam)
        assert jobs["morning_digest"].trigger.get_next_fire_time(None, now) == datetime(2026, 11, 25, 8, 5, tzinfo=amsterdam)
        # Run however late, once: a bot that was down at 07:30 sends the notices when it is back.
        assert jobs["delay_notices"].misfire_grace_time is None and jobs["delay_notices"].coalesce
        assert "delay_notice_messages" in jobs
    finally:
        scheduler.shutdown(wait=False)
    await asyncio.sleep(0)


def test_a_time_of_day_is_checked():
    assert Settings(_env_file=None, notice_time="7:05").notice_time == "07:05"
    for bad in ("25:00", "seven", "07:61"):
        with pytest.raises(ValidationError):
            Settings(_env_file=None, digest_time=bad)
