"""build_message, the retry policy and the mail templates: pure functions, no server."""

import email
from datetime import datetime, timedelta, timezone
from email.policy import default as default_policy

import aiosmtplib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.mail import (
    MAX_ATTEMPTS,
    Attachment,
    Delivery,
    DeliveryResult,
    MailTemplates,
    OutgoingMail,
    build_message,
    classify_smtp_error,
    format_address,
    make_message_id,
    next_step,
    retry_delay,
)

EXPECTED_HEADERS = {"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
                    "Content-Transfer-Encoding"}


def a_mail(**changes) -> OutgoingMail:
    values = dict(
        message_id="<outbox-7@salesbot.test>",
        mail_from=format_address("Verkoop", "sales@shop.test"),
        to=format_address("Zoë Brouwer-Ëlst", "zoe@customer.test"),
        subject="Uw offerte",
        text="Beste Zoë,\nHierbij.",
    )
    values.update(changes)
    return OutgoingMail(**values)


def round_trip(mail: OutgoingMail) -> email.message.EmailMessage:
    return email.message_from_bytes(build_message(mail).as_bytes(), policy=default_policy)


# --- build_message -------------------------------------------------------------------------------


def test_accents_and_cyrillic_survive_in_subject_and_display_names():
    mail = a_mail(
        subject="Offerte für Zoë — één regel, Привет мир",
        to=format_address("Иван Петров", "ivan@customer.test"),
        mail_from=format_address("Café 't Hoekje", "sales@shop.test"),
    )

    raw = build_message(mail).as_bytes()
    msg = email.message_from_bytes(raw, policy=default_policy)

    assert raw.isascii()  # headers are RFC 2047 encoded, bodies quoted-printable or base64
    assert msg["Subject"] == "Offerte für Zoë — één regel, Привет мир"
    assert msg["To"].addresses[0].display_name == "Иван Петров"
    assert msg["To"].addresses[0].addr_spec == "ivan@customer.test"
    assert msg["From"].addresses[0].display_name == "Café 't Hoekje"


def test_the_message_id_is_exactly_the_given_one_and_the_date_is_set():
    when = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)

    msg = email.message_from_bytes(
        build_message(a_mail(), now=when).as_bytes(), policy=default_policy
    )

    assert msg["Message-ID"] == "<outbox-7@salesbot.test>"
    assert msg["Date"].datetime == when


def test_text_html_and_attachments_are_laid_out_as_mixed_alternative():
    pdf = b"%PDF-1.7\x00\xff\xfe binary"
    mail = a_mail(
        html="<p>Beste Zoë</p>",
        attachments=(Attachment("Offerte Q-7 é.pdf", pdf), Attachment("terms.txt", b"x", "text/plain")),
    )

    msg = round_trip(mail)

    assert msg.get_content_type() == "multipart/mixed"
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Beste Zoë,\nHierbij.\n"
    assert "Beste Zoë" in msg.get_body(("html",)).get_content()
    files = [(a.get_filename(), a.get_content_type(), a.get_content()) for a in msg.iter_attachments()]
    assert files == [("Offerte Q-7 é.pdf", "application/pdf", pdf),
                     ("terms.txt", "text/plain", "x")]


def test_a_text_only_mail_is_a_single_text_part():
    msg = round_trip(a_mail())

    assert msg.get_content_type() == "text/plain"
    assert set(msg.keys()) == EXPECTED_HEADERS


def test_a_newline_in_a_display_name_or_extra_header_cannot_add_a_header():
    mail = a_mail(
        to=format_address("Zoë\r\nBcc: evil@x.test", "zoe@customer.test"),
        reply_to=format_address("Jan\nCc: evil@x.test", "jan@shop.test"),
        extra_headers=(("X-Campaign", "spring\r\nBcc: evil@x.test"),),
    )

    msg = round_trip(mail)

    assert "Bcc" not in msg and "Cc" not in msg
    assert [a.addr_spec for a in msg["To"].addresses] == ["zoe@customer.test"]
    assert msg["X-Campaign"] == "spring Bcc: evil@x.test"


def test_a_raw_address_string_with_a_newline_is_refused_rather_than_split():
    with pytest.raises(ValueError):
        build_message(a_mail(reply_to="Jan\nCc: evil@x.test <jan@shop.test>"))


def test_extra_headers_such_as_list_unsubscribe_are_kept():
    mail = a_mail(extra_headers=(
        ("List-Unsubscribe", "<mailto:unsub@shop.test>, <https://shop.test/u/abc>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    ))

    msg = round_trip(mail)

    assert msg["List-Unsubscribe"] == "<mailto:unsub@shop.test>, <https://shop.test/u/abc>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("name", ["Bcc", "subject", "Message-ID", "Bad Name", "X:Y", ""])
def test_an_extra_header_may_not_override_or_be_malformed(name):
    with pytest.raises(ValueError):
        build_message(a_mail(extra_headers=((name, "x"),)))


@pytest.mark.parametrize("to", ["not an address", "", "zoe@", "<>", "Zoë"])
def test_a_bad_address_is_refused_with_value_error(to):
    with pytest.raises(ValueError):
        build_message(a_mail(to=to))


def test_format_address_quotes_what_needs_quoting():
    assert format_address("Brouwer, Zoë", "zoe@x.test") == '"Brouwer, Zoë" <zoe@x.test>'
    assert format_address(None, "zoe@x.test") == "zoe@x.test"
    assert format_address("A\r\nB", "zoe@x.test") == "A B <zoe@x.test>"


def test_make_message_id_is_deterministic_and_sanitised():
    assert make_message_id("outbox-17.k3y", "salesbot.test") == "<outbox-17.k3y@salesbot.test>"
    assert make_message_id("a b<>@\r\nc", "mail.shop.test") == "<a-b-c@mail.shop.test>"
    assert make_message_id("x", "y") == make_message_id("x", "y")
    with pytest.raises(ValueError):
        make_message_id("<>", "salesbot.test")


@given(st.text())
def test_any_subject_text_yields_a_single_line_subject_and_no_other_header(subject):
    msg = round_trip(a_mail(subject=subject))

    assert set(msg.keys()) == EXPECTED_HEADERS
    assert "\r" not in msg["Subject"] and "\n" not in msg["Subject"]


WORDS = st.text(st.sampled_from(list("aZ09 .,:;!?'\"()-éëïöüçÉ€ЖжПривет—")), max_size=300)


@given(WORDS)
def test_a_long_dutch_or_cyrillic_subject_comes_back_word_for_word(subject):
    # Whitespace runs may change where the header is folded; the words may not.
    assert round_trip(a_mail(subject=subject))["Subject"].split() == subject.split()


# --- retry policy --------------------------------------------------------------------------------


def test_retry_delays_double_from_thirty_seconds_up_to_an_hour():
    delays = [retry_delay(n) for n in range(1, 11)]

    assert delays[:4] == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2),
                          timedelta(minutes=4)]
    assert delays[-1] == timedelta(hours=1)
    with pytest.raises(ValueError):
        retry_delay(0)


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_retry_delays_never_decrease_and_never_exceed_the_cap(attempt, more):
    assert retry_delay(attempt) <= retry_delay(attempt + more) <= timedelta(hours=1)
    assert retry_delay(attempt) > timedelta(0)


def test_next_step_sends_retries_then_gives_up():
    retry = Delivery(DeliveryResult.RETRY, "450 busy", 450)

    assert next_step(Delivery(DeliveryResult.SENT), 1) == ("sent", None)
    assert next_step(retry, 1) == ("retry", timedelta(seconds=30))
    assert next_step(retry, MAX_ATTEMPTS - 1).action == "retry"
    assert next_step(retry, MAX_ATTEMPTS) == ("failed", None)
    assert next_step(Delivery(DeliveryResult.FAILED, "550"), 1) == ("failed", None)


def test_refused_recipients_fail_if_any_refusal_is_permanent():
    def refused(*codes):
        return aiosmtplib.SMTPRecipientsRefused(
            [aiosmtplib.SMTPRecipientRefused(c, "no", f"r{c}@x.test") for c in codes]
        )

    assert classify_smtp_error(refused(450, 421)).result is DeliveryResult.RETRY
    assert classify_smtp_error(refused(450, 550)).result is DeliveryResult.FAILED
    assert classify_smtp_error(refused(450, 550)).code == 550
    assert classify_smtp_error(ConnectionRefusedError(111, "refused")).result is DeliveryResult.RETRY
    assert classify_smtp_error(aiosmtplib.SMTPServerDisconnected("gone")).result is DeliveryResult.RETRY


# --- templates -----------------------------------------------------------------------------------

QUOTATION = dict(
    greeting_name="<script>alert(1)</script>", document_number="Q-0007",
    valid_until_text="31 maart 2026", total_text="€ 1.234,50", salesperson_name="Jan & Co",
    company_name="Acme B.V.", intro_text="Hierbij onze offerte.", closing_text="Tot ziens.",
)
INVOICE = dict(
    greeting_name="<script>alert(1)</script>", document_number="F-0003", total_text="€ 99,00",
    order_numbers="SO-0005", orders_label="Verkooporder", packing_slips="PS-0007 (25 nov 2026)",
    packing_slips_label="Pakbon", credited_invoice="F-0001", rma_number="RMA-0002",
    company_name="Acme B.V.", intro_text="Hierbij uw factuur.", closing_text="Dank u.",
)


@pytest.mark.parametrize(("name", "context"), [("quotation_sent", QUOTATION),
                                               ("invoice_posted", INVOICE)])
def test_a_customer_name_is_escaped_in_html_and_raw_in_text(name, context):
    text, html = MailTemplates().render(name, context)

    assert "<script>alert(1)</script>" in text and "&lt;" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    for value in context.values():
        if "<" not in value and "&" not in value:
            assert value in text and value in html


def test_fixed_words_are_translated_by_the_given_gettext():
    dutch = {"Dear %(name)s,": "Beste %(name)s,", "Total": "Totaal"}

    text, html = MailTemplates().render("quotation_sent", QUOTATION,
                                        gettext=lambda s: dutch.get(s, s))

    assert text.startswith("Beste <script>alert(1)</script>,") and "Totaal: € 1.234,50" in text
    assert "Beste &lt;script&gt;" in html


def test_a_missing_context_value_is_an_error_not_a_blank():
    with pytest.raises(Exception, match="greeting_name"):
        MailTemplates().render("invoice_posted", {k: v for k, v in INVOICE.items()
                                                  if k != "greeting_name"})
