"""A mailing campaign through the real bot: the marketer gets one printable PDF from the campaign
card (a letter per target, accents, euro sign and Cyrillic intact) and the campaign is then done.
A contact who unsubscribed gets no letter; one whose address bounced does."""
from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from domain.consent import Channel, ConsentSource
from domain.relationship import LeadDetails, Party, Stage
from tests.e2e.chat import Chat

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


async def _parties(uow_factory, owner):
    people = [LeadDetails("Renée de Bruïne", "Bakkerij Één", email="renee@een.example"),
              LeadDetails("Иван Петров", "ООО Ромашка", email="ivan@romashka.example"),
              LeadDetails("Piet Weg", "Weg BV", email="piet@weg.example"),
              LeadDetails("Bo Uncer", "Bounce BV", email="bo@bounce.example")]
    async with uow_factory() as uow:
        parties = [Party.capture(d, Stage.LEAD, owner.id, NOW) for d in people]
        for party in parties:
            await uow.parties.add(party)
        await uow.consents.opt_out(Channel.EMAIL, "piet@weg.example", ConsentSource.UNSUBSCRIBE, NOW)
        await uow.consents.opt_out(Channel.EMAIL, "bo@bounce.example", ConsentSource.BOUNCE, NOW)
        parties[0].set_postal_address("Dorpsstraat 1, 1234 AB Één-dorp")
        await uow.commit()
    return parties


async def test_the_marketer_gets_the_letters_pdf_from_the_card_and_the_mailing_is_done(
        running, seeded, uow_factory):
    parties = await _parties(uow_factory, seeded["sales"])
    chat = running.chat(seeded["marketing"].telegram_id)
    for party in parties:
        await chat.say(f"/tag P{party.id} +winter")
    reply = await chat.say("/newcampaign\nmailing\nWinterbrief\nnl\ntag=winter")
    assert "3 letter(s) to print; 1 contact(s) opted out and get none." in reply
    assert "Letters PDF" not in chat.buttons()  # no content yet
    reply = await chat.say("/content 1 nl\nWinteraanbieding voor {{ company }}\nBeste {{ contact_name }},\n\n"
                           "Bureaustoelen vanaf € 149,95.\nMet vriendelijke groet,\n{{ salesperson }}")
    assert "Send now" not in chat.buttons() and "Test to me" not in chat.buttons()

    await chat.tap("Letters PDF")
    call = await running.fake.wait_for("sendDocument", chat_id=seeded["marketing"].telegram_id)
    filename, data = call.files["document"]
    assert filename == "campaign-1-letters.pdf"
    assert "3 letter(s)" in call.params["caption"]
    assert "2 of them have no postal address" in call.params["caption"]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) == 3
    text = "\n".join(pages)
    assert "Beste Renée de Bruïne," in text and "Bakkerij Één" in text
    assert "Dorpsstraat 1\n1234 AB Één-dorp" in pages[[n for n, p in enumerate(pages) if "Renée" in p][0]]
    assert "Beste Иван Петров," in text and "Winteraanbieding voor ООО Ромашка" in text
    assert "€ 149,95" in text and "Sam Sales" in text and "Salesbot Demo BV" in text
    assert "Bo Uncer" in text and "Piet Weg" not in text
    card = await chat.reply()
    assert "status: done" in card and "The print file was produced" in card


async def test_a_salesperson_may_not_print_letters(running, seeded, uow_factory):
    chat = running.chat(seeded["marketing"].telegram_id)
    await chat.say("/newcampaign\nmailing\nBrief\nen\nall")
    await chat.say("/content 1 en\nHello\nDear {{ contact_name }}")
    _message_id, data = chat.button_data("Letters PDF")
    sales = running.chat(seeded["sales"].telegram_id)
    await sales.say("/tag C-001")
    own_message = max(running.fake.state.chats[seeded["sales"].telegram_id].from_bot)
    call = await sales.tap_data(own_message, data, check_button=False)  # the button, replayed in their chat
    assert "Your role does not allow" in (Chat.alert(call) or await sales.reply())
    assert running.fake.calls_of("sendDocument") == []
