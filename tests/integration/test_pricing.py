"""Trade agreements through the service layer on a real database: import, pricing, the flow."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.errors import NotPermitted
from domain.pricing import read_note
from domain.services import orders, pricing, quotations
from domain.services.imports import ImportRejected, import_prices
from tests.fakes.clock import FrozenClock

D = Decimal
HEADER = ("relation", "item_code", "item", "account_code", "account", "from_quantity",
          "valid_from", "valid_to", "price", "discount_percent", "discount_amount")
PRICES = [
    "price,item,A-100,group,WHOLESALE,,,2026-12-31,129.00,,",
    "price,item,A-100,group,WHOLESALE,10,,31-12-2026,119.00,,",
    "discount,group,CHAIRS,group,WHOLESALE,50,,,,8,",
    "discount,all,,customer,C-002,,,,,,5.00",
]


def rows(*lines: str):
    return [(n, dict(zip(HEADER, line.split(",")))) for n, line in enumerate(lines, start=2)]


async def _groups(uow_factory, seeded) -> None:
    async with uow_factory() as uow:
        (await uow.customers.get(seeded["acme"].id)).customer_group = "WHOLESALE"
        (await uow.items.get(seeded["chair"].id)).item_group = "CHAIRS"
        await uow.commit()


async def test_an_import_creates_agreements_and_a_second_run_updates_them(uow_factory, seeded):
    result = await import_prices(uow_factory(), rows(*PRICES))
    assert (result.created, result.updated) == (4, 0)
    changed = PRICES[0].replace("129.00", "125.00")
    result = await import_prices(uow_factory(), rows(changed))
    assert (result.created, result.updated) == (0, 1)
    async with uow_factory() as uow:
        found = await uow.trade_agreements.all()
    assert len(found) == 4
    assert sorted(a.price for a in found if a.price) == [D("119.00"), D("125.00")]


async def test_a_file_with_a_bad_row_imports_nothing_and_names_each_bad_line(uow_factory, seeded):
    bad = rows(PRICES[0],
               "price,item,Z-999,all,,,,,10,,",           # unknown item
               "discount,all,,all,,,,,,,",                # no discount
               "rebate,all,,all,,,,,1,,",                 # unknown relation
               "price,all,,customer,C-404,,,,1,,",        # unknown customer
               "price,all,,all,,,2026-02-30,,1,,",        # not a date
               PRICES[0])                                 # duplicate of line 2
    with pytest.raises(ImportRejected) as rejected:
        await import_prices(uow_factory(), bad)
    reasons = {e.line: e.reason for e in rejected.value.errors}
    assert set(reasons) == {3, 4, 5, 6, 7, 8}  # unknown items and accounts named with the rest
    assert reasons[3] == "unknown item number 'Z-999'" and reasons[6] == "unknown account number 'C-404'"
    assert "either a discount percentage or a discount amount" in reasons[4]
    assert "'rebate' is not a valid relation" in reasons[5]
    assert "not a date" in reasons[7] and "duplicate of line 2" in reasons[8]
    with pytest.raises(ImportRejected) as rejected:
        await import_prices(uow_factory(), rows(PRICES[0], "price,item,Z-999,all,,,,,10,,",
                                                "price,all,,customer,C-404,,,,1,,"))
    assert [(e.line, e.reason) for e in rejected.value.errors] == [
        (3, "unknown item number 'Z-999'"), (4, "unknown account number 'C-404'")]
    async with uow_factory() as uow:
        assert await uow.trade_agreements.all() == []


async def test_a_quotation_line_is_priced_when_entered_and_repriced_when_its_quantity_changes(
        uow_factory, clock, seeded):
    await import_prices(uow_factory(), rows(*PRICES))
    await _groups(uow_factory, seeded)
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    entry = await quotations.enter_line(uow_factory(), clock, sam, q.id, "A-100", D(4))
    line = entry.quotation.lines[0]
    assert (line.unit_price, line.discount_percent, line.net_amount) == (D("129.00"), 0, D("516.00"))
    assert read_note(line.price_note).price.account_value == "WHOLESALE"

    # typing the same item again adds to its line and crosses the quantity breaks
    q = (await quotations.enter_line(uow_factory(), clock, sam, q.id, "A-100", D(56))).quotation
    line = q.lines[0]
    assert (line.unit_price, line.discount_percent) == (D("119.00"), D(8))
    assert line.net_amount == D("6568.80")  # 60 x 119 x 0.92
    q = await quotations.add_line(uow_factory(), sam, q.id, seeded["book"].id, D(2))
    assert q.lines[1].unit_price == D("24.50") and q.lines[1].price_note == ""
    # changing the quantity moves it back below the breaks
    q = await quotations.change_quantity(uow_factory(), sam, q.id, 1, D(5))
    assert (q.lines[0].unit_price, q.lines[0].discount_percent) == (D("129.00"), 0)

    async with uow_factory() as uow:  # stored as priced
        stored = (await uow.quotations.get(q.id)).lines[0]
    assert (stored.unit_price, stored.discount_percent, stored.price_note) == \
        (D("129.00"), D(0), q.lines[0].price_note)


async def test_the_discount_is_stored_on_the_order_and_the_invoice(uow_factory, clock, seeded):
    await import_prices(uow_factory(), rows(*PRICES))
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["cafe"].id)
    q = await quotations.add_line(uow_factory(), sam, q.id, seeded["chair"].id, D(3))
    assert (q.lines[0].unit_price, q.lines[0].discount_amount) == (D("149.95"), D("5.00"))
    assert q.totals.net == D("434.85")  # 3 x 144.95
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: D(3)})
    invoice = await orders.invoice_order(uow_factory(), clock, sam, order.id)
    async with uow_factory() as uow:
        stored_order = await uow.sales_orders.get(order.id)
        stored_invoice = await uow.invoices.get(invoice.id)
    assert stored_order.lines[0].discount_amount == D("5.00")
    assert stored_invoice.lines[0].discount_amount == D("5.00")
    assert stored_invoice.totals.net == D("434.85")
    assert read_note(stored_invoice.lines[0].price_note).discount.account_value == "C-002"


async def test_only_a_manager_lists_the_agreements(uow_factory, seeded):
    await import_prices(uow_factory(), rows(*PRICES))
    assert len(await pricing.list_agreements(uow_factory(), seeded["manager"])) == 4
    with pytest.raises(NotPermitted):
        await pricing.list_agreements(uow_factory(), seeded["sales"])


async def test_the_pricing_day_is_the_company_day_also_after_reading_the_quotation_back(uow_factory, seeded):
    """Half past midnight in Amsterdam is still the day before in UTC: an agreement that starts that
    day must price the line when it is entered and again when its quantity changes (read back)."""
    await import_prices(uow_factory(), rows("price,item,A-100,all,,,2026-12-01,,99.00,,"))
    clock = FrozenClock(datetime(2026, 12, 1, 0, 30, tzinfo=ZoneInfo("Europe/Amsterdam")))
    sam = seeded["sales"]
    quotation = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    entered = await quotations.add_line(uow_factory(), sam, quotation.id, seeded["chair"].id, D("2"))
    changed = await quotations.change_quantity(uow_factory(), sam, quotation.id, 1, D("3"))
    assert entered.lines[0].unit_price == changed.lines[0].unit_price == D("99.00")
    assert pricing.pricing_day(changed).isoformat() == "2026-12-01"
