"""Pro forma invoices and free text invoices in Telegram, end to end."""
from __future__ import annotations


import pytest

from domain.services import orders
from tests.e2e.conftest import attachment, pdf_text, wait_for_mail
from tests.e2e.test_quote_to_invoice import _quote_for_acme

SAM = 1001


async def _delivered_order(chat) -> None:
    """SO-000001 for Acme: 4 chairs and 2 desks ordered, 3 chairs and 2 desks delivered."""
    await _quote_for_acme(chat)
    await chat.tap("Send")
    await chat.reply()
    await chat.say("/quotes")
    await chat.tap("Q-000001")
    await chat.reply()
    await chat.tap("Confirm")
    await chat.reply()
    await chat.tap("Show sales order")
    await chat.reply()
    await chat.tap("Deliver")
    await chat.reply()
    assert "PS-000001 is posted" in await chat.say("3 2")
    await chat.reply()


def _remainders(order) -> list:
    return [(l.delivered, l.invoiced, l.deliver_remainder, l.invoice_remainder) for l in order.lines]


async def test_a_pro_forma_for_an_order_is_a_pdf_marked_pro_forma_and_changes_nothing(running, uow_factory, seeded):
    chat = running.chat(SAM)
    await _delivered_order(chat)
    [open_order] = await orders.open_orders(uow_factory(), seeded["sales"])
    before = _remainders(open_order)
    await chat.tap("Invoice")
    assert "Invoice what?" in await chat.reply()
    await chat.tap("Pro forma")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM)
    filename, pdf = upload.files["document"]
    assert filename == "PRO-FORMA-SO-000001.pdf"
    assert "Nothing is posted" in upload.params["caption"]
    text = pdf_text(pdf)
    assert "PRO FORMA" in text and "SO-000001" in text and "Acme Office BV" in text
    assert "€1,447.85" in text and "€1,751.90" in text  # 3 x 149.95 + 2 x 499.00, plus 304.05 tax
    assert "INV-" not in text and "\u2014" in text  # no invoice number: a dash
    order, slips = await orders.get_order(uow_factory(), seeded["sales"], open_order.id)
    assert _remainders(order) == before and not any(s.is_invoiced for s in slips)
    async with uow_factory() as uow:
        assert await uow.invoices.of_order(order.id) == []
    # Posting afterwards gives the first invoice number and the same amounts.
    await chat.tap("All that is delivered")
    assert "Invoice INV-000001 is posted: €1,751.90" in await chat.reply()


async def _free_text_draft(chat) -> str:
    assert "Which customer?" in await chat.say("/freetext")
    draft = await chat.say("C-002")
    assert "Café Hoogvliet" in draft and "No lines yet" in draft
    draft = await chat.say("8000 250 21 Consulting November")
    assert "main account 8000 · Consulting November: €250.00 (sales tax 21%)" in draft
    draft = await chat.say("8100 10,50 9 Books")
    assert "Total: €313.95" in draft
    return draft


async def test_a_free_text_invoice_is_entered_shown_pro_forma_posted_and_mailed(running):
    chat = running.chat(SAM)
    await _free_text_draft(chat)
    await chat.tap("Pro forma")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM)
    text = pdf_text(upload.files["document"][1])
    assert "PRO FORMA" in text and "Consulting November" in text
    assert "8000" not in text and "8100" not in text  # ledger accounts are ours, not the customer's
    assert "€\xa0313,95" in text  # the customer's language (nl) sets the PDF's number format
    await chat.tap("Post")
    posted = await chat.reply()
    assert "Free text invoice INV-000001 is posted: €313.95" in posted
    assert "inkoop@hoogvliet.example" in posted
    [mail] = await wait_for_mail(running.smtp, 1)
    assert mail.rcpt_tos == ("inkoop@hoogvliet.example",)
    assert "INV-000001" in mail.message["Subject"]
    name, pdf = attachment(mail)
    text = pdf_text(pdf)
    assert name == "INV-000001.pdf"
    assert "FACTUUR" in text and "PRO FORMA" not in text and "Books" in text
    assert "8000" not in text and "8100" not in text
    await chat.tap("PDF")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM,
                                         predicate=lambda c: c.files["document"][0] == "INV-000001.pdf")
    assert pdf_text(upload.files["document"][1]) == text


@pytest.mark.parametrize("typed, answer", [
    ("A-100 5", "A-100 is an item number. A free text invoice has no items"),
    ("8000 -250 21 Refund", "An amount cannot be negative."),
    ("8000 250 21", "Type a line as: main account, amount, sales tax %, description."),
    ("8000 abc 21 Consulting", "'abc' is not a number."),
    ("Consulting 250 21 November", "'Consulting' is not a main account."),
])
async def test_a_bad_free_text_line_gets_a_clear_answer_and_the_draft_keeps_its_lines(running, typed, answer):
    chat = running.chat(SAM)
    await _free_text_draft(chat)
    assert answer in await chat.say(typed)
    await chat.tap("Post")
    assert "INV-000001 is posted: €313.95" in await chat.reply()


async def test_an_unknown_customer_for_a_free_text_invoice_gets_a_clear_answer(running):
    chat = running.chat(SAM)
    await chat.say("/freetext")
    assert "No customer matches “Globex”" in await chat.say("Globex")


async def test_a_free_text_invoice_in_dutch(running):
    chat = running.chat(SAM, language_code="nl")
    assert "Vrije-tekstfactuur" in await chat.say("/freetext")
    draft = await chat.say("C-001")
    assert "Concept" in draft and "hoofdrekening" in draft
    assert "artikelnummer" in await chat.say("A-100 5")
    assert "/freetext" in await chat.say("/cancel")  # where the draft is found again, not /quotes
    assert "Je concepten" in await chat.say("/freetext")


async def test_a_pro_forma_of_chosen_packing_slips_leaves_the_choice_open_for_posting(running):
    chat = running.chat(SAM)
    await _delivered_order(chat)
    await chat.tap("Deliver")
    await chat.reply()
    await chat.tap("Deliver all")
    assert "PS-000002" in await chat.reply()
    await chat.reply()
    await chat.tap("Invoice")
    await chat.reply()
    await chat.tap("Choose packing slips")
    await chat.reply()
    await chat.tap("PS-000002")
    await chat.tap("Pro forma")
    upload = await running.fake.wait_for("sendDocument", chat_id=SAM)
    text = pdf_text(upload.files["document"][1])
    assert "PRO FORMA" in text and "€149.95" in text and "Standing desk" not in text
    await chat.tap("Post invoice")
    assert "INV-000001 is posted: €181.44" in await chat.reply()  # 149.95 + 31.49 tax
