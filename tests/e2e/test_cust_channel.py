"""Issue 4 §1 and §5 end to end: a customer links Telegram from a mail, sees only their own records.

Includes the authorization matrix: every customer-facing command and button tried by the owning
customer, another customer, a salesperson and an unknown user.
"""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic import SecretStr

from domain.customer_link import issue_token
from domain.services import customer_links, free_text_invoices, orders, quotations
from domain.services.users import set_language
from domain.user import Role
from handlers.customer_view import MyInvoice, MyOrder, MyQuotation
from tests.e2e.conftest import pdf_text, wait_for_mail

SECRET = "a-test-secret-that-signs-customer-links"
BOT = "salesbot_test_bot"
SAM, OLGA, MIA = 1001, 1002, 1003
ACME_TG, CAFE_TG, STRANGER = 7001, 7002, 555
LINK = re.compile(r"https://t\.me/" + BOT + r"\?start=([A-Za-z0-9_-]+)")


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"secret_key": SecretStr(SECRET), "bot_username": BOT})


async def _documents(uow_factory, clock, seeded):
    """For Acme: a sent quotation, its order (chair 3 of 4 delivered, desk 0 of 2), an invoice for
    what was delivered, and a draft quotation that never left the company."""
    sam, acme = seeded["sales"], seeded["acme"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, acme.id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, Decimal(4))
    await quotations.add_line(uow_factory(), sam, q.id, seeded["desk"].id, Decimal(2))
    await quotations.send_quotation(uow_factory(), clock, sam, q.id)
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: Decimal(3)})
    invoice = await orders.invoice_order(uow_factory(), clock, sam, order.id)
    draft = await quotations.start_quotation(uow_factory(), clock, sam, acme.id)
    return q, order, invoice, draft


async def _free_text_invoice(uow_factory, clock, seeded):
    sam = seeded["sales"]
    ft = await free_text_invoices.start_free_text_invoice(uow_factory(), clock, sam, seeded["acme"].id)
    await free_text_invoices.enter_line(uow_factory(), sam, ft.id, "8000 250 21 Consulting")
    return await free_text_invoices.post_free_text_invoice(uow_factory(), clock, sam, ft.id)


async def _link(uow_factory, clock, customer, telegram_id, nonce=b"\x01" * 8, language=None):
    token = issue_token(SECRET.encode(), customer.id, clock.now() + timedelta(days=30), nonce)
    linked = await customer_links.link_account(uow_factory(), clock, SECRET.encode(), token, telegram_id, "Buyer")
    if language:
        await set_language(uow_factory(), linked.user.id, language)
    return linked


async def test_a_quotation_mail_carries_a_link_that_links_the_customer_and_shows_their_documents(
        running, uow_factory, clock, seeded):
    q, order, invoice, draft = await _documents(uow_factory, clock, seeded)
    mails = await wait_for_mail(running.smtp, 2)
    quotation_mail = next(m for m in mails if q.number in m.message["Subject"])
    text = quotation_mail.message.get_body(("plain",)).get_content()
    html = quotation_mail.message.get_body(("html",)).get_content()
    token = LINK.search(text).group(1)
    assert len(token) <= 64 and f'href="https://t.me/{BOT}?start={token}"' in html
    invoice_mail = next(m for m in mails if invoice.number in m.message["Subject"])
    assert LINK.search(invoice_mail.message.get_body(("plain",)).get_content())

    buyer = running.chat(ACME_TG)
    welcome = await buyer.say(f"/start {token}")
    assert "now linked to Acme Office BV" in welcome and "/myquotes" in welcome and "/quote " not in welcome
    menu = [c["command"] for c in running.fake.commands_for(ACME_TG)]
    assert menu == ["myquotes", "myorders", "myinvoices", "mybackorders", "unlink", "request", "language", "cancel",
                    "help"]
    async with uow_factory() as uow:
        user = await uow.users.by_telegram_id(ACME_TG)
    assert user.role is Role.CUSTOMER and user.customer_id == seeded["acme"].id

    # My quotations: the sent one (confirmed now), not the draft; its detail and its PDF.
    assert "Your quotations:" in await buyer.say("/myquotes")
    labels = buyer.buttons()
    assert len(labels) == 1 and q.number in labels[0] and "Confirmed" in labels[0] and "valid until" in labels[0]
    await buyer.tap(q.number)
    detail = await buyer.reply()
    assert f"Quotation {q.number}" in detail and "Office chair" in detail and "Total: €1,933.34" in detail
    await buyer.tap("PDF")
    upload = await running.fake.wait_for("sendDocument", chat_id=ACME_TG)
    assert upload.files["document"][0] == f"{q.number}.pdf"
    assert "Acme Office BV" in pdf_text(upload.files["document"][1])

    # My orders: delivered and remaining per line.
    assert "Your orders:" in await buyer.say("/myorders")
    await buyer.tap(order.number)
    detail = await buyer.reply()
    assert "Office chair: ordered 4 pcs, delivered 3, still to deliver 1" in detail
    assert "Standing desk: ordered 2 pcs, delivered 0, still to deliver 2" in detail

    # My backorders: what is still to come, with the order date.
    backorders = await buyer.say("/mybackorders")
    assert "A-100 Office chair: 1 of 4 pcs (ordered 24 Nov 2026)" in backorders
    assert "A-200 Standing desk: 2 of 2 pcs" in backorders

    # My invoices: the PDF.
    assert "Your invoices" in await buyer.say("/myinvoices")
    await buyer.tap(invoice.number)
    upload = await running.fake.wait_for("sendDocument", chat_id=ACME_TG)
    assert upload.files["document"][0] == f"{invoice.number}.pdf"

    # The same link opened again, from another Telegram account: used up.
    assert "already used" in await running.chat(CAFE_TG).say(f"/start {token}")
    async with uow_factory() as uow:
        assert await uow.users.by_telegram_id(CAFE_TG) is None


async def test_a_dutch_customer_gets_dutch_replies_and_dutch_amounts(running, uow_factory, clock, seeded):
    cafe = seeded["cafe"]
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, cafe.id)
    await quotations.add_line(uow_factory(), sam, q.id, seeded["desk"].id, Decimal(3))
    await quotations.send_quotation(uow_factory(), clock, sam, q.id)
    await _link(uow_factory, clock, cafe, CAFE_TG)  # the customer's language (nl) becomes the chat's
    await running.chat(CAFE_TG, "nl").say("/myquotes")
    [label] = running.chat(CAFE_TG).buttons()
    assert "€\xa01.811,37" in label and "Verzonden" in label  # 3 × 499.00 + 21 % tax, Dutch notation


async def test_forged_expired_and_reused_links_are_refused_with_a_clear_message(running, uow_factory, clock, seeded):
    acme = seeded["acme"]
    chat = running.chat(ACME_TG)
    good = issue_token(SECRET.encode(), acme.id, clock.now() + timedelta(days=1), b"\x07" * 8)
    forged = good[:-2] + ("AA" if good[-2:] != "AA" else "BB")
    other_key = issue_token(b"somebody-else's-secret", acme.id, clock.now() + timedelta(days=1), b"\x07" * 8)
    for bad in (forged, other_key, "hello", "x" * 64):
        assert "This link is not valid" in await chat.say(f"/start {bad}")
    expired = issue_token(SECRET.encode(), acme.id, clock.now() - timedelta(seconds=1), b"\x08" * 8)
    assert "This link has expired" in await chat.say(f"/start {expired}")
    async with uow_factory() as uow:
        assert await uow.users.by_telegram_id(ACME_TG) is None  # nothing changed
    assert "now linked to Acme" in await chat.say(f"/start {good}")
    assert "already used" in await running.chat(CAFE_TG).say(f"/start {good}")
    # The owner opening their used link again is told so too: a token works once.
    assert "already used" in await chat.say(f"/start {good}")


async def test_a_staff_account_cannot_be_linked_to_a_customer(running, uow_factory, clock, seeded):
    token = issue_token(SECRET.encode(), seeded["acme"].id, clock.now() + timedelta(days=1), b"\x09" * 8)
    assert "member of staff" in await running.chat(SAM).say(f"/start {token}")
    async with uow_factory() as uow:
        sam = await uow.users.by_telegram_id(SAM)
    assert sam.role is Role.SALES and sam.customer_id is None
    # ... and the token was not used up by the refusal.
    assert "now linked" in await running.chat(ACME_TG).say(f"/start {token}")


async def test_unlink_and_stop_end_the_link_and_keep_the_documents(running, uow_factory, clock, seeded):
    q, *_ = await _documents(uow_factory, clock, seeded)
    await _link(uow_factory, clock, seeded["acme"], ACME_TG)
    chat = running.chat(ACME_TG)
    assert "no longer linked to Acme Office BV" in await chat.say("/unlink")
    after = await chat.say("/myquotes")  # a former customer is shown the way back, not only the admin's
    assert "ask your administrator" in after and "Customers: use the Telegram link in one of our e-mails" in after
    assert [c for c in running.fake.calls_of("deleteMyCommands") if c.params["scope"]["chat_id"] == ACME_TG]
    await _link(uow_factory, clock, seeded["acme"], ACME_TG, nonce=b"\x02" * 8)
    assert "no longer linked" in await chat.say("/stop")
    async with uow_factory() as uow:
        assert await uow.users.by_telegram_id(ACME_TG) is None
        assert (await uow.quotations.get(q.id)).number == q.number
    assert "ask your administrator" in await running.chat(STRANGER).say("/stop")
    assert "This is for customers" in await running.chat(SAM).say("/unlink")


async def test_a_salesperson_invites_their_own_customer_by_mail_and_sees_the_link(running, uow_factory, clock, seeded):
    await _documents(uow_factory, clock, seeded)  # Sam quoted Acme; nobody quoted the café
    await wait_for_mail(running.smtp, 2)
    sam = running.chat(SAM)
    reply = await sam.say("/invite acme")
    assert "An invitation is e-mailed to Acme Office BV (buyer@acme.example)" in reply
    shown = LINK.search(reply).group(1)
    [*_, invite] = await wait_for_mail(running.smtp, 3)
    assert invite.rcpt_tos == ("buyer@acme.example",)
    mailed = LINK.search(invite.message.get_body(("plain",)).get_content()).group(1)
    assert mailed != shown  # two links, each single-use
    assert "now linked to Acme" in await running.chat(ACME_TG).say(f"/start {mailed}")
    assert "now linked to Acme" in await running.chat(7003).say(f"/start {shown}")
    # Not one's own customer: reported as not found; a manager may invite anyone.
    assert "No customer of yours matches" in await sam.say("/invite café")
    assert "No customer of yours matches" in await running.chat(OLGA).say("/invite acme")
    assert "An invitation is e-mailed to Café Hoogvliet" in await running.chat(MIA).say("/invite C-002")
    assert "followed by the customer's account number" in await sam.say("/invite")
    # /invite is in the menu of those who may invite; customers and strangers cannot invite.
    assert "/invite" in await sam.say("/start")
    assert "invite" in [c["command"] for c in running.fake.commands_for(SAM)]
    await _link(uow_factory, clock, seeded["cafe"], CAFE_TG, language="en")
    assert "Your role does not allow this" in await running.chat(CAFE_TG).say("/invite acme")
    assert "ask your administrator" in await running.chat(STRANGER).say("/invite acme")


async def test_without_a_secret_key_linking_says_it_is_not_set_up(running, uow_factory, clock, seeded):
    running.app.dispatcher["deps"].links.secret = None  # the same object the mail composer uses
    await _documents(uow_factory, clock, seeded)
    assert "SALESBOT_SECRET_KEY" in await running.chat(SAM).say("/invite acme")
    assert "SALESBOT_SECRET_KEY" in await running.chat(ACME_TG).say("/start abcdef")
    for mail in await wait_for_mail(running.smtp, 2):  # the mails go out, without a link
        assert "t.me" not in mail.message.get_body(("plain",)).get_content()
        assert "t.me" not in mail.message.get_body(("html",)).get_content()


async def test_without_a_username_setting_the_bot_asks_telegram_for_it(running, uow_factory, clock, seeded):
    links = running.app.dispatcher["deps"].links
    links.bot_username = None
    await _documents(uow_factory, clock, seeded)
    reply = await running.chat(SAM).say("/invite acme")
    bot_id = running.app.bot.id
    assert f"https://t.me/salesbot_{bot_id}_bot?start=" in reply
    assert links.bot_username == f"salesbot_{bot_id}_bot"


async def test_a_linked_customer_gets_their_own_menu_from_start_and_help(running, uow_factory, clock, seeded):
    await _link(uow_factory, clock, seeded["acme"], ACME_TG)
    chat = running.chat(ACME_TG)
    greeting = await chat.say("/start")
    assert "Hello Buyer! Here you can request a quote" in greeting
    for command in ("/myquotes", "/myorders", "/myinvoices", "/mybackorders", "/unlink", "/language"):
        assert command in greeting
    assert "/quote " not in greeting and "/orders" not in greeting and "/invite" not in greeting
    assert "/myquotes" in await chat.say("/help")


# -- the authorization matrix -----------------------------------------------------------------------

OWNER, OTHER, SALES, UNKNOWN = "owner", "other customer", "salesperson", "unknown"
NOT_YOURS = "does not exist or is not yours"
CUSTOMERS_ONLY = "This is for customers who linked"
STRANGER_TEXT = "ask your administrator"

COMMANDS = {  # command: what the owner sees, what another (linked) customer sees
    "/myquotes": ("Your quotations:", "You have no quotations from us yet."),
    "/myorders": ("Your orders:", "You have no orders with us yet."),
    "/myinvoices": ("Your invoices", "You have no invoices from us yet."),
    "/mybackorders": ("Still to be delivered:", "Nothing is waiting to be delivered"),
}


@pytest.fixture
async def matrix(running, uow_factory, clock, seeded):
    q, order, invoice, draft = await _documents(uow_factory, clock, seeded)
    free_text = await _free_text_invoice(uow_factory, clock, seeded)
    await _link(uow_factory, clock, seeded["acme"], ACME_TG, nonce=b"\x11" * 8)
    await _link(uow_factory, clock, seeded["cafe"], CAFE_TG, nonce=b"\x12" * 8, language="en")
    chats = {OWNER: running.chat(ACME_TG), OTHER: running.chat(CAFE_TG), SALES: running.chat(SAM),
             UNKNOWN: running.chat(STRANGER)}
    return chats, q, order, invoice, draft, free_text


@pytest.mark.parametrize("command", sorted(COMMANDS))
async def test_matrix_commands(matrix, command):
    chats, q, order, invoice, _draft, _ft = matrix
    owner_sees, other_sees = COMMANDS[command]
    owner_reply = await chats[OWNER].say(command)
    assert owner_sees in owner_reply
    other_reply = await chats[OTHER].say(command)
    assert other_sees in other_reply
    assert all(n not in other_reply for n in (q.number, order.number, invoice.number, "Acme"))
    assert CUSTOMERS_ONLY in await chats[SALES].say(command)
    assert STRANGER_TEXT in await chats[UNKNOWN].say(command)


def _buttons(q, order, invoice, free_text):
    return {
        "quotation": MyQuotation(action="open", quotation_id=q.id).pack(),
        "quotation pdf": MyQuotation(action="pdf", quotation_id=q.id).pack(),
        "order": MyOrder(order_id=order.id).pack(),
        "invoice pdf": MyInvoice(kind="o", invoice_id=invoice.id).pack(),
        "free text invoice pdf": MyInvoice(kind="f", invoice_id=free_text.id).pack(),
    }


@pytest.mark.parametrize("button", ["quotation", "quotation pdf", "order", "invoice pdf", "free text invoice pdf"])
async def test_matrix_buttons(matrix, running, button):
    """Each customer button replayed in each actor's own chat (callback data forged or copied)."""
    chats, q, order, invoice, _draft, free_text = matrix
    data = _buttons(q, order, invoice, free_text)[button]
    for actor, chat in chats.items():
        await chat.say("/start" if actor != OWNER else "/help")  # a bot message to press on
        answer = await chat.tap_data(running.fake.last_bot_message(chat.user_id)["message_id"], data,
                                     check_button=False)
        alert = chat.alert(answer)
        if actor == OWNER:
            assert alert is None
            if button.endswith("pdf"):
                upload = await running.fake.wait_for("sendDocument", chat_id=ACME_TG)
                assert upload.files["document"][0].endswith(".pdf")
            else:
                assert (q.number if button == "quotation" else order.number) in await chat.reply()
        elif actor == OTHER:
            assert NOT_YOURS in alert
        elif actor == SALES:
            assert CUSTOMERS_ONLY in alert
        else:
            assert STRANGER_TEXT in alert


async def test_matrix_hidden_records_and_bad_ids_are_not_found(matrix, running):
    """The owner too is refused what was never sent (a draft), a kind that does not exist, or a
    missing id."""
    chats, q, order, invoice, draft, free_text = matrix
    owner = chats[OWNER]
    await owner.say("/help")
    message_id = running.fake.last_bot_message(ACME_TG)["message_id"]
    for data in (MyQuotation(action="open", quotation_id=draft.id).pack(),
                 MyQuotation(action="pdf", quotation_id=999).pack(),
                 MyOrder(order_id=999).pack(),
                 MyInvoice(kind="x", invoice_id=invoice.id).pack(),
                 MyInvoice(kind="f", invoice_id=free_text.id + 100).pack()):
        assert NOT_YOURS in owner.alert(await owner.tap_data(message_id, data, check_button=False))


@pytest.mark.parametrize("command", ["/quote", "/quotes", "/orders", "/freetext"])
async def test_matrix_staff_commands_refuse_a_customer(matrix, command):
    chats, *_ = matrix
    reply = await chats[OWNER].say(command)
    assert "Your role does not allow this" in reply


async def test_matrix_staff_buttons_refuse_a_customer(matrix, running):
    from handlers.callbacks import InvoicePdf, OrderAction, OrderOpen, QuotationAction, QuotationOpen
    chats, q, order, invoice, _draft, _ft = matrix
    owner = chats[OWNER]
    await owner.say("/help")
    message_id = running.fake.last_bot_message(ACME_TG)["message_id"]
    for data in (QuotationOpen(quotation_id=q.id).pack(), QuotationAction(action="pdf", quotation_id=q.id).pack(),
                 QuotationAction(action="confirm", quotation_id=q.id).pack(),
                 OrderOpen(order_id=order.id).pack(), OrderAction(action="deliver", order_id=order.id).pack(),
                 OrderAction(action="deliver_all", order_id=order.id).pack(),
                 OrderAction(action="cancel", order_id=order.id).pack(),
                 InvoicePdf(invoice_id=invoice.id).pack()):
        alert = owner.alert(await owner.tap_data(message_id, data, check_button=False))
        if alert is None:  # /orders' Open answers the tap first; the refusal is a second answer
            alert = owner.alert(await running.fake.wait_for("answerCallbackQuery"))
        assert "not yours" in alert or "Your role does not allow this" in alert, (data, alert)
    sent = " ".join(c.params.get("text", "") for c in running.fake.calls_of("sendMessage", chat_id=ACME_TG))
    assert order.number not in sent and q.number not in sent
    assert not running.fake.calls_of("sendDocument", chat_id=ACME_TG)
