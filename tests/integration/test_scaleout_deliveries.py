"""Telegram deliveries of quotations with several processes (scale-out): claimed with a lease, so two
processes on PostgreSQL never bring one quotation to a chat twice; a dead holder's rows are taken
over after its lease. Against the fake Bot API over HTTP."""
from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.documents.renderer import DocumentRenderer, company_header
from bot.settings import Settings
from bot.telegram_delivery import MAX_ATTEMPTS, TelegramDeliveries
from domain.customer_link import issue_token
from domain.quotation_answer import DeliveryStatus, TelegramDelivery
from domain.services import customer_links, quotations
from storage import tables as t
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.fakes.harness import make_bot

SECRET = b"scaleout-secret"
LEASE = 300
CHATS = (7001, 7002)


async def _linked_quotations(uow_factory, clock, seeded, fake_bot_api, count: int) -> None:
    """Two linked Telegram accounts of Acme, and `count` quotations sent to Acme (2 deliveries each)."""
    for n, chat in enumerate(CHATS):
        token = issue_token(SECRET, seeded["acme"].id, clock.now() + timedelta(days=30), bytes([n + 1]) * 8)
        await customer_links.link_account(uow_factory(), clock, SECRET, token, chat, "Buyer")
        fake_bot_api.add_user(chat)
    sam = seeded["sales"]
    for _ in range(count):
        q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
        await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal(1))
        await quotations.send_quotation(uow_factory(), clock, sam, q.id)


def _deliveries(bot, uow_factory, clock, name) -> TelegramDeliveries:
    settings = Settings(_env_file=None)
    documents = DocumentRenderer(company_header(settings), settings.currency)
    return TelegramDeliveries(bot, uow_factory, documents, clock, "EUR", "en", "Shop BV",
                              lease_seconds=LEASE, name=name)


async def _rows(uow_factory) -> list[TelegramDelivery]:
    async with uow_factory() as uow:
        return list((await uow.session.scalars(
            select(TelegramDelivery).order_by(t.telegram_deliveries.c.id))).all())


async def test_two_processes_on_postgresql_bring_each_quotation_to_each_chat_once(
        database_url, uow_factory, clock, seeded, fake_bot_api):
    if not database_url.startswith("postgresql"):
        pytest.skip("on SQLite one process sends (README)")
    await _linked_quotations(uow_factory, clock, seeded, fake_bot_api, 15)
    engines = [create_engine(database_url, "Europe/Amsterdam") for _ in range(2)]
    bots = [make_bot(fake_bot_api) for _ in range(2)]
    try:
        workers = [_deliveries(bot, UnitOfWorkFactory(session_factory(e)), clock, f"process-{n}")
                   for n, (bot, e) in enumerate(zip(bots, engines))]

        async def drain(worker):
            claimed = 0
            async with asyncio.timeout(60):
                while n := await worker.drain_once():
                    claimed += n
            return claimed

        claimed = await asyncio.gather(*(drain(w) for w in workers))
    finally:
        for bot in bots:
            await bot.session.close()
        for e in engines:
            await e.dispose()
    assert sum(claimed) == 30 and min(claimed) > 0, claimed  # both took part, no row twice
    assert len(fake_bot_api.calls_of("sendDocument")) == 30
    assert len(fake_bot_api.calls_of("sendMessage")) == 30
    for chat in CHATS:
        assert len(fake_bot_api.calls_of("sendDocument", chat_id=chat)) == 15
        summaries = Counter(c.params["text"] for c in fake_bot_api.calls_of("sendMessage", chat_id=chat))
        assert len(summaries) == 15 and max(summaries.values()) == 1
    rows = await _rows(uow_factory)
    assert {(r.status, r.step, r.claimed_by) for r in rows} == {(DeliveryStatus.SENT, 2, None)}


async def test_a_delivery_claimed_by_a_dead_process_is_taken_over_after_its_lease(
        uow_factory, clock, seeded, fake_bot_api, fake_bot):
    await _linked_quotations(uow_factory, clock, seeded, fake_bot_api, 1)
    async with uow_factory() as uow:  # claimed, then the process died
        claimed = await uow.quotation_answers.delivery_claims.claim("dead", clock.now(),
                                                                     timedelta(seconds=LEASE), 20)
        await uow.commit()
    assert len(claimed) == 2
    live = _deliveries(fake_bot, uow_factory, clock, "live")
    assert await live.drain_once() == 0
    assert fake_bot_api.calls_of("sendDocument") == []
    clock.advance(seconds=LEASE + 1)
    assert await live.drain_once() == 2
    assert len(fake_bot_api.calls_of("sendDocument")) == 2 and len(fake_bot_api.calls_of("sendMessage")) == 2
    assert {(r.status, r.claimed_by) for r in await _rows(uow_factory)} == {(DeliveryStatus.SENT, None)}


async def test_a_process_whose_delivery_was_taken_over_sends_no_further_step(
        uow_factory, clock, seeded, fake_bot_api, fake_bot):
    await _linked_quotations(uow_factory, clock, seeded, fake_bot_api, 1)
    slow = _deliveries(fake_bot, uow_factory, clock, "slow")
    async with uow_factory() as uow:
        first, _second = await uow.quotation_answers.delivery_claims.claim(
            "slow", clock.now(), timedelta(seconds=LEASE), 20)
        await uow.commit()
    clock.advance(seconds=LEASE + 1)  # "slow" hung past its lease; another process takes the rows
    async with uow_factory() as uow:
        assert len(await uow.quotation_answers.delivery_claims.claim(
            "other", clock.now(), timedelta(seconds=LEASE), 20)) == 2
        await uow.commit()
    await slow.deliver(first.id)  # what "slow" would have done next
    assert fake_bot_api.calls_of("sendDocument") == [] and fake_bot_api.calls_of("sendMessage") == []
    await slow._record(first.id, 0, error="502 late", final=True)  # a late outcome is not recorded
    row = (await _rows(uow_factory))[0]
    assert (row.status, row.step, row.claimed_by, row.last_error) == (DeliveryStatus.QUEUED, 0, "other", None)


async def test_a_delivery_that_kills_every_process_is_given_up(uow_factory, clock, seeded, fake_bot_api):
    """Each takeover counts an attempt for the delivery its holder was on (storage/send_claims.py):
    one whose holders keep dying is failed once they are used up, never brought to the chat. The
    other delivery those holders had claimed but not reached is not charged, and goes out."""
    await _linked_quotations(uow_factory, clock, seeded, fake_bot_api, 1)
    for n in range(MAX_ATTEMPTS):
        async with uow_factory() as uow:
            await uow.quotation_answers.delivery_claims.claim(f"dies-{n}", clock.now(),
                                                               timedelta(seconds=LEASE), 10)
            await uow.commit()
        clock.advance(seconds=LEASE + 1)
    in_hand, not_reached = await _rows(uow_factory)
    assert (in_hand.attempts, not_reached.attempts) == (MAX_ATTEMPTS - 1, 0)  # the last death: at the takeover
    bot = make_bot(fake_bot_api)
    try:
        assert await _deliveries(bot, uow_factory, clock, "live").drain_once() == 2
    finally:
        await bot.session.close()
    in_hand, not_reached = await _rows(uow_factory)
    assert in_hand.status is DeliveryStatus.FAILED and "given up" in in_hand.last_error
    assert not_reached.status is DeliveryStatus.SENT
    assert [c.chat_id for c in fake_bot_api.calls_of("sendDocument")] == [not_reached.chat_id]
