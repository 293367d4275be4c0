"""A telemarketing campaign through the real bot: marketing starts it, the call list is split among
the salespeople of the targets' accounts, each works theirs with /calls (phone number as text in
international form), a call-back comes back on its date, another salesperson's replayed button and a
past date are refused, and the card shows progress per outcome and per salesperson."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from domain.call_list import CallOutcome
from domain.relationship import LeadDetails, Party, Stage
from storage import tables as t
from tests.e2e.chat import Chat

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


async def _parties(uow_factory, sam, olga) -> list[Party]:
    async with uow_factory() as uow:
        parties = [Party.capture(LeadDetails("Jan de Vries", "De Vries BV", phone="06 1234 5678"), Stage.LEAD,
                                 sam.id, NOW),
                   Party.capture(LeadDetails("Анна Иванова", "ООО Ромашка", phone="+7 916 123-45-67"),
                                 Stage.PROSPECT, olga.id, NOW),
                   Party.capture(LeadDetails("Mail Only", "Post BV", email="mail@post.example"), Stage.LEAD,
                                 sam.id, NOW)]
        for party in parties:
            await uow.parties.add(party)
        await uow.commit()
    return parties


async def _start(running, seeded, uow_factory) -> None:
    for party in await _parties(uow_factory, seeded["sales"], seeded["sales2"]):
        await running.chat(seeded["marketing"].telegram_id).say(f"/tag P{party.id} +bellen")
    mark = running.chat(seeded["marketing"].telegram_id)
    reply = await mark.say("/newcampaign\ntelemarketing\nBellen\nnl\ntag=bellen")
    assert "Reaches 2 contact(s); 1 without a phone number will be skipped." in reply
    await mark.tap("Start calling now")
    assert "Build the call list of campaign #1 for 2 contact(s) now?" in await mark.reply()
    await mark.tap("Yes, start now")
    assert "/calls" in await mark.reply()
    assert await running.app.dispatcher["campaigns"].job.fire() == [1]


async def test_salespeople_work_their_own_calls_and_the_card_shows_the_progress(
        running, seeded, uow_factory, clock):
    await _start(running, seeded, uow_factory)
    sam, olga = running.chat(seeded["sales"].telegram_id), running.chat(seeded["sales2"].telegram_id)

    card = await sam.say("/calls")
    assert "Call for campaign #1: Bellen" in card and "Jan de Vries · De Vries BV" in card
    assert "Phone: +31612345678" in card
    card = await olga.say("/calls")
    assert "Анна Иванова" in card and "Phone: +79161234567" in card

    # Olga replays Sam's "Interested" button in her own chat: refused, nothing logged.
    _sam_message, data = sam.button_data("Interested")
    olga_message = max(running.fake.state.chats[seeded["sales2"].telegram_id].from_bot)
    call = await olga.tap_data(olga_message, data, check_button=False)
    assert "not on your list" in Chat.alert(call)

    await sam.tap("Call back")
    assert "On which date" in await sam.reply()
    assert "has passed" in await sam.say("2026-11-01")
    reply = await sam.say("2026-11-26")
    assert "Logged: call back on 2026-11-26." in reply and "No calls for you right now." in reply
    clock.advance(days=2)
    card = await sam.say("/calls")
    assert "Jan de Vries" in card and "Earlier: Call back (1 attempt(s))" in card
    await sam.tap("Interested")
    assert "Logged: Interested." in (reply := await sam.reply()) and "No calls for you" in reply

    await olga.tap("No answer")
    assert "Анна Иванова" in await olga.reply()  # no answer: tried again later
    await olga.tap("Not interested")
    assert "No calls for you" in await olga.reply()

    mark = running.chat(seeded["marketing"].telegram_id)
    await mark.say("/campaigns")
    await mark.tap("#1 Bellen")
    card = await mark.reply()
    assert "status: done" in card
    assert "Calls: 0 open · 2 done · 1 skipped (no phone number)" in card
    assert "Interested 1" in card and "Not interested 1" in card and "Reached 0" in card
    assert "Sam Sales: 0 open, 1 done" in card and "Olga Other: 0 open, 1 done" in card

    async with uow_factory() as uow:
        events = (await uow.session.execute(
            select(t.campaign_call_events.c.outcome, t.campaign_call_events.c.by_user)
            .order_by(t.campaign_call_events.c.id))).all()
    assert [(CallOutcome(o), by) for o, by in events] == [
        (CallOutcome.CALL_BACK, seeded["sales"].id), (CallOutcome.INTERESTED, seeded["sales"].id),
        (CallOutcome.NO_ANSWER, seeded["sales2"].id), (CallOutcome.NOT_INTERESTED, seeded["sales2"].id)]


async def test_marketing_cannot_work_calls_and_a_paused_campaign_hides_them(running, seeded, uow_factory):
    await _start(running, seeded, uow_factory)
    assert "Your role does not allow" in await running.chat(seeded["marketing"].telegram_id).say("/calls")
    sam = running.chat(seeded["sales"].telegram_id)
    assert "Jan de Vries" in await sam.say("/calls")
    mark = running.chat(seeded["marketing"].telegram_id)
    await mark.say("/campaigns")
    await mark.tap("#1 Bellen")
    await mark.reply()
    await mark.tap("Pause")
    assert "status: paused" in await mark.reply()
    call = await sam.tap("Reached")
    assert "its calls wait" in Chat.alert(call)
    assert "No calls for you" in await sam.say("/calls")



async def test_cancelling_the_campaign_closes_its_calls_and_ends_a_call_back_date_step(
        running, seeded, uow_factory):
    await _start(running, seeded, uow_factory)
    sam, olga = running.chat(seeded["sales"].telegram_id), running.chat(seeded["sales2"].telegram_id)
    await sam.say("/calls")
    await sam.tap("Call back")
    assert "On which date" in await sam.reply()
    mark = running.chat(seeded["marketing"].telegram_id)
    await mark.say("/campaigns")
    await mark.tap("#1 Bellen")
    await mark.reply()
    await mark.tap("Cancel campaign")
    card = await mark.reply()
    assert "status: cancelled" in card and "Calls: 0 open · 0 done · 1 skipped" in card
    assert "2 open call(s) were closed when the campaign was cancelled." in card

    # The date typed after the cancel is answered once; the chat leaves the date step.
    assert "Campaign #1 was cancelled; this call is closed." in await sam.say("2026-12-01")
    assert "was cancelled" not in await sam.say("/calls")
    assert "No calls for you right now." in await olga.say("/calls")
    async with uow_factory() as uow:
        states = (await uow.session.scalars(select(t.campaign_calls.c.state))).all()
        events = (await uow.session.scalars(select(t.campaign_call_events.c.id))).all()
    assert sorted(map(str, states)) == ["cancelled", "cancelled", "skipped"] and events == []
    # The funnel counts the call list's targets (the one without a phone number too).
    assert "Targeted: 3" in await mark.say("/campaign 1")


async def test_a_call_back_date_for_a_paused_campaign_ends_the_date_step(running, seeded, uow_factory):
    await _start(running, seeded, uow_factory)
    sam = running.chat(seeded["sales"].telegram_id)
    await sam.say("/calls")
    await sam.tap("Call back")
    await sam.reply()
    mark = running.chat(seeded["marketing"].telegram_id)
    await mark.say("/campaigns")
    await mark.tap("#1 Bellen")
    await mark.reply()
    await mark.tap("Pause")
    await mark.reply()
    assert "its calls wait" in await sam.say("2026-12-01")
    assert "its calls wait" not in await sam.say("2026-12-02")  # not asked for a date any more
