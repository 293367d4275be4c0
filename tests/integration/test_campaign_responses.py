"""Issue 5 §5 against a real database: what Interested does for a lead (an opportunity, estimate
pending), a prospect and a customer with
and without a salesperson; one response per contact; Telegram rows for linked accounts (opted-out
chats skipped); and the funnel's attribution of quotations and orders made after the answer."""
from __future__ import annotations

from decimal import Decimal

import pytest

from domain.campaign import RecipientState
from domain.campaign_response import Effect, ResponseKind
from domain.consent import ConsentSource
from domain.errors import NotPermitted
from domain.relationship import Stage
from domain.services import campaign_responses, campaigns, quotations
from domain.user import Role, User
from storage import tables as t
from tests.fakes.smtp import SmtpSink
from tests.integration.campaign_helpers import add_party, drain, later, ready_campaign, send_now, sender


@pytest.fixture
def sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


async def _rows(uow_factory) -> list:
    async with uow_factory() as uow:
        c = t.campaign_recipients.c
        return (await uow.session.execute(t.campaign_recipients.select().order_by(c.id))).all()


async def _link(uow_factory, telegram_id: int, customer_id: int) -> None:
    async with uow_factory() as uow:
        await uow.users.add(User(telegram_id=telegram_id, name="Linked", role=Role.CUSTOMER,
                                 customer_id=customer_id))
        await uow.commit()


async def test_linked_chats_get_telegram_rows_and_opted_out_chats_are_skipped(uow_factory, clock, seeded,
                                                                              sink):
    await _link(uow_factory, 8001, seeded["acme"].id)
    await _link(uow_factory, 8002, seeded["cafe"].id)
    await campaigns.telegram_opt_out(uow_factory(), clock, 8002, ConsentSource.STOP)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"])
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    rows = {(str(r.channel), r.chat_id or r.email): r for r in await _rows(uow_factory)}
    assert rows[("telegram", 8001)].state is RecipientState.QUEUED
    assert rows[("telegram", 8002)].state is RecipientState.SKIPPED
    assert rows[("telegram", 8001)].email == "buyer@acme.example"
    assert rows[("email", "inkoop@hoogvliet.example")].state is RecipientState.QUEUED
    assert len(rows) == 4  # two mails, two chats; a second start adds nothing
    assert not await campaigns.start(uow_factory(), clock, created.campaign.id)

    await drain(sender(uow_factory, clock, sink.port))  # the e-mail sender leaves Telegram rows alone
    rows = {(str(r.channel), r.chat_id or r.email): r for r in await _rows(uow_factory)}
    assert rows[("telegram", 8001)].state is RecipientState.QUEUED
    assert rows[("email", "inkoop@hoogvliet.example")].state is RecipientState.SENT
    assert len(sink.messages) == 2
    async with uow_factory() as uow:
        assert str((await uow.campaigns.get(created.campaign.id)).status) == "sending"  # not done yet


async def test_interested_makes_a_prospect_a_lead_and_a_lead_an_opportunity_with_its_estimate_pending(
        uow_factory, clock, seeded, sink):
    pia = await add_party(uow_factory, clock, seeded["sales2"].id, "Pia", "pia@p.example", Stage.PROSPECT)
    lee = await add_party(uow_factory, clock, seeded["sales"].id, "Lee", "lee@l.example", Stage.LEAD)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "all")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    await drain(sender(uow_factory, clock, sink.port))
    rows = {r.email: r for r in await _rows(uow_factory)}

    first = await campaign_responses.respond(uow_factory(), clock, rows["pia@p.example"].id,
                                             ResponseKind.INTERESTED)
    assert first.recorded and first.effect is Effect.LEAD
    again = await campaign_responses.respond(uow_factory(), clock, rows["pia@p.example"].id,
                                             ResponseKind.INTERESTED)
    assert not again.recorded
    lead = await campaign_responses.respond(uow_factory(), clock, rows["lee@l.example"].id,
                                            ResponseKind.INTERESTED)
    assert lead.effect is Effect.OPPORTUNITY
    # A customer without a salesperson or owner party: the campaign's creator is told.
    cafe = await campaign_responses.respond(uow_factory(), clock, rows["inkoop@hoogvliet.example"].id,
                                            ResponseKind.INTERESTED)
    assert cafe.effect is Effect.QUOTE
    async with uow_factory() as uow:
        assert (await uow.parties.get(pia.id)).stage is Stage.LEAD
        lee_now = await uow.parties.get(lee.id)
        assert lee_now.stage is Stage.OPPORTUNITY
        opportunity = lee_now.open_opportunity
        assert opportunity.estimate_pending and opportunity.created_at == clock.now()
        change = lee_now.history[-1]  # by the salesperson told, who owns the party
        assert (change.from_stage, change.to_stage, change.changed_by) == (
            Stage.LEAD, Stage.OPPORTUNITY, seeded["sales"].id)
        told = {r.contact_id: r.notify_user_id for r in
                (await uow.session.execute(t.campaign_responses.select())).all()}
        pending = await uow.campaign_responses.pending_notices(10)
    assert told == {pia.id: seeded["sales2"].id, lee.id: seeded["sales"].id,
                    seeded["cafe"].id: seeded["marketing"].id}
    assert len(pending) == 3  # owed until the sender marks them


async def test_a_telegram_button_from_another_chat_is_refused(uow_factory, clock, seeded):
    await _link(uow_factory, 8001, seeded["acme"].id)
    created = await ready_campaign(uow_factory, clock, seeded["marketing"])
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    row = next(r for r in await _rows(uow_factory) if r.chat_id == 8001)
    with pytest.raises(NotPermitted):
        await campaign_responses.respond(uow_factory(), clock, row.id, ResponseKind.INTERESTED, chat_id=9999)
    with pytest.raises(NotPermitted):  # nor the e-mail row through a button
        email_row = next(r for r in await _rows(uow_factory) if r.chat_id == 0)
        await campaign_responses.respond(uow_factory(), clock, email_row.id, ResponseKind.INTERESTED,
                                         chat_id=8001)
    async with uow_factory() as uow:
        assert await uow.campaign_responses.find(created.campaign.id, "customer", seeded["acme"].id) is None


async def test_the_funnel_counts_quotations_and_orders_made_after_the_answer(uow_factory, clock, seeded, sink):
    sam = seeded["sales"]
    created = await ready_campaign(uow_factory, clock, seeded["marketing"])
    before = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    later(clock, 60)
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    await drain(sender(uow_factory, clock, sink.port))
    await campaigns.unsubscribe(uow_factory(), clock, "customer", seeded["cafe"].id)
    row = next(r for r in await _rows(uow_factory) if r.email == "buyer@acme.example")
    await campaign_responses.respond(uow_factory(), clock, row.id, ResponseKind.INTERESTED)
    later(clock, 60)
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal("2"))
    await quotations.send_quotation(uow_factory(), clock, sam, q.id)
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)

    view = await campaigns.funnel_view(uow_factory(), seeded["marketing"], created.campaign.id)
    f = view.funnel
    assert (f.targeted, f.sent, f.unsubscribed, f.responded, f.interested) == (2, 2, 1, 1, 1)
    assert f.quotations == 1 and before.id != q.id  # the one made before the answer does not count
    assert f.orders_won == 1 and f.won_value == order.totals.net == Decimal("299.90")
    with pytest.raises(NotPermitted):
        await campaigns.funnel_view(uow_factory(), sam, created.campaign.id)
