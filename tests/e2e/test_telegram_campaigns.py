"""Issue 5 §4-§5 through the real bot: a campaign reaches linked Telegram accounts with the buttons
Interested / Not now / Stop messages, keeps to Telegram's 429 and 403, answers each button once and
only to its own chat, tells the salesperson at once, and /campaign N shows the funnel."""
from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot import web_interest
from bot.app import build_app
from bot.rate_limit import SharedRateLimit
from domain.campaign import RecipientState
from domain.campaign_response import interest_token
from domain.consent import Channel, ConsentSource
from domain.relationship import LeadDetails, Party, Stage
from domain.services import campaigns
from domain.user import Role, User
from storage import tables as t
from tests.fakes.harness import make_bot

ANNA, BERT, CLAIRE = 7101, 7102, 7103  # Anna and Claire speak for Acme, Bert for the café


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"secret_key": SecretStr("campaign-e2e-secret"),
                                       "public_url": "https://bot.example.com", "campaign_rate": 0})


@pytest.fixture
async def linked(uow_factory, seeded, fake_bot_api):
    async with uow_factory() as uow:
        for tid, name, customer in ((ANNA, "Anna", "acme"), (BERT, "Bert", "cafe"), (CLAIRE, "Claire", "acme")):
            fake_bot_api.add_user(tid, first_name=name)
            await uow.users.add(User(telegram_id=tid, name=name, role=Role.CUSTOMER,
                                     customer_id=seeded[customer].id))
        acme = await uow.customers.get(seeded["acme"].id)
        acme.salesperson_id = seeded["sales"].id  # Acme's salesperson is Sam; the café has none
        await uow.commit()


async def _start(running, seeded, selection="stage=customer") -> int:
    marketing = seeded["marketing"]
    chat = running.chat(marketing.telegram_id)
    await chat.say(f"/newcampaign\ne-mail\nWinter offer\nen\n{selection}")
    await chat.say("/content 1 en\nWinter at {{ company }}\nDear {{ contact_name }},\n\nWarm chairs.\n"
                   "{{ interest_url }}")
    await campaigns.schedule(running.app.uow(), running.app.clock, marketing, 1, None)
    kit = running.app.dispatcher["campaigns"]
    assert await kit.job.fire() == [1]
    return 1


async def _rows(uow_factory, channel: Channel) -> dict:
    async with uow_factory() as uow:
        c = t.campaign_recipients.c
        rows = await uow.session.execute(t.campaign_recipients.select().where(c.channel == channel.value))
        return {row.chat_id if channel is Channel.TELEGRAM else row.email: row for row in rows.all()}


async def test_a_campaign_reaches_linked_chats_honouring_429_and_recording_403(running, linked, seeded,
                                                                             uow_factory):
    await _start(running, seeded)
    running.fake.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=ANNA)
    running.fake.block(CLAIRE)
    kit = running.app.dispatcher["campaigns"]
    began = time.monotonic()
    await kit.telegram.drain_once()
    waited = time.monotonic() - began

    anna = running.fake.calls_of("sendMessage", chat_id=ANNA)
    assert len(anna) == 2  # the 429, then the same message again
    assert waited >= 1.0  # retry_after was honoured before the resend
    assert "Winter at Acme Office BV" in anna[1].params["text"]
    assert [b.strip() for b in running.chat(ANNA).buttons()] == ["Interested", "Not now", "Stop messages"]
    assert len(running.fake.calls_of("sendMessage", chat_id=BERT)) == 1

    rows = await _rows(uow_factory, Channel.TELEGRAM)
    assert rows[ANNA].state is RecipientState.SENT and rows[ANNA].attempts == 1  # a 429 is no failed try
    assert rows[BERT].state is RecipientState.SENT
    assert rows[CLAIRE].state is RecipientState.BOUNCED
    async with uow_factory() as uow:
        consent = await uow.consents.get(Channel.TELEGRAM, str(CLAIRE))
    assert consent.opted_out and consent.source is ConsentSource.BLOCKED

    await kit.sender.drain_once()  # the e-mail rows are their own
    async with uow_factory() as uow:
        campaign = await uow.campaigns.get(1)
    assert str(campaign.status) == "done"
    await kit.telegram.drain_once()
    assert len(running.fake.calls_of("sendMessage", chat_id=BERT)) == 1  # nobody gets it twice


async def test_the_buttons_answer_once_and_only_in_their_own_chat(running, linked, seeded, uow_factory):
    await _start(running, seeded)
    kit = running.app.dispatcher["campaigns"]
    await kit.telegram.drain_once()
    anna, bert = running.chat(ANNA), running.chat(BERT)

    forged_message, anna_interest = anna.button_data("Interested")
    # The campaign speaks the account's language (the café's is Dutch); the bot's own answers speak
    # the chat user's (English here).
    bert_message, _data = bert.button_data("Interesse")
    refused = await bert.tap_data(bert_message, anna_interest, check_button=False)
    assert "not meant for you" in bert.alert(refused)

    kit.telegram.start()  # running as in the bot: the tap wakes it for the salesperson's notice
    try:
        answer = await anna.tap("Interested")
        assert "get in touch" in anna.alert(answer)
        notice = await running.fake.wait_for("sendMessage", chat_id=seeded["sales"].telegram_id, timeout=5)
    finally:
        await kit.telegram.stop()
    assert "Acme Office BV is interested in campaign #1" in notice.params["text"]
    assert "/quote" in notice.params["text"]
    assert "already noted" in anna.alert(await anna.tap("Interested"))

    assert "noted" in bert.alert(await bert.tap("Nu niet"))
    assert "get no more campaign messages" in bert.alert(await bert.tap("Geen berichten meer"))
    async with uow_factory() as uow:
        consent = await uow.consents.get(Channel.TELEGRAM, str(BERT))
        responses = (await uow.session.execute(t.campaign_responses.select())).all()
    assert consent.opted_out and consent.source is ConsentSource.STOP
    assert sorted((r.contact_id, r.kind) for r in responses) == [
        (seeded["acme"].id, "interested"), (seeded["cafe"].id, "not_now")]
    # The café has no salesperson and said Not now: nobody is told.
    assert [r.notify_user_id for r in responses if r.kind == "not_now"] == [None]


async def test_campaign_n_shows_the_funnel_as_text_and_a_chart(running, linked, seeded, uow_factory):
    await _start(running, seeded)
    kit = running.app.dispatcher["campaigns"]
    await kit.telegram.drain_once()
    await kit.sender.drain_once()
    await running.chat(ANNA).tap("Interested")
    marketing = running.chat(seeded["marketing"].telegram_id)
    text = await marketing.say("/campaign 1")
    assert "Targeted: 2" in text and "Sent: 2" in text and "Responded: 1 (interested: 1)" in text
    assert "Orders won: 0" in text
    photo = await running.fake.wait_for("sendPhoto", chat_id=seeded["marketing"].telegram_id)
    assert photo.files  # the funnel chart
    assert "Your role does not allow" in await running.chat(seeded["sales"].telegram_id).say("/campaign 1")
    assert "Targeted: 2" in await running.chat(seeded["manager"].telegram_id).say("/campaign 1")
    assert "Type /campaign" in await marketing.say("/campaign x")


async def test_a_prospect_who_clicks_interested_in_the_mail_becomes_a_lead(running, seeded, uow_factory):
    async with uow_factory() as uow:
        party = Party.capture(LeadDetails("Pia Prospect", "Pia BV", "pia@prospect.example"), Stage.PROSPECT,
                              seeded["sales2"].id, running.app.clock.now())
        await uow.parties.add(party)
        await uow.commit()
    await _start(running, seeded, "stage=prospect")
    kit = running.app.dispatcher["campaigns"]
    await kit.sender.drain_once()
    rows = await _rows(uow_factory, Channel.EMAIL)
    row = rows["pia@prospect.example"]
    mail = running.smtp.messages[-1]
    body = mail.message.get_body(("plain",)).get_content()
    token = interest_token(b"campaign-e2e-secret", 1, row.id)
    assert f"https://bot.example.com/interest/{token}" in body

    app = web.Application()
    web_interest.add_routes(app, running.app.uow, running.app.clock, b"campaign-e2e-secret",
                            wake=kit.wake_telegram)
    async with TestClient(TestServer(app)) as client:
        page = await client.get(f"/interest/{token}")
        assert page.status == 200 and "<form method=\"post\">" in await page.text()
        async with uow_factory() as uow:
            assert (await uow.parties.get(party.id)).stage is Stage.PROSPECT  # a GET changes nothing
        forged = interest_token(b"another secret", 1, row.id)
        assert (await client.post(f"/interest/{forged}")).status == 400
        assert (await client.post(f"/interest/{token[:-2]}AA")).status == 400
        done = await client.post(f"/interest/{token}")
        assert done.status == 200 and "get in touch" in await done.text()
        again = await client.post(f"/interest/{token}")
        assert "already noted" in await again.text()
    async with uow_factory() as uow:
        assert (await uow.parties.get(party.id)).stage is Stage.LEAD
    await kit.telegram.send_notices()
    notice = await running.fake.wait_for("sendMessage", chat_id=seeded["sales2"].telegram_id)
    assert "Pia Prospect (Pia BV) is interested" in notice.params["text"]
    assert "Open" in str(notice.params["reply_markup"])


async def test_a_row_left_sending_by_a_dead_sender_becomes_unknown_and_is_not_resent(running, linked, seeded,
                                                                                   uow_factory):
    await _start(running, seeded)
    kit = running.app.dispatcher["campaigns"]
    clock = running.app.clock
    async with uow_factory() as uow:  # a sender that claimed Anna's row, committed `sending`, then died
        rows = await uow.recipients.claim("dead", clock.now(), timedelta(seconds=300), 10, Channel.TELEGRAM)
        anna = next(r for r in rows if r.chat_id == ANNA)
        assert await uow.recipients.begin_sending(anna.id, "dead", "", clock.now())
        await uow.recipients.release("dead")
        await uow.commit()
    clock.at += timedelta(seconds=301)
    await kit.telegram.drain_once()
    assert running.fake.calls_of("sendMessage", chat_id=ANNA) == []
    assert len(running.fake.calls_of("sendMessage", chat_id=BERT)) == 1
    rows = await _rows(uow_factory, Channel.TELEGRAM)
    assert rows[ANNA].state is RecipientState.UNKNOWN


REDIS_URL = os.environ.get("SALESBOT_TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="SALESBOT_TEST_REDIS_URL is not set")
async def test_with_redis_the_campaign_takes_its_slots_from_the_pace_all_processes_share(
        settings, fake_bot_api, clock, linked, seeded, uow_factory):
    settings = settings.model_copy(update={"redis_url": REDIS_URL, "telegram_campaign_rate": 4})
    app = build_app(settings, make_bot(fake_bot_api), clock=clock)
    kit = app.dispatcher["campaigns"]
    key = kit.telegram.rate.key
    await kit.redis.delete(key)
    try:
        marketing = seeded["marketing"]
        created = await campaigns.create(app.uow(), clock, marketing, "e-mail", "Winter offer", "en",
                                         "stage=customer")
        await campaigns.set_content(app.uow(), marketing, created.campaign.id, "en", "Winter\nDear {{ contact_name }}")
        await campaigns.schedule(app.uow(), clock, marketing, created.campaign.id, None)
        assert await kit.job.fire() == [created.campaign.id]
        # Another process has just taken a slot: this one's three messages come in the three after
        # it, 0.25 s apart, so the last waits 0.75 s (its own pace alone would have let it go at 0.5).
        assert await SharedRateLimit(kit.redis, key, 4).reserve() == pytest.approx(0, abs=0.05)
        began = time.monotonic()
        await kit.telegram.drain_once()
        waited = time.monotonic() - began
        sent_to = {c.chat_id for c in fake_bot_api.calls_of("sendMessage")}
        assert {ANNA, BERT, CLAIRE} <= sent_to
        assert waited >= 0.7
    finally:
        await kit.redis.delete(key)
        await app.close()
