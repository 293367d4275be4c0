"""Issue 5 §2-§3: unsubscribing over HTTP (GET shows a page, POST unsubscribes; RFC 8058 one-click),
/stop-style and bounce opt-outs land in one consent record, and campaigns honour it."""
from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web_unsubscribe import add_routes
from domain.consent import Channel, ConsentSource, unsubscribe_token
from domain.services import campaigns
from tests.integration.campaign_helpers import SECRET, add_party, ready_campaign


@pytest.fixture
async def client(uow_factory, clock):
    app = web.Application()
    add_routes(app, uow_factory, clock, SECRET)
    async with TestClient(TestServer(app)) as client:
        yield client


async def _opted_out(uow_factory, email):
    async with uow_factory() as uow:
        return bool(await uow.consents.opted_out(Channel.EMAIL, [email]))


async def test_get_only_asks_and_post_unsubscribes_the_contact_the_token_names(client, uow_factory, seeded):
    acme = seeded["acme"]
    token = unsubscribe_token(SECRET, "customer", acme.id)
    page = await client.get(f"/unsubscribe/{token}")
    assert page.status == 200 and "<form method=\"post\">" in await page.text()
    assert not await _opted_out(uow_factory, acme.email)  # a link scanner's GET changes nothing

    done = await client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status == 200 and "no more campaign e-mails" in await done.text()
    assert await _opted_out(uow_factory, acme.email)
    async with uow_factory() as uow:
        consent = await uow.consents.get(Channel.EMAIL, acme.email)
    assert consent.source is ConsentSource.UNSUBSCRIBE and consent.contact_id == acme.id
    again = await client.post(f"/unsubscribe/{token}")  # twice is harmless
    assert again.status == 200


async def test_a_forged_or_altered_token_unsubscribes_nobody(client, uow_factory, seeded):
    token = unsubscribe_token(SECRET, "customer", seeded["acme"].id)
    other = unsubscribe_token(b"another secret", "customer", seeded["cafe"].id)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), other, "x" * 80, "nonsense"):
        response = await client.post(f"/unsubscribe/{bad}")
        assert response.status == 400
        assert "not valid" in await response.text()
    missing = await client.post(f"/unsubscribe/{unsubscribe_token(SECRET, 'party', 999)}")
    assert missing.status == 404
    assert not await _opted_out(uow_factory, seeded["acme"].email)
    assert not await _opted_out(uow_factory, seeded["cafe"].email)


async def test_an_unsubscribed_party_is_skipped_by_the_next_campaign_but_others_are_not(
        client, uow_factory, clock, seeded):
    lee = await add_party(uow_factory, clock, seeded["sales"].id, "Lee Lead", "Lee@Lead.example")
    await add_party(uow_factory, clock, seeded["sales"].id, "Kim Lead", "kim@lead.example")
    await client.post(f"/unsubscribe/{unsubscribe_token(SECRET, 'party', lee.id)}")
    created = await ready_campaign(uow_factory, clock, seeded["marketing"], "stage=lead")
    assert (created.targets, created.opted_out) == (2, 1)
    await campaigns.schedule(uow_factory(), clock, seeded["marketing"], created.campaign.id, None)
    await campaigns.start(uow_factory(), clock, created.campaign.id)
    async with uow_factory() as uow:
        assert await uow.campaigns.progress(created.campaign.id) == {"queued": 1, "skipped": 1}


async def test_telegram_opt_outs_are_recorded_per_channel(uow_factory, clock, seeded):
    await campaigns.telegram_opt_out(uow_factory(), clock, 4242, ConsentSource.STOP, seeded["acme"].id)
    await campaigns.telegram_opt_out(uow_factory(), clock, 4242, ConsentSource.BLOCKED, seeded["acme"].id)
    async with uow_factory() as uow:
        consent = await uow.consents.get(Channel.TELEGRAM, "4242")
        assert consent.opted_out and consent.source is ConsentSource.BLOCKED
        assert not await uow.consents.opted_out(Channel.EMAIL, [seeded["acme"].email])
