"""Issue 4 §2 end to end: a linked customer requests a quote by typing or by inline mode; the
salesperson (or a manager, from the shared queue) is told at once and turns it into a draft.
Every request command and button is tried by the wrong people too, and bad input changes nothing."""
from __future__ import annotations

from decimal import Decimal

from domain.pricing import AccountCode, ItemCode, Relation, TradeAgreement
from domain.services import quotations
from domain.user import Role, User
from handlers.request_entry import RequestAction
from handlers.request_render import StaffRequest

SAM, OLGA, MIA = 1001, 1002, 1003
ACME_TG, CAFE_TG, STRANGER = 7001, 7002, 555


async def _link_customers(running, uow_factory, seeded) -> None:
    for staff in (SAM, OLGA, MIA):  # their chats with the bot exist: they can be told things
        running.fake.add_user(staff)
    async with uow_factory() as uow:
        await uow.users.add(User(telegram_id=ACME_TG, name="Anna Buyer", role=Role.CUSTOMER,
                                 customer_id=seeded["acme"].id))
        await uow.users.add(User(telegram_id=CAFE_TG, name="Kees Inkoop", role=Role.CUSTOMER,
                                 customer_id=seeded["cafe"].id))
        await uow.commit()


async def _acme_price(uow_factory, price: str = "129.00") -> None:
    async with uow_factory() as uow:
        await uow.trade_agreements.add(TradeAgreement(
            relation=Relation.PRICE, item_code=ItemCode.ITEM, item_value="A-100",
            account_code=AccountCode.CUSTOMER, account_value="C-001", price=Decimal(price)))
        await uow.commit()


async def _request_count(uow_factory) -> int:
    async with uow_factory() as uow:
        return len(await uow.quotation_requests.open_of(None, True, 100))


async def test_a_customer_requests_by_typing_and_their_salesperson_turns_it_into_a_draft(
        running, uow_factory, clock, seeded):
    await _link_customers(running, uow_factory, seeded)
    await _acme_price(uow_factory)
    # Sam quoted Acme before: he is the account's salesperson for requests.
    await quotations.start_quotation(uow_factory(), clock, seeded["sales"], seeded["acme"].id)
    buyer, sam = running.chat(ACME_TG), running.chat(SAM)

    assert "/request — Request a quote" in await buyer.say("/start")
    menu = [c["command"] for c in running.fake.commands_for(ACME_TG)]
    assert "request" in menu and "requests" not in menu

    intro = await buyer.say("/request")
    assert "Which items would you like a quote for?" in intro
    assert "How many A-100 Office chair (€129.00 per pcs)?" == await buyer.say("chair")
    basket = await buyer.say("5")
    assert "1. A-100 Office chair × 5 (€129.00 per pcs)" in basket
    basket = await buyer.say("desk 2")
    assert "2. A-200 Standing desk × 2 (€499.00 per pcs)" in basket
    assert "3. B-300 Sales handbook × 1" in await buyer.say("/request B-300 1")
    # /cancel says the request was not sent (not the staff's "drafts stay in /quotes").
    assert await buyer.say("/cancel") == "Stopped. Your quotation request was not sent."
    assert "Which items would you like a quote for?" in await buyer.say("/request")
    for typed in ("chair 5", "desk 2"):
        await buyer.say(typed)
    assert "3. B-300 Sales handbook × 1" in await buyer.say("/request B-300 1")
    await buyer.tap("Remove a line")
    assert await buyer.reply() == "Which line?"
    await buyer.tap("3. B-300")
    basket = await buyer.reply()
    assert "B-300" not in basket and "2. A-200 Standing desk × 2" in basket
    await buyer.tap("Add a note")
    assert "Type your note" in await buyer.reply()
    assert "Note: Before Friday &lt;please&gt;" in await buyer.say("Before Friday <please>")
    await buyer.tap("Send request")
    thanks = await buyer.reply()
    assert "Your request RQ-000001 is with our sales team" in thanks

    notice = await sam.reply()
    assert "New quotation request from Acme Office BV" in notice
    assert "1. A-100 Office chair × 5" in notice and "Note: Before Friday &lt;please&gt;" in notice
    assert sam.buttons()[0] == "Make quotation draft" and "Take" not in sam.buttons()

    await sam.tap("Make quotation draft")
    drafted = await sam.reply()
    assert "Quotation Q-000002 is drafted from request RQ-000001" in drafted
    draft = await sam.reply()
    assert "Quotation Q-000002" in draft and "A-100 Office chair: 5 pcs × €129.00" in draft
    assert "A-200 Standing desk: 2 pcs" in draft
    # The draft continues in the usual /quote conversation.
    assert "Sales handbook" in await sam.say("B-300 1")

    # A second tap makes no second draft.
    message_id, data = sam.button_data("Make quotation draft")
    answer = await sam.tap_data(message_id, data)
    assert "only a new request" in sam.alert(answer)
    await sam.say("/cancel")
    assert "There are no new quotation requests." == await sam.say("/requests")


async def test_an_inline_search_shows_the_customers_own_price_and_the_queue_goes_to_managers(
        running, uow_factory, seeded):
    await _link_customers(running, uow_factory, seeded)
    await _acme_price(uow_factory)
    buyer, mia, sam = running.chat(ACME_TG), running.chat(MIA), running.chat(SAM)

    running.fake.push_inline_query(ACME_TG, "chair")
    answer = await running.fake.wait_for("answerInlineQuery")
    results = answer.params["results"]
    assert [r["title"] for r in results] == ["A-100 · Office chair"]
    assert results[0]["description"] == "€129.00 per pcs, excluding sales tax"
    assert answer.params["is_personal"] is True

    # The café has no agreement: the list price.
    running.fake.push_inline_query(CAFE_TG, "chair", language_code="nl")
    cafe_answer = await running.fake.wait_for("answerInlineQuery")
    assert "149,95" in cafe_answer.params["results"][0]["description"]

    running.fake.choose_inline_result(ACME_TG, results[0])
    assert "How many A-100 Office chair (€129.00 per pcs)?" == await buyer.reply()
    assert "1. A-100 Office chair × 3" in await buyer.say("3")
    await buyer.tap("Send request")
    assert "RQ-000001" in await buyer.reply()

    # Acme has no salesperson and no documents yet: the shared queue, every manager is told.
    notice = await mia.reply()
    assert "shared queue" in notice and "A-100 Office chair × 3" in notice
    assert "There are no new quotation requests." == await sam.say("/requests")
    assert "New quotation requests:" == await mia.say("/requests")
    await mia.tap("RQ-000001")
    assert "for the shared queue" in await mia.reply()
    await mia.tap("Take")
    assert "for Mia Manager" in await mia.reply()
    await mia.tap("Make quotation draft")
    await mia.reply()
    assert "A-100 Office chair: 3 pcs × €129.00" in await mia.reply()


async def test_strangers_staff_and_other_customers_are_refused(running, uow_factory, clock, seeded):
    await _link_customers(running, uow_factory, seeded)
    await quotations.start_quotation(uow_factory(), clock, seeded["sales"], seeded["acme"].id)
    buyer, cafe, sam, olga = (running.chat(ACME_TG), running.chat(CAFE_TG), running.chat(SAM),
                              running.chat(OLGA))
    stranger = running.chat(STRANGER)
    await buyer.say("/request")
    await buyer.say("A-100 2")
    await buyer.tap("Send request")
    await buyer.reply()
    await sam.reply()
    message_id, draft_data = sam.button_data("Make quotation draft")
    request_id = StaffRequest.unpack(draft_data).request_id

    # A stranger: nothing, not even in inline mode.
    assert "ask your administrator" in await stranger.say("/request")
    assert "ask your administrator" in await stranger.say("/requests")
    running.fake.push_inline_query(STRANGER, "chair")
    assert (await running.fake.wait_for("answerInlineQuery")).params["results"] == []
    # Staff cannot request a quote; staff inline mode shows the sales price only.
    assert "This is for customers" in await sam.say("/request")
    running.fake.push_inline_query(SAM, "chair")
    staff_result = (await running.fake.wait_for("answerInlineQuery")).params["results"][0]
    assert staff_result["description"] == "€149.95 per pcs, excluding sales tax"
    assert not staff_result["input_message_content"]["message_text"].startswith("/request")
    # Customers see no requests and cannot press staff buttons, even replayed from a chat.
    assert "Your role does not allow this" in await cafe.say("/requests")
    await cafe.say("/start")
    cafe_message = running.fake.last_bot_message(CAFE_TG)["message_id"]
    for action in ("open", "draft", "take", "close"):
        forged = StaffRequest(action=action, request_id=request_id).pack()
        answer = await cafe.tap_data(cafe_message, forged, check_button=False)
        assert "Your role does not allow this" in cafe.alert(answer)
    # Another salesperson does not see Sam's request; only managers take from the queue.
    assert "There are no new quotation requests." == await olga.say("/requests")
    olga_message = running.fake.last_bot_message(OLGA)["message_id"]
    for action in ("open", "draft", "close"):
        answer = await olga.tap_data(olga_message, StaffRequest(action=action, request_id=request_id).pack(),
                                     check_button=False)
        assert "does not exist or is not yours" in olga.alert(answer)
    answer = await sam.tap_data(message_id, StaffRequest(action="take", request_id=request_id).pack(),
                                check_button=False)
    assert "Your role does not allow this" in sam.alert(answer)
    # A salesperson's replayed customer button is refused.
    sam_message = running.fake.last_bot_message(SAM)["message_id"]
    answer = await sam.tap_data(sam_message, RequestAction(action="send").pack(), check_button=False)
    assert "This is for customers" in sam.alert(answer)
    assert await _request_count(uow_factory) == 1


async def test_bad_input_gets_a_clear_reply_and_changes_nothing(running, uow_factory, seeded):
    await _link_customers(running, uow_factory, seeded)
    buyer = running.chat(ACME_TG)
    await buyer.say("/request")
    assert "No item matches “XYZ-999”" in await buyer.say("XYZ-999 2")
    assert "The quantity must be more than zero." in await buyer.say("A-100 -3")
    assert "No item matches “A-100 lots”" in await buyer.say("A-100 lots")
    # An empty request cannot be sent, even with a replayed Send button.
    message_id = running.fake.last_bot_message(ACME_TG)["message_id"]
    answer = await buyer.tap_data(message_id, RequestAction(action="send").pack(), check_button=False)
    assert "Add at least one item" in buyer.alert(answer)
    # A quantity that is not one.
    await buyer.say("chair")
    assert "The quantity must be more than zero." in await buyer.say("0")
    assert "is not a number" in await buyer.say("many")
    assert "× 2" in await buyer.say("2")
    await buyer.tap("Discard")
    assert "discarded" in await buyer.reply()
    assert await _request_count(uow_factory) == 0
    # After discarding, the old buttons are no longer open.
    answer = await buyer.tap_data(message_id, RequestAction(action="send").pack(), check_button=False)
    assert "no longer open" in buyer.alert(answer)


async def test_a_request_is_kept_when_the_salesperson_has_blocked_the_bot(running, uow_factory, clock, seeded):
    await _link_customers(running, uow_factory, seeded)
    await quotations.start_quotation(uow_factory(), clock, seeded["sales"], seeded["acme"].id)
    running.fake.block(SAM)
    buyer = running.chat(ACME_TG)
    await buyer.say("/request A-100 2")
    await buyer.tap("Send request")
    assert "RQ-000001" in await buyer.reply()
    await running.fake.wait_for("sendMessage", chat_id=SAM)  # tried once, refused with 403
    running.fake.unblock(SAM)
    assert "New quotation requests:" == await running.chat(SAM).say("/requests")
