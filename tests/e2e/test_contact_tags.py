"""/tag through the real bot: tags are added, removed and shown; roles and ownership are checked on
the server; a campaign's selection by tag shows its count before anything is sent."""
from __future__ import annotations

from datetime import UTC, datetime

from domain.relationship import LeadDetails, Party, Stage


async def _party(uow_factory, owner) -> Party:
    async with uow_factory() as uow:
        party = Party.capture(LeadDetails("Jan de Vries", "De Vries BV", phone="+31612345678"), Stage.LEAD, owner.id,
                              datetime(2026, 11, 1, tzinfo=UTC))
        await uow.parties.add(party)
        await uow.commit()
    return party


async def test_a_salesperson_tags_a_customer_and_their_own_party_but_not_someone_elses(
        running, seeded, uow_factory):
    party = await _party(uow_factory, seeded["sales"])
    sam, olga = running.chat(seeded["sales"].telegram_id), running.chat(seeded["sales2"].telegram_id)
    assert "Tags of C-001 Acme Office BV: old vip" in await sam.say("/tag C-001 +VIP #old")
    assert "Tags of C-001 Acme Office BV: vip" in await sam.say("/tag C-001 -old")
    assert f"Tags of P{party.id} Jan de Vries (De Vries BV): beurs" in await sam.say(f"/tag P{party.id} +beurs")
    assert "not yours to tag" in await olga.say(f"/tag P{party.id} +mine")
    assert "is not a tag" in await sam.say("/tag C-001 +<b>x</b>")
    assert "neither a customer's account number" in await sam.say("/tag C-999 +vip")
    assert "Type /tag" in await sam.say("/tag")
    assert "Tags of C-001 Acme Office BV: vip" in await olga.say("/tag C-001")


async def test_marketing_tags_and_a_campaign_selects_by_all_its_tags(running, seeded, uow_factory):
    marketing = running.chat(seeded["marketing"].telegram_id)
    await marketing.say("/tag C-002 +horeca")
    reply = await marketing.say("/newcampaign\ne-mail\nHoreca\nnl\ntag=horeca")
    assert "Selection: tag=horeca" in reply and "Reaches 1 contact(s)" in reply
    reply = await marketing.say("/newcampaign\ne-mail\nNobody\nnl\ntag=horeca tag=vip")
    assert "Reaches 0 contact(s)" in reply


async def test_tag_and_calls_are_in_the_menus_of_those_who_may_use_them(running, seeded):
    for who, expected in (("sales", {"tag", "calls"}), ("marketing", {"tag"}), ("manager", {"tag", "calls"})):
        await running.chat(seeded[who].telegram_id).say("/start")
        menu = {c["command"] for c in running.fake.commands_for(seeded[who].telegram_id)}
        assert menu & {"tag", "calls"} == expected, who
