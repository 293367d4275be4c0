"""Sales agreements in chat: create, set effective, order from, fulfilment, close (§3)."""
from __future__ import annotations

from domain.sales_agreement import AgreementStatus
from domain.services import sales_agreements

SAM, OLGA, MIA, MARK = 1001, 1002, 1003, 1004


async def _create_quantity_agreement(chat) -> str:
    """AG-000001 for Acme: chairs at 129.00 (100 committed), desks at 10% off (20 committed)."""
    text = await chat.say("/agreements")
    assert "There are no sales agreements yet." in text
    await chat.tap("New sales agreement")
    assert "Which customer?" in await chat.reply()
    assert "What does the customer commit to?" in await chat.say("C-001")
    await chat.tap("Product quantity")
    assert "Valid from which date?" in await chat.reply()
    assert "Until which date is the agreement valid?" in await chat.say("0")
    assert "Sales agreement AG-000001 is created, on hold." in await chat.say("2026-12-31")
    shown = await chat.reply()
    assert "On hold" in shown and "Acme Office BV" in shown and "No lines yet." in shown
    assert "Valid from 24 Nov 2026 to 31 Dec 2026" in shown
    shown = await chat.say("A-100 129.00 100")
    assert "1. A-100 Office chair: agreed price €129.00; committed 100 pcs" in shown
    shown = await chat.say("desk 10% 20")
    assert "2. A-200 Standing desk: 10% discount; committed 20 pcs" in shown
    assert "Fulfilled: 0 of 120 units committed; remaining 120." in shown
    return shown


async def test_a_salesperson_creates_an_agreement_sets_it_effective_and_orders_from_it(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _create_quantity_agreement(chat)
    await chat.tap("Set effective")
    assert "AG-000001 is effective" in await chat.reply()
    assert "· Effective" in await chat.reply()

    await chat.tap("Order from agreement")
    assert "Requested ship date?" in await chat.reply()
    lines = await chat.say("2026-12-01")
    assert "1. A-100 Office chair: ordered so far 0 pcs; remaining 100 pcs" in lines
    created = await chat.say("10 2")
    # 10 x 129.00 + 2 x 449.10 (499.00 less 10%) = 2,188.20 net; 21% tax 459.52
    assert "Sales order SO-000001 is created" in created and "€2,647.72" in created
    await chat.tap("Show sales agreement")
    shown = await chat.reply()
    assert "ordered 10 pcs (€1,290.00); remaining 90 pcs" in shown
    assert "ordered 2 pcs (€898.20); remaining 18 pcs" in shown
    assert "Fulfilled: 12 of 120 units committed; remaining 108." in shown
    assert "SO-000001 (Open order)" in shown

    # The order flows through /orders like any other: deliver, invoice.
    await chat.tap("SO-000001")
    order = await chat.reply()
    assert "Office chair: ordered 10" in order and "Standing desk: ordered 2" in order
    await chat.tap("Deliver")
    await chat.reply()
    await chat.tap("Deliver all")
    assert "PS-000001" in await chat.reply()
    await chat.reply()
    await chat.tap("Invoice")
    await chat.reply()
    await chat.tap("All that is delivered")
    assert "Invoice INV-000001 is posted: €2,647.72" in await chat.reply()
    assert "· Invoiced" in await chat.reply()

    # Closing is final: no more orders.
    assert "Sales agreements:" in await chat.say("/agreements")
    await chat.tap("AG-000001")
    await chat.reply()
    await chat.tap("Close agreement")
    assert "AG-000001 is closed" in await chat.reply()
    assert "· Closed" in await chat.reply()
    # The Order from button of the earlier view now gets a clear refusal.
    call = await chat.tap("Order from agreement")
    assert "AG-000001 is Closed; orders can be taken only from an effective agreement." in chat.alert(call)
    view = await sales_agreements.get_agreement(uow_factory(), seeded["sales"], 1)
    assert view.agreement.status is AgreementStatus.CLOSED


async def test_ordering_from_an_agreement_on_hold_is_refused_with_a_clear_answer(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _create_quantity_agreement(chat)
    message_id, data = chat.button_data("Set effective")
    # An "Order from" button of this agreement, as if kept from when it was effective.
    from handlers.agreement_entry import AgreementAction
    call = await chat.tap_data(message_id, AgreementAction(action="order", agreement_id=1).pack(),
                               check_button=False)
    assert "AG-000001 is On hold; orders can be taken only from an effective agreement." in chat.alert(call)
    view = await sales_agreements.get_agreement(uow_factory(), seeded["sales"], 1)
    assert view.orders == []


async def test_a_ship_date_outside_the_validity_period_is_refused_and_nothing_is_ordered(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _create_quantity_agreement(chat)
    await chat.tap("Set effective")
    await chat.reply()
    await chat.reply()
    await chat.tap("Order from agreement")
    await chat.reply()
    refused = await chat.say("2027-01-15")
    assert ("The requested ship date 15 Jan 2027 is outside the validity period of sales agreement "
            "AG-000001 (24 Nov 2026 to 31 Dec 2026).") in refused
    assert "is in the past" in await chat.say("2026-11-01")
    assert "is not a date" in await chat.say("soon")
    # Still asking for the ship date: a good one goes on.
    assert "remaining 100 pcs" in await chat.say("2026-12-15")
    assert "Type one quantity for each of the 2 open lines" in await chat.say("5")
    assert "at least one line" in await chat.say("0 0")
    assert "cannot be negative" in await chat.say("-1 0")
    view = await sales_agreements.get_agreement(uow_factory(), seeded["sales"], 1)
    assert view.orders == []
    assert "SO-000001 is created" in await chat.say("0 1")


async def test_bad_agreement_lines_and_dates_get_clear_answers_and_change_nothing(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await chat.say("/agreements")
    await chat.tap("New sales agreement")
    await chat.reply()
    await chat.say("acme")
    await chat.tap("Product value")
    await chat.reply()
    assert "is not a date" in await chat.say("yesterday-ish")
    await chat.say("2026-12-01")
    assert "before it starts" in await chat.say("2026-11-30")
    assert "is in the past" not in await chat.say("2027-03-31")  # created
    await chat.reply()
    for typed, answer in [("A-100 10%", "committed value"),
                          ("A-100 150% 5000", "less than 100%"),
                          ("A-100 abc 5000", "is not a number"),
                          ("A-100 12.50 -5", "cannot be negative"),
                          ("nothing-like-this 10% 500", "No item matches")]:
        assert answer in await chat.say(typed), typed
    view = await sales_agreements.get_agreement(uow_factory(), seeded["sales"], 1)
    assert view.agreement.lines == []
    assert "committed €5,000.00" in await chat.say("A-100 10% 5000")
    assert "already on sales agreement AG-000001" in await chat.say("A-100 5% 100")


async def test_a_total_value_agreement_asks_one_committed_amount(running):
    chat = running.chat(SAM)
    await chat.say("/agreements")
    await chat.tap("New sales agreement")
    await chat.reply()
    await chat.say("C-002")
    await chat.tap("Total value")
    await chat.reply()
    await chat.say("0")
    assert "Which total amount" in await chat.say("60")
    assert "is not a number" in await chat.say("lots")
    assert "AG-000001 is created" in await chat.say("10000")
    await chat.reply()
    shown = await chat.say("B-300 20.00")
    assert "Committed total: €10,000.00" in shown
    assert "Fulfilled: €0.00 of €10,000.00 committed; remaining €10,000.00." in shown


async def test_each_salesperson_sees_their_own_agreements_and_a_manager_sees_all(running):
    await _create_quantity_agreement(running.chat(SAM))
    assert "There are no sales agreements yet." in await running.chat(OLGA).say("/agreements")
    olga = running.chat(OLGA)
    from handlers.agreements import AgreementOpen
    message_id, _data = olga.button_data("New sales agreement")
    call = await olga.tap_data(message_id, AgreementOpen(agreement_id=1).pack(), check_button=False)
    assert "does not exist or is not yours" in olga.alert(call)
    mia = running.chat(MIA)
    assert "Sales agreements:" in await mia.say("/agreements")
    assert any("AG-000001" in b for b in mia.buttons())
    assert "Your role does not allow this." in await running.chat(MARK).say("/agreements")


async def test_the_agreement_flow_in_dutch(running):
    chat = running.chat(SAM, language_code="nl")
    text = await chat.say("/agreements")
    assert "Er zijn nog geen verkoopovereenkomsten." in text
    await chat.tap("Nieuwe verkoopovereenkomst")
    await chat.reply()
    await chat.say("C-002")
    await chat.tap("Productaantal")
    await chat.reply()
    await chat.say("0")
    assert "Verkoopovereenkomst AG-000001 is aangemaakt, in wachtstand." in await chat.say("31-12-2026")
    shown = await chat.reply()
    assert "In wachtstand" in shown and "Geldig van 24 nov 2026 tot 31 dec 2026" in shown
    shown = await chat.say("A-100 10% 50")
    assert "korting" in shown and "toegezegd 50 pcs" in shown
    assert "Bestellen uit overeenkomst" not in chat.buttons()
    await chat.tap("Effectief maken")
    assert "is effectief" in await chat.reply()
    await chat.reply()
    await chat.tap("Bestellen uit overeenkomst")
    assert "Gewenste verzenddatum?" in await chat.reply()
    refused = await chat.say("15-01-2027")
    assert "ligt buiten de geldigheidsperiode van verkoopovereenkomst AG-000001" in refused
    await chat.say("1-12-2026")
    assert "Verkooporder SO-000001 is aangemaakt" in await chat.say("5")


async def test_a_command_in_the_middle_of_an_agreement_goes_to_its_own_handler(running):
    chat = running.chat(SAM)
    await _create_quantity_agreement(chat)
    assert "There are no open sales orders." in await chat.say("/orders")
    assert "Sales agreements:" in await chat.say("/agreements")
