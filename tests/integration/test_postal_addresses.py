"""Postal addresses on the real database: the customer import sets them, a party's card sets its own,
a won party's new account takes it over, and a mailing's letters print them (and count the ones
without)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.relationship import LeadDetails, Stage
from domain.services import campaign_letters, campaigns, relationships as rel
from domain.services.imports import IMPORTERS

HEADER = ("account_number", "name", "email", "language")


def _rows(*rows: dict) -> list:
    return [(n + 2, row) for n, row in enumerate(rows)]


async def _customer(uow_factory, account: str):
    async with uow_factory() as uow:
        return await uow.customers.by_account(account)


async def test_the_customer_import_sets_an_address_and_a_file_without_the_column_keeps_it(uow_factory):
    base = dict(zip(HEADER, ("C-900", "Dorpswinkel", "winkel@dorp.example", "nl")))
    await IMPORTERS["customers"](uow_factory(), _rows({**base, "address": "Dorpsstraat 2, 1234 AB Ede"}))
    assert (await _customer(uow_factory, "C-900")).postal_address == "Dorpsstraat 2\n1234 AB Ede"
    await IMPORTERS["customers"](uow_factory(), _rows({**base, "name": "Dorpswinkel BV"}))  # no column
    customer = await _customer(uow_factory, "C-900")
    assert (customer.name, customer.postal_address) == ("Dorpswinkel BV", "Dorpsstraat 2\n1234 AB Ede")
    await IMPORTERS["customers"](uow_factory(), _rows({**base, "address": ""}))  # the column, empty
    assert (await _customer(uow_factory, "C-900")).postal_address == ""


async def test_a_won_party_s_new_account_takes_its_postal_address(uow_factory, clock, seeded):
    sam = seeded["sales"]
    party = await rel.capture_party(uow_factory(), clock, sam, LeadDetails("Jan", "Jansen Bouw", "jan@bouw.example"),
                                    Stage.LEAD)
    await rel.set_postal_address(uow_factory(), sam, party.id, "Bouwweg 1\n4321 BA Breda")
    await rel.qualify(uow_factory(), clock, sam, party.id, Decimal("1000"), Decimal("50"), date(2026, 12, 31))
    _, customer = await rel.win_opportunity(uow_factory(), clock, sam, party.id, "Signed")
    assert (await _customer(uow_factory, customer.account_number)).postal_address == "Bouwweg 1\n4321 BA Breda"


async def test_a_mailing_prints_each_known_address_and_counts_the_letters_without_one(uow_factory, clock, seeded):
    async with uow_factory() as uow:
        (await uow.customers.get(seeded["acme"].id)).postal_address = "Kantoorplein 1\n1000 AA Amsterdam"
        await uow.commit()
    marketing = seeded["marketing"]
    created = await campaigns.create(uow_factory(), clock, marketing, "mailing", "Brief", "en", "stage=customer")
    await campaigns.set_content(uow_factory(), marketing, created.campaign.id, "en", "Hello\nDear {{ contact_name }}")
    rendered = []

    def render(letters) -> bytes:
        rendered.extend(letters)
        return b"%PDF"
    printed = await campaign_letters.print_letters(uow_factory(), clock, marketing, created.campaign.id, render)
    by_name = {letter.contact_name: letter.address for letter in rendered}
    assert by_name == {"Acme Office BV": ("Kantoorplein 1", "1000 AA Amsterdam"), "Café Hoogvliet": ()}
    assert (printed.letters, printed.without_address) == (2, 1)
