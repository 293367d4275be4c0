"""Case-insensitive matching beyond ASCII, on SQLite as on PostgreSQL: SQLite's own lower() and LIKE
fold only A-Z, so "élan" would not find "Élan" and "мир" would not find "Мир"."""
from __future__ import annotations

from decimal import Decimal

from domain.customer import Customer
from domain.item import Item
from domain.relationship import LeadDetails, Stage
from domain.services import relationships as rel


async def _add(uow_factory, *things) -> None:
    async with uow_factory() as uow:
        for thing in things:
            repository = uow.customers if isinstance(thing, Customer) else uow.items
            await repository.add(thing)
        await uow.commit()


async def test_a_customer_is_found_by_part_of_a_name_in_any_case_and_script(uow_factory):
    await _add(uow_factory, Customer("C-710", "Élan Kantoor BV", "info@elan.example"),
               Customer("C-711", "Мир Офис", "zakaz@mir.example"),
               Customer("C-712", "Acme Office BV", "buyer@acme.example"))
    async with uow_factory() as uow:
        assert [c.account_number for c in await uow.customers.search("élan", 10)] == ["C-710"]
        assert [c.account_number for c in await uow.customers.search("ÉLAN", 10)] == ["C-710"]
        assert [c.account_number for c in await uow.customers.search("мир", 10)] == ["C-711"]
        assert [c.account_number for c in await uow.customers.search("ОФИС", 10)] == ["C-711"]
        assert [c.account_number for c in await uow.customers.search("c-712", 10)] == ["C-712"]


async def test_an_item_is_found_by_part_of_its_name_in_any_case(uow_factory):
    await _add(uow_factory, Item("Ö-1", "Ördner blau", "pcs", Decimal("3.5"), Decimal("21"), Decimal("5")),
               Item("A-1", "Ordner rood", "pcs", Decimal("3.5"), Decimal("21"), Decimal("5")))
    async with uow_factory() as uow:
        assert [i.item_number for i in await uow.items.search("ördner", 10)] == ["Ö-1"]
        assert [i.item_number for i in await uow.items.search("ö-1", 10)] == ["Ö-1"]
        assert [i.item_number for i in await uow.items.search("ORDNER", 10)] == ["A-1"]


async def test_a_party_with_the_same_e_mail_in_another_case_is_found_as_a_duplicate(uow_factory, clock, seeded):
    sam = seeded["sales"]
    await rel.capture_party(uow_factory(), clock, sam, LeadDetails("Jörg", "Jörg Bau", "JÖRG@BAU.EXAMPLE"),
                            Stage.LEAD)
    async with uow_factory() as uow:
        found = await uow.parties.with_contact("jörg@bau.example", "")
    assert [p.company for p in found] == ["Jörg Bau"]


async def test_percent_and_underscore_are_matched_as_typed_not_as_wildcards(uow_factory):
    await _add(uow_factory, Customer("C-720", "Acme Office BV", "buyer@acme.example"),
               Customer("C-721", "100% Kantoor", "info@honderd.example"),
               Item("A-100", "Office chair", "pcs", Decimal("150"), Decimal("21"), Decimal("5")),
               Item("A-110", "Office lamp", "pcs", Decimal("40"), Decimal("21"), Decimal("5")))
    async with uow_factory() as uow:
        # A lone % used to list every customer; now only the name that has one.
        assert [c.account_number for c in await uow.customers.search("%", 10)] == ["C-721"]
        assert [c.account_number for c in await uow.customers.search("c-72_", 10)] == []
        assert await uow.items.search("A-1_0", 10) == []  # offered both
        assert await uow.items.search("%", 10) == []
