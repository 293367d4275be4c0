"""A salesperson captures a lead at a trade show and takes it to a customer, in Telegram."""
from __future__ import annotations

from domain.relationship import LeadDetails, OpportunityStatus, Source, Stage
from domain.services import relationships
from handlers.leads import PartyAction, PartyOpen
from tests.e2e.conftest import wait_for_mail

SAM, OLGA, MIA, MARK = 1001, 1002, 1003, 1004
JAN = "Jan Jansen\nJansen Bouw BV\njan@jansenbouw.example +31 6 1234 5678\ntrade show\nWants 20 chairs"


async def _capture(chat, text: str = JAN, as_: str = "Save as lead") -> str:
    assert "one item per line" in await chat.say("/lead")
    preview = await chat.say(text)
    await chat.tap(as_)
    return preview


async def _qualified(chat) -> None:
    await _capture(chat)
    await chat.reply()  # the party card
    await chat.tap("Qualify")
    await chat.reply()
    assert "Qualified" in await chat.say("25000 60% 31-12-2026")
    await chat.reply()


async def test_a_lead_goes_from_the_field_to_a_customer_with_a_new_account(running, uow_factory, seeded):
    chat = running.chat(SAM)
    preview = await _capture(chat, as_="Save as prospect")
    assert "Jansen Bouw BV" in preview and "+31612345678" in preview and "trade show" in preview
    assert "duplicate" not in preview
    card = await chat.reply()
    assert "Jan Jansen (Jansen Bouw BV)</b> · Prospect" in card
    assert "captured as Prospect by Sam Sales" in card

    await chat.tap("Make lead")
    assert "Prospect → Lead by Sam Sales" in await chat.reply()

    await chat.tap("Qualify")
    assert "estimated value" in await chat.reply()
    assert "Qualified" in await chat.say("25000 60% 31-12-2026")
    card = await chat.reply()
    assert "· Opportunity" in card and "€25,000.00, 60% by 31 Dec 2026 · Open" in card
    assert "Lead → Opportunity by Sam Sales" in card

    await chat.tap("Create quotation")
    draft = await chat.reply()
    assert "Customer: Jansen Bouw BV (P-000001)" in draft and "No lines yet" in draft
    assert "Office chair" in await chat.say("A-100 20")
    await chat.tap("Send")
    assert "is sent to jan@jansenbouw.example" in await chat.reply()
    [mail] = await wait_for_mail(running.smtp, 1)
    assert mail.rcpt_tos == ("jan@jansenbouw.example",)

    await chat.say("/quotes")
    await chat.tap("Q-000001")
    await chat.reply()
    await chat.tap("Confirm")
    assert "sales order SO-000001 is created" in await chat.reply()
    await chat.tap("Show sales order")
    assert "Customer: Jansen Bouw BV (C-000001)" in await chat.reply()  # the new account number

    [party] = [p for p in await _all_parties(uow_factory, seeded) if p.name == "Jan Jansen"]
    assert party.stage is Stage.CUSTOMER
    assert party.opportunities[0].status is OpportunityStatus.WON
    assert party.opportunities[0].reason == "Q-000001"
    assert [(c.from_stage, c.to_stage) for c in party.history][-1] == (Stage.OPPORTUNITY, Stage.CUSTOMER)
    async with uow_factory() as uow:
        customer = await uow.customers.get(party.customer_id)
    assert customer.account_number == "C-000001"

    assert "no prospects, leads or opportunities" in await chat.say("/leads")
    text = await chat.say("/pipeline")
    assert "Customer: 1 · €25,000.00" in text and "Opportunity: 0" in text
    photo = await running.fake.wait_for("sendPhoto", chat_id=SAM)
    name, png = photo.files["photo"]
    assert name == "pipeline.png" and png.startswith(b"\x89PNG")


async def _all_parties(uow_factory, seeded):
    async with uow_factory() as uow:
        return list(await uow.parties.of_owner(None))


async def test_a_duplicate_e_mail_or_phone_is_warned_about_before_saving(running):
    sam = running.chat(SAM)
    await _capture(sam)
    await sam.reply()
    await sam.say("/lead")
    again = await sam.say("Jan J.\n-\n+31 (0)6 0000 0000 JAN@jansenbouw.example")
    assert "Possible duplicate" in again and "Jan Jansen (Jansen Bouw BV) · Lead" in again
    olga = running.chat(OLGA)
    await olga.say("/lead")
    theirs = await olga.say("Jan\n-\n0031612345678")
    assert "Possible duplicate" in theirs and "a party of another salesperson" in theirs
    assert "Jansen" not in theirs
    await olga.tap("Discard")
    assert "Nothing was saved" in await olga.reply()
    assert "no prospects" in await olga.say("/leads")


async def test_bad_lead_input_gets_a_clear_reply_and_saves_nothing(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await chat.say("/lead")
    assert "at least three lines" in await chat.say("Jan Jansen")
    assert "not an e-mail address" in await chat.say("Jan\n-\njan@@x")
    assert "not a phone number" in await chat.say("Jan\n-\ncall me")
    assert "not a source" in await chat.say("Jan\n-\njan@x.example\nbillboard")
    assert await _all_parties(uow_factory, seeded) == []
    # still in the conversation: a good message is previewed
    assert "Save as lead" not in await chat.say("Jan\n-\njan@x.example")
    assert "Save as lead" in chat.buttons()


async def test_bad_opportunity_input_is_refused_and_changes_nothing(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _capture(chat)
    await chat.reply()
    await chat.tap("Qualify")
    await chat.reply()
    assert "is not a number" in await chat.say("lots 60 31-12-2026")
    assert "more than zero" in await chat.say("0 60 31-12-2026")
    assert "from 0 to 100" in await chat.say("1000 160 31-12-2026")
    assert "is in the past" in await chat.say("1000 60 2020-01-01")
    assert "for example: 25000 60% 31-12-2026" in await chat.say("1000")
    [party] = await _all_parties(uow_factory, seeded)
    assert party.stage is Stage.LEAD and party.opportunities == []


async def test_an_opportunity_is_lost_or_won_with_a_reason(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _qualified(chat)
    await chat.tap("Lost")
    assert "Why was it lost?" in await chat.reply()
    assert "Give a reason" in await chat.say("   ")
    assert "The opportunity is lost" in await chat.say("Went with a competitor")
    card = await chat.reply()
    assert "· Lost — Went with a competitor" in card
    # qualified again, then won by hand: a customer with a real account number
    await chat.tap("Qualify")
    await chat.reply()
    await chat.say("5000 90 31-12-2026")
    await chat.reply()
    await chat.tap("Won")
    await chat.reply()
    assert "is a customer now, account C-000001" in await chat.say("Signed at the office")
    [party] = await _all_parties(uow_factory, seeded)
    assert party.stage is Stage.CUSTOMER
    assert [o.status for o in party.opportunities] == [OpportunityStatus.LOST, OpportunityStatus.WON]


async def test_a_party_without_e_mail_gets_no_quotation_until_one_is_added(running):
    chat = running.chat(SAM)
    await _capture(chat, "Piet\nPiet BV\n+31 20 123 4567\nreferral")
    await chat.reply()
    await chat.tap("Qualify")
    await chat.reply()
    await chat.say("1000 50 31-12-2026")
    await chat.reply()
    alert = chat.alert(await chat.tap("Create quotation"))
    assert "Piet has no e-mail address" in alert
    await chat.tap("E-mail address")
    await chat.reply()
    assert "not an e-mail address" in await chat.say("piet at home")
    assert "E-mail: piet@pietbv.example" in await chat.say("piet@pietbv.example")
    await chat.tap("Create quotation")
    assert "Piet BV (P-000001)" in await chat.reply()


async def test_salespeople_see_their_own_parties_and_a_manager_sees_all(running, seeded):
    sam, olga, mia = running.chat(SAM), running.chat(OLGA), running.chat(MIA)
    await _qualified(sam)
    await _capture(olga, "Olga's lead\n-\nlead@olga.example\nmailing")
    await olga.reply()
    mine = await sam.say("/pipeline")
    assert "Your pipeline" in mine and "Lead: 0" in mine
    assert "Opportunity: 1 · €25,000.00 (weighted €15,000.00)" in mine
    theirs = await olga.say("/pipeline")
    assert "Lead: 1" in theirs and "Opportunity: 0 · €0.00" in theirs
    everyone = await mia.say("/pipeline")
    assert "Pipeline of everyone" in everyone and "Lead: 1" in everyone and "Opportunity: 1" in everyone
    listed = await mia.say("/leads")
    assert "Prospects, leads and opportunities" in listed and len(mia.buttons()) == 2
    # Sam forges a tap on Olga's party: told it is not his, shown nothing.
    [olgas] = [p for p in await relationships.open_parties(running.app.uow(), seeded["manager"])
               if p.owner_id == seeded["sales2"].id]
    forged = PartyOpen(party_id=olgas.id).pack()
    answer = await sam.tap_data(sam.fake.last_bot_message(SAM)["message_id"], forged, check_button=False)
    assert "does not exist or is not yours" in sam.alert(answer)
    for action in ("win", "lose", "quote", "lead"):
        forged = PartyAction(action=action, party_id=olgas.id).pack()
        answer = await sam.tap_data(sam.fake.last_bot_message(SAM)["message_id"], forged, check_button=False)
        assert "does not exist or is not yours" in sam.alert(answer)


async def test_the_menu_offers_the_relationship_commands_to_sales_only(running):
    assert "/lead — Capture a prospect or lead" in await running.chat(SAM).say("/start")
    menu = [c["command"] for c in running.fake.commands_for(SAM)]
    assert menu[menu.index("freetext") + 1:menu.index("language")][:3] == ["lead", "leads", "pipeline"]
    assert "/lead" not in await running.chat(MARK).say("/start")


async def test_a_role_without_leads_is_refused(running):
    chat = running.chat(MARK)
    assert "Your role does not allow this" in await chat.say("/lead")
    assert "Your role does not allow this" in await chat.say("/pipeline")


# --- Dutch --------------------------------------------------------------------------------------

async def test_a_lead_in_dutch(running):
    chat = running.chat(SAM, language_code="nl")
    assert "één gegeven per regel" in await chat.say("/lead")
    assert "'reclame' is geen bron" in await chat.say("Jan\n-\njan@x.example\nreclame")
    preview = await chat.say("Jan Jansen\nJansen Bouw BV\njan@jansenbouw.example\nbeurs\nWil 20 stoelen")
    assert "Bron: beurs" in preview and "Notitie: Wil 20 stoelen" in preview
    await chat.tap("Opslaan als lead")
    card = await chat.reply()
    assert "· Lead" in card and "vastgelegd als Lead door Sam Sales" in card
    await chat.tap("Kwalificeren als verkoopkans")
    assert "Typ de geschatte waarde" in await chat.reply()
    assert "ligt in het verleden" in await chat.say("25000 60% 1-1-2020")
    assert "Gekwalificeerd" in await chat.say("25000 60% 31-12-2026")
    card = await chat.reply()
    assert "Verkoopkans: €\xa025.000,00, 60% vóór 31 dec 2026 · Open" in card
    assert "Lead → Verkoopkans door Sam Sales" in card
    text = await chat.say("/pipeline")
    assert "Jouw pijplijn" in text and "Verkoopkans: 1 · €\xa025.000,00 (gewogen €\xa015.000,00)" in text
    photo = await running.fake.wait_for("sendPhoto", chat_id=SAM)
    assert photo.params["caption"].startswith("Waarde per fase")


async def test_a_party_s_postal_address_is_set_on_its_card_and_can_be_removed(running):
    chat = running.chat(SAM)
    await _capture(chat, "Piet\nPiet BV\npiet@pietbv.example\nreferral")
    await chat.reply()
    await chat.tap("Postal address")
    assert "Which postal address?" in await chat.reply()
    assert "at most 80 characters" in await chat.say("x" * 81)
    card = await chat.say("Stationsweg 12, 3511 AB Utrecht")
    assert "Postal address: Stationsweg 12, 3511 AB Utrecht" in card
    await chat.tap("Postal address")
    await chat.reply()
    assert "Postal address" not in (await chat.say("-")).split("History")[0]


async def test_past_the_newest_twenty_the_list_says_so_and_the_others_are_found_by_name(
        running, uow_factory, clock, seeded):
    for n in range(1, 22):
        await relationships.capture_party(uow_factory(), clock, seeded["sales"],
                                          LeadDetails(f"Person {n:02d}", f"Co {n:02d}", f"p{n:02d}@x.example",
                                                      "", Source.OTHER), Stage.PROSPECT)
    chat = running.chat(SAM)
    listing = await chat.say("/leads")
    assert "The newest 20 are shown; type /leads and part of a name or company" in listing
    assert len(chat.buttons()) == 20 and not any("Person 01" in b for b in chat.buttons())
    await chat.say("/leads co 01")
    assert [b.split(" · ")[0] for b in chat.buttons()] == ["Person 01 (Co 01)"]
    assert "No prospect, lead or opportunity matches “Globex”" in await chat.say("/leads Globex")
