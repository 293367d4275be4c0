"""§4 order types in chat: confirm as a type, change the type, subscriptions, and /return."""
from __future__ import annotations

from decimal import Decimal

from domain.sales_order import SalesOrderType
from domain.services import orders, quotations
from tests.e2e.conftest import attachment, pdf_text, wait_for_mail

SAM, OLGA, MIA, MARK = 1001, 1002, 1003, 1004
D = Decimal


async def _sent_quotation(chat) -> None:
    await chat.say("/quote")
    await chat.say("C-001")
    await chat.say("A-100 4")
    await chat.tap("Send")
    await chat.reply()
    await chat.say("/quotes")
    await chat.tap("Q-000001")
    await chat.reply()


async def _order(uow_factory, user, order_id):
    order, _slips = await orders.get_order(uow_factory(), user, order_id)
    return order


async def test_a_quotation_confirmed_as_a_journal_is_not_delivered_until_its_type_changes(
        running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _sent_quotation(chat)
    await chat.tap("Other order type")
    assert "which order type" in await chat.reply()
    assert chat.buttons() == ["Sales order", "Journal", "Subscription", "Item requirements"]
    await chat.tap("Journal")
    created = await chat.reply()
    assert "sales order SO-000001 is created" in created and "Type: Journal" in created
    await chat.tap("Show sales order")
    assert "Type: Journal" in await chat.reply()
    assert "Deliver" not in chat.buttons() and "Change type" in chat.buttons()

    await chat.tap("Change type")
    assert "is of type Journal" in await chat.reply()
    assert "Journal" not in chat.buttons() and "Returned order" in chat.buttons()
    await chat.tap("Sales order")
    assert "SO-000001 is now of type Sales order" in await chat.reply()
    assert "Type: Sales order" in await chat.reply()
    assert "Deliver" in chat.buttons()


async def test_item_requirements_ask_a_project_and_keep_their_type_once_delivered(
        running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _sent_quotation(chat)
    await chat.tap("Other order type")
    await chat.reply()
    await chat.tap("Item requirements")
    assert "project reference" in await chat.reply()
    assert "need a project reference" in await chat.say("   ")  # whitespace only: refused, asked again
    created = await chat.say("PRJ <Noord>")
    assert "SO-000001 is created" in created and "Item requirements" in created
    await chat.tap("Show sales order")
    view = await chat.reply()
    assert "Project: PRJ &lt;Noord&gt;" in view
    await chat.tap("Deliver")
    await chat.reply()
    await chat.tap("Deliver all")
    await chat.reply()
    assert "· Delivered" in await chat.reply()

    await chat.tap("Change type")
    await chat.reply()
    refused = await chat.tap("Sales order")
    assert "its type can no longer be changed" in chat.alert(refused)
    order = (await orders.open_orders(uow_factory(), seeded["sales"]))[0]
    assert order.order_type is SalesOrderType.ITEM_REQUIREMENTS and order.project_reference == "PRJ <Noord>"


async def test_a_subscription_is_open_again_with_the_next_period_due_once_invoiced(
        running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _sent_quotation(chat)
    await chat.tap("Other order type")
    await chat.reply()
    await chat.tap("Subscription")
    assert "Type: Subscription" in await chat.reply()
    await chat.tap("Show sales order")
    assert "Subscription period 1: every 1 month(s), this period from 24 Nov 2026, next from 24 Dec 2026" \
        in await chat.reply()
    await chat.tap("Deliver")
    await chat.reply()
    await chat.tap("Deliver all")
    await chat.reply()
    await chat.reply()
    await chat.tap("Invoice")
    await chat.reply()
    await chat.tap("All that is delivered")
    assert "Invoice INV-000001 is posted" in await chat.reply()
    again = await chat.reply()
    assert "· Open order" in again and "Subscription period 2" in again and "from 24 Dec 2026" in again
    assert "deliver remainder 4" in again
    assert "Deliver" in chat.buttons()


async def test_the_dutch_salesperson_chooses_the_type_in_dutch(running, seeded):
    chat = running.chat(SAM, language_code="nl")
    await chat.say("/quote")
    await chat.say("C-001")
    await chat.say("A-100 1")
    await chat.tap("Versturen")
    await chat.reply()
    await chat.say("/quotes")
    await chat.tap("Q-000001")
    await chat.reply()
    await chat.tap("Ander ordertype")
    await chat.reply()
    assert chat.buttons() == ["Verkooporder", "Journaal", "Abonnement", "Artikelbehoeften"]
    await chat.tap("Journaal")
    assert "Journaal" in await chat.reply()


async def _invoiced(uow_factory, clock, seeded, chair="4", book="2"):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, D(chair))
    await quotations.add_line(uow_factory(), sam, q.id, seeded["book"].id, D(book))
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: D(chair), 2: D(book)})
    return await orders.invoice_order(uow_factory(), clock, sam, order.id)


async def test_return_from_an_invoice_receive_and_credit(running, uow_factory, seeded, clock):
    invoice = await _invoiced(uow_factory, clock, seeded)
    await wait_for_mail(running.smtp, 1)
    chat = running.chat(SAM)
    assert "which invoice" in await chat.say("/return")
    await chat.tap("INV-000001")
    lines = await chat.reply()
    assert "1. A-100 Office chair: invoiced 4 pcs, can still be returned 4" in lines

    assert "only 4 pcs of A-100 can still be returned from invoice INV-000001, not 5" in await chat.say("5 0")
    assert "Type one quantity for each of the 2 open lines" in await chat.say("1")
    assert "Why are the goods returned?" in await chat.say("1:2")
    await chat.tap("Damaged")
    created = await chat.reply()
    assert "Returned order SO-000002 is created with RMA number RMA-000001" in created
    view = await chat.reply()
    assert "Type: Returned order" in view and "RMA number: RMA-000001" in view and "Return reason: Damaged" in view
    assert "Deliver" not in chat.buttons() and "Invoice this order" not in chat.buttons()

    chair_before = (await _stock(uow_factory, seeded["chair"].id))
    await chat.tap("Receive")
    assert "1. A-100: 2 pcs to receive" in await chat.reply()
    assert "only 2 pcs left to receive, not 3" in await chat.say("3")
    assert "back in stock" in await chat.say("1")
    assert "· Open order" in await chat.reply()
    assert await _stock(uow_factory, seeded["chair"].id) == chair_before + 1
    await chat.tap("Receive")
    await chat.reply()
    await chat.tap("Receive all")
    assert "back in stock" in await chat.reply()
    assert "· Delivered" in await chat.reply()
    assert await _stock(uow_factory, seeded["chair"].id) == chair_before + 2

    await chat.tap("Credit note")
    posted = await chat.reply()
    assert "Credit note CN-000001 for invoice INV-000001 is posted: -€362.88" in posted  # 2 x 149.95 + 21%
    mails = await wait_for_mail(running.smtp, 2)
    assert "Credit note CN-000001" in mails[1].message["Subject"]
    body = mails[1].message.get_body(("plain",)).get_content()
    assert "Credit note: CN-000001" in body
    # The customer knows the return by the credited invoice and the RMA number, not our order.
    assert "Credited invoice: INV-000001" in body and "RMA number: RMA-000001" in body
    assert "SO-000002" not in body
    name, pdf = attachment(mails[1])
    text = pdf_text(pdf)
    assert name == "CN-000001.pdf" and "CREDIT NOTE" in text and "-€362.88" in text
    assert "Credited invoice INV-000001" in text and "RMA number RMA-000001" in text
    assert "· Invoiced" in await chat.reply()

    # What is left to return: 2 chairs and 2 books; a second return of 3 chairs is refused.
    await chat.say("/return")
    await chat.tap("INV-000001")
    assert "can still be returned 2" in await chat.reply()
    assert "only 2 pcs of A-100 can still be returned" in await chat.say("3 0")
    assert "Why are the goods returned?" in await chat.say("0 2")
    created = await chat.say("Customer <ordered> too many")
    assert "RMA-000002" in created
    assert "Return reason: Customer &lt;ordered&gt; too many" in await chat.reply()
    returns = [o for o in await orders.open_orders(uow_factory(), seeded["sales"])
               if o.order_type is SalesOrderType.RETURNED_ORDER]
    assert [o.rma_number for o in returns] == ["RMA-000002"]  # the first is invoiced: no longer open
    assert invoice.number == "INV-000001"


async def _stock(uow_factory, item_id) -> Decimal:
    async with uow_factory() as uow:
        return (await uow.items.get(item_id)).on_hand


async def test_return_by_typed_number_and_bad_numbers(running, uow_factory, seeded, clock):
    await _invoiced(uow_factory, clock, seeded)
    chat = running.chat(SAM)
    await chat.say("/return")
    assert "There is no invoice INV-999999 of yours" in await chat.say("INV-999999")
    assert "can still be returned 4" in await chat.say("inv-000001")
    assert "at most three decimals" in await chat.say("1.0001 0")
    assert "Enter a quantity above zero" in await chat.say("0 0")


async def test_another_salesperson_sees_no_invoice_to_return_and_marketing_may_not(running, uow_factory,
                                                                                   seeded, clock):
    await _invoiced(uow_factory, clock, seeded)
    olga = running.chat(OLGA)
    assert "no posted invoices" in await olga.say("/return")
    assert "There is no invoice INV-000001 of yours" in await olga.say("INV-000001")
    mark = running.chat(MARK)
    reply = await mark.say("/return")
    assert "INV-000001" not in reply
    # The manager sees everyone's invoices.
    mia = running.chat(MIA)
    await mia.say("/return")
    assert "INV-000001" in mia.buttons()[0]


async def test_a_returned_order_cannot_become_another_type_once_received(running, uow_factory, seeded, clock):
    await _invoiced(uow_factory, clock, seeded)
    chat = running.chat(SAM)
    await chat.say("/return")
    await chat.tap("INV-000001")
    await chat.reply()
    await chat.tap("Return all")
    await chat.reply()
    await chat.tap("Wrong item")
    await chat.reply()
    await chat.reply()
    await chat.tap("Receive")
    await chat.reply()
    await chat.tap("Receive all")
    await chat.reply()
    await chat.reply()
    await chat.tap("Change type")
    await chat.reply()
    refused = await chat.tap("Sales order")
    assert "cannot become or stop being a returned order" in chat.alert(refused)


async def test_the_return_flow_in_dutch(running, uow_factory, seeded, clock):
    await _invoiced(uow_factory, clock, seeded)
    chat = running.chat(SAM, language_code="nl")
    assert "Van welke factuur komen de goederen retour?" in await chat.say("/return")
    await chat.tap("INV-000001")
    assert "gefactureerd 4 pcs, kan nog retour 4" in await chat.reply()
    assert "kan nog maar 4 pcs A-100 retour komen, niet 5" in await chat.say("5 0")
    assert "Waarom komen de goederen retour?" in await chat.say("2 0")
    await chat.tap("Beschadigd")
    assert "Geretourneerde order SO-000002 is aangemaakt met RMA-nummer RMA-000001" in await chat.reply()
    view = await chat.reply()
    assert "Type: Geretourneerde order" in view and "Retourreden: Beschadigd" in view
    await chat.tap("Type wijzigen")
    assert "Verkooporder SO-000002 is van het type Geretourneerde order" in await chat.reply()
    refused = await chat.tap("Verkooporder")  # a return from an invoice keeps its type
    assert "SO-000002 neemt goederen van een factuur retour en houdt zijn type" in chat.alert(refused)


async def test_a_forbidden_type_change_is_explained_in_dutch(running, uow_factory, seeded, clock):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, D(1))
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id, SalesOrderType.ITEM_REQUIREMENTS,
                                               project_reference="PRJ-1")
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: D(1)})
    chat = running.chat(SAM, language_code="nl")
    await chat.say("/orders")
    await chat.tap("SO-000001")
    assert "Project: PRJ-1" in await chat.reply()
    await chat.tap("Type wijzigen")
    await chat.reply()
    refused = await chat.tap("Journaal")
    assert "van het type Artikelbehoeften en is geleverd: het type kan niet meer worden gewijzigd" \
        in chat.alert(refused)


async def _open_order_in_chat(chat, number="SO-000001") -> str:
    await chat.say("/orders")
    await chat.tap(number)
    return await chat.reply()


async def test_an_invoiced_subscription_in_its_next_period_does_not_become_a_returned_order(
        running, uow_factory, seeded, clock):
    # Period 2 shows delivered 0, but the slip of period 1 is invoiced: as a returned order the
    # same invoice would be credited a second time.
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, D(2))
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id, SalesOrderType.SUBSCRIPTION)
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: D(2)})
    await orders.invoice_order(uow_factory(), clock, sam, order.id)
    chat = running.chat(SAM)
    view = await _open_order_in_chat(chat)
    assert "Subscription period 2" in view and "delivered 0" in view
    await chat.tap("Change type")
    await chat.reply()
    refused = await chat.tap("Returned order")
    assert "SO-000001 has deliveries or receipts: it cannot become or stop being a returned order" \
        in chat.alert(refused)
    assert (await _order(uow_factory, sam, order.id)).order_type is SalesOrderType.SUBSCRIPTION
    await chat.say("/return")
    await chat.tap("INV-000001")
    assert "invoiced 2 pcs, can still be returned 2" in await chat.reply()


async def test_a_return_from_an_invoice_keeps_its_type_and_its_quantities_go_back_when_canceled(
        running, uow_factory, seeded, clock):
    await _invoiced(uow_factory, clock, seeded)
    chat = running.chat(SAM)
    await chat.say("/return")
    await chat.tap("INV-000001")
    await chat.reply()
    await chat.say("2 0")
    await chat.tap("Damaged")
    await chat.reply()
    await chat.reply()
    await chat.tap("Change type")
    await chat.reply()
    refused = await chat.tap("Subscription")
    assert "SO-000002 returns goods from an invoice and keeps its type" in chat.alert(refused)
    order = await _order(uow_factory, seeded["sales"], 2)
    assert order.order_type is SalesOrderType.RETURNED_ORDER and order.rma_number == "RMA-000001"
    await chat.tap("Cancel order")
    assert "SO-000002 is canceled" in await chat.reply()
    await chat.say("/return")
    await chat.tap("INV-000001")
    assert "invoiced 4 pcs, can still be returned 4" in await chat.reply()


async def test_a_returned_order_without_an_invoice_is_credited_without_naming_one(
        running, uow_factory, seeded, clock):
    # The seed lets any order type be changed: an order not yet delivered may become a returned
    # order. It returns goods from no invoice of ours, so its credit note names none.
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, D(2))
    await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    chat = running.chat(SAM)
    await _open_order_in_chat(chat)
    await chat.tap("Change type")
    await chat.reply()
    await chat.tap("Returned order")
    assert "now of type Returned order" in await chat.reply()
    assert "RMA number: RMA-000001" in await chat.reply()
    await chat.tap("Receive")
    await chat.reply()
    await chat.tap("Receive all")
    await chat.reply()
    await chat.reply()
    await chat.tap("Credit note")
    posted = await chat.reply()
    assert "Credit note CN-000001 is posted: -€362.88" in posted and "for invoice" not in posted
