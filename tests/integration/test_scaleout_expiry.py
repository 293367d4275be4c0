"""The expiry warnings with several processes (scale-out): one process at a time runs the job (the
leader lock `quotation-expiry`), and a warning is recorded by one run only. The warnings go to the
fake Bot API over HTTP."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from bot.notifier import Notifier
from bot.scheduler import LOCK, ExpiryJob
from domain.services import expiry, quotations
from storage.leader_lock import LeaderLock
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.fakes.harness import make_bot

SAM = 1001  # the seeded salesperson's Telegram id


async def _quotations_on_their_last_day(uow_factory, clock, seeded, count: int) -> list[int]:
    sam, ids = seeded["sales"], []
    for _ in range(count):
        q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
        await quotations.add_line(uow_factory(), sam, q.id, seeded["book"].id, Decimal("1"))
        await quotations.set_valid_until(uow_factory(), clock, sam, q.id, clock.today())
        ids.append(q.id)
    return ids


def _job(bot, uow_factory, clock, holder) -> ExpiryJob:
    return ExpiryJob(uow_factory, clock, Notifier(bot, uow_factory, "en"), holder=holder)


async def test_two_processes_running_the_expiry_job_at_once_warn_each_quotation_once(
        database_url, uow_factory, clock, seeded, fake_bot_api):
    """On PostgreSQL two engines, as two bot processes; on SQLite the same with one file."""
    fake_bot_api.add_user(SAM)
    await _quotations_on_their_last_day(uow_factory, clock, seeded, 3)
    engines = [create_engine(database_url, "Europe/Amsterdam") for _ in range(2)]
    bots = [make_bot(fake_bot_api) for _ in range(2)]
    try:
        jobs = [_job(bot, UnitOfWorkFactory(session_factory(e)), clock, f"process-{n}")
                for n, (bot, e) in enumerate(zip(bots, engines))]
        async with asyncio.timeout(30):
            # Process 0 holds the lock when process 1's job fires: it stands aside. (Both fired by
            # gather could also pass one after the other: on SQLite a busy wait can last until
            # the first run has given the lock back, which made this test flaky.)
            assert await jobs[0].lead()
            assert await jobs[1].run() is False
            assert fake_bot_api.calls_of("sendMessage", chat_id=SAM) == []
            assert await jobs[0].run() is True  # the holder renews its own lock and warns
            assert len(fake_bot_api.calls_of("sendMessage", chat_id=SAM)) == 3
            assert await asyncio.gather(*(job.run() for job in jobs))  # the lock was given back
    finally:
        for bot in bots:
            await bot.session.close()
        for e in engines:
            await e.dispose()
    texts = [c.params["text"] for c in fake_bot_api.calls_of("sendMessage", chat_id=SAM)]
    assert len(texts) == 3 and len(set(texts)) == 3  # the later runs found nothing left to warn
    clock.advance(days=1)
    await _job(make_bot(fake_bot_api), uow_factory, clock, "process-0").run()
    async with uow_factory() as uow:
        assert {q.status for q in await uow.quotations.open_of(None, 10)} == set()


async def test_a_dead_holders_expiry_lock_is_taken_over_after_its_ttl(
        uow_factory, clock, seeded, fake_bot_api, fake_bot):
    fake_bot_api.add_user(SAM)
    await _quotations_on_their_last_day(uow_factory, clock, seeded, 1)
    async with uow_factory() as uow:  # a process took the lock and died
        assert await LeaderLock(uow.session).acquire(LOCK, "dead", clock.now(), timedelta(seconds=120))
        await uow.commit()
    job = _job(fake_bot, uow_factory, clock, "live")
    assert not await job.run()
    assert fake_bot_api.calls_of("sendMessage", chat_id=SAM) == []
    clock.advance(seconds=121)
    assert await job.run()
    assert len(fake_bot_api.calls_of("sendMessage", chat_id=SAM)) == 1


async def test_a_warning_is_recorded_by_one_run_only(uow_factory, clock, seeded):
    [qid] = await _quotations_on_their_last_day(uow_factory, clock, seeded, 1)
    before = await quotations.get_quotation(uow_factory(), seeded["sales"], qid)
    first, second = await asyncio.gather(expiry.mark_warned(uow_factory(), clock, qid),
                                         expiry.mark_warned(uow_factory(), clock, qid))
    assert sorted([first, second]) == [False, True]
    assert await expiry.quotations_to_warn(uow_factory(), clock) == []
    after = await quotations.get_quotation(uow_factory(), seeded["sales"], qid)
    assert after.expiry_warned_on == clock.today()
    assert after.version == before.version  # a salesperson editing it meanwhile is not refused
