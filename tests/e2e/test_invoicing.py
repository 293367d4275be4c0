"""/invoicing (a month's invoices, one per customer) and free text drafts in Telegram, end to end."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from domain.services import free_text_invoices as fti
from domain.services import orders
from handlers.invoice_slips import ChooseSlips, SlipPick
from tests.e2e.conftest import attachment, pdf_text, wait_for_mail
from tests.integration.test_invoicing import AMS, default_posting_profile_only, deliver_on, order_for  # noqa: F401

SAM, OLGA, MIA = 1001, 1002, 1003
D = Decimal


async def _invoice_mail(sink, number: str):
    """The e-mail carrying invoice `number` (the quotations before it were mailed too)."""
    for count in range(1, 10):
        mails = await wait_for_mail(sink, count)
        if number in mails[-1].message["Subject"]:
            return mails[-1]
    raise AssertionError(f"no mail for {number}")


async def _october(uow_factory, clock, seeded):
    """Acme: two of Sam's orders delivered in October (PS-1, PS-2), one more slip in November."""
    sam = seeded["sales"]
    clock.at = datetime(2026, 10, 1, 9, 0, tzinfo=AMS)
    first = await order_for(uow_factory, clock, sam, seeded["acme"], [(seeded["chair"], 4)])
    second = await order_for(uow_factory, clock, sam, seeded["acme"], [(seeded["book"], 10)])
    await deliver_on(uow_factory, clock, sam, first, 5, 10, {1: D(2)})
    await deliver_on(uow_factory, clock, sam, second, 20, 10, {1: D(10)})
    await deliver_on(uow_factory, clock, sam, first, 2, 11, {1: D(2)})
    clock.at = datetime(2026, 11, 3, 9, 0, tzinfo=AMS)
    return first, second


async def test_last_months_deliveries_across_orders_become_one_invoice_with_a_pro_forma_first(
        running, uow_factory, clock, seeded):
    first, second = await _october(uow_factory, clock, seeded)
    chat = running.chat(SAM)
    ask = await chat.say("/invoicing")
    assert "Which month?" in ask and chat.buttons() == ["This month (2026-11)", "Last month (2026-10)"]
    await chat.tap("Last month (2026-10)")
    preview = await chat.reply()
    assert "Invoices for 2026-10" in preview and "Acme Office BV" in preview
    assert "PS-000001 (2026-10-05), PS-000002 (2026-10-20)" in preview and "PS-000003" not in preview
    assert f"Orders: {first.number}, {second.number}" in preview
    assert "total €629.93" in preview  # 2 x 149.95 (21%) + 10 x 24.50 (9%)
    assert chat.buttons() == ["Pro forma C-001", "Post C-001", "Choose slips C-001", "Post all"]
    await chat.tap("Pro forma C-001")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM)
    assert upload.files["document"][0] == "PRO-FORMA-C-001-2026-10.pdf"
    text = pdf_text(upload.files["document"][1])
    assert "PRO FORMA" in text and "€629.93" in text and "INV-" not in text
    await chat.tap("Post C-001")
    posted = await chat.reply()
    assert "Invoice INV-000001 for Acme Office BV (2026-10) is posted: €629.93" in posted
    assert "buyer@acme.example" in posted
    mail = await _invoice_mail(running.smtp, "INV-000001")
    assert mail.rcpt_tos == ("buyer@acme.example",)
    name, pdf = attachment(mail)
    text = pdf_text(pdf)
    assert name == "INV-000001.pdf" and "Office chair" in text and "Sales handbook" in text
    assert "€629.93" in text and "PRO FORMA" not in text
    # A month invoice over two orders names both, and each packing slip with its delivery date.
    covers = (f"Sales orders: {first.number}, {second.number}",
              "Packing slips: PS-000001 (5 Oct 2026), PS-000002 (20 Oct 2026)")
    assert all(c in text for c in covers) and "PS-000003" not in text
    assert all(c in mail.message.get_body(("plain",)).get_content() for c in covers)
    # A second tap on the same button posts nothing twice.
    refusal = await chat.tap("Post C-001")
    assert "Nothing left to invoice for Acme Office BV in 2026-10" in chat.alert(refusal)
    order, slips = await orders.get_order(uow_factory(), seeded["sales"], first.id)
    assert order.lines[0].invoiced == D(2) and [s.invoice_number for s in slips] == ["INV-000001", None]
    await chat.tap("PDF")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM,
                                         predicate=lambda c: c.files["document"][0] == "INV-000001.pdf")
    assert all(c in pdf_text(upload.files["document"][1]) for c in covers)


async def test_chosen_packing_slips_across_orders_and_months_become_one_invoice(running, uow_factory, clock, seeded):
    first, second = await _october(uow_factory, clock, seeded)
    chat = running.chat(SAM)
    await chat.say("/invoicing")
    await chat.say("2026-10")
    await chat.tap("Choose slips C-001")
    assert "Tap the packing slips of Acme Office BV" in await chat.reply()
    assert chat.buttons()[:3] == [f"▫️ PS-000001 · {first.number} · 2026-10-05",
                                  f"▫️ PS-000002 · {second.number} · 2026-10-20",
                                  f"▫️ PS-000003 · {first.number} · 2026-11-02"]
    refusal = await chat.tap("Post invoice")
    assert "Tap at least one packing slip first" in chat.alert(refusal)
    await chat.tap("PS-000002")
    await chat.tap("PS-000003")
    assert chat.buttons()[1:3] == [f"✅ PS-000002 · {second.number} · 2026-10-20",
                                   f"✅ PS-000003 · {first.number} · 2026-11-02"]
    await chat.tap("Pro forma")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM)
    assert "PRO FORMA" in pdf_text(upload.files["document"][1])
    await chat.tap("Post invoice")
    assert "Invoice INV-000001 for Acme Office BV is posted: €629.93" in await chat.reply()
    text = pdf_text(attachment(await _invoice_mail(running.smtp, "INV-000001"))[1])
    assert f"Sales orders: {first.number}, {second.number}" in text
    assert "Packing slips: PS-000002 (20 Oct 2026), PS-000003 (2 Nov 2026)" in text
    order, slips = await orders.get_order(uow_factory(), seeded["sales"], first.id)
    assert [s.invoice_number for s in slips] == [None, "INV-000001"] and order.lines[0].invoiced == D(2)
    await chat.say("/invoicing")
    preview = await chat.say("2026-10")
    assert "PS-000001 (2026-10-05)" in preview and "PS-000002" not in preview and "total €362.88" in preview


async def test_post_all_and_a_month_with_nothing_or_a_bad_month(running, uow_factory, clock, seeded):
    await _october(uow_factory, clock, seeded)
    chat = running.chat(SAM)
    await chat.say("/invoicing")
    assert "Type a month as year-month" in await chat.say("october")
    assert "Nothing to invoice for 2026-09" in await chat.say("2026-09")
    await chat.say("/invoicing")
    assert "Invoices for 2026-10" in await chat.say("2026-10")
    await chat.tap("Post all")
    summary = await chat.reply()
    assert "1 posted and e-mailed" in summary and "INV-000001 · Acme Office BV · €629.93" in summary
    await _invoice_mail(running.smtp, "INV-000001")
    await chat.say("/invoicing")
    assert "Nothing to invoice for 2026-10" in await chat.say("2026-10")


async def test_a_customer_shared_with_another_salesperson_is_left_to_a_manager(running, uow_factory, clock, seeded):
    await _october(uow_factory, clock, seeded)
    clock.at = datetime(2026, 10, 1, 9, 0, tzinfo=AMS)
    olgas = await order_for(uow_factory, clock, seeded["sales2"], seeded["acme"], [(seeded["desk"], 1)])
    await deliver_on(uow_factory, clock, seeded["sales2"], olgas, 7, 10, {1: D(1)})
    clock.at = datetime(2026, 11, 3, 9, 0, tzinfo=AMS)
    sam = running.chat(SAM)
    await sam.say("/invoicing")
    preview = await sam.say("2026-10")
    assert "another salesperson's orders: a manager posts this invoice" in preview
    assert "Standing desk" not in preview and "Post C-001" not in sam.buttons()
    mia = running.chat(MIA)
    await mia.say("/invoicing")
    preview = await mia.say("2026-10")
    assert "PS-000001 (2026-10-05), PS-000004 (2026-10-07), PS-000002 (2026-10-20)" in preview
    await mia.tap("Post C-001")
    assert "Invoice INV-000001 for Acme Office BV (2026-10) is posted: €1,233.72" in await mia.reply()


async def test_a_marketing_user_cannot_invoice(running):
    assert "Your role does not allow this" in await running.chat(1004).say("/invoicing")


async def test_free_text_drafts_are_listed_continued_deleted_and_take_another_posting_profile(
        running, uow_factory, clock, seeded):
    sam = seeded["sales"]
    older = await fti.start_free_text_invoice(uow_factory(), clock, sam, seeded["cafe"].id)
    await fti.enter_line(uow_factory(), sam, older.id, "8000 100 21 Consulting")
    newer = await fti.start_free_text_invoice(uow_factory(), clock, sam, seeded["acme"].id)
    from domain.services.imports import import_posting_profiles
    await import_posting_profiles(uow_factory(), [(2, {"code": "EXPORT", "summary_account": "1310"})])
    chat = running.chat(SAM)
    ask = await chat.say("/freetext")
    assert "Your free text invoice drafts" in ask and "Which customer?" in ask
    assert chat.buttons() == [f"#{newer.id} · Acme Office BV · €0.00", f"#{older.id} · Café Hoogvliet · €121.00"]
    await chat.tap(f"#{newer.id} ·")
    assert "Acme Office BV" in await chat.reply()
    await chat.tap("Delete draft")
    assert f"draft #{newer.id} is deleted" in await chat.reply()
    await chat.say("/freetext")
    await chat.tap(f"#{older.id} ·")
    draft = await chat.reply()
    assert "Posting profile: GEN" in draft and "Consulting" in draft
    await chat.tap("Posting profile: GEN")
    assert "Which posting profile?" in await chat.reply()
    assert chat.buttons() == ["EXPORT: summary account 1310", "GEN: summary account 1300"]
    await chat.tap("EXPORT")
    assert "Posting profile: EXPORT" in await chat.reply()
    await chat.tap("Post")
    assert "Free text invoice INV-000001 is posted" in await chat.reply()
    posted = await fti.get_free_text_invoice(uow_factory(), sam, older.id)
    assert posted.summary_account == "1310"
    assert "Your free text invoice drafts" not in await chat.say("/freetext")


async def test_an_item_number_on_a_free_text_draft_is_refused_and_changes_nothing(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await chat.say("/freetext")
    await chat.say("C-002")
    assert "A-100 is an item number. A free text invoice has no items" in await chat.say("A-100 250 21 Chairs")
    ask = await chat.say("/freetext")
    assert "Your free text invoice drafts" in ask and "€0.00" in chat.buttons()[0]


async def test_the_month_run_in_dutch(running, uow_factory, clock, seeded):
    await _october(uow_factory, clock, seeded)
    chat = running.chat(SAM, language_code="nl")
    assert "/invoicing — Leveringen van een maand factureren" in await chat.say("/start")
    menu = {c["command"]: c["description"] for c in running.fake.commands_for(SAM)}
    assert menu["invoicing"] == "Leveringen van een maand factureren"
    ask = await chat.say("/invoicing")
    assert "Welke maand?" in ask and "Vorige maand (2026-10)" in chat.buttons()
    await chat.tap("Vorige maand")
    preview = await chat.reply()
    assert "Facturen voor 2026-10" in preview and "Pakbonnen: PS-000001" in preview
    await chat.tap("Boeken C-001")
    assert "Factuur INV-000001 voor Acme Office BV (2026-10) is geboekt" in await chat.reply()
    await chat.say("/invoicing")
    assert "Typ een maand als jaar-maand" in await chat.say("oktober")


async def test_free_text_drafts_in_dutch(running, uow_factory, clock, seeded):
    await fti.start_free_text_invoice(uow_factory(), clock, seeded["sales"], seeded["cafe"].id)
    chat = running.chat(SAM, language_code="nl")
    assert "Je concepten van vrije-tekstfacturen" in await chat.say("/freetext")
    await chat.tap("Café Hoogvliet")
    assert "Boekingsprofiel: GEN" in await chat.reply()
    await chat.tap("Concept verwijderen")
    assert "is verwijderd" in await chat.reply()


async def test_with_more_open_packing_slips_than_offered_the_oldest_are_offered_and_the_rest_counted(
        running, uow_factory, clock, seeded):
    sam = seeded["sales"]
    clock.at = datetime(2026, 10, 1, 9, 0, tzinfo=AMS)
    order = await order_for(uow_factory, clock, sam, seeded["acme"], [(seeded["book"], 40)])
    for n in range(34):
        await deliver_on(uow_factory, clock, sam, order, 1 + n % 28, 10 + n // 28, {1: D(1)})
    chat = running.chat(SAM)
    await chat.say("/invoicing")
    await chat.say("2026-10")
    await chat.tap("Choose slips C-001")
    assert "The oldest 30 of 34 are offered; once they are invoiced, the next ones are." in await chat.reply()
    slips = [b for b in chat.buttons() if b.startswith("▫️")]
    assert len(slips) == 30 and slips[0].startswith("▫️ PS-000001 ") and slips[-1].startswith("▫️ PS-000030 ")

    # A pick of a slip the keyboard does not show (an old keyboard, say) leaves the keyboard as it
    # is: Telegram refuses that edit as 'not modified', which is nothing to tell the user about.
    message_id, _data = chat.button_data("PS-000030")
    async with uow_factory() as uow:
        [slip_31] = [s for s in await uow.packing_slips.of_order(order.id) if s.number == "PS-000031"]
    call = await chat.tap_data(message_id, SlipPick(customer_id=seeded["acme"].id, slip_id=slip_31.id).pack(),
                               check_button=False)
    assert chat.alert(call) is None
    assert not [c for c in running.fake.calls_of("sendMessage", chat_id=SAM) if "went wrong" in c.params["text"]]


async def test_a_forged_pick_of_another_customers_slip_is_refused_and_nothing_is_posted(
        running, uow_factory, clock, seeded):
    """Callback data carry ids only: a pick naming Acme with the café's packing slip is refused."""
    sam = seeded["sales"]
    clock.at = datetime(2026, 10, 1, 9, 0, tzinfo=AMS)
    await deliver_on(uow_factory, clock, sam, await order_for(uow_factory, clock, sam, seeded["acme"],
                                                              [(seeded["chair"], 1)]), 2, 10, {1: D(1)})
    cafe_slip = await deliver_on(uow_factory, clock, sam, await order_for(
        uow_factory, clock, sam, seeded["cafe"], [(seeded["book"], 3)]), 3, 10, {1: D(3)})
    chat = running.chat(SAM)
    await chat.say("/invoicing")
    await chat.say("2026-10")
    await chat.tap("Choose slips C-001")
    await chat.reply()
    message_id = running.fake.last_bot_message(SAM)["message_id"]
    acme = seeded["acme"].id
    pick = await chat.tap_data(message_id, SlipPick(customer_id=acme, slip_id=cafe_slip.id).pack(),
                               check_button=False)
    assert "not one of this customer's" in chat.alert(pick)
    post = await chat.tap_data(message_id, ChooseSlips(action="post", customer_id=acme).pack(), check_button=False)
    assert "Tap at least one packing slip first" in chat.alert(post)
    _order, [slip] = await orders.get_order(uow_factory(), sam, cafe_slip.sales_order_id)
    assert slip.invoice_number is None
