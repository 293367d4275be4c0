"""/customer: a salesperson looks a customer up and keeps its e-mail address, postal address and
mail language current in the chat; the next quotation goes to the new address."""
from __future__ import annotations

from handlers.customers import CustomerAction
from tests.e2e.conftest import wait_for_mail

SAM, OLGA, MIA, MARK = 1001, 1002, 1003, 1004


async def _stored(uow_factory, account: str):
    async with uow_factory() as uow:
        return await uow.customers.by_account(account)


async def test_a_salesperson_changes_a_customer_s_contact_data_and_the_next_quotation_uses_it(
        running, uow_factory):
    chat = running.chat(SAM)
    assert "Which customer?" in await chat.say("/customer")
    card = await chat.say("acme")
    assert "C-001 · Acme Office BV" in card and "E-mail address: buyer@acme.example" in card
    assert "Mails in: English" in card and "Postal address" not in card
    assert chat.buttons() == ["E-mail address", "Postal address", "✓ English", "Nederlands"]

    await chat.tap("E-mail address")
    assert "Which e-mail address?" in await chat.reply()
    assert "'acme at example' is not an e-mail address." in await chat.say("acme at example")
    assert "E-mail address: inkoop@acme.example" in await chat.say("inkoop@acme.example")

    await chat.tap("Postal address")
    await chat.reply()
    assert "at most 80 characters" in await chat.say("x" * 81)
    card = await chat.say("Kantoorplein 1, 1000 AA Amsterdam")
    assert "Postal address: Kantoorplein 1, 1000 AA Amsterdam" in card
    await chat.tap("Postal address")
    await chat.reply()
    assert "Postal address:" not in await chat.say(" - ")  # a dash removes it
    await chat.tap("Postal address")
    await chat.reply()
    await chat.say("Kantoorplein 1, 1000 AA Amsterdam")

    answer = await chat.tap("Nederlands")
    assert chat.alert(answer) == "Saved."
    edit = await running.fake.wait_for("editMessageText", chat_id=SAM)
    assert "Mails in: Nederlands" in edit.params["text"]
    assert chat.buttons() == ["E-mail address", "Postal address", "English", "✓ Nederlands"]

    acme = await _stored(uow_factory, "C-001")
    assert (acme.email, acme.language, acme.postal_address) == (
        "inkoop@acme.example", "nl", "Kantoorplein 1\n1000 AA Amsterdam")

    # The next quotation goes to the new address, in Dutch.
    await chat.say("/quote")
    await chat.say("C-001")
    await chat.say("A-100 2")
    await chat.tap("Send")
    await chat.reply()
    [mail] = await wait_for_mail(running.smtp, 1)
    assert list(mail.rcpt_tos) == ["inkoop@acme.example"]
    assert mail.message["Subject"].startswith("Offerte")


async def test_a_command_argument_looks_up_at_once_and_several_matches_give_buttons(running):
    chat = running.chat(SAM)
    assert "C-002 · Café Hoogvliet" in await chat.say("/customer CAFÉ")
    assert "Which one?" in await chat.say("/customer o")  # Acme Office BV and Café Hoogvliet
    await chat.tap("C-001")
    assert "C-001 · Acme Office BV" in await chat.reply()
    assert "No customer matches “Zeta”" in await chat.say("/customer Zeta")


async def test_another_salesperson_s_account_and_other_roles_are_refused_and_nothing_changes(
        running, uow_factory, seeded):
    async with uow_factory() as uow:
        (await uow.customers.get(seeded["acme"].id)).salesperson_id = seeded["sales2"].id
        await uow.commit()
    sam = running.chat(SAM)
    card = await sam.say("/customer C-001")
    assert "Salesperson: Olga Other" in card
    refused = await sam.tap("E-mail address")
    assert "another salesperson's account" in sam.alert(refused)
    refused = await sam.tap("Nederlands")
    assert "another salesperson's account" in sam.alert(refused)
    assert "Your role does not allow this." in await running.chat(MARK).say("/customer acme")
    # A forged button for a customer that does not exist.
    message_id, _data = sam.button_data("E-mail address")
    gone = await sam.tap_data(message_id, CustomerAction(action="email", customer_id=999_999).pack(),
                              check_button=False)
    assert sam.alert(gone) == "That customer does not exist."
    acme = await _stored(uow_factory, "C-001")
    assert (acme.email, acme.language) == ("buyer@acme.example", "en")
    # The account's own salesperson may.
    olga = running.chat(OLGA)
    await olga.say("/customer C-001")
    await olga.tap("E-mail address")
    await olga.reply()
    assert "E-mail address: orders@acme.example" in await olga.say("orders@acme.example")
