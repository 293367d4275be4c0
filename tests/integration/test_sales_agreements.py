"""Sales agreements through the service layer on a real database (§3)."""
from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import pytest

from domain.errors import ConcurrentChange, InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from domain.sales_agreement import AgreementStatus, CommitmentType
from domain.sales_order import SalesOrderStatus
from domain.services import orders
from domain.services import sales_agreements as sa

SHIP = date(2026, 12, 10)


async def _agreement(uow_factory, clock, seeded, kind=CommitmentType.PRODUCT_QUANTITY, total=None, effective=True):
    sam = seeded["sales"]
    a = await sa.create_agreement(uow_factory(), clock, sam, seeded["acme"].id, kind,
                                  date(2026, 12, 1), date(2026, 12, 31), total)
    per_line = kind is not CommitmentType.TOTAL_VALUE
    await sa.add_line(uow_factory(), sam, a.id, seeded["chair"].id, Decimal("129.00"), None,
                      Decimal(100) if per_line else None)
    entry = await sa.enter_line(uow_factory(), sam, a.id, "A-200", None, Decimal(10),
                                Decimal(20) if per_line else None)
    assert entry.added
    if effective:
        await sa.set_effective(uow_factory(), clock, sam, a.id)
    return a


async def test_an_agreement_is_numbered_stored_and_ordered_from_at_its_prices(uow_factory, clock, seeded):
    sam = seeded["sales"]
    a = await _agreement(uow_factory, clock, seeded)
    assert a.number == "AG-000001"
    order = await sa.order_from_agreement(uow_factory(), clock, sam, a.id, SHIP,
                                          {1: Decimal(10), 2: Decimal(2)})
    order, _slips = await orders.get_order(uow_factory(), sam, order.id)
    assert order.agreement_id == a.id and order.requested_ship_date == SHIP
    assert order.customer_id == seeded["acme"].id
    assert [(l.unit_price, l.discount_percent) for l in order.lines] == [
        (Decimal("129.00"), Decimal(0)), (Decimal("499.00"), Decimal(10))]
    assert [l.net_amount for l in order.lines] == [Decimal("1290.00"), Decimal("898.20")]

    view = await sa.get_agreement(uow_factory(), sam, a.id)
    assert view.agreement.status is AgreementStatus.EFFECTIVE
    assert [r.remaining for r in view.fulfilment.lines] == [Decimal(90), Decimal(18)]
    assert [o.number for o in view.orders] == [order.number]

    # The order goes on through the ordinary order flow.
    await orders.deliver(uow_factory(), clock, sam, order.id, {1: Decimal(10), 2: Decimal(2)})
    invoice = await orders.invoice_order(uow_factory(), clock, sam, order.id)
    assert invoice.totals.net == Decimal("2188.20")


async def test_a_canceled_order_gives_its_commitment_back(uow_factory, clock, seeded):
    sam = seeded["sales"]
    a = await _agreement(uow_factory, clock, seeded, CommitmentType.TOTAL_VALUE, Decimal("5000"))
    order = await sa.order_from_agreement(uow_factory(), clock, sam, a.id, SHIP, {1: Decimal(10)})
    assert (await sa.get_agreement(uow_factory(), sam, a.id)).fulfilment.remaining == Decimal("3710.00")
    await orders.cancel_order(uow_factory(), clock, sam, order.id)
    view = await sa.get_agreement(uow_factory(), sam, a.id)
    assert view.orders[0].status is SalesOrderStatus.CANCELED
    assert view.fulfilment.remaining == Decimal("5000.00")


async def test_an_agreement_on_hold_or_a_ship_date_outside_its_period_orders_nothing(uow_factory, clock, seeded):
    sam = seeded["sales"]
    a = await _agreement(uow_factory, clock, seeded, effective=False)
    with pytest.raises(TransitionNotAllowed, match="only from an effective agreement"):
        await sa.order_from_agreement(uow_factory(), clock, sam, a.id, SHIP, {1: Decimal(1)})
    await sa.set_effective(uow_factory(), clock, sam, a.id)
    with pytest.raises(InvalidInput, match="outside the validity period"):
        await sa.order_from_agreement(uow_factory(), clock, sam, a.id, date(2027, 1, 2), {1: Decimal(1)})
    with pytest.raises(InvalidInput, match="outside the validity period"):
        await sa.check_order(uow_factory(), clock, sam, a.id, date(2026, 11, 30))
    async with uow_factory() as uow:
        assert await uow.sales_orders.open_of(None, 10) == []
        assert await uow.sales_agreements.orders_of(a.id) == []
    # No order number was used up by the refusals.
    order = await sa.order_from_agreement(uow_factory(), clock, sam, a.id, SHIP, {1: Decimal(1)})
    assert order.number == "SO-000001"


async def test_a_refused_agreement_uses_no_number(uow_factory, clock, seeded):
    with pytest.raises(InvalidInput, match="before it starts"):
        await sa.create_agreement(uow_factory(), clock, seeded["sales"], seeded["acme"].id,
                                  CommitmentType.PRODUCT_VALUE, date(2026, 12, 31), date(2026, 12, 1))
    a = await sa.create_agreement(uow_factory(), clock, seeded["sales"], seeded["acme"].id,
                                  CommitmentType.PRODUCT_VALUE, date(2026, 12, 1), date(2026, 12, 31))
    assert a.number == "AG-000001"


async def test_closing_is_final_and_a_closed_agreement_takes_no_orders(uow_factory, clock, seeded):
    sam = seeded["sales"]
    a = await _agreement(uow_factory, clock, seeded)
    await sa.close(uow_factory(), clock, sam, a.id)
    with pytest.raises(TransitionNotAllowed, match="closing is final"):
        await sa.set_effective(uow_factory(), clock, sam, a.id)
    with pytest.raises(TransitionNotAllowed):
        await sa.order_from_agreement(uow_factory(), clock, sam, a.id, SHIP, {1: Decimal(1)})


async def test_a_close_racing_an_order_lets_only_one_win(uow_factory, clock, seeded):
    sam = seeded["sales"]
    a = await _agreement(uow_factory, clock, seeded)
    results = await asyncio.gather(
        sa.order_from_agreement(uow_factory(), clock, sam, a.id, SHIP, {1: Decimal(1)}),
        sa.close(uow_factory(), clock, sam, a.id), return_exceptions=True)
    order_ok, close_ok = (not isinstance(r, Exception) for r in results)
    for r in results:
        assert not isinstance(r, Exception) or isinstance(r, (ConcurrentChange, TransitionNotAllowed)), r
    assert order_ok or close_ok
    view = await sa.get_agreement(uow_factory(), sam, a.id)
    # What each side was told is what the database holds: no order slips past a close unseen.
    assert (view.agreement.status is AgreementStatus.CLOSED) == close_ok
    assert len(view.orders) == (1 if order_ok else 0)


async def test_salespeople_see_their_own_agreements_and_managers_all(uow_factory, clock, seeded):
    a = await _agreement(uow_factory, clock, seeded)
    assert [x.id for x, _c in await sa.list_agreements(uow_factory(), seeded["sales"])] == [a.id]
    assert await sa.list_agreements(uow_factory(), seeded["sales2"]) == []
    assert [x.id for x, _c in await sa.list_agreements(uow_factory(), seeded["manager"])] == [a.id]
    with pytest.raises(NotFound):
        await sa.close(uow_factory(), clock, seeded["sales2"], a.id)
    with pytest.raises(NotPermitted):
        await sa.list_agreements(uow_factory(), seeded["marketing"])
    await sa.close(uow_factory(), clock, seeded["manager"], a.id)
