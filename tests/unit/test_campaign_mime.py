"""The fast campaign message builder says what the email package would say (issue 5 §2)."""
from __future__ import annotations

import email
from email.policy import default

import pytest
from hypothesis import given, settings, strategies as st

from bot.campaign_mail import CampaignMailer, Recipient
from domain.campaign_content import CompiledContent, parse_content

MAILER = CampaignMailer("Salesbot Démo <sales@example.com>", "https://bot.example.com", b"k", "sales@example.com")
CONTENT = CompiledContent(parse_content(
    "en", "Nieuws voor {{ company }}\nBeste {{ contact_name }},\n\ncafé — ümlaut\ttab\n"
          "a line that is quite long " * 8 + "\n{{ unsubscribe_url }}"))


def _parsed(data: bytes):
    return email.message_from_bytes(data, policy=default)


def _essence(message):
    return {
        "from": str(message["From"]), "to": str(message["To"]), "subject": str(message["Subject"]),
        "message-id": message["Message-ID"], "list-unsubscribe": str(message["List-Unsubscribe"]),
        "post": message["List-Unsubscribe-Post"],
        "text": message.get_body(("plain",)).get_content().replace("\r\n", "\n").rstrip("\n"),
        "html": message.get_body(("html",)).get_content().replace("\r\n", "\n").rstrip("\n"),
        "defects": [d for part in message.walk() for d in part.defects],
    }


safe_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=25, deadline=None)
@given(name=safe_text, company=safe_text)
def test_the_fast_builder_and_the_email_package_give_the_same_message(name, company):
    recipient = Recipient("party", 9, "anna@example.nl", name, company, "Sam")
    fast = _essence(_parsed(MAILER.build(CONTENT, "Spring", recipient, "<campaign-1-9@example.com>")))
    slow = _essence(_parsed(MAILER.build_with_email_package(CONTENT, "Spring", recipient,
                                                            "<campaign-1-9@example.com>")))
    assert fast == slow
    assert fast["defects"] == []
    assert "anna@example.nl" in fast["to"]


@pytest.mark.parametrize("name", ["X\r\nBcc: y@z.example", "Anna"])
def test_every_line_is_crlf_ended_and_within_998_characters(name):
    # "Anna": the HTML part made from the text is one long line with no line ending of its own.
    data = MAILER.build(CONTENT, "S", Recipient("customer", 1, "a@b.example", name), "<m@example.com>")
    lines = data.split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(map(len, lines)) <= 998
    head = data.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head


def test_the_date_header_formatted_once_a_second_is_that_second(monkeypatch):
    from datetime import UTC, datetime
    from email.utils import format_datetime

    from bot import campaign_mime
    for moment in (1_800_000_000.25, 1_800_000_000.99, 1_800_000_001.0):
        monkeypatch.setattr(campaign_mime.time, "time", lambda moment=moment: moment)
        assert campaign_mime._date(None) == format_datetime(datetime.fromtimestamp(moment, UTC))


def test_the_list_unsubscribe_header_and_the_body_carry_the_recipients_own_signed_link():
    from domain.consent import read_unsubscribe_token
    message = _parsed(MAILER.build(CONTENT, "S", Recipient("party", 9, "a@b.example", "Anna"), "<m@example.com>"))
    link = str(message["List-Unsubscribe"]).split("<")[2].rstrip(">")
    assert link in message.get_body(("plain",)).get_content()
    assert read_unsubscribe_token(b"k", link.rpartition("/")[2]) == ("party", 9)
