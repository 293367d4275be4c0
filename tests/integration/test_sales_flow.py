"""The spine of the seed's sales flow through the service layer, on a real database."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.errors import ConcurrentChange, InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from domain.outbox import MailKind
from domain.quotation import QuotationStatus
from domain.sales_order import SalesOrderStatus
from domain.services import orders, quotations


async def _sent_quotation(uow_factory, clock, seeded, lines=(("chair", "4"), ("desk", "2"))):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    for key, qty in lines:
        q = await quotations.add_line(uow_factory(), sam, q.id, seeded[key].id, Decimal(qty))
    return await quotations.send_quotation(uow_factory(), clock, sam, q.id)


async def test_a_quotation_goes_to_an_order_a_packing_slip_and_an_invoice(uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await _sent_quotation(uow_factory, clock, seeded)
    assert q.status is QuotationStatus.SENT
    assert q.totals.net == Decimal("1597.80")  # 4 x 149.95 + 2 x 499.00
    assert q.totals.tax == Decimal("335.54")    # 125.96 + 209.58, rounded per line
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    assert order.status is SalesOrderStatus.OPEN_ORDER and len(order.lines) == 2

    slip = await orders.deliver(uow_factory(), clock, sam, order.id, {1: Decimal("3"), 2: Decimal("2")})
    order, _ = await orders.get_order(uow_factory(), sam, order.id)
    assert [l.deliver_remainder for l in order.lines] == [Decimal("1"), Decimal("0")]
    async with uow_factory() as uow:
        assert (await uow.items.get(seeded["chair"].id)).on_hand == Decimal("47")

    invoice = await orders.invoice_order(uow_factory(), clock, sam, order.id)
    assert [l.quantity for l in invoice.lines] == [Decimal("3"), Decimal("2")]
    order, slips = await orders.get_order(uow_factory(), sam, order.id)
    assert order.status is SalesOrderStatus.OPEN_ORDER
    assert all(s.invoice_number == invoice.number for s in slips)

    await orders.deliver(uow_factory(), clock, sam, order.id, {1: Decimal("1")})
    order, _ = await orders.get_order(uow_factory(), sam, order.id)
    assert order.status is SalesOrderStatus.DELIVERED
    await orders.invoice_order(uow_factory(), clock, sam, order.id)
    order, _ = await orders.get_order(uow_factory(), sam, order.id)
    assert order.status is SalesOrderStatus.INVOICED
    async with uow_factory() as uow:
        kinds = [m.kind for m in await uow.outbox.due(clock.now(), 10)]
    assert kinds == [MailKind.QUOTATION_SENT, MailKind.INVOICE_POSTED, MailKind.INVOICE_POSTED]
    assert slip.number.startswith("PS-")


async def test_a_quotation_is_confirmed_only_once_even_when_two_taps_race(uow_factory, clock, seeded):
    q = await _sent_quotation(uow_factory, clock, seeded)
    results = await asyncio.gather(
        *(quotations.confirm_quotation(uow_factory(), clock, seeded["sales"], q.id) for _ in range(2)),
        return_exceptions=True)
    orders_made = [r for r in results if not isinstance(r, Exception)]
    refusals = [r for r in results if isinstance(r, Exception)]
    assert len(orders_made) == 1
    assert len(refusals) == 1 and isinstance(refusals[0], (TransitionNotAllowed, ConcurrentChange))
    async with uow_factory() as uow:
        assert len(await uow.sales_orders.open_of(None, 10)) == 1


async def test_a_stale_confirm_on_a_closed_quotation_makes_no_second_order(uow_factory, clock, seeded):
    q = await _sent_quotation(uow_factory, clock, seeded)
    await quotations.confirm_quotation(uow_factory(), clock, seeded["sales"], q.id)
    with pytest.raises(TransitionNotAllowed, match="already confirmed"):
        await quotations.confirm_quotation(uow_factory(), clock, seeded["sales"], q.id)
    lost = await _sent_quotation(uow_factory, clock, seeded)
    await quotations.lose_quotation(uow_factory(), clock, seeded["sales"], lost.id)
    with pytest.raises(TransitionNotAllowed):
        await quotations.confirm_quotation(uow_factory(), clock, seeded["sales"], lost.id)


async def test_another_salespersons_quotation_is_not_found_but_a_manager_sees_it(uow_factory, clock, seeded):
    q = await _sent_quotation(uow_factory, clock, seeded)
    with pytest.raises(NotFound):
        await quotations.confirm_quotation(uow_factory(), clock, seeded["sales2"], q.id)
    with pytest.raises(NotPermitted):
        await quotations.start_quotation(uow_factory(), clock, seeded["marketing"], seeded["acme"].id)
    assert [x.id for x in await quotations.open_quotations(uow_factory(), seeded["manager"])] == [q.id]
    assert await quotations.open_quotations(uow_factory(), seeded["sales2"]) == []


async def test_a_failed_delivery_changes_neither_stock_nor_the_order(uow_factory, clock, seeded):
    q = await _sent_quotation(uow_factory, clock, seeded, lines=(("chair", "4"), ("desk", "20")))
    order = await quotations.confirm_quotation(uow_factory(), clock, seeded["sales"], q.id)
    with pytest.raises(InvalidInput, match="on hand"):
        await orders.deliver(uow_factory(), clock, seeded["sales"], order.id,
                             {1: Decimal("4"), 2: Decimal("20")})
    order, slips = await orders.get_order(uow_factory(), seeded["sales"], order.id)
    assert slips == [] and all(l.delivered == 0 for l in order.lines)
    async with uow_factory() as uow:
        assert (await uow.items.get(seeded["chair"].id)).on_hand == Decimal("50")


async def test_invoicing_before_any_delivery_is_refused(uow_factory, clock, seeded):
    q = await _sent_quotation(uow_factory, clock, seeded)
    order = await quotations.confirm_quotation(uow_factory(), clock, seeded["sales"], q.id)
    with pytest.raises(InvalidInput, match="Post a packing slip first"):
        await orders.invoice_order(uow_factory(), clock, seeded["sales"], order.id)


async def test_invoice_from_chosen_packing_slips_leaves_the_others_to_invoice(uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await _sent_quotation(uow_factory, clock, seeded)
    order = await quotations.confirm_quotation(uow_factory(), clock, sam, q.id)
    first = await orders.deliver(uow_factory(), clock, sam, order.id, {1: Decimal("1")})
    second = await orders.deliver(uow_factory(), clock, sam, order.id, {1: Decimal("2")})
    invoice = await orders.invoice_order(uow_factory(), clock, sam, order.id, [second.id])
    assert [l.quantity for l in invoice.lines] == [Decimal("2")]
    with pytest.raises(InvalidInput):
        await orders.invoice_order(uow_factory(), clock, sam, order.id, [second.id])
    rest = await orders.invoice_order(uow_factory(), clock, sam, order.id)
    assert [l.quantity for l in rest.lines] == [Decimal("1")] and first.number < second.number


async def test_an_expired_quotation_cannot_be_confirmed(uow_factory, clock, seeded):
    q = await _sent_quotation(uow_factory, clock, seeded)
    clock.advance(days=31)
    with pytest.raises(TransitionNotAllowed, match="expired"):
        await quotations.confirm_quotation(uow_factory(), clock, seeded["sales"], q.id)
    clock.advance(days=-31)
    assert q.valid_until == clock.today() + timedelta(days=30)


async def test_entering_a_line_adds_it_only_when_exactly_one_item_matches(uow_factory, clock, seeded):
    sam = seeded["sales"]
    q = await quotations.start_quotation(uow_factory(), clock, sam, seeded["acme"].id)
    entry = await quotations.enter_line(uow_factory(), clock, sam, q.id, "A-100", Decimal("2"))
    assert entry.added and entry.customer.account_number == "C-001"
    assert [(l.item_number, l.quantity) for l in entry.quotation.lines] == [("A-100", Decimal("2"))]
    several = await quotations.enter_line(uow_factory(), clock, sam, q.id, "e", Decimal("1"))  # chair, desk, handbook
    assert not several.added and len(several.matches) == 3
    none = await quotations.enter_line(uow_factory(), clock, sam, q.id, "globex", Decimal("1"))
    assert none.matches == [] and len(none.quotation.lines) == 1
    with pytest.raises(NotFound):
        await quotations.enter_line(uow_factory(), clock, seeded["sales2"], q.id, "A-100", Decimal("1"))
