"""Trade agreements end to end: the admin imports prices, a salesperson's lines are priced by them
and explain themselves, in English and Dutch; the PDF shows the discount; a manager lists them."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.cli_commands import CliError, import_csv
from bot.formatting import format_money
from tests.e2e.conftest import attachment, pdf_text, wait_for_mail

SAM, MIA = 1001, 1003
ROOT = Path(__file__).resolve().parents[2]
PRICES = """relation,item_code,item,account_code,account,from_quantity,valid_from,valid_to,price,discount_percent,discount_amount
price,item,A-100,group,WHOLESALE,,,31-12-2026,129.00,,
price,item,A-100,group,WHOLESALE,10,,31-12-2026,119.00,,
discount,group,CHAIRS,group,WHOLESALE,50,,,,8,
price,item,A-100,all,,,2025-01-01,2025-12-31,99.00,,
"""


@pytest.fixture
async def priced(running, database_url, uow_factory, seeded, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text(PRICES, encoding="utf-8")
    assert await import_csv(database_url, "prices", path) == "prices: 4 created, 0 updated"
    async with uow_factory() as uow:
        (await uow.customers.get(seeded["acme"].id)).customer_group = "WHOLESALE"
        (await uow.items.get(seeded["chair"].id)).item_group = "CHAIRS"
        await uow.commit()
    return running


def _nl(amount: str) -> str:
    return format_money(Decimal(amount), "EUR", "nl")


async def test_a_salesperson_sees_agreed_prices_quantity_breaks_and_why(priced):
    chat = priced.chat(SAM)
    await chat.say("/quote")
    await chat.say("C-001")
    draft = await chat.say("A-100 4")
    assert "4 pcs × €129.00 = €516.00" in draft
    draft = await chat.say("A-100 56")  # the same item: the line becomes 60 and crosses both breaks
    assert "60 pcs × €119.00 − 8% = €6,568.80" in draft
    await chat.tap("Explain prices")
    explained = await chat.reply()
    assert "1. A-100 Office chair: 60 pcs" in explained
    assert ("Price €119.00: trade agreement for price list WHOLESALE, item A-100, from 10 pcs, "
            "valid until 31 Dec 2026") in explained
    assert "Discount 8%: trade agreement for price list WHOLESALE, item group CHAIRS, from 50 pcs" in explained

    await chat.tap("Change a quantity")
    await chat.reply()
    await chat.tap("1. A-100")
    await chat.reply()
    draft = await chat.say("9")
    assert "9 pcs × €129.00 = €1,161.00" in draft
    draft = await chat.say("book 2")
    assert "2 pcs × €24.50 = €49.00" in draft
    await chat.tap("Explain prices")
    explained = await chat.reply()
    assert "Price €24.50: the item's sales price\nNo line discount" in explained


async def test_the_discount_is_printed_on_the_quotation_pdf(priced):
    chat = priced.chat(SAM)
    await chat.say("/quote")
    await chat.say("C-001")
    await chat.say("A-100 60")
    await chat.tap("Send")
    await chat.reply()
    [mail] = await wait_for_mail(priced.smtp, 1)
    text = pdf_text(attachment(mail)[1])
    assert "Discount 8%" in text and "€6,568.80" in text


async def test_lines_explain_themselves_in_dutch(priced):
    chat = priced.chat(SAM, language_code="nl")
    await chat.say("/quote")
    await chat.say("C-001")
    draft = await chat.say("A-100 60")
    assert f"60 pcs × {_nl('119.00')} − 8% = {_nl('6568.80')}" in draft
    await chat.tap("Prijzen toelichten")
    explained = await chat.reply()
    assert (f"Prijs {_nl('119.00')}: handelsovereenkomst voor prijslijst WHOLESALE, artikel A-100, "
            "vanaf 10 pcs, geldig tot 31 dec 2026") in explained
    assert "Korting 8%: handelsovereenkomst voor prijslijst WHOLESALE, artikelgroep CHAIRS" in explained


async def test_a_customer_outside_the_price_list_pays_the_sales_price(priced):
    chat = priced.chat(SAM)
    await chat.say("/quote")
    await chat.say("C-002")
    draft = await chat.say("A-100 60")  # the 2025 price for everyone has expired
    assert "60 pcs × €149.95 = €8,997.00" in draft


async def test_a_manager_lists_the_agreements_and_a_salesperson_may_not(priced):
    listed = await priced.chat(MIA).say("/prices")
    assert "Trade agreements</b> (4)" in listed
    assert "€119.00: price list WHOLESALE, item A-100, from 10 units, valid until 31 Dec 2026" in listed
    assert "discount 8%: price list WHOLESALE, item group CHAIRS, from 50 units" in listed
    assert "€99.00: all customers, item A-100, valid from 1 Jan 2025, valid until 31 Dec 2025" in listed
    assert await priced.chat(SAM).say("/prices") == "Your role does not allow this."


async def test_another_salesperson_cannot_read_the_prices_of_a_quotation_not_theirs(priced):
    chat = priced.chat(SAM)
    await chat.say("/quote")
    await chat.say("C-001")
    await chat.say("A-100 60")
    _, data = chat.button_data("Explain prices")
    olga = priced.chat(1002)
    await olga.say("/start")
    call = await olga.tap_data(olga.fake.last_bot_message(1002)["message_id"], data, check_button=False)
    assert call.params["show_alert"] and "not yours" in olga.alert(call)


async def test_a_bad_price_file_is_refused_line_by_line_and_changes_nothing(priced, database_url,
                                                                            uow_factory, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("relation,item_code,item,account_code,account,price\n"
                    "price,item,A-100,all,,abc\n"
                    "price,item,A-100,all,,50\n"
                    "price,item,NOPE,all,,50\n", encoding="utf-8")
    with pytest.raises(CliError) as failed:
        await import_csv(database_url, "prices", path)
    assert failed.value.lines == ("line 2: 'abc' is not a number.", "line 4: unknown item number 'NOPE'",
                                  f"{path}: 2 bad row(s); nothing was imported")
    path.write_text("relation,item,account\nprice,A-100,\n", encoding="utf-8")
    with pytest.raises(CliError, match="missing column"):
        await import_csv(database_url, "prices", path)
    async with uow_factory() as uow:
        assert len(await uow.trade_agreements.all()) == 4
