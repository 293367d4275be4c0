"""Starting a telemarketing campaign against a real database: the call list and its assignment."""
from __future__ import annotations

import pytest

from domain.call_list import CallOutcome, CallState
from domain.campaign import CampaignStatus
from domain.errors import ConcurrentChange, TransitionNotAllowed
from domain.relationship import LeadDetails, Party, Stage
from domain.services import calls, campaigns


async def test_a_call_list_with_nobody_to_call_is_done_at_once(uow_factory, clock, seeded):
    created = await campaigns.create(uow_factory(), clock, seeded["marketing"], "telemarketing", "Bel", "nl",
                                     "stage=customer")
    await campaigns.schedule(uow_factory(), clock, seeded["marketing"], created.campaign.id, None)
    assert await campaigns.start(uow_factory(), clock, created.campaign.id)
    view = await campaigns.view(uow_factory(), seeded["marketing"], created.campaign.id)
    assert view.campaign.status is CampaignStatus.DONE
    assert view.calls.by_state == {"skipped": 2}


async def test_a_customer_is_called_by_its_salesperson_else_by_the_owner_of_its_party(uow_factory, clock, seeded):
    async with uow_factory() as uow:
        acme = await uow.customers.get(seeded["acme"].id)
        acme.salesperson_id = seeded["sales2"].id
        for customer, owner in ((seeded["acme"], seeded["sales"]), (seeded["cafe"], seeded["sales"])):
            party = Party.capture(LeadDetails(customer.name, customer.name, phone="0201234567"), Stage.LEAD,
                                  owner.id, clock.now())
            party.customer_id = customer.id
            await uow.parties.add(party)
        await uow.commit()
    created = await campaigns.create(uow_factory(), clock, seeded["marketing"], "telemarketing", "Bel", "nl",
                                     "stage=customer")
    await campaigns.schedule(uow_factory(), clock, seeded["marketing"], created.campaign.id, None)
    assert await campaigns.start(uow_factory(), clock, created.campaign.id)
    assert not await campaigns.start(uow_factory(), clock, created.campaign.id)  # a second start: no-op
    async with uow_factory() as uow:
        by_person = {name: open_ for name, open_, _done in (await uow.calls.progress(created.campaign.id)).by_person}
        call = await uow.calls.next_for(seeded["sales2"].id, clock.today(), False)
    assert by_person == {"Olga Other": 1, "Sam Sales": 1}
    assert call.name == "Acme Office BV" and call.phone == "0201234567" and call.state is CallState.OPEN


@pytest.mark.parametrize("stage, becomes", [(Stage.PROSPECT, Stage.LEAD), (Stage.LEAD, Stage.OPPORTUNITY)])
async def test_interest_on_the_phone_starts_the_sales_process_by_the_caller(uow_factory, clock, seeded, stage,
                                                                             becomes):
    sam = seeded["sales"]
    async with uow_factory() as uow:
        called = Party.capture(LeadDetails("Piet Bel", "Bel BV", phone="+31201234567"), stage, sam.id, clock.now())
        await uow.parties.add(called)
        await uow.commit()
    created = await campaigns.create(uow_factory(), clock, seeded["marketing"], "telemarketing", "Bel", "nl",
                                     f"stage={stage}")
    await campaigns.schedule(uow_factory(), clock, seeded["marketing"], created.campaign.id, None)
    assert await campaigns.start(uow_factory(), clock, created.campaign.id)
    card = await calls.next_call(uow_factory(), clock, sam)
    logged = await calls.log_outcome(uow_factory(), clock, sam, card.call.id, CallOutcome.INTERESTED)
    assert logged.campaign_done
    async with uow_factory() as uow:
        party = await uow.parties.get(called.id)
    assert party.stage is becomes
    assert party.history[-1].changed_by == sam.id
    if becomes is Stage.OPPORTUNITY:
        assert party.open_opportunity.estimate_pending


async def test_an_outcome_logged_while_the_campaign_is_cancelled_loses_the_race(uow_factory, clock, seeded):
    """Another process loaded the call before the cancel committed: its outcome must not close (or
    keep open) a call the cancel has already ended."""
    sam = seeded["sales"]
    async with uow_factory() as uow:
        await uow.parties.add(Party.capture(LeadDetails("Piet Bel", "Bel BV", phone="+31201234567"), Stage.LEAD,
                                            sam.id, clock.now()))
        await uow.commit()
    created = await campaigns.create(uow_factory(), clock, seeded["marketing"], "telemarketing", "Bel", "nl",
                                     "stage=lead")
    await campaigns.schedule(uow_factory(), clock, seeded["marketing"], created.campaign.id, None)
    assert await campaigns.start(uow_factory(), clock, created.campaign.id)
    async with uow_factory() as late:
        call = await late.calls.next_for(sam.id, clock.today(), False)
        call_id = call.id
        late.session.expunge(call)  # loaded before the cancel; SQLite's one connection is freed below
        await late.session.rollback()
        await campaigns.cancel(uow_factory(), clock, seeded["marketing"], created.campaign.id)
        late.session.add(call)
        call.log(CallOutcome.REACHED, sam.id, clock.now(), clock.today())
        with pytest.raises(ConcurrentChange):
            await late.commit()
    async with uow_factory() as uow:
        call = await uow.calls.get(call_id)
    assert call.state is CallState.CANCELLED and call.outcome is None
    with pytest.raises(TransitionNotAllowed, match="was cancelled; this call is closed"):
        await calls.log_outcome(uow_factory(), clock, sam, call_id, CallOutcome.REACHED)
