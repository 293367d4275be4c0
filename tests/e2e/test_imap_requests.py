"""End to end: the running bot polls a real IMAP server and the acknowledgement reaches a real SMTP
server (issue 4 §3). The bot is built by build_app from settings, as in production."""
from __future__ import annotations

from email import message_from_bytes
from email.policy import default
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.campaign_mail import Recipient
from domain.campaign_content import CompiledContent, parse_content
from domain.consent import Channel
from domain.mail_intake import InboundMail, MailState
from domain.relationship import Party, Stage
from tests.e2e.conftest import wait_for_mail
from tests.fakes.imap import PASSWORD, USER, ImapServer
from tests.integration.test_imap_intake import raw_mail


@pytest.fixture
def imap_server():
    server = ImapServer().start()
    yield server
    server.stop()


@pytest.fixture
def settings(settings, imap_server):
    return settings.model_copy(update=dict(
        imap_host="127.0.0.1", imap_port=imap_server.port, imap_username=USER,
        imap_password=SecretStr(PASSWORD), imap_security="none", imap_poll_seconds=0.2,
        secret_key=SecretStr("imap-e2e-secret"), public_url="https://bot.example.com"))


async def test_a_mail_to_the_request_mailbox_is_acknowledged_by_the_running_bot(
        running, imap_server, uow_factory, seeded):
    await running.app.start_background()
    assert running.app.imap is not None
    await imap_server.append(raw_mail("Goedendag,\n\n5 stuks A-100\n2 x bureaulamp\n-- \nJan\n",
                                      sender="Jan Prospect <jan@prospect.example>",
                                      message_id="<e2e-1@prospect.example>", subject="Aanvraag"))
    [ack] = await wait_for_mail(running.smtp, 1, timeout=20)
    assert ack.rcpt_tos == ("jan@prospect.example",)
    assert ack.message["In-Reply-To"] == "<e2e-1@prospect.example>"
    text = ack.message.get_body(("plain",)).get_content()
    assert "Jan Prospect" in text and "5 x A-100 Office chair" in text and "2 x bureaulamp" in text
    await imap_server.wait_unseen(0)

    async with uow_factory() as uow:
        [mail] = list(await uow.session.scalars(select(InboundMail)))
        [party] = list(await uow.session.scalars(select(Party)))
    assert mail.state == MailState.PROCESSED and mail.language == "nl"
    assert party.stage is Stage.PROSPECT and party.customer_id == mail.customer_id

    # The mail became a quotation request, with the mail attached and the unmatched line flagged;
    # the prospect has no salesperson yet, so the managers are told in Telegram at once.
    async with uow_factory() as uow:
        request = await uow.quotation_requests.get(mail.request_id)
    assert request.source == "email" and request.original_mail is not None
    assert [(l.text, l.item_id is not None) for l in request.lines] == [
        ("5 stuks A-100", True), ("2 x bureaulamp", False)]
    notice = await running.fake.wait_for("sendMessage", chat_id=seeded["manager"].telegram_id,
                                         predicate=lambda c: "quotation request" in c.params["text"])
    assert request.number in notice.params["text"]

    # The bot stops cleanly with the poller running (close() stops it).
    await running.app.close()
    assert running.app.imap._task is None


async def test_the_mailto_unsubscribe_of_a_campaign_mail_reaches_the_polled_mailbox_and_opts_out(
        running, imap_server, uow_factory, seeded):
    kit = running.app.dispatcher["campaigns"]
    acme = seeded["acme"]
    campaign_mail = message_from_bytes(kit.mailer.build(
        CompiledContent(parse_content("en", "Spring\nDear {{ contact_name }}")), "Spring",
        Recipient("customer", acme.id, acme.email, acme.name), kit.mailer.message_id(1, 1)), policy=default)
    mailto = urlsplit(str(campaign_mail["List-Unsubscribe"]).split(",")[0].strip("<> "))
    assert mailto.scheme == "mailto" and mailto.path == "sales@salesbot.test"  # MAIL_FROM's: the polled box
    subject = parse_qs(mailto.query)["subject"][0]

    # What a mail client sends for it (by itself, so marked automatic)
    await imap_server.append(raw_mail("", sender="Acme Buyer <buyer@acme.example>", subject=subject,
                                      message_id="<unsub-1@acme.example>", Auto_Submitted="auto-generated"))
    await running.app.start_background()
    await imap_server.wait_unseen(0)
    async with uow_factory() as uow:
        consent = await uow.consents.get(Channel.EMAIL, acme.email)
        [mail] = list(await uow.session.scalars(select(InboundMail)))
    assert consent.opted_out and mail.state == MailState.UNSUBSCRIBED and mail.request_id is None
    await running.app.close()
    assert running.smtp.messages == []  # no acknowledgement
