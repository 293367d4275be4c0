"""Mail that SMTP defers or refuses, and the scheduled expiry of quotations."""
from __future__ import annotations

import asyncio
from decimal import Decimal

from aiogram.client.telegram import TelegramAPIServer

from sqlalchemy import select

from bot.mail import SmtpTransport
from domain.outbox import MailStatus, OutboxMail
from domain.quotation import QuotationStatus
from domain.services import quotations
from tests.e2e.conftest import wait_for_mail
from tests.fakes.smtp import unused_port

SAM = 1001


async def _send_quotation(running, chat) -> None:
    await chat.say("/quote")
    await chat.say("C-001")
    await chat.say("B-300 10")
    await chat.tap("Send")
    await chat.reply()


async def _outbox(uow_factory) -> list[OutboxMail]:
    async with uow_factory() as uow:
        return list(await uow.session.scalars(select(OutboxMail)))


async def _until(predicate, timeout=5.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_a_mail_waits_while_smtp_is_down_and_goes_out_once_when_it_is_back(running, uow_factory, clock):
    real = running.app.outbox.transport
    running.app.outbox.transport = SmtpTransport("127.0.0.1", unused_port(), timeout=2)
    await _send_quotation(running, running.chat(SAM))

    async def deferred():
        rows = await _outbox(uow_factory)
        return rows and rows[0].attempts == 1
    await _until(deferred)
    [row] = await _outbox(uow_factory)
    assert row.status == MailStatus.QUEUED and row.last_error and running.smtp.messages == []

    running.app.outbox.transport = real
    clock.advance(seconds=31)  # past the first retry delay
    running.app.outbox.wake()
    await wait_for_mail(running.smtp, 1)
    await asyncio.sleep(0.5)
    assert len(running.smtp.messages) == 1
    [row] = await _outbox(uow_factory)
    assert row.status == MailStatus.SENT and row.attempts == 2


async def test_a_421_is_retried_and_delivered_exactly_once(running, uow_factory, clock):
    running.smtp.reply_on("MAIL", "421 4.3.2 try again later", times=1)
    await _send_quotation(running, running.chat(SAM))

    async def deferred():
        rows = await _outbox(uow_factory)
        return rows and rows[0].attempts == 1
    await _until(deferred)
    clock.advance(seconds=31)
    running.app.outbox.wake()
    await wait_for_mail(running.smtp, 1)
    await asyncio.sleep(0.3)
    assert len(running.smtp.messages) == 1


async def test_a_5xx_marks_the_mail_failed_and_tells_the_salesperson(running, uow_factory):
    running.smtp.reply_on("RCPT", "550 5.1.1 no such mailbox")
    chat = running.chat(SAM)
    await _send_quotation(running, chat)
    told = await chat.reply()
    assert "The e-mail with Q-000001 to buyer@acme.example could not be delivered" in told and "550" in told
    [row] = await _outbox(uow_factory)
    assert row.status == MailStatus.FAILED


async def test_the_salesperson_is_warned_the_day_before_and_the_quotation_expires_after(
        running, uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["book"].id, Decimal("3"))
    await quotations.set_valid_until(uow_factory(), clock, sam, q.id, clock.today())
    chat = running.chat(SAM)
    await chat.say("/start")

    await running.app.expiry_job.run()
    warning = await chat.reply()
    assert "Q-000001 expires after today" in warning
    await running.app.expiry_job.run()
    await asyncio.sleep(0.3)
    assert not [c for c in running.fake.calls_of("sendMessage", chat_id=SAM)
                if "expires after today" in c.params["text"]][1:], "warned twice"

    clock.advance(days=1)
    await running.app.expiry_job.run()
    q = await quotations.get_quotation(uow_factory(), sam, q.id)
    assert q.status is QuotationStatus.EXPIRED
    assert "no open quotations" in await chat.say("/quotes")


async def _quotation_valid_until_today(uow_factory, clock, seeded, customer="acme"):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded[customer].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["book"].id, Decimal("3"))
    await quotations.set_valid_until(uow_factory(), clock, sam, q.id, clock.today())
    return q


def _warnings(running):
    return [c for c in running.fake.calls_of("sendMessage", chat_id=SAM) if "expires after today" in c.params["text"]]


async def test_quotations_expire_while_telegram_is_unreachable_and_the_warning_follows_later(
        running, uow_factory, clock, seeded):
    clock.advance(days=-3)
    past = await _quotation_valid_until_today(uow_factory, clock, seeded, "cafe")
    clock.advance(days=3)
    due = await _quotation_valid_until_today(uow_factory, clock, seeded)
    running.fake.add_user(SAM)
    real = running.app.bot.session.api
    running.app.bot.session.api = TelegramAPIServer.from_base(f"http://127.0.0.1:{unused_port()}")
    assert await running.app.expiry_job.run()
    running.app.bot.session.api = real
    sam = seeded["sales"]
    assert (await quotations.get_quotation(uow_factory(), sam, past.id)).status is QuotationStatus.EXPIRED
    assert (await quotations.get_quotation(uow_factory(), sam, due.id)).expiry_warned_on is None
    await running.app.expiry_job.run()
    assert len(_warnings(running)) == 1
    assert (await quotations.get_quotation(uow_factory(), sam, due.id)).expiry_warned_on == clock.today()


async def test_a_warning_telegram_answers_502_or_429_to_every_try_is_tried_again(running, uow_factory, clock, seeded):
    from bot.notifier import MAX_RETRIES
    q = await _quotation_valid_until_today(uow_factory, clock, seeded)
    running.fake.add_user(SAM)
    running.fake.fail_next("sendMessage", error_code=502, chat_id=SAM)
    assert await running.app.expiry_job.run()
    running.fake.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=SAM, times=MAX_RETRIES + 1)
    assert await running.app.expiry_job.run()
    refused = len(_warnings(running))  # the fake counts the calls it answered with an error too
    assert refused == 1 + MAX_RETRIES + 1
    sam = seeded["sales"]
    assert (await quotations.get_quotation(uow_factory(), sam, q.id)).expiry_warned_on is None
    await running.app.expiry_job.run()
    await running.app.expiry_job.run()
    assert len(_warnings(running)) == refused + 1  # delivered once, then recorded
    assert (await quotations.get_quotation(uow_factory(), sam, q.id)).expiry_warned_on == clock.today()
