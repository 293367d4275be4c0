"""Issue 5 §1-§3 through the real bot: a marketing user creates a campaign (the target count first),
sets its content, previews it, tests it on themselves, sends it, pauses and cancels; bad input
changes nothing; /stop lands in the consent record."""
from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import select

from bot import web_interest
from domain.campaign_response import interest_token

from domain.consent import Channel, ConsentSource
from domain.services import campaigns
from domain.user import Role, User
from storage import tables as t
from tests.e2e.conftest import wait_for_mail

MARK = 4001
SECRET = b"campaign-e2e-secret"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"secret_key": SecretStr(SECRET.decode()),
                                       "public_url": "https://bot.example.com", "campaign_rate": 0})


@pytest.fixture
async def mark(uow_factory, seeded):
    user = User(telegram_id=MARK, name="Mark Eting", role=Role.MARKETING, email="mark@salesbot.test")
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


async def test_a_marketing_user_creates_previews_tests_and_sends_a_campaign(running, mark, uow_factory):
    chat = running.chat(MARK)
    reply = await chat.say("/newcampaign\ne-mail\nWinter offer\nen\nstage=customer")
    assert "Campaign #1: Winter offer" in reply and "Reaches 2 contact(s)" in reply
    assert "Type: e-mail · language: en · status: draft" in reply  # the type's label, not its value 'email'
    assert "Nothing is sent until you schedule it" in reply

    reply = await chat.say("/content 1 en\nWinter at {{ company }}\nDear {{ contact_name }},\n\n"
                           "Warm chairs for cold days, prices < 100 & more.\nAsk <info@x.nl>.\n{{ unsubscribe_url }}")
    assert "The content in en is saved" in reply
    await chat.tap("Preview")
    preview = await chat.reply()
    assert "Preview for" in preview and "Warm chairs for cold days, prices &lt; 100" in preview

    await chat.tap("Test to me")
    assert "A test was sent to mark@salesbot.test" in await chat.reply()
    test_mail = (await wait_for_mail(running.smtp, 1))[0]
    assert test_mail.rcpt_tos == ("mark@salesbot.test",)
    assert test_mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    await chat.tap("Send now")
    assert "Send campaign #1 to 2 contact(s) now?" in await chat.reply()
    assert len(running.smtp.messages) == 1  # asking sent nothing
    confirm = chat.button_data("Yes, send now")
    await chat.tap("Yes, send now")
    assert "Sending starts" in await chat.reply()

    kit = running.app.dispatcher["campaigns"]
    assert await kit.job.fire() == [1]
    await kit.sender.drain_once()
    mails = await wait_for_mail(running.smtp, 3)
    assert sorted(m.rcpt_tos[0] for m in mails[1:]) == ["buyer@acme.example", "inkoop@hoogvliet.example"]
    acme = next(m for m in mails if m.rcpt_tos[0] == "buyer@acme.example").message
    assert "Dear Acme Office BV" in acme.get_body(("plain",)).get_content()
    # the HTML part made from the text shows the text as typed, not as markup
    assert "prices &lt; 100 &amp; more.<br>Ask &lt;info@x.nl&gt;." in acme.get_body(("html",)).get_content()
    await chat.say("/campaigns")
    await chat.tap("#1 Winter offer")
    assert "sent 2" in await chat.reply()

    # The old "Yes, send now" tapped again: the handler had answered the tap, so the refusal comes
    # as a message (a second answer to a tap is refused by Telegram), and nothing is sent again.
    await chat.tap_data(*confirm)
    assert "has already started (done); a campaign is sent once" in await chat.reply()
    assert len(running.smtp.messages) == 3


async def test_a_campaign_is_scheduled_paused_resumed_and_cancelled(running, mark, uow_factory):
    chat = running.chat(MARK)
    await chat.say("/newcampaign\ne-mail\nLater\nnl\nall")
    await chat.say("/content 1 nl\nHallo {{ contact_name }}\nBeste {{ contact_name }}, tot ziens.")
    assert "Scheduled: 2026-12-01 09:00" in await chat.say("/schedule 1 2026-12-01 09:00")
    await chat.tap("Pause")
    assert "Paused" in await chat.reply()
    await chat.tap("Resume")
    assert "status: scheduled" in await chat.reply()
    await chat.tap("Cancel campaign")
    reply = await chat.reply()
    assert "Cancelled" in reply and "status: cancelled" in reply
    assert "cannot become" in await chat.say("/schedule 1 now")


async def test_a_campaign_cancelled_while_sending_shows_its_unsent_rows_as_cancelled(running, mark):
    chat = running.chat(MARK)
    await chat.say("/newcampaign\ne-mail\nStopped\nen\nstage=customer")
    await chat.say("/content 1 en\nHi {{ contact_name }}\nDear {{ contact_name }}.")
    await chat.say("/schedule 1 now")
    kit = running.app.dispatcher["campaigns"]
    assert await kit.job.fire() == [1]
    await chat.say("/campaigns")
    await chat.tap("#1 Stopped")
    await chat.reply()
    await chat.tap("Cancel campaign")
    reply = await chat.reply()
    assert "status: cancelled" in reply and "queued 0" in reply
    assert "2 recipient(s) were not sent anything: the campaign was cancelled first." in reply
    await kit.sender.drain_once()
    assert running.smtp.messages == []


async def test_the_interest_page_speaks_the_recipients_language(running, mark, uow_factory, seeded):
    chat = running.chat(MARK)
    await chat.say("/newcampaign\ne-mail\nWinter\nen\nstage=customer")
    await chat.say("/content 1 en\nHi {{ contact_name }}\nDear {{ contact_name }}. {{ interest_url }}")
    await chat.say("/schedule 1 now")
    assert await running.app.dispatcher["campaigns"].job.fire() == [1]
    async with uow_factory() as uow:
        c = t.campaign_recipients.c
        rows = {row.email: row.id for row in (await uow.session.execute(
            select(c.email, c.id).where(c.campaign_id == 1))).all()}
    app = web.Application()
    web_interest.add_routes(app, running.app.uow, running.app.clock, SECRET, locale="en")
    async with TestClient(TestServer(app)) as client:
        dutch = await client.get(f"/interest/{interest_token(SECRET, 1, rows['inkoop@hoogvliet.example'])}")
        assert "Wilt u dat we contact met u opnemen over dit aanbod?" in await dutch.text()
        english = await client.get(f"/interest/{interest_token(SECRET, 1, rows['buyer@acme.example'])}",
                                   headers={"Accept-Language": "nl"})
        assert "Would you like us to contact you about this offer?" in await english.text()
        done = await client.post(f"/interest/{interest_token(SECRET, 1, rows['inkoop@hoogvliet.example'])}")
        assert "Dank u! Uw contactpersoon neemt binnenkort contact met u op." in await done.text()


async def test_bad_input_gets_a_clear_reply_and_changes_nothing(running, mark, uow_factory, seeded):
    chat = running.chat(MARK)
    assert "not a campaign type" in await chat.say("/newcampaign\nfax\nX\nen\nall")
    assert "Type four lines" in await chat.say("/newcampaign\ne-mail\nX")
    assert "not a selection" in await chat.say("/newcampaign\ne-mail\nX\nen\ncolour=blue")
    assert await campaigns.listing(uow_factory(), mark) == []
    await chat.say("/newcampaign\ne-mail\nX\nen\nall")
    reply = await chat.say("/content 1 en\nHi {{ nme }}\nbody")
    assert "Unknown merge field 'nme'" in reply and "{{ contact_name }}" in reply and "undefined" not in reply
    assert "template has an error" in await chat.say("/content 1 en\nHi\n{% if %}")
    view = await campaigns.view(uow_factory(), mark, 1)
    assert view.campaign.contents == []
    assert "no content in its own language" in await chat.say("/schedule 1 now")
    assert "Type /schedule" in await chat.say("/schedule 1 yesterday")
    assert "Your role does not allow" in await running.chat(seeded["sales"].telegram_id).say("/campaigns")
    assert "does not exist or is not yours" in await running.chat(MARK).say("/content 99 en\nS\nT")


async def test_stop_in_telegram_is_an_opt_out_in_the_consent_record(running, uow_factory, seeded):
    customer_user = User(telegram_id=7001, name="Anna", role=Role.CUSTOMER, customer_id=seeded["acme"].id)
    async with uow_factory() as uow:
        await uow.users.add(customer_user)
        await uow.commit()
    assert "no longer linked" in await running.chat(7001).say("/stop")
    async with uow_factory() as uow:
        consent = await uow.consents.get(Channel.TELEGRAM, "7001")
    assert consent.opted_out and consent.source is ConsentSource.STOP and consent.contact_id == seeded["acme"].id


async def test_content_without_a_campaign_number_explains_the_merge_fields(running, mark):
    reply = await running.chat(MARK).say("/content en")
    assert "Type /content" in reply and "{{ contact_name }}" in reply


async def test_a_telegram_403_is_recorded_as_an_opt_out(running, uow_factory, seeded):
    running.fake.block(7002)
    assert not await running.app.expiry_job.notifier.send(7002, "hello")
    async with uow_factory() as uow:
        consent = await uow.consents.get(Channel.TELEGRAM, "7002")
    assert consent.opted_out and consent.source is ConsentSource.BLOCKED
