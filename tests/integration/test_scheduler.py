"""The real APScheduler runs the expiry job (and awaits it) at start-up."""
from __future__ import annotations

import asyncio
from decimal import Decimal

from bot.scheduler import ExpiryJob, build_scheduler
from domain.quotation import QuotationStatus
from domain.services import quotations


class _SilentNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    def locale_of(self, user) -> str:
        return "en"

    async def send(self, chat_id: int, text: str, markup=None) -> bool:
        self.sent.append((chat_id, text))
        return True

    async def deliver(self, chat_id, text, markup=None):
        from bot.notifier import Delivery
        await self.send(chat_id, text, markup)
        return Delivery.SENT, None


async def test_the_scheduler_awaits_the_expiry_job_at_start_up(uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["book"].id, Decimal("1"))
    await quotations.set_valid_until(uow_factory(), clock, sam, q.id, clock.today())
    clock.advance(days=1)
    notifier = _SilentNotifier()
    scheduler = build_scheduler(ExpiryJob(uow_factory, clock, notifier), 60, "Europe/Amsterdam")
    scheduler.start()
    try:
        for _ in range(100):
            q = await quotations.get_quotation(uow_factory(), sam, q.id)
            if q.status is QuotationStatus.EXPIRED:
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
    assert q.status is QuotationStatus.EXPIRED
    job = scheduler.get_jobs()
    assert job == [] or job[0].misfire_grace_time is None
