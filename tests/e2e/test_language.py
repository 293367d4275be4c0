"""Dutch and English, end to end: Telegram's language code, /language, Dutch amounts, Dutch mail."""
from __future__ import annotations

from decimal import Decimal

from bot.formatting import format_money
from tests.e2e.conftest import attachment, pdf_text, wait_for_mail

SAM = 1001
CAFE_EMAIL = "inkoop@hoogvliet.example"


def _nl(amount: str) -> str:
    return format_money(Decimal(amount), "EUR", "nl")


def _descriptions(running) -> dict[str, str]:
    return {c["command"]: c["description"] for c in running.fake.commands_for(SAM)}


async def _quote_for_the_cafe(chat) -> str:
    """A draft for C-002: 4 office chairs and 2 standing desks (1,597.80 net, 335.54 tax)."""
    await chat.say("/quote")
    await chat.say("C-002")
    await chat.say("A-100 4")
    return await chat.say("A-200 2")


async def test_telegram_language_nl_gives_dutch_replies_and_a_dutch_menu(running):
    chat = running.chat(SAM, language_code="nl")
    text = await chat.say("/start")
    assert "Hallo Sam Sales!" in text and "Je bent aangemeld met de rol verkoop" in text
    assert "/quote — Nieuwe offerte" in text and "/orders — Openstaande verkooporders" in text
    assert "Hello" not in text
    # Issue 3's parts add commands of their own (each part checks its own words).
    assert _descriptions(running).items() >= {
        "quote": "Nieuwe offerte",
        "quotes": "Mijn openstaande offertes",
        "orders": "Openstaande verkooporders",
        "freetext": "Nieuwe vrije-tekstfactuur",
        "agreements": "Verkoopovereenkomsten",
        "return": "Goederen van een factuur retour nemen",
        "language": "Kies Engels of Nederlands",
        "cancel": "Huidige gesprek afbreken",
        "help": "Wat deze bot kan",
    }.items()
    assert "Welke klant?" in await chat.say("/quote")
    assert (await chat.say("/cancel")).startswith("Gestopt.")


async def test_choosing_english_overrides_telegrams_dutch(running):
    chat = running.chat(SAM, language_code="nl")
    assert await chat.say("/language") == "Welke taal?"
    assert chat.buttons() == ["English", "Nederlands"]
    await chat.tap("English")
    edit = await running.fake.wait_for("editMessageText", chat_id=SAM)
    assert edit.params["text"] == "From now on I will answer in English."
    assert _descriptions(running)["quote"] == "New quotation"

    # Telegram still says nl, the stored choice wins.
    assert "Which customer?" in await chat.say("/quote")
    assert (await chat.say("/cancel")).startswith("Stopped.")
    assert "/quote — New quotation" in await chat.say("/help")

    # And back: the confirmation is in the language just chosen.
    await chat.say("/language")
    await chat.tap("Nederlands")
    edit = await running.fake.wait_for("editMessageText", chat_id=SAM)
    assert edit.params["text"] == "Vanaf nu antwoord ik in het Nederlands."
    assert "/quote — Nieuwe offerte" in await chat.say("/help")
    assert _descriptions(running)["quote"] == "Nieuwe offerte"


async def test_a_dutch_draft_shows_dutch_amounts_and_words(running):
    chat = running.chat(SAM, language_code="nl")
    draft = await _quote_for_the_cafe(chat)
    assert "<b>Offerte Q-000001</b> · Aangemaakt" in draft
    assert "Klant: Café Hoogvliet (C-002)" in draft
    assert f"4 pcs × {_nl('149.95')} = {_nl('599.80')}" in draft
    assert f"2 pcs × {_nl('499.00')} = {_nl('998.00')}" in draft
    assert f"Netto: {_nl('1597.80')}" in draft
    assert f"Btw 21%: {_nl('335.54')}" in draft
    assert f"<b>Totaal: {_nl('1933.34')}</b>" in draft
    assert "€\u00a01.933,34" in draft  # Babel's Dutch: no-break space after €, dot for thousands
    assert "Voeg een regel toe" in draft
    assert chat.buttons() == ["Regel verwijderen", "Aantal wijzigen", "Geldigheidsdatum", "Versturen"]


async def test_a_quotation_for_a_dutch_customer_is_mailed_in_dutch(running):
    # The salesperson works in English; the mail follows the customer's language (C-002: nl).
    chat = running.chat(SAM, language_code="en")
    draft = await _quote_for_the_cafe(chat)
    assert "Total: €1,933.34" in draft
    await chat.tap("Send")
    assert await chat.reply() == f"Quotation Q-000001 is sent to {CAFE_EMAIL} with the PDF attached."

    [mail] = await wait_for_mail(running.smtp, 1)
    assert mail.rcpt_tos == (CAFE_EMAIL,)
    assert mail.message["Subject"] == "Offerte Q-000001 van Salesbot Demo BV"
    body = mail.message.get_body(("plain",)).get_content()
    assert "Geachte Café Hoogvliet," in body
    assert "Bijgaand ontvangt u onze offerte." in body
    assert f"Totaal: {_nl('1933.34')}" in body and "Met vriendelijke groet," in body
    html = mail.message.get_body(("html",)).get_content()
    assert "Geachte Café Hoogvliet," in html and "Geldig tot" in html

    name, pdf = attachment(mail)
    assert name == "Q-000001.pdf"
    text = pdf_text(pdf)
    assert "OFFERTE" in text and "Café Hoogvliet" in text
    assert "Totaal incl. btw" in text and "Artikel" in text and "Omschrijving" in text
    assert "1.933,34" in text
    assert "Total incl. VAT" not in text


async def test_the_dutch_salesperson_is_told_in_dutch_that_the_quotation_is_sent(running):
    chat = running.chat(SAM, language_code="nl")
    await _quote_for_the_cafe(chat)
    await chat.tap("Versturen")
    sent = await chat.reply()
    assert sent == f"Offerte Q-000001 is met de pdf als bijlage verstuurd naar {CAFE_EMAIL}."
    [mail] = await wait_for_mail(running.smtp, 1)
    assert "Offerte" in mail.message["Subject"]
