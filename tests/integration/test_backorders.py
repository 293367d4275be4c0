"""Backorder views, allocation and purchase order import on the real database."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.errors import InvalidInput, NotFound, NotPermitted
from domain.services import backorders as svc
from domain.services.imports import ImportRejected
from tests.backorder_helpers import import_pos, make_order


@pytest.fixture
async def backlog(uow_factory, clock, seeded):
    """Sam's Acme order (chairs 30, desks 8), Olga's Café order (chairs 40, 10 delivered), a
    canceled order and a delivered one; chair stock 50, desk stock 10; two purchase orders."""
    s = seeded
    first = await make_order(uow_factory, clock, s["sales"], s["acme"], [(s["chair"], 30), (s["desk"], 8)])
    clock.advance(hours=1)
    second = await make_order(uow_factory, clock, s["sales2"], s["cafe"], [(s["chair"], 40)], delivered={1: 10})
    canceled = await make_order(uow_factory, clock, s["sales"], s["acme"], [(s["chair"], 99)])
    async with uow_factory() as uow:
        (await uow.sales_orders.get(canceled.id)).cancel(clock.now())
        await uow.commit()
    await make_order(uow_factory, clock, s["sales"], s["acme"], [(s["book"], 5)], delivered={1: 5})
    await import_pos(uow_factory, "PO-1,V-01,Chairs Ltd,A-100,20,2026-12-10,5",
                     "PO-2,V-02,Desk Co,A-200,4,2026-12-01,")
    return {"first": first, "second": second}


async def test_the_item_view_sums_the_open_lines_only(uow_factory, seeded, backlog):
    found = {i.item_number: i for i in await svc.by_item(uow_factory(), seeded["manager"])}
    assert set(found) == {"A-100", "A-200"}  # canceled and delivered lines are no backorders
    chair = found["A-100"]
    assert (chair.open_orders, chair.remainder, chair.on_hand, chair.missing) == (2, 60, 50, 15)
    assert chair.short == 0
    assert list(found)[0] == "A-100" or found["A-200"].short >= chair.short


async def test_a_salesperson_sees_only_their_own_customers_backorders(uow_factory, seeded, backlog):
    mine = await svc.by_item(uow_factory(), seeded["sales"])
    assert {(i.item_number, i.remainder) for i in mine} == {("A-100", 30), ("A-200", 8)}
    customers = await svc.by_customer(uow_factory(), seeded["sales"])
    assert [(c.name, c.open_orders, c.lines) for c in customers] == [("Acme Office BV", 1, 2)]
    with pytest.raises(NotFound):
        await svc.customer_detail(uow_factory(), seeded["sales"], seeded["cafe"].id)
    with pytest.raises(NotPermitted):
        await svc.by_item(uow_factory(), seeded["marketing"])


async def test_the_item_detail_lists_deliveries_and_what_is_short(uow_factory, seeded, backlog, clock):
    detail = await svc.item_detail(uow_factory(), seeded["sales"], seeded["desk"].id)
    assert [(d.number, d.vendor_name, d.missing) for d in detail.deliveries] == [("PO-2", "Desk Co", 4)]
    assert detail.short == 0 and not detail.must_order_more
    chair = await svc.item_detail(uow_factory(), seeded["sales"], seeded["chair"].id)
    assert [l.order_number for l in chair.lines] == [backlog["first"].number]  # only Sam's line
    assert chair.item.open_orders == 2  # the item's figures count every order: stock is shared
    # Promise Olga's 30 chairs before the vendor delivers: 50 on hand cover 60 only with PO-1.
    await svc.set_confirmed_date(uow_factory(), clock, seeded["sales2"], backlog["second"].id, 1,
                                 date(2026, 12, 1))
    await svc.set_confirmed_date(uow_factory(), clock, seeded["sales"], backlog["first"].id, 1,
                                 date(2026, 12, 1))
    chair = await svc.item_detail(uow_factory(), seeded["manager"], seeded["chair"].id)
    assert chair.short == 10 and chair.must_order_more


async def test_the_vendor_view_shows_missing_deliveries_and_the_orders_waiting(uow_factory, seeded, backlog):
    vendors = await svc.by_vendor(uow_factory(), seeded["sales"])
    assert [(v.account, v.missing, v.first_expected) for v in vendors] == [
        ("V-02", 4, date(2026, 12, 1)), ("V-01", 15, date(2026, 12, 10))]
    detail = await svc.vendor_detail(uow_factory(), seeded["manager"], vendors[1].vendor_id)
    assert [d.item_number for d in detail.deliveries] == ["A-100"]
    assert [(l.order_number, l.remainder) for l in detail.waiting] == [
        (backlog["first"].number, 30), (backlog["second"].number, 30)]


async def test_allocation_is_previewed_then_committed_by_priority(uow_factory, seeded, backlog):
    manager, chair = seeded["manager"], seeded["chair"]
    await svc.raise_line_priority(uow_factory(), seeded["sales2"], backlog["second"].id, 1)
    plan = await svc.preview_allocation(uow_factory(), manager, chair.id)
    assert [(a.line.order_number, a.quantity) for a in plan.allocations] == [
        (backlog["second"].number, 30), (backlog["first"].number, 20)]
    lines = await svc.item_detail(uow_factory(), manager, chair.id)
    assert all(l.allocated == 0 for l in lines.lines)  # the preview stores nothing
    await svc.commit_allocation(uow_factory(), manager, chair.id)
    lines = await svc.item_detail(uow_factory(), manager, chair.id)
    assert {(l.order_number, l.allocated, l.priority) for l in lines.lines} == {
        (backlog["second"].number, 30, 1), (backlog["first"].number, 20, 0)}
    with pytest.raises(NotPermitted):
        await svc.commit_allocation(uow_factory(), seeded["sales"], chair.id)


async def test_a_confirmed_date_in_the_past_changes_nothing(uow_factory, seeded, backlog, clock):
    with pytest.raises(InvalidInput):
        await svc.set_confirmed_date(uow_factory(), clock, seeded["sales"], backlog["first"].id, 1,
                                     clock.today() - timedelta(days=1))
    with pytest.raises(NotFound):  # another salesperson's order
        await svc.raise_line_priority(uow_factory(), seeded["sales"], backlog["second"].id, 1)
    detail = await svc.item_detail(uow_factory(), seeded["manager"], seeded["chair"].id)
    assert all(l.confirmed_date is None and l.priority == 0 for l in detail.lines)


async def test_a_purchase_order_import_is_all_or_nothing_and_updates_by_number_and_item(uow_factory, seeded):
    with pytest.raises(ImportRejected) as rejected:
        await import_pos(uow_factory, "PO-1,V-01,,A-100,20,2026-12-10,0",
                         "PO-2,V-01,,NOPE,5,2026-12-10,0",
                         "PO-3,V-01,,A-100,5,someday,0",
                         "PO-4,V-01,,A-100,5,2026-12-10,6")
    assert [(e.line, e.reason.split(" ")[0]) for e in rejected.value.errors] == [
        (3, "unknown"), (4, "'someday'"), (5, "Received")]
    with pytest.raises(ImportRejected) as rejected:
        await import_pos(uow_factory, "PO-1,V-01,,A-100,20,2026-12-10,0", "PO-2,V-01,,NOPE,5,2026-12-10,0")
    assert [e.line for e in rejected.value.errors] == [3]
    assert await svc.by_vendor(uow_factory(), seeded["manager"]) == []
    result = await import_pos(uow_factory, "PO-1,V-01,Chairs Ltd,A-100,20,2026-12-10,0")
    assert (result.created, result.updated) == (1, 0)
    result = await import_pos(uow_factory, "PO-1,V-01,,A-100,20,2026-12-10,20")
    assert (result.created, result.updated) == (0, 1)
    assert await svc.by_vendor(uow_factory(), seeded["manager"]) == []  # all received
