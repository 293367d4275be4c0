"""Issue 5 §2: schedules live in the database and survive restarts; one leader fires them; two
processes on PostgreSQL send one campaign together without overlap."""
from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from bot.campaign_jobs import JOB_ID, CampaignJob, build_campaign_scheduler
from domain.campaign import CampaignStatus
from domain.services import campaigns
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.fakes.smtp import SmtpSink
from tests.integration.campaign_helpers import add_customers, drain, ready_campaign, sender


async def _status(uow_factory, user, campaign_id):
    return (await campaigns.view(uow_factory(), user, campaign_id)).campaign.status


async def test_a_schedule_missed_while_the_bot_was_down_fires_at_the_first_poll(uow_factory, clock, seeded):
    user = seeded["marketing"]
    await add_customers(uow_factory, 3)
    created = await ready_campaign(uow_factory, clock, user, "group=retail")
    await campaigns.schedule(uow_factory(), clock, user, created.campaign.id, clock.now() + timedelta(hours=1))
    # Before it is due, a poll starts nothing.
    assert await CampaignJob(uow_factory, clock, "a", 15).fire() == []
    # The bot is down over the due time and comes back two days later: a fresh job, a fresh scheduler.
    clock.advance(days=2)
    job = CampaignJob(uow_factory, clock, "after-restart", 15)
    scheduler = build_campaign_scheduler(job, 15, "Europe/Amsterdam")
    assert scheduler.get_job(JOB_ID).misfire_grace_time is None and scheduler.get_job(JOB_ID).coalesce
    scheduler.start()
    try:
        for _ in range(100):
            if await _status(uow_factory, user, created.campaign.id) is CampaignStatus.SENDING:
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
    assert await _status(uow_factory, user, created.campaign.id) is CampaignStatus.SENDING
    async with uow_factory() as uow:
        assert (await uow.campaigns.progress(created.campaign.id)) == {"queued": 3}


async def test_one_process_holds_the_leader_lock_until_it_expires(uow_factory, clock, seeded):
    first, second = CampaignJob(uow_factory, clock, "one", 15), CampaignJob(uow_factory, clock, "two", 15)
    assert await first.is_leader()
    assert not await second.is_leader()
    assert await first.is_leader()  # renewed
    clock.advance(seconds=44)
    assert not await second.is_leader()
    clock.advance(seconds=2)  # the holder stopped renewing: taken over
    assert await second.is_leader()
    assert not await first.is_leader()
    await second.resign()
    assert await first.is_leader()


async def test_a_due_campaign_is_started_once_even_when_both_try(uow_factory, clock, seeded):
    user = seeded["marketing"]
    await add_customers(uow_factory, 4)
    created = await ready_campaign(uow_factory, clock, user, "group=retail")
    await campaigns.schedule(uow_factory(), clock, user, created.campaign.id, None)
    results = [await campaigns.start(uow_factory(), clock, created.campaign.id) for _ in range(2)]
    assert results == [True, False]
    async with uow_factory() as uow:
        assert (await uow.campaigns.progress(created.campaign.id)) == {"queued": 4}


async def test_two_processes_on_postgresql_send_one_campaign_without_overlap(database_url, uow_factory,
                                                                             clock, seeded):
    if not database_url.startswith("postgresql"):
        pytest.skip("on SQLite one process sends (README)")
    user = seeded["marketing"]
    await add_customers(uow_factory, 120)
    created = await ready_campaign(uow_factory, clock, user, "group=retail")
    await campaigns.schedule(uow_factory(), clock, user, created.campaign.id, None)
    # Two "app instances": own engines, own connection pools, own holder names.
    engines = [create_engine(database_url) for _ in range(2)]
    sink = SmtpSink().start()
    try:
        uows = [UnitOfWorkFactory(session_factory(e)) for e in engines]
        jobs = [CampaignJob(u, clock, f"instance-{n}", 15) for n, u in enumerate(uows)]
        senders = [sender(u, clock, sink.port, connections=2, batch=5, name=f"instance-{n}")
                   for n, u in enumerate(uows)]
        fired = await asyncio.gather(*(job.fire() for job in jobs))
        assert sorted(map(len, fired)) == [0, 1]  # exactly one instance fired the schedule
        await asyncio.gather(*(drain(s, 200) for s in senders))
    finally:
        sink.stop()
        for e in engines:
            await e.dispose()
    received = Counter(m.rcpt_tos[0] for m in sink.messages)
    assert len(received) == 120 and max(received.values()) == 1
    by_instance = Counter(name.split("/")[0] for name in await _claimers(uow_factory, created.campaign.id))
    assert set(by_instance) == {"instance-0", "instance-1"}, by_instance  # both took part
    assert await _status(uow_factory, user, created.campaign.id) is CampaignStatus.DONE


async def _claimers(uow_factory, campaign_id):
    from sqlalchemy import select
    from storage import tables as t
    r = t.campaign_recipients.c
    async with uow_factory() as uow:
        return list((await uow.session.scalars(select(r.claimed_by).where(r.campaign_id == campaign_id))).all())
