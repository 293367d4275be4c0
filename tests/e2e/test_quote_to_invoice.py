"""A salesperson takes a quotation to an invoice in Telegram, end to end."""
from __future__ import annotations

from tests.e2e.conftest import attachment, pdf_text, wait_for_mail

SAM = 1001


async def _quote_for_acme(chat) -> str:
    assert "Which customer?" in await chat.say("/quote")
    draft = await chat.say("C-001")
    assert "Acme Office BV" in draft and "No lines yet" in draft
    draft = await chat.say("A-100 4")
    assert "Office chair" in draft and "4 pcs" in draft
    draft = await chat.say("desk 2")
    assert "Standing desk" in draft
    assert "Total: €1,933.34" in draft  # 1,597.80 net + 335.54 tax
    return draft


async def test_start_greets_a_salesperson_by_name_and_sets_the_command_menu(running):
    chat = running.chat(SAM)
    text = await chat.say("/start")
    assert "Hello Sam Sales" in text and "/quote" in text and "/orders" in text
    menu = [c["command"] for c in running.fake.commands_for(SAM)]
    # Issue 3's parts add their commands between these (each part's tests check its own).
    assert menu[:4] == ["quote", "quotes", "orders", "freetext"]
    assert menu[-3:] == ["language", "cancel", "help"]


async def test_a_stranger_is_told_to_ask_an_admin_and_learns_nothing(running):
    chat = running.chat(555)
    for text in ("/start", "/quotes", "C-001", "/orders"):
        reply = await chat.say(text)
        assert "ask your administrator" in reply
        assert "Acme" not in reply and "Q-" not in reply


async def test_a_quotation_is_sent_by_mail_with_its_pdf(running):
    chat = running.chat(SAM)
    await _quote_for_acme(chat)
    await chat.tap("Send")
    assert "is sent to buyer@acme.example" in await chat.reply()
    [mail] = await wait_for_mail(running.smtp, 1)
    assert mail.rcpt_tos == ("buyer@acme.example",)
    assert "Q-000001" in mail.message["Subject"]
    name, pdf = attachment(mail)
    assert name == "Q-000001.pdf"
    text = pdf_text(pdf)
    assert "Acme Office BV" in text and "€1,933.34" in text
    # The salesperson can see the same PDF in the chat, uploaded as a document.
    await running.chat(SAM).tap("PDF")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM)
    filename, in_chat = upload.files["document"]
    assert filename == "Q-000001.pdf" and pdf_text(in_chat) == text


async def test_quotation_to_order_to_packing_slip_to_invoice(running, uow_factory):
    chat = running.chat(SAM)
    await _quote_for_acme(chat)
    await chat.tap("Send")
    await chat.reply()

    await chat.say("/quotes")
    await chat.tap("Q-000001")
    await chat.reply()
    await chat.tap("Confirm")
    assert "sales order SO-000001 is created" in await chat.reply()

    await chat.tap("Show sales order")
    order = await chat.reply()
    assert "Open order" in order and "deliver remainder 4" in order
    await chat.tap("Deliver")
    await chat.reply()
    assert "Packing slip PS-000001 is posted" in await chat.say("3 2")
    order = await chat.reply()
    assert "delivered 3" in order and "deliver remainder 1" in order

    await chat.tap("Invoice")
    await chat.reply()
    await chat.tap("All that is delivered")
    posted = await chat.reply()
    assert "Invoice INV-000001 is posted" in posted
    mails = await wait_for_mail(running.smtp, 2)
    name, pdf = attachment(mails[1])
    assert name == "INV-000001.pdf" and "SO-000001" in pdf_text(pdf)
    await chat.tap("PDF")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM,
                                         predicate=lambda c: c.files["document"][0] == "INV-000001.pdf")
    assert "SO-000001" in pdf_text(upload.files["document"][1])

    await chat.reply()  # the order again
    await chat.tap("Deliver")
    await chat.reply()
    await chat.tap("Deliver all")
    assert "PS-000002" in await chat.reply()
    assert "Delivered" in await chat.reply()
    await chat.tap("Invoice")
    await chat.reply()
    await chat.tap("Choose packing slips")
    await chat.reply()
    await chat.tap("PS-000002")
    await chat.tap("Post invoice")
    assert "INV-000002" in await chat.reply()
    assert "· Invoiced" in await chat.reply()


async def test_a_command_typed_while_entering_lines_goes_to_its_own_handler(running):
    chat = running.chat(SAM)
    await chat.say("/quote")
    await chat.say("C-001")
    # Not an item search for "/orders": the command is answered, and no line was added.
    assert "There are no open sales orders." in await chat.say("/orders")
    assert "Open quotations" in await chat.say("/quotes")


async def _order_shown(chat, line: str) -> str:
    """A quotation of one line for C-001, sent, confirmed; the sales order's view."""
    await chat.say("/quote")
    await chat.say("C-001")
    await chat.say(line)
    await chat.tap("Send")
    await chat.reply()
    await chat.say("/quotes")
    await chat.tap("Q-000001")
    await chat.reply()
    await chat.tap("Confirm")
    await chat.reply()
    await chat.tap("Show sales order")
    return await chat.reply()


async def test_a_line_named_twice_when_delivering_is_refused_and_nothing_is_posted(running, uow_factory):
    chat = running.chat(SAM)
    await _order_shown(chat, "A-100 5")
    await chat.tap("Deliver")
    await chat.reply()
    assert "Line 1 is named twice" in await chat.say("1:1 1:2")
    async with uow_factory() as uow:
        assert not await uow.packing_slips.of_order(1)
    assert "Packing slip PS-000001 is posted" in await chat.say("1:2")
    assert "delivered 2" in await chat.reply()


async def test_a_canceled_order_reads_canceled_with_nothing_left_and_a_second_cancel_says_so(running):
    chat = running.chat(SAM)
    assert "deliver remainder 3, invoice remainder 3" in await _order_shown(chat, "A-100 3")
    await chat.tap("Cancel order")
    assert "Sales order SO-000001 is canceled." in await chat.reply()
    again = await chat.tap("Cancel order")  # the old button, tapped once more
    assert chat.alert(again) == "Sales order SO-000001 is already canceled."
    await chat.tap("Show sales order")
    view = await chat.reply()
    assert "<b>Sales order SO-000001</b> · Canceled" in view
    assert "deliver remainder 0, invoice remainder 0" in view
    assert "reply_markup" not in running.fake.last_bot_message(SAM)  # nothing to deliver or cancel
