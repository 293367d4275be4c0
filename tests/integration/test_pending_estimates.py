"""Opportunities with their estimate pending on the real database: stored and read back as pending,
estimated by the party's salesperson or a manager only, opened again by a response after a lost one."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.campaign_response import Effect, ResponseKind
from domain.errors import NotFound, NotPermitted, TransitionNotAllowed
from domain.relationship import Stage
from domain.services import campaign_responses, relationships as rel
from storage import tables as t
from tests.fakes.smtp import SmtpSink
from tests.integration.campaign_helpers import add_party, drain, ready_campaign, send_now, sender

CLOSE = date(2026, 12, 31)


@pytest.fixture
def sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


async def _pending(uow_factory, clock, owner_id: int) -> int:
    party = await add_party(uow_factory, clock, owner_id, "Lee", "lee@l.example", Stage.LEAD)
    async with uow_factory() as uow:
        stored = await uow.parties.get(party.id)
        stored.open_opportunity_from_response(owner_id, clock.now())
        await uow.commit()
    return party.id


async def test_a_pending_estimate_is_stored_as_pending_and_counted_without_value(uow_factory, clock, seeded):
    party_id = await _pending(uow_factory, clock, seeded["sales"].id)
    party = await rel.get_party(uow_factory(), seeded["sales"], party_id)
    o = party.open_opportunity
    assert (o.estimated_value, o.probability, o.expected_close) == (None, None, None)
    [row] = [r for r in await rel.pipeline(uow_factory(), seeded["sales"]) if r.key is Stage.OPPORTUNITY]
    assert (row.count, row.pending, row.value, row.weighted) == (1, 1, Decimal("0"), Decimal("0"))


async def test_only_the_partys_salesperson_or_a_manager_gives_the_estimate(uow_factory, clock, seeded):
    party_id = await _pending(uow_factory, clock, seeded["sales"].id)
    with pytest.raises(NotFound, match="not yours"):
        await rel.estimate(uow_factory(), clock, seeded["sales2"], party_id, Decimal("1"), Decimal("1"), CLOSE)
    with pytest.raises(NotPermitted):
        await rel.estimate(uow_factory(), clock, seeded["marketing"], party_id, Decimal("1"), Decimal("1"),
                           CLOSE)
    await rel.estimate(uow_factory(), clock, seeded["sales"], party_id, Decimal("25000"), Decimal("60"), CLOSE)
    await rel.estimate(uow_factory(), clock, seeded["manager"], party_id, Decimal("30000"), Decimal("50"),
                       CLOSE)
    o = (await rel.get_party(uow_factory(), seeded["sales"], party_id)).open_opportunity
    assert (o.estimated_value, o.probability, o.expected_close) == (Decimal("30000"), Decimal("50"), CLOSE)
    await rel.lose_opportunity(uow_factory(), clock, seeded["sales"], party_id, "No budget")
    with pytest.raises(TransitionNotAllowed, match="no open opportunity"):
        await rel.estimate(uow_factory(), clock, seeded["sales"], party_id, Decimal("1"), Decimal("1"), CLOSE)


async def test_interested_after_a_lost_opportunity_opens_a_new_one_and_an_open_one_is_only_noted(
        uow_factory, clock, seeded, sink):
    sam = seeded["sales"]
    lost = await add_party(uow_factory, clock, sam.id, "Lost", "lost@l.example", Stage.LEAD)
    busy = await add_party(uow_factory, clock, sam.id, "Busy", "busy@b.example", Stage.LEAD)
    for party_id in (lost.id, busy.id):
        await rel.qualify(uow_factory(), clock, sam, party_id, Decimal("100"), Decimal("10"), CLOSE)
    await rel.lose_opportunity(uow_factory(), clock, sam, lost.id, "No budget")
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "stage=opportunity")
    await send_now(uow_factory, clock, seeded["marketing"], created.campaign.id)
    await drain(sender(uow_factory, clock, sink.port))
    async with uow_factory() as uow:
        rows = {r.email: r for r in (await uow.session.execute(t.campaign_recipients.select())).all()}
    again = await campaign_responses.respond(uow_factory(), clock, rows["lost@l.example"].id,
                                             ResponseKind.INTERESTED)
    noted = await campaign_responses.respond(uow_factory(), clock, rows["busy@b.example"].id,
                                             ResponseKind.INTERESTED)
    assert (again.effect, noted.effect) == (Effect.OPPORTUNITY, Effect.NOTED)
    async with uow_factory() as uow:
        lost_now, busy_now = await uow.parties.get(lost.id), await uow.parties.get(busy.id)
    assert len(lost_now.opportunities) == 2 and lost_now.open_opportunity.estimate_pending
    assert lost_now.stage is Stage.OPPORTUNITY and len(busy_now.opportunities) == 1
