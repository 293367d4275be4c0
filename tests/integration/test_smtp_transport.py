"""SmtpTransport against a real SMTP server (aiosmtpd) on loopback."""

import shutil
import socket

import pytest

from bot.mail import (
    Attachment,
    DeliveryResult,
    OutgoingMail,
    SmtpTransport,
    format_address,
    make_message_id,
)
from tests.fakes.smtp import SmtpSink, self_signed_tls, unused_port

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n\x00\xff\r\n.\r\n%%EOF\n"


@pytest.fixture
def sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def a_mail(**changes) -> OutgoingMail:
    values = dict(
        message_id=make_message_id("outbox-42", "salesbot.test"),
        mail_from=format_address("Verkoop Zoë's Café", "sales@shop.test"),
        to=format_address("Иван Петров", "ivan@customer.test"),
        subject="Offerte Q-0042 — één prijs, Привет",
        text="Beste Ivan,\n\nHierbij de offerte.\n.\nGroet",
        html="<p>Beste Ivan,</p><p>Hierbij de offerte.</p>",
        attachments=(Attachment("Offerte Q-0042.pdf", PDF),),
    )
    values.update(changes)
    return OutgoingMail(**values)


def transport_for(sink: SmtpSink, **kwargs) -> SmtpTransport:
    return SmtpTransport("127.0.0.1", sink.port, timeout=5, **kwargs)


async def test_a_mail_arrives_with_text_html_and_the_pdf_intact(sink):
    delivery = await transport_for(sink).deliver(a_mail())

    assert delivery.result is DeliveryResult.SENT
    [received] = sink.messages
    assert received.mail_from == "sales@shop.test"
    assert received.rcpt_tos == ("ivan@customer.test",)
    msg = received.message
    assert msg["Message-ID"] == "<outbox-42@salesbot.test>"
    assert msg["Subject"] == "Offerte Q-0042 — één prijs, Привет"
    assert msg["From"].addresses[0].display_name == "Verkoop Zoë's Café"
    assert msg["To"].addresses[0].display_name == "Иван Петров"
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text == "Beste Ivan,\n\nHierbij de offerte.\n.\nGroet\n"  # the lone "." survived
    assert "Hierbij de offerte." in msg.get_body(("html",)).get_content()
    [pdf] = msg.iter_attachments()
    assert pdf.get_filename() == "Offerte Q-0042.pdf"
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == PDF


@pytest.mark.parametrize(
    ("stage", "reply", "expected"),
    [
        ("RCPT", "421 4.3.2 shutting down", DeliveryResult.RETRY),
        ("RCPT", "450 4.2.1 mailbox busy", DeliveryResult.RETRY),
        ("DATA", "421 4.3.2 shutting down", DeliveryResult.RETRY),
        ("DATA", "451 4.3.0 try later", DeliveryResult.RETRY),
        ("MAIL", "451 4.3.0 try later", DeliveryResult.RETRY),
        ("RCPT", "550 5.1.1 no such user", DeliveryResult.FAILED),
        ("RCPT", "554 5.7.1 rejected", DeliveryResult.FAILED),
        ("DATA", "554 5.6.0 message refused", DeliveryResult.FAILED),
        ("MAIL", "550 5.7.1 sender refused", DeliveryResult.FAILED),
    ],
)
async def test_the_servers_reply_decides_between_retry_and_failed(sink, stage, reply, expected):
    sink.reply_on(stage, reply)

    delivery = await transport_for(sink).deliver(a_mail())

    assert delivery.result is expected
    assert delivery.code == int(reply[:3])
    assert reply[:3] in delivery.detail and reply[4:] in delivery.detail
    assert sink.messages == []


async def test_a_deferred_mail_goes_through_on_the_next_attempt(sink):
    sink.reply_on("RCPT", "450 4.2.1 mailbox busy", times=1)
    transport = transport_for(sink)

    first = await transport.deliver(a_mail())
    second = await transport.deliver(a_mail())

    assert (first.result, second.result) == (DeliveryResult.RETRY, DeliveryResult.SENT)
    assert len(sink.messages) == 1


async def test_a_server_that_is_down_means_retry():
    delivery = await SmtpTransport("127.0.0.1", unused_port(), timeout=5).deliver(a_mail())

    assert delivery.result is DeliveryResult.RETRY
    assert delivery.detail


async def test_a_server_that_never_greets_times_out_into_retry():
    # The kernel completes the TCP handshake from the backlog; nobody ever says "220".
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        transport = SmtpTransport("127.0.0.1", port, timeout=0.3)

        delivery = await transport.deliver(a_mail())

    assert delivery.result is DeliveryResult.RETRY
    assert "Timeout" in delivery.detail or "timed out" in delivery.detail.lower()


async def test_a_header_injection_in_the_subject_adds_no_header(sink):
    mail = a_mail(subject="Hi\r\nBcc: evil@x.test", to="ivan@customer.test")

    delivery = await transport_for(sink).deliver(mail)

    assert delivery.result is DeliveryResult.SENT
    [received] = sink.messages
    assert received.rcpt_tos == ("ivan@customer.test",)
    assert "Bcc" not in received.message
    assert received.message["Subject"] == "Hi Bcc: evil@x.test"
    assert b"\r\nBcc:" not in received.data and b"\nBcc:" not in received.data


async def test_a_mail_that_cannot_be_built_fails_without_connecting(sink):
    delivery = await transport_for(sink).deliver(a_mail(to="not an address"))

    assert delivery.result is DeliveryResult.FAILED
    assert "cannot build" in delivery.detail


async def test_auth_with_username_and_password_is_accepted():
    sink = SmtpSink(credentials={"bot": "s3cret"}).start()
    try:
        delivery = await transport_for(sink, username="bot", password="s3cret").deliver(a_mail())

        assert delivery.result is DeliveryResult.SENT
        assert [m.login for m in sink.messages] == ["bot"]
    finally:
        sink.stop()


async def test_a_wrong_password_is_retried_not_bounced():
    # A settings problem says nothing about the mail: keep it queued until someone fixes it.
    sink = SmtpSink(credentials={"bot": "s3cret"}).start()
    try:
        delivery = await transport_for(sink, username="bot", password="wrong").deliver(a_mail())

        assert delivery.result is DeliveryResult.RETRY
        assert delivery.code == 535
        assert sink.messages == []
    finally:
        sink.stop()


@pytest.fixture
def tls_pair(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    return self_signed_tls(tmp_path)


@pytest.mark.parametrize("security", ["starttls", "tls"])
async def test_starttls_and_implicit_tls_deliver_over_an_encrypted_connection(tls_pair, security):
    server_ctx, client_ctx = tls_pair
    sink = SmtpSink(credentials={"bot": "s3cret"}, tls_context=server_ctx,
                    implicit_tls=security == "tls").start()
    try:
        transport = transport_for(sink, username="bot", password="s3cret", security=security,
                                  tls_context=client_ctx)

        delivery = await transport.deliver(a_mail())

        assert delivery.result is DeliveryResult.SENT
        assert [m.login for m in sink.messages] == ["bot"]
        assert all(m.tls for m in sink.messages)
    finally:
        sink.stop()


async def test_an_untrusted_certificate_is_retried_not_sent(tls_pair):
    server_ctx, _ = tls_pair
    sink = SmtpSink(tls_context=server_ctx).start()
    try:
        delivery = await transport_for(sink, security="starttls").deliver(a_mail())  # system CAs

        assert delivery.result is DeliveryResult.RETRY
        assert "CERTIFICATE_VERIFY_FAILED" in delivery.detail
        assert sink.messages == []
    finally:
        sink.stop()


async def test_security_none_does_not_upgrade_even_when_the_server_offers_starttls(tls_pair):
    server_ctx, _ = tls_pair
    sink = SmtpSink(tls_context=server_ctx).start()
    try:
        delivery = await transport_for(sink).deliver(a_mail())

        assert delivery.result is DeliveryResult.SENT
        assert [m.tls for m in sink.messages] == [False]
    finally:
        sink.stop()
