"""Issue 5 §6 on the real database: delay notices made once (run twice, two runs at once), the
customer's answers, and the morning digest."""
from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.delay_notice import MessageStatus, NoticeAnswer
from domain.errors import InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from domain.outbox import MailKind
from domain.sales_agreement import CommitmentType, SalesAgreement
from domain.sales_order import SalesOrderStatus
from domain.services import delay_notices as svc
from domain.user import Role, User
from storage import tables as t
from tests.backorder_helpers import import_pos, make_order

TODAY = date(2026, 11, 24)


async def set_dates(uow_factory, order, dates: dict[int, date]) -> None:
    async with uow_factory() as uow:
        o = await uow.sales_orders.get(order.id)
        for n, d in dates.items():
            o.line(n).confirmed_delivery_date = d
        await uow.commit()


async def set_stock(uow_factory, item, on_hand) -> None:
    async with uow_factory() as uow:
        (await uow.items.get(item.id)).on_hand = Decimal(on_hand)
        await uow.commit()


async def add_customer_user(uow_factory, customer, telegram_id) -> User:
    user = User(telegram_id=telegram_id, name="Buyer", role=Role.CUSTOMER, customer_id=customer.id)
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


@pytest.fixture
async def late(uow_factory, clock, seeded):
    """Acme's order: 60 chairs promised for last Friday (50 on hand, then PO-1 brings 20 on 3 Dec),
    2 desks promised for 1 Dec while the only desks come on 8 Dec (none on hand); a Café order
    without a promise. Acme has a linked Telegram contact."""
    s = seeded
    await set_stock(uow_factory, s["desk"], 0)
    order = await make_order(uow_factory, clock, s["sales"], s["acme"], [(s["chair"], 60), (s["desk"], 2)])
    await set_dates(uow_factory, order, {1: date(2026, 11, 20), 2: date(2026, 12, 1)})
    await make_order(uow_factory, clock, s["sales2"], s["cafe"], [(s["chair"], 5)])
    await import_pos(uow_factory, "PO-1,V-01,Chairs Ltd,A-100,20,2026-12-03,",
                     "PO-2,V-02,Desk Co,A-200,4,2026-12-08,")
    buyer = await add_customer_user(uow_factory, s["acme"], 7001)
    return {"order": order, "buyer": buyer}


async def _all(uow_factory, table):
    async with uow_factory() as uow:
        return (await uow.session.execute(table.select())).mappings().all()


async def test_the_daily_run_moves_late_lines_and_queues_one_notice_each(uow_factory, clock, seeded, late):
    created = await svc.run_notices(uow_factory, clock)
    assert sorted((n.line_number, n.previous_date, n.expected_date, n.reason) for n in created) == [
        (1, date(2026, 11, 20), date(2026, 12, 4), "late"),     # PO-1 on 3 Dec + a working day
        (2, date(2026, 12, 1), date(2026, 12, 9), "supply")]    # PO-2 on 8 Dec is after the promise
    async with uow_factory() as uow:
        order = await uow.sales_orders.get(late["order"].id)
    assert [l.confirmed_delivery_date for l in order.lines] == [date(2026, 12, 4), date(2026, 12, 9)]
    mails = await _all(uow_factory, t.outbox_mails)
    assert [(m["kind"], m["recipient"]) for m in mails] == [(MailKind.DELAY_NOTICE, "buyer@acme.example")] * 2
    messages = await _all(uow_factory, t.delay_notice_messages)
    assert [(m["telegram_id"], m["status"]) for m in messages] == [(7001, MessageStatus.QUEUED)] * 2

    assert await svc.run_notices(uow_factory, clock) == []  # run again: nothing new
    clock.advance(days=1)
    assert await svc.run_notices(uow_factory, clock) == []  # next day: the new promises still hold
    assert len(await _all(uow_factory, t.delay_notices)) == 2
    assert len(await _all(uow_factory, t.outbox_mails)) == 2


async def test_two_runs_at_once_make_one_notice_per_line(uow_factory, clock, seeded, late):
    results = await asyncio.gather(svc.run_notices(uow_factory, clock), svc.run_notices(uow_factory, clock))
    assert sum(len(r) for r in results) == 2
    assert len(await _all(uow_factory, t.delay_notices)) == 2
    assert len(await _all(uow_factory, t.outbox_mails)) == 2
    assert len(await _all(uow_factory, t.delay_notice_messages)) == 2


async def test_a_line_put_back_and_slipping_again_gets_a_new_notice_for_the_same_date(uow_factory, clock, seeded, late):
    [slip, *_] = await svc.find_slips(uow_factory(), clock)
    first = await svc.notify_slip(uow_factory(), clock, slip)
    assert await svc.notify_slip(uow_factory(), clock, slip) is None  # the line already moved
    await set_dates(uow_factory, late["order"], {slip.line.line_number: slip.previous_date})
    again = await svc.notify_slip(uow_factory(), clock, slip)  # the date told before is news again
    assert (again.expected_date, again.sequence, first.sequence) == (slip.expected_date, 2, 1)
    assert len(await _all(uow_factory, t.outbox_mails)) == 2


async def test_the_unique_key_refuses_a_second_notice_with_the_lines_same_number(uow_factory, clock, seeded, late):
    """Two processes that both got past the date move would both take the line's next number."""
    [slip, *_] = await svc.find_slips(uow_factory(), clock)
    notice = await svc.notify_slip(uow_factory(), clock, slip)
    from domain.delay_notice import DelayNotice
    from domain.errors import ConcurrentChange
    with pytest.raises(ConcurrentChange):
        async with uow_factory() as uow:
            await uow.delay_notices.add(DelayNotice.for_slip(slip, clock.now(), notice.sequence))
            await uow.commit()


async def _notice_for(uow_factory, clock, line_number):
    created = await svc.run_notices(uow_factory, clock)
    return next(n for n in created if n.line_number == line_number)


async def test_ship_what_is_on_hand_posts_a_packing_slip_once(uow_factory, clock, seeded, late):
    notice = await _notice_for(uow_factory, clock, 1)
    result = await svc.answer_notice(uow_factory(), clock, late["buyer"], notice.id, NoticeAnswer.SHIP)
    assert (result.quantity, result.packing_slip, result.salesperson.id) == (50, "PS-000001", seeded["sales"].id)
    async with uow_factory() as uow:
        order = await uow.sales_orders.get(late["order"].id)
        chair = await uow.items.get(seeded["chair"].id)
        slips = await uow.packing_slips.of_order(order.id)
        stored = await uow.delay_notices.get(notice.id)
    assert (order.lines[0].delivered, chair.on_hand, len(slips)) == (50, 0, 1)
    assert (stored.answer, stored.answer_detail, stored.answered_by) == ("ship", "PS-000001", late["buyer"].id)
    with pytest.raises(TransitionNotAllowed):  # a replayed button
        await svc.answer_notice(uow_factory(), clock, late["buyer"], notice.id, NoticeAnswer.SHIP)
    async with uow_factory() as uow:
        assert len(await uow.packing_slips.of_order(order.id)) == 1


async def test_nothing_on_hand_is_refused_and_changes_nothing(uow_factory, clock, seeded, late):
    notice = await _notice_for(uow_factory, clock, 2)  # no desks on hand
    with pytest.raises(InvalidInput):
        await svc.answer_notice(uow_factory(), clock, late["buyer"], notice.id, NoticeAnswer.SHIP)
    async with uow_factory() as uow:
        assert (await uow.delay_notices.get(notice.id)).answer is None


async def test_cancel_the_line_and_wait(uow_factory, clock, seeded, late):
    created = await svc.run_notices(uow_factory, clock)
    chairs, desks = sorted(created, key=lambda n: n.line_number)
    result = await svc.answer_notice(uow_factory(), clock, late["buyer"], desks.id, NoticeAnswer.CANCEL)
    assert result.quantity == 2
    waited = await svc.answer_notice(uow_factory(), clock, late["buyer"], chairs.id, NoticeAnswer.WAIT)
    assert waited.answer is NoticeAnswer.WAIT
    async with uow_factory() as uow:
        order = await uow.sales_orders.get(late["order"].id)
        assert [(l.quantity, l.delivered) for l in order.lines] == [(60, 0), (0, 0)]
        assert order.status is SalesOrderStatus.OPEN_ORDER
        assert (await uow.delay_notices.get(chairs.id)).answer == "wait"


async def test_only_the_notices_own_customer_may_answer(uow_factory, clock, seeded, late):
    notice = await _notice_for(uow_factory, clock, 1)
    cafe_buyer = await add_customer_user(uow_factory, seeded["cafe"], 7002)
    with pytest.raises(NotFound):
        await svc.answer_notice(uow_factory(), clock, cafe_buyer, notice.id, NoticeAnswer.CANCEL)
    with pytest.raises(NotPermitted):
        await svc.answer_notice(uow_factory(), clock, seeded["sales"], notice.id, NoticeAnswer.CANCEL)
    with pytest.raises(NotFound):
        await svc.answer_notice(uow_factory(), clock, late["buyer"], 99999, NoticeAnswer.CANCEL)
    with pytest.raises(InvalidInput):
        await svc.answer_notice(uow_factory(), clock, late["buyer"], notice.id, "everything")


async def test_an_older_notice_is_refused_once_a_newer_one_came(uow_factory, clock, seeded, late):
    first = await _notice_for(uow_factory, clock, 1)
    clock.advance(days=12)  # 6 Dec: PO-1 is overdue and the promise of 4 Dec has passed
    second = await _notice_for(uow_factory, clock, 1)
    assert second.expected_date > first.expected_date
    with pytest.raises(TransitionNotAllowed):
        await svc.answer_notice(uow_factory(), clock, late["buyer"], first.id, NoticeAnswer.WAIT)
    await svc.answer_notice(uow_factory(), clock, late["buyer"], second.id, NoticeAnswer.WAIT)


async def test_the_digest_reports_each_salespersons_own_work_once_a_day(uow_factory, clock, seeded, late):
    from domain.services import quotations
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["book"].id, Decimal(1))
    async with uow_factory() as uow:
        (await uow.quotations.get(q.id)).valid_until = TODAY + timedelta(days=1)
        agreement = SalesAgreement.create("SA-0001", seeded["acme"].id, sam.id, CommitmentType.TOTAL_VALUE,
                                          TODAY, TODAY + timedelta(days=10), Decimal(1000), clock.now(), TODAY)
        agreement.add_line(await uow.items.get(seeded["book"].id), None, Decimal(5), None)
        agreement.set_effective(clock.now())
        await uow.sales_agreements.add(agreement)
        await uow.commit()
    due = dict((u.id, d) for u, d in await svc.digests_due(uow_factory, clock, 14))
    assert set(due) == {sam.id, seeded["sales2"].id}  # Mia and Mark have nothing to report
    mine = due[sam.id]
    assert (mine.backorder_count, mine.late_count) == (2, 1)
    assert [x.number for x in mine.quotations] == [q.number]
    assert [(a.number, a.remaining) for a in mine.agreements] == [("SA-0001", 1000)]
    assert due[seeded["sales2"].id].backorder_count == 1 and not due[seeded["sales2"].id].quotations
    assert await svc.claim_digest(uow_factory(), clock, sam.id)
    assert not await svc.claim_digest(uow_factory(), clock, sam.id)
    assert sam.id not in dict((u.id, d) for u, d in await svc.digests_due(uow_factory, clock, 14))
    clock.advance(days=1)
    assert await svc.claim_digest(uow_factory(), clock, sam.id)


class _Notifier:
    default_locale = "en"

    def __init__(self, ok: bool = True) -> None:
        self.ok, self.sent = ok, []

    def locale_of(self, user) -> str:
        return "en"

    async def send(self, chat_id, text, markup=None) -> bool:
        self.sent.append((chat_id, text, markup))
        return self.ok

    async def deliver(self, chat_id, text, markup=None):
        from bot.notifier import Delivery
        return (Delivery.SENT, None) if await self.send(chat_id, text, markup) else (Delivery.REFUSED, "blocked")


async def test_telegram_messages_are_claimed_before_sending_and_never_sent_twice(uow_factory, clock, seeded, late):
    from bot.notices import NoticeJob
    notifier = _Notifier()
    job = NoticeJob(uow_factory, clock, notifier)
    await svc.run_notices(uow_factory, clock)
    first, second = await _all(uow_factory, t.delay_notice_messages)
    async with uow_factory() as uow:  # a sender crashed after claiming the first one
        assert await uow.delay_notices.claim_message(first["id"])
        await uow.commit()
    assert await job.send_queued() == 1
    assert [chat for chat, _text, _markup in notifier.sent] == [7001]
    assert len(notifier.sent[0][2].inline_keyboard) == 3
    assert await job.send_queued() == 0  # nothing is sent again
    rows = {r["id"]: r["status"] for r in await _all(uow_factory, t.delay_notice_messages)}
    assert rows == {first["id"]: MessageStatus.SENDING, second["id"]: MessageStatus.SENT}
    assert await job.run() == 0 and len(notifier.sent) == 1


async def test_0024_keeps_the_notices_and_their_messages_both_ways(uow_factory, clock, seeded, late, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("up and down on a copy of the SQLite template; PostgreSQL's schema is shared")
    from alembic import command
    from storage.migrate import alembic_config, upgrade_async
    await svc.run_notices(uow_factory, clock)
    from sqlalchemy import text

    async def count(table: str) -> int:
        async with uow_factory() as uow:
            return await uow.session.scalar(text(f"SELECT count(*) FROM {table}"))
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "0023")
    assert (await count("delay_notices"), await count("delay_notice_messages")) == (2, 2)
    await upgrade_async(database_url, "head")
    assert sorted(n["sequence"] for n in await _all(uow_factory, t.delay_notices)) == [1, 1]
    assert await count("delay_notice_messages") == 2
