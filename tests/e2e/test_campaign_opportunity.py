"""Issue 5 §5 through the real bot: a lead who clicks Interested in a campaign e-mail becomes an
opportunity with its estimate pending; the salesperson is told at once, opens the card and gives the
estimate; a manager revises it; another salesperson cannot; /pipeline counts it meanwhile."""
from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot import web_interest
from domain.campaign_response import interest_token
from domain.relationship import LeadDetails, Party, Stage
from domain.services import campaigns
from handlers.leads import PartyAction
from storage import tables as t

SECRET = b"campaign-e2e-secret"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"secret_key": SecretStr(SECRET.decode()),
                                       "public_url": "https://bot.example.com", "campaign_rate": 0})


async def _lead_clicks_interested(running, seeded, uow_factory) -> Party:
    async with uow_factory() as uow:
        party = Party.capture(LeadDetails("Lee Lead", "Lee BV", "lee@lead.example"), Stage.LEAD,
                              seeded["sales"].id, running.app.clock.now())
        await uow.parties.add(party)
        await uow.commit()
    marketing = running.chat(seeded["marketing"].telegram_id)
    await marketing.say("/newcampaign\ne-mail\nWinter offer\nen\nstage=lead")
    await marketing.say("/content 1 en\nWinter at {{ company }}\nDear {{ contact_name }},\n{{ interest_url }}")
    await campaigns.schedule(running.app.uow(), running.app.clock, seeded["marketing"], 1, None)
    kit = running.app.dispatcher["campaigns"]
    assert await kit.job.fire() == [1]
    await kit.sender.drain_once()
    async with uow_factory() as uow:
        c = t.campaign_recipients.c
        [row] = (await uow.session.execute(t.campaign_recipients.select().where(
            c.email == "lee@lead.example"))).all()
    app = web.Application()
    web_interest.add_routes(app, running.app.uow, running.app.clock, SECRET, wake=kit.wake_telegram)
    async with TestClient(TestServer(app)) as client:
        done = await client.post(f"/interest/{interest_token(SECRET, 1, row.id)}")
        assert done.status == 200
    await kit.telegram.send_notices()
    return party


async def test_a_lead_who_clicks_interested_becomes_an_opportunity_whose_estimate_is_given_later(
        running, seeded, uow_factory):
    sam = running.chat(seeded["sales"].telegram_id)
    await sam.say("/start")  # Sam's chat with the bot exists
    party = await _lead_clicks_interested(running, seeded, uow_factory)
    async with uow_factory() as uow:
        stored = await uow.parties.get(party.id)
    assert stored.stage is Stage.OPPORTUNITY and stored.open_opportunity.estimate_pending

    notice = await running.fake.wait_for("sendMessage", chat_id=seeded["sales"].telegram_id)
    assert "Lee Lead (Lee BV) is interested in campaign #1" in notice.params["text"]
    assert "an opportunity now" in notice.params["text"]
    await sam.tap("Open")
    card = await sam.reply()
    assert "· Opportunity" in card and "Opportunity: estimate pending · Open" in card
    assert "Lead → Opportunity by Sam Sales" in card
    assert "Estimate" in sam.buttons() and "Qualify as opportunity" not in sam.buttons()

    mine = await sam.say("/pipeline")
    assert "Opportunity: 1 · €0.00 (weighted €0.00)" in mine
    assert "without an estimate yet: 1" in mine
    photo = await running.fake.wait_for("sendPhoto", chat_id=seeded["sales"].telegram_id)
    assert photo.files["photo"][1].startswith(b"\x89PNG")

    # Olga is not the salesperson: a forged Estimate tap is refused, nothing is asked.
    olga = running.chat(seeded["sales2"].telegram_id)
    await olga.say("/leads")
    forged = PartyAction(action="estimate", party_id=party.id).pack()
    answer = await olga.tap_data(olga.fake.last_bot_message(olga.user_id)["message_id"], forged,
                                 check_button=False)
    assert "does not exist or is not yours" in olga.alert(answer)

    await sam.tap("Estimate")
    assert "estimated value" in await sam.reply()
    assert "more than zero" in await sam.say("0 60% 31-12-2026")  # refused; still asked
    assert "The estimate is saved" in await sam.say("25000 60% 31-12-2026")
    card = await sam.reply()
    assert "€25,000.00, 60% by 31 Dec 2026 · Open" in card and "estimate pending" not in card
    mine = await sam.say("/pipeline")
    assert "Opportunity: 1 · €25,000.00 (weighted €15,000.00)" in mine and "without an estimate" not in mine

    mia = running.chat(seeded["manager"].telegram_id)  # a manager revises anyone's estimate
    await mia.say("/leads")
    await mia.tap("Lee Lead")
    await mia.reply()
    await mia.tap("Estimate")
    await mia.reply()
    assert "The estimate is saved" in await mia.say("30000 50% 31-12-2026")
    assert "€30,000.00, 50% by 31 Dec 2026 · Open" in await mia.reply()
