"""Mail that SMTP defers or refuses, and the scheduled expiry of quotations."""
from __future__ import annotations

import asyncio
from decimal import Decimal

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
    assert "could not be delivered" in told and "550" in told
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
