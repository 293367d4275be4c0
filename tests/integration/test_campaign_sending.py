"""Issue 5 §2: a campaign reaches every recipient once, over a real SMTP server on loopback."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.campaign import CampaignStatus, RecipientState
from domain.consent import Channel, ConsentSource
from domain.services import campaigns
from storage import tables as t
from tests.fakes.smtp import SmtpSink, unused_port
from tests.integration.campaign_helpers import (add_customers, add_party, drain, later, ready_campaign,
                                                send_now, sender)


@pytest.fixture
def sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


async def _rows(uow_factory, campaign_id):
    async with uow_factory() as uow:
        r = t.campaign_recipients.c
        result = await uow.session.execute(select(r.email, r.state, r.attempts, r.message_id)
                                           .where(r.campaign_id == campaign_id).order_by(r.id))
        return {row.email: row for row in result.all()}


async def test_a_campaign_reaches_each_recipient_once_with_unsubscribe_headers(uow_factory, clock, seeded, sink):
    await add_customers(uow_factory, 25)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    assert created.targets == 25
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    await drain(sender(uow_factory, clock, sink.port))

    addresses = [m.rcpt_tos[0] for m in sink.messages]
    assert sorted(addresses) == sorted(f"c{n}@shop.example" for n in range(25))
    message = sink.messages[0].message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"])
    # no request mailbox (IMAP) to read a mailto unsubscribe: only the one-click link is offered
    assert unsubscribe.startswith("<https://bot.example.com/unsubscribe/") and "mailto:" not in unsubscribe
    assert message["Message-ID"].startswith(f"<campaign-{created.campaign.id}-")
    assert "Dear Customer c" in message.get_body(("plain",)).get_content()
    rows = await _rows(uow_factory, created.campaign.id)
    assert {row.state for row in rows.values()} == {RecipientState.SENT}
    view = await campaigns.view(uow_factory(), seeded["marketing"], created.campaign.id)
    assert view.campaign.status is CampaignStatus.DONE and view.progress.sent == 25


async def test_a_4xx_is_retried_with_backoff_and_a_5xx_bounces_and_opts_the_address_out(
        uow_factory, clock, seeded, sink):
    await add_customers(uow_factory, 2)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    sink.reply_on("RCPT", "421 4.7.0 try again later", times=1)
    s = sender(uow_factory, clock, sink.port, connections=1)
    await drain(s)
    rows = await _rows(uow_factory, created.campaign.id)
    assert sorted(row.state for row in rows.values()) == [RecipientState.QUEUED, RecipientState.SENT]
    assert len(sink.messages) == 1
    await drain(s)  # not due yet: backoff
    assert len(sink.messages) == 1

    sink.reply_on("RCPT", "550 5.1.1 no such user", times=1)
    later(clock, 31)
    await drain(s)
    rows = await _rows(uow_factory, created.campaign.id)
    bounced = [email for email, row in rows.items() if row.state is RecipientState.BOUNCED]
    assert len(bounced) == 1 and rows[bounced[0]].attempts == 2
    async with uow_factory() as uow:
        assert await uow.consents.opted_out(Channel.EMAIL, bounced) == set(bounced)
        consent = await uow.consents.get(Channel.EMAIL, bounced[0])
        assert consent.source is ConsentSource.BOUNCE
    # The next campaign skips the bounced address.
    second = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    assert second.opted_out == 1
    await send_now(uow_factory, clock, seeded["marketing"], second.campaign.id)
    await drain(s)
    rows = await _rows(uow_factory, second.campaign.id)
    assert rows[bounced[0]].state is RecipientState.SKIPPED
    assert [m.rcpt_tos[0] for m in sink.messages].count(bounced[0]) == 0


async def test_smtp_down_pauses_sending_and_loses_nothing(uow_factory, clock, seeded, sink):
    await add_customers(uow_factory, 5)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    down = sender(uow_factory, clock, unused_port())
    assert await down.drain_once() == 0
    assert down.smtp_down
    rows = await _rows(uow_factory, created.campaign.id)
    assert {row.state for row in rows.values()} == {RecipientState.QUEUED}
    assert {row.attempts for row in rows.values()} == {0}
    await drain(sender(uow_factory, clock, sink.port))
    assert len(sink.messages) == 5


async def test_a_paused_campaign_sends_nothing_until_resumed(uow_factory, clock, seeded, sink):
    await add_customers(uow_factory, 4)
    user = seeded["marketing"]
    created = await ready_campaign(uow_factory, clock, user, "group=retail")
    await send_now(uow_factory, clock, user, created.campaign.id)
    await campaigns.pause(uow_factory(), user, created.campaign.id)
    s = sender(uow_factory, clock, sink.port)
    await drain(s)
    assert sink.messages == []
    await campaigns.resume(uow_factory(), user, created.campaign.id)
    await drain(s)
    assert len(sink.messages) == 4


async def test_a_cancelled_campaign_ends_its_unsent_rows_and_lets_the_one_being_sent_finish(
        uow_factory, clock, seeded, sink):
    await add_customers(uow_factory, 4)
    user = seeded["marketing"]
    created = await ready_campaign(uow_factory, clock, user, "group=retail")
    await send_now(uow_factory, clock, user, created.campaign.id)
    async with uow_factory() as uow:  # another sender has one row claimed, one of them handed to SMTP
        claimed = await uow.recipients.claim("other", clock.now(), timedelta(seconds=60), 2)
        assert await uow.recipients.begin_sending(claimed[0].id, "other", "<m@x>", clock.now())
        await uow.commit()
    await campaigns.cancel(uow_factory(), clock, user, created.campaign.id)

    rows = await _rows(uow_factory, created.campaign.id)
    assert sorted(row.state for row in rows.values()) == [RecipientState.CANCELLED] * 3 + [RecipientState.SENDING]
    async with uow_factory() as uow:  # the claimed row that was not yet handed over is not sent after all
        assert not await uow.recipients.begin_sending(claimed[1].id, "other", "<m2@x>", clock.now())
        assert await uow.recipients.record(claimed[0].id, "other", RecipientState.SENT, clock.now())
        await uow.commit()
    await drain(sender(uow_factory, clock, sink.port))
    assert sink.messages == []
    view = await campaigns.view(uow_factory(), user, created.campaign.id)
    assert (view.progress.sent, view.progress.queued, view.progress.cancelled) == (1, 0, 3)


async def test_targets_are_chosen_by_stage_group_and_language_and_each_address_counts_once(
        uow_factory, clock, seeded):
    await add_customers(uow_factory, 3, group="retail", language="nl", prefix="n")
    await add_customers(uow_factory, 2, group="trade", language="en", prefix="e")
    await add_party(uow_factory, clock, seeded["sales"].id, "Lee Lead", "lee@lead.example")
    await add_party(uow_factory, clock, seeded["sales"].id, "Dup", "N0@shop.example")  # a customer's address
    count = lambda sel: campaigns.create(uow_factory(), clock, seeded["marketing"], "e-mail", "x", "en", sel)
    assert (await count("stage=customer")).targets == 7  # with the seeded two
    assert (await count("group=retail language=nl")).targets == 3
    assert (await count("stage=lead")).targets == 2
    assert (await count("all")).targets == 8


async def test_the_salesperson_merge_field_is_the_accounts_salesperson(uow_factory, clock, seeded, sink):
    """A customer's own salesperson signs, else the owner of the customer's party, else nobody."""
    own, via_party, nobody = await add_customers(uow_factory, 3)
    party = await add_party(uow_factory, clock, seeded["sales2"].id, "Buyer", "buyer@party.example")
    async with uow_factory() as uow:
        (await uow.customers.get(own.id)).salesperson_id = seeded["sales"].id
        (await uow.parties.get(party.id)).customer_id = via_party.id
        await uow.commit()
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "group=retail")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    await drain(sender(uow_factory, clock, sink.port))
    signed = {m.rcpt_tos[0]: m.message.get_body(("plain",)).get_content() for m in sink.messages}
    assert f"spring range. {seeded['sales'].name}" in signed[own.email]
    assert f"spring range. {seeded['sales2'].name}" in signed[via_party.email]
    assert "spring range. \n" in signed[nobody.email].replace("\r\n", "\n")
