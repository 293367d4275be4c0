"""Issue 5: the campaign's rules, the recipient policy, templates, headers and unsubscribe tokens."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from email import message_from_bytes
from email.policy import default

import pytest
from hypothesis import given, strategies as st

from bot.campaign_mail import CampaignMailer, Recipient
from domain.campaign import (MAX_ATTEMPTS, Campaign, CampaignContent, CampaignStatus as S, CampaignType,
                             RecipientState, Selection, outcome_of, parse_type)
from domain.campaign_content import CompiledContent, parse_content
from domain.consent import TokenRefused, read_unsubscribe_token, unsubscribe_token
from domain.errors import InvalidInput, TransitionNotAllowed
from domain.relationship import Stage

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SAMPLE_FIELDS = {"contact_name": "", "company": "", "salesperson": "", "campaign": "", "unsubscribe_url": "",
                 "interest_url": ""}


def campaign(**kw) -> Campaign:
    c = Campaign.create(CampaignType.EMAIL, "Spring", "en", Selection(), 1, NOW)
    c.id = 7
    c.set_content(CampaignContent("en", "S", "T", "<p>T</p>"))
    return c


def test_a_campaign_is_scheduled_started_paused_resumed_and_finished_in_order():
    c = campaign()
    c.schedule(NOW + timedelta(hours=1), NOW)
    assert c.status is S.SCHEDULED and not c.is_due(NOW)
    assert c.is_due(NOW + timedelta(hours=1))
    c.pause()
    c.resume()
    assert c.status is S.SCHEDULED  # not started yet: back to its schedule
    c.start(NOW + timedelta(hours=1))
    c.pause()
    c.resume()
    assert c.status is S.SENDING
    c.finish(NOW + timedelta(hours=2))
    with pytest.raises(TransitionNotAllowed):
        c.cancel(NOW)
    with pytest.raises(TransitionNotAllowed):
        c.set_content(CampaignContent("en", "S", "T", "T"))


def test_a_campaign_cannot_be_scheduled_in_the_past_or_without_content_or_resumed_from_draft():
    c = Campaign.create(CampaignType.EMAIL, "Spring", "nl", Selection(), 1, NOW)
    with pytest.raises(InvalidInput, match="no content"):
        c.send_now(NOW)
    c.set_content(CampaignContent("en", "S", "T", "T"))  # content in another language is not enough
    with pytest.raises(InvalidInput, match="no content"):
        c.send_now(NOW)
    c.set_content(CampaignContent("nl", "S", "T", "T"))
    with pytest.raises(InvalidInput, match="passed"):
        c.schedule(NOW - timedelta(minutes=1), NOW)
    with pytest.raises(TransitionNotAllowed):
        c.resume()
    c.send_now(NOW)
    assert c.is_due(NOW)


def test_a_mailing_is_printed_not_scheduled_and_printing_makes_it_done():
    c = Campaign.create(CampaignType.MAILING, "Letters", "en", Selection(), 1, NOW)
    with pytest.raises(InvalidInput, match="no content"):
        c.print_letters(NOW)
    c.set_content(CampaignContent("en", "S", "T", "T"))
    with pytest.raises(InvalidInput, match="printed, not sent"):
        c.send_now(NOW)
    assert c.print_letters(NOW) is True
    assert c.status is S.DONE and c.started_at == NOW and c.finished_at == NOW
    assert c.print_letters(NOW + timedelta(hours=1)) is False  # a reprint changes nothing
    assert c.finished_at == NOW


def test_a_cancelled_mailing_prints_nothing_and_other_types_have_no_letters():
    c = Campaign.create(CampaignType.MAILING, "Letters", "en", Selection(), 1, NOW)
    c.set_content(CampaignContent("en", "S", "T", "T"))
    c.cancel(NOW)
    with pytest.raises(TransitionNotAllowed):
        c.print_letters(NOW)
    with pytest.raises(InvalidInput, match="Only a mailing"):
        campaign().print_letters(NOW)


def test_a_telemarketing_campaign_needs_no_content_to_be_scheduled():
    c = Campaign.create(CampaignType.TELEMARKETING, "Calls", "nl", Selection(), 1, NOW)
    c.send_now(NOW)
    assert c.is_due(NOW)
    c.start(NOW)
    assert c.status is S.SENDING


def test_content_falls_back_to_the_campaigns_language():
    c = campaign()
    c.set_content(CampaignContent("nl", "NL", "T", "T"))
    assert c.content_for("nl").subject == "NL"
    assert c.content_for("de").subject == "S"


def test_selections_and_types_are_parsed_or_refused_with_a_reason():
    assert Selection.parse("stage=lead") == Selection(Stage.LEAD)
    assert Selection.parse("groep=retail taal=NL") == Selection(None, "retail", "nl")
    assert Selection.parse("all") == Selection()
    for bad in ("stage=friend", "colour=blue", "stage", "stage=lead stage=lead", "language=fr"):
        with pytest.raises(InvalidInput):
            Selection.parse(bad)
    assert parse_type("E-mail") is CampaignType.EMAIL
    with pytest.raises(InvalidInput):
        parse_type("fax")


def test_smtp_replies_decide_the_recipients_state():
    assert outcome_of(250, True, 1, NOW).state is RecipientState.SENT
    bounce = outcome_of(550, False, 1, NOW)
    assert bounce.state is RecipientState.BOUNCED and bounce.opt_out
    for code in (421, 450, 451, None):
        retry = outcome_of(code, False, 1, NOW)
        assert retry.state is RecipientState.QUEUED and retry.retry_at == NOW + timedelta(seconds=30)
    assert outcome_of(421, False, 3, NOW).retry_at == NOW + timedelta(minutes=2)
    assert outcome_of(421, False, MAX_ATTEMPTS, NOW).state is RecipientState.FAILED
    assert outcome_of(None, False, 1, NOW, ambiguous=True).state is RecipientState.UNKNOWN


@given(st.integers(min_value=1, max_value=60), st.one_of(st.none(), st.integers(200, 599)))
def test_a_retry_is_always_later_and_never_more_than_an_hour_away(attempts, code):
    outcome = outcome_of(code, False, attempts, NOW)
    if outcome.state is RecipientState.QUEUED:
        assert NOW < outcome.retry_at <= NOW + timedelta(hours=1)
    assert outcome.state is not RecipientState.SENT


def test_templates_escape_contact_data_in_html_and_refuse_unknown_fields_and_python_internals():
    content = CompiledContent(parse_content("en", "Hi {{ contact_name }}\nDear {{ contact_name }}"))
    rendered = content.render({"contact_name": "<script>x</script>", "company": "", "salesperson": "",
                               "campaign": "", "unsubscribe_url": ""})
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    with pytest.raises(InvalidInput, match="Unknown merge field 'contact'") as refused:
        parse_content("en", "Hi {{ contact }}\nbody")
    assert refused.value.params["field"] == "contact"  # translated with the field named, not Jinja2's English
    with pytest.raises(InvalidInput, match="error"):
        parse_content("en", "Hi\n{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(InvalidInput, match="subject"):
        parse_content("en", "")


def test_the_html_part_made_from_the_text_shows_the_text_as_typed():
    content = CompiledContent(parse_content(
        "en", "Hi\nDear {{ company }}, prices < 100 & more.\nWrite to <info@x.nl>.\n\n"
              "{% if company %}For \"{{ company }}\"{% endif %}\n{% raw %}<b>{{ x }}</b>{% endraw %}"))
    html = content.render({**SAMPLE_FIELDS, "company": "A & B"}).html
    assert html == ("<p>Dear A &amp; B, prices &lt; 100 &amp; more.<br>Write to &lt;info@x.nl&gt;.</p>"
                    "<p>For &#34;A &amp; B&#34;<br>&lt;b&gt;{{ x }}&lt;/b&gt;</p>")


def test_html_the_marketer_gives_is_kept_as_html():
    content = CompiledContent(parse_content("en", "Hi\nText < 1\n---html---\n<p>Hi <b>{{ company }}</b></p>"))
    assert content.render({**SAMPLE_FIELDS, "company": "A&B"}).html == "<p>Hi <b>A&amp;B</b></p>"


def test_nothing_a_contact_typed_can_add_a_header():
    mailer = CampaignMailer("Salesbot <sales@example.com>", "https://bot.example.com", b"k")
    content = CompiledContent(parse_content("en", "Hello {{ contact_name }} of {{ company }}\nBody"))
    evil = Recipient("customer", 3, "a@b.example", "Eve\r\nBcc: victim@example.com",
                     "Co\nX-Injected: yes", "Sam\r\n")
    data = mailer.build(content, "S", evil, mailer.message_id(1, 2))
    head = data.split(b"\r\n\r\n", 1)[0].decode()
    names = [line.split(":", 1)[0] for line in head.split("\r\n") if line and not line[0].isspace()]
    assert "Bcc" not in names and "X-Injected" not in names
    assert names.count("To") == 1 and names.count("Subject") == 1
    assert "List-Unsubscribe" in names and "List-Unsubscribe-Post" in names
    assert "Message-ID: <campaign-1-2@example.com>" in head


def test_the_mailto_unsubscribe_is_offered_only_with_a_mailbox_that_is_read():
    content = CompiledContent(parse_content("en", "Hello\nBody"))
    acme = Recipient("customer", 3, "a@b.example", "Ann")
    token = unsubscribe_token(b"k", "customer", 3)
    for mailbox, expected in ((None, f"<https://bot.example.com/unsubscribe/{token}>"),
                              ("sales@example.com", f"<mailto:sales@example.com?subject=unsubscribe%20{token}>, "
                                                    f"<https://bot.example.com/unsubscribe/{token}>")):
        mailer = CampaignMailer("Salesbot <sales@example.com>", "https://bot.example.com", b"k", mailbox)
        data = mailer.build(content, "S", acme, mailer.message_id(1, 2))
        assert message_from_bytes(data, policy=default)["List-Unsubscribe"] == expected


@given(st.sampled_from(["customer", "party"]), st.integers(min_value=1, max_value=2**32 - 1))
def test_an_unsubscribe_token_names_its_contact_and_cannot_be_altered(kind, contact_id):
    token = unsubscribe_token(b"secret", kind, contact_id)
    assert read_unsubscribe_token(b"secret", token) == (kind, contact_id)
    with pytest.raises(TokenRefused):
        read_unsubscribe_token(b"other", token)
    flipped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    with pytest.raises(TokenRefused):
        read_unsubscribe_token(b"secret", flipped)
