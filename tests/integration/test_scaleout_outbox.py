"""The mail outbox with several senders (scale-out): rows are claimed with a lease, so two processes
on PostgreSQL never hand one mail to SMTP twice, and a dead sender's rows are taken over after it."""
from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.documents.renderer import DocumentRenderer, company_header
from bot.mail import MAX_ATTEMPTS, Delivery, DeliveryResult, SmtpTransport
from bot.mail_composer import MailComposer
from bot.outbox_sender import OutboxSender
from bot.settings import Settings
from domain.outbox import MailKind, MailStatus, OutboxMail
from domain.services import quotations
from storage import tables as t
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.fakes.smtp import SmtpSink

LEASE = 300


class Recording:
    """The real SMTP transport, noting which Message-IDs this sender handed over."""

    def __init__(self, inner) -> None:
        self.inner, self.handed = inner, []

    async def deliver(self, mail):
        self.handed.append(mail.message_id)
        return await self.inner.deliver(mail)


class DiesAfterSmtp(Recording):
    """The process dies (is cancelled) the moment the server accepted the mail, before recording it."""

    async def deliver(self, mail):
        await super().deliver(mail)
        raise asyncio.CancelledError


class DiesOnThird(Recording):
    """The process dies (is cancelled) while its third mail is with the server."""

    async def deliver(self, mail):
        if len(self.handed) == 2:
            raise asyncio.CancelledError
        return await super().deliver(mail)


@pytest.fixture
def sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def _sender(uow_factory, clock, sink, name, transport_class=Recording) -> OutboxSender:
    settings = Settings(_env_file=None, mail_from="Salesbot <sales@salesbot.test>")
    composer = MailComposer(settings, DocumentRenderer(company_header(settings), settings.currency))
    transport = transport_class(SmtpTransport("127.0.0.1", sink.port, timeout=5))
    return OutboxSender(uow_factory, transport, composer, clock, lease_seconds=LEASE, name=name)


async def _queue_mails(uow_factory, clock, seeded, count: int) -> None:
    """One sent quotation (which queues its own mail) and `count` more mails of it to other people."""
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    q = await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal("2"))
    q = await quotations.send_quotation(uow_factory(), clock, sam, q.id)
    async with uow_factory() as uow:
        for n in range(count):
            await uow.outbox.add(OutboxMail.queue(MailKind.QUOTATION_SENT, q.id, f"buyer{n}@example.test",
                                                  "en", clock.now()))
        await uow.commit()


async def _rows(uow_factory) -> list[OutboxMail]:
    async with uow_factory() as uow:
        return list((await uow.session.scalars(select(OutboxMail).order_by(t.outbox_mails.c.id))).all())


async def _drain(sender: OutboxSender) -> None:
    async with asyncio.timeout(60):
        while await sender.drain_once():
            pass


async def test_two_senders_on_postgresql_drain_one_outbox_each_mail_exactly_once(
        database_url, uow_factory, clock, seeded, sink):
    if not database_url.startswith("postgresql"):
        pytest.skip("on SQLite one process sends (README)")
    await _queue_mails(uow_factory, clock, seeded, 59)
    # Two "bot processes": own engines, own connection pools, own claim names.
    engines = [create_engine(database_url, "Europe/Amsterdam") for _ in range(2)]
    try:
        senders = [_sender(UnitOfWorkFactory(session_factory(e)), clock, sink, f"process-{n}")
                   for n, e in enumerate(engines)]
        await asyncio.gather(*(_drain(s) for s in senders))
    finally:
        for e in engines:
            await e.dispose()
    received = Counter(m.message["Message-ID"] for m in sink.messages)
    assert len(received) == 60 and max(received.values()) == 1
    assert Counter(m.rcpt_tos[0] for m in sink.messages)["buyer@acme.example"] == 1
    assert all(s.transport.handed for s in senders), "both processes took part"
    rows = await _rows(uow_factory)
    assert {r.status for r in rows} == {MailStatus.SENT} and {r.attempts for r in rows} == {1}
    assert {r.claimed_by for r in rows} == {None}


async def test_a_claim_left_by_a_dead_sender_is_taken_over_after_its_lease(uow_factory, clock, seeded, sink):
    await _queue_mails(uow_factory, clock, seeded, 4)
    async with uow_factory() as uow:  # a process claimed the batch and died before sending any of it
        assert len(await uow.outbox.claims.claim("dead", clock.now(), timedelta(seconds=LEASE), 20)) == 5
        await uow.commit()
    live = _sender(uow_factory, clock, sink, "live")
    assert await live.drain_once() == 0  # still the dead one's
    clock.advance(seconds=LEASE - 1)
    assert await live.drain_once() == 0
    clock.advance(seconds=2)
    assert await live.drain_once() == 5
    assert len(sink.messages) == 5
    rows = await _rows(uow_factory)
    assert {r.status for r in rows} == {MailStatus.SENT}
    # The takeover is charged to the mail the dead sender had in hand (its first), not to the rest.
    assert [r.attempts for r in rows] == [2, 1, 1, 1, 1]


async def test_a_takeover_charges_the_mail_its_sender_died_on_not_those_it_had_sent(
        uow_factory, clock, seeded, sink):
    await _queue_mails(uow_factory, clock, seeded, 4)
    dying = _sender(uow_factory, clock, sink, "dying", DiesOnThird)
    with pytest.raises(asyncio.CancelledError):
        await dying.drain_once()
    assert len(sink.messages) == 2
    clock.advance(seconds=LEASE + 1)
    assert await _sender(uow_factory, clock, sink, "live").drain_once() == 3
    rows = await _rows(uow_factory)
    assert {r.status for r in rows} == {MailStatus.SENT} and len(sink.messages) == 5
    assert [r.attempts for r in rows] == [1, 1, 2, 1, 1]


async def test_a_mail_whose_sender_died_after_smtp_accepted_it_is_sent_again_with_the_same_message_id(
        uow_factory, clock, seeded, sink):
    """At least once, never lost: the row was not recorded as sent, so the next holder sends it again,
    and the receiver can tell the copy by its Message-ID."""
    await _queue_mails(uow_factory, clock, seeded, 0)
    dying = _sender(uow_factory, clock, sink, "dying", DiesAfterSmtp)
    with pytest.raises(asyncio.CancelledError):
        await dying.drain_once()
    [row] = await _rows(uow_factory)
    assert row.status == MailStatus.QUEUED and row.claimed_by == "dying"
    live = _sender(uow_factory, clock, sink, "live")
    assert await live.drain_once() == 0
    clock.advance(seconds=LEASE + 1)
    assert await live.drain_once() == 1
    first, second = sink.messages
    assert first.message["Message-ID"] == second.message["Message-ID"]
    [row] = await _rows(uow_factory)
    assert row.status == MailStatus.SENT and row.attempts == 2  # the takeover counts as one


async def test_a_sender_whose_lease_was_taken_over_neither_sends_nor_records_the_row(
        uow_factory, clock, seeded, sink):
    await _queue_mails(uow_factory, clock, seeded, 0)
    slow = _sender(uow_factory, clock, sink, "slow")
    async with uow_factory() as uow:
        [row] = await uow.outbox.claims.claim("slow", clock.now(), timedelta(seconds=LEASE), 20)
        await uow.commit()
    clock.advance(seconds=LEASE + 1)  # "slow" hung past its lease; another process takes the row
    async with uow_factory() as uow:
        assert len(await uow.outbox.claims.claim("other", clock.now(), timedelta(seconds=LEASE), 20)) == 1
        await uow.commit()
    assert not await slow._renew(row.id)  # so "slow" skips it instead of sending
    await slow._record(row.id, Delivery(DeliveryResult.RETRY, "451 try later"))  # a late outcome
    [row] = await _rows(uow_factory)
    assert row.claimed_by == "other" and row.attempts == 1 and row.last_error is None  # 1: the takeover


async def test_a_stopping_sender_gives_back_the_rows_it_did_not_reach(uow_factory, clock, seeded, sink):
    await _queue_mails(uow_factory, clock, seeded, 4)
    reached, go_on = asyncio.Event(), asyncio.Event()

    class Slow(Recording):
        async def deliver(self, mail):
            reached.set()
            await go_on.wait()
            return await super().deliver(mail)

    sender = _sender(uow_factory, clock, sink, "stopping", Slow)
    sender.start()
    async with asyncio.timeout(10):
        await reached.wait()
        stopping = asyncio.create_task(sender.stop())
        await asyncio.sleep(0.05)
        go_on.set()  # the mail in hand finishes
        await stopping
    rows = await _rows(uow_factory)
    assert [r.status for r in rows] == [MailStatus.SENT] + [MailStatus.QUEUED] * 4
    assert {r.claimed_by for r in rows} == {None}  # free for the next process at once
    assert len(sink.messages) == 1


async def test_a_mail_that_kills_every_sender_is_given_up_and_the_salesperson_told(
        uow_factory, clock, seeded, sink):
    """A mail whose sender dies each time (killed while rendering it, say) is not taken over forever:
    each takeover counts as an attempt, and when they are used up the mail fails and is reported."""
    await _queue_mails(uow_factory, clock, seeded, 0)
    for n in range(MAX_ATTEMPTS):  # each "process" claims the row and dies with it
        async with uow_factory() as uow:
            assert len(await uow.outbox.claims.claim(f"dies-{n}", clock.now(), timedelta(seconds=LEASE), 20)) == 1
            await uow.commit()
        clock.advance(seconds=LEASE + 1)
    told = []

    async def tell(user_id, row):
        told.append((user_id, row.id))
    live = _sender(uow_factory, clock, sink, "live")
    live.on_failure = tell
    assert await live.drain_once() == 1
    [row] = await _rows(uow_factory)
    assert row.status == MailStatus.FAILED and "given up" in row.last_error
    assert sink.messages == [] and told == [(seeded["sales"].id, row.id)]


async def test_a_takeover_short_of_the_limit_still_sends(uow_factory, clock, seeded, sink):
    await _queue_mails(uow_factory, clock, seeded, 0)
    for n in range(MAX_ATTEMPTS - 1):
        async with uow_factory() as uow:
            await uow.outbox.claims.claim(f"dies-{n}", clock.now(), timedelta(seconds=LEASE), 20)
            await uow.commit()
        clock.advance(seconds=LEASE + 1)
    assert await _sender(uow_factory, clock, sink, "live").drain_once() == 1
    [row] = await _rows(uow_factory)
    # MAX - 2 takeovers, the live sender's own one, and its delivery
    assert row.status == MailStatus.SENT and row.attempts == MAX_ATTEMPTS and len(sink.messages) == 1
