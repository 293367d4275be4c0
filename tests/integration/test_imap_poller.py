"""The IMAP poller against a real IMAP server on loopback (pymap): once-only, restarts, errors, TLS."""
from __future__ import annotations

import asyncio
import dataclasses
import logging
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.documents.renderer import DocumentRenderer, company_header
from bot.imap_poller import ImapPoller, imap_poller_from_settings
from bot.mail import SmtpTransport
from bot.mail_composer import MailComposer
from bot.outbox_sender import OutboxSender
from bot.settings import Settings
from domain.mail_intake import InboundMail, MailState
from domain.outbox import MailStatus, OutboxMail
from domain.relationship import Party
from tests.e2e.conftest import wait_for_mail
from tests.fakes.imap import PASSWORD, USER, ImapServer
from tests.fakes.smtp import SmtpSink, self_signed_tls, unused_port
from tests.integration.test_imap_intake import RecordingSink, raw_mail


@pytest.fixture
def imap_server():
    server = ImapServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def imap_settings(port: int, **more) -> Settings:
    return Settings(_env_file=None, imap_host="127.0.0.1", imap_port=port, imap_username=USER,
                    imap_password=SecretStr(PASSWORD), imap_security="none", imap_poll_seconds=0.2,
                    mail_from="Salesbot <sales@salesbot.test>", **more)


async def _count(uow_factory, model, *where) -> int:
    async with uow_factory() as uow:
        return await uow.session.scalar(select(func.count()).select_from(model).where(*where))


async def test_a_poll_turns_each_new_mail_into_one_request_and_the_sender_gets_an_acknowledgement(
        uow_factory, clock, seeded, imap_server, smtp_sink):
    sink = RecordingSink()
    settings = imap_settings(imap_server.port)
    poller = imap_poller_from_settings(settings, uow_factory, clock, sink=sink)
    await imap_server.append(raw_mail("Hello,\nA-100 x 5\n3 x cat basket\n"))
    await imap_server.append(raw_mail("10 pcs B-300\n", sender="Piet <piet@nieuw.example>",
                                      message_id="<p1@nieuw.example>", subject="Handbooks"))
    assert len(await imap_server.unseen()) == 2

    assert await poller.poll_once() == 2
    assert await imap_server.unseen() == []
    assert [c["customer_id"] for c in sink.calls][0] == seeded["acme"].id
    assert await _count(uow_factory, Party) == 1
    assert await _count(uow_factory, InboundMail, InboundMail.state == MailState.PROCESSED) == 2
    assert await poller.poll_once() == 0  # nothing new

    documents = DocumentRenderer(company_header(settings), settings.currency)
    outbox = OutboxSender(uow_factory, SmtpTransport("127.0.0.1", smtp_sink.port, timeout=5),
                          MailComposer(settings, documents), clock)
    assert await outbox.drain_once()
    received = await wait_for_mail(smtp_sink, 2)
    by_recipient = {m.rcpt_tos[0]: m for m in received}
    acme = by_recipient["buyer@acme.example"].message
    assert acme["In-Reply-To"] == "<m1@acme.example>" and "Quote please" in acme["Subject"]
    text = acme.get_body(("plain",)).get_content()
    assert "5 x A-100 Office chair" in text and "3 x cat basket" in text
    assert by_recipient["piet@nieuw.example"].message["Auto-Submitted"] == "auto-replied"
    assert await _count(uow_factory, OutboxMail, OutboxMail.status == MailStatus.SENT) == 2


async def test_a_restart_between_commit_and_seen_flag_does_not_process_the_mail_twice(
        uow_factory, clock, seeded, imap_server):
    sink = RecordingSink()
    settings = imap_settings(imap_server.port)
    first = imap_poller_from_settings(settings, uow_factory, clock, sink=sink)
    committed, never = asyncio.Event(), asyncio.Event()
    real_handle = first.handle

    async def handle_then_hang(fetched):
        result = await real_handle(fetched)  # committed: the mail, its request, the acknowledgement
        committed.set()
        await never.wait()                   # the process dies here, before \Seen is set
        return result

    first.handle = handle_then_hang
    await imap_server.append(raw_mail("A-100 x 5\n"))
    task = asyncio.create_task(first.poll_once())
    await asyncio.wait_for(committed.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [uid] = await imap_server.unseen()  # still unseen: the flag never came

    restarted = imap_poller_from_settings(settings, uow_factory, clock, sink=sink)
    assert await restarted.poll_once() == 0  # fetched again, found recorded, only flagged
    assert await imap_server.unseen() == []
    assert len(sink.calls) == 1
    assert await _count(uow_factory, InboundMail) == 1 and await _count(uow_factory, OutboxMail) == 1


async def test_the_same_mail_delivered_twice_makes_one_request(uow_factory, clock, seeded, imap_server):
    sink = RecordingSink()
    poller = imap_poller_from_settings(imap_settings(imap_server.port), uow_factory, clock, sink=sink)
    await imap_server.append(raw_mail("A-100 x 5\n"))
    await imap_server.append(raw_mail("A-100 x 5\n"))  # same Message-ID, another UID
    assert await poller.poll_once() == 2
    assert len(sink.calls) == 1 and await _count(uow_factory, OutboxMail) == 1
    assert await imap_server.unseen() == []


async def test_a_server_that_is_down_is_logged_and_tried_again_at_the_next_poll(
        uow_factory, clock, seeded, imap_server, caplog):
    sink = RecordingSink()
    poller = imap_poller_from_settings(imap_settings(unused_port()), uow_factory, clock, sink=sink)
    poller.config = dataclasses.replace(poller.config, timeout=2)
    await imap_server.append(raw_mail("A-100 x 5\n"))
    with caplog.at_level(logging.WARNING, logger="bot.imap_poller"):
        poller.start()
        await asyncio.sleep(0.6)
        assert "IMAP poll of 127.0.0.1" in caplog.text and not poller._task.done()
        poller.config = dataclasses.replace(poller.config, port=imap_server.port)  # the server is back
        await imap_server.wait_unseen(0)
    await poller.stop()
    assert len(sink.calls) == 1


async def test_wrong_password_is_logged_not_fatal(uow_factory, clock, seeded, imap_server, caplog):
    settings = imap_settings(imap_server.port).model_copy(update={"imap_password": SecretStr("wrong")})
    poller = imap_poller_from_settings(settings, uow_factory, clock, sink=RecordingSink())
    with caplog.at_level(logging.WARNING, logger="bot.imap_poller"):
        poller.start()
        await asyncio.sleep(0.5)
        assert "LOGIN" in caplog.text and not poller._task.done()
    await poller.stop()


async def test_starttls_with_a_trusted_certificate_and_refused_with_an_unknown_one(
        uow_factory, clock, seeded, tmp_path):
    _, client_context = self_signed_tls(tmp_path)
    server = ImapServer(cert=tmp_path / "sink-cert.pem", key=tmp_path / "sink-key.pem").start()
    try:
        await server.append(raw_mail("A-100 x 5\n"))
        settings = imap_settings(server.port).model_copy(update={"imap_security": "starttls"})
        untrusted = imap_poller_from_settings(settings, uow_factory, clock, sink=RecordingSink())
        with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
            await untrusted.poll_once()
        sink = RecordingSink()
        trusted = imap_poller_from_settings(settings, uow_factory, clock, sink=sink, ssl_context=client_context)
        assert await trusted.poll_once() == 1 and len(sink.calls) == 1
    finally:
        server.stop()


def test_no_poller_without_an_imap_host():
    assert imap_poller_from_settings(Settings(_env_file=None, imap_host=""), None, None) is None
    assert isinstance(imap_poller_from_settings(imap_settings(143), None, None), ImapPoller)


class FailOnceFor(RecordingSink):
    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id, self.failed = customer_id, False

    async def create_request(self, uow, clock, customer_id, lines, note, source, original_mail):
        if customer_id == self.customer_id and not self.failed:
            self.failed = True
            raise RuntimeError("database hiccup")
        return await super().create_request(uow, clock, customer_id, lines, note, source, original_mail)


async def test_a_mail_that_fails_stays_unseen_and_does_not_hold_up_the_others(
        uow_factory, clock, seeded, imap_server, caplog):
    sink = FailOnceFor(seeded["acme"].id)
    poller = imap_poller_from_settings(imap_settings(imap_server.port), uow_factory, clock, sink=sink)
    await imap_server.append(raw_mail("A-100 x 5\n"))
    await imap_server.append(raw_mail("B-300 x 1\x00\n", sender="inkoop@hoogvliet.example",
                                      message_id="<h1@hoogvliet.example>"))
    with caplog.at_level(logging.ERROR, logger="bot.imap_poller"):
        assert await poller.poll_once() == 1
    assert "could not be processed" in caplog.text
    assert len(await imap_server.unseen()) == 1
    assert [c["customer_id"] for c in sink.calls] == [seeded["cafe"].id]
    assert await poller.poll_once() == 1  # tried again at the next poll
    assert await imap_server.unseen() == [] and len(sink.calls) == 2
    assert await _count(uow_factory, InboundMail) == 2 and await _count(uow_factory, OutboxMail) == 2


_KILLED_CHILD = r'''
import asyncio, os, signal, sys
from bot.imap_poller import imap_poller_from_settings
from bot.settings import Settings
from pydantic import SecretStr
from storage.database import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.fakes.clock import FrozenClock

async def main(url, port):
    settings = Settings(_env_file=None, imap_host="127.0.0.1", imap_port=int(port), imap_username="demouser",
                        imap_password=SecretStr("demopass"), imap_security="none")
    uow = UnitOfWorkFactory(session_factory(create_engine(url)))
    poller = imap_poller_from_settings(settings, uow, FrozenClock())
    real = poller.handle

    async def handle_then_die(fetched):
        await real(fetched)                      # committed
        os.kill(os.getpid(), signal.SIGKILL)     # the process dies before \Seen is set

    poller.handle = handle_then_die
    await poller.poll_once()

asyncio.run(main(sys.argv[1], sys.argv[2]))
'''


async def test_a_process_killed_between_commit_and_seen_flag_does_not_process_the_mail_twice(
        database_url, uow_factory, clock, seeded, imap_server):
    import signal
    import sys

    await imap_server.append(raw_mail("A-100 x 5\n"))
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", _KILLED_CHILD, database_url,
                                                 str(imap_server.port), cwd=Path(__file__).parents[2])
    assert await asyncio.wait_for(child.wait(), 60) == -signal.SIGKILL
    assert len(await imap_server.unseen()) == 1
    assert await _count(uow_factory, InboundMail) == 1  # the killed process had committed

    sink = RecordingSink()
    restarted = imap_poller_from_settings(imap_settings(imap_server.port), uow_factory, clock, sink=sink)
    assert await restarted.poll_once() == 0
    assert await imap_server.unseen() == [] and sink.calls == []
    assert await _count(uow_factory, InboundMail) == 1 and await _count(uow_factory, OutboxMail) == 1


async def test_a_mail_someone_opened_before_the_poll_is_still_read(uow_factory, clock, seeded, imap_server):
    sink = RecordingSink()
    poller = imap_poller_from_settings(imap_settings(imap_server.port), uow_factory, clock, sink=sink)
    await imap_server.append(raw_mail("A-100 x 5\n"))
    assert await poller.poll_once() == 1
    await imap_server.append(raw_mail("A-200 x 1\n", message_id="<m2@acme.example>"))
    [uid] = await imap_server.unseen()
    await imap_server.mark_seen(uid)  # a salesperson opened it in their mail client
    assert await poller.poll_once() == 1
    assert [c["lines"][0].item_number for c in sink.calls] == ["A-100", "A-200"]
    assert await poller.poll_once() == 0
