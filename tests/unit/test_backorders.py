"""Backorder rules: which lines wait, how on-hand stock is split, when more must be ordered."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from domain.backorder import (BackorderLine, Supply, allocate, confirm_delivery_date, is_backorder,
                              quantity_short, raise_priority, PRIORITY_MAX)
from domain.errors import InvalidInput, TransitionNotAllowed
from domain.purchase_order import PurchaseOrder, Vendor
from domain.sales_order import SalesOrder, SalesOrderLine, SalesOrderStatus, SalesOrderType

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 24)


def bl(line_id, remainder, *, days=0, priority=0, number=None, confirmed=None) -> BackorderLine:
    return BackorderLine(line_id=line_id, order_id=line_id, order_number=number or f"SO-{line_id:06d}",
                         line_number=1, customer_id=1, salesperson_id=1, item_id=1,
                         ordered_at=T0 + timedelta(days=days), remainder=Decimal(remainder),
                         priority=priority, confirmed_date=confirmed)


def order(quantity="5", delivered="0", status=SalesOrderStatus.OPEN_ORDER,
          order_type=SalesOrderType.SALES_ORDER) -> SalesOrder:
    line = SalesOrderLine(line_number=1, item_id=1, item_number="A-100", description="Chair", unit="pcs",
                          quantity=Decimal(quantity), unit_price=Decimal(10), tax_percent=Decimal(21),
                          delivered=Decimal(delivered))
    return SalesOrder(number="SO-000001", order_type=order_type, customer_id=1, salesperson_id=1,
                      created_at=T0, status=status, lines=[line])


def test_a_line_with_a_deliver_remainder_of_an_open_sales_order_is_a_backorder():
    o = order()
    assert is_backorder(o, o.lines[0])


@pytest.mark.parametrize("o", [
    order(delivered="5", status=SalesOrderStatus.DELIVERED),
    order(status=SalesOrderStatus.CANCELED),
    order(order_type=SalesOrderType.JOURNAL),
])
def test_delivered_canceled_and_journal_lines_are_not_backorders(o):
    assert not is_backorder(o, o.lines[0])


def test_the_older_order_gets_the_stock_first():
    result = allocate(Decimal(7), [bl(2, 5, days=1), bl(1, 5, days=0)])
    assert [(a.line.line_id, a.quantity) for a in result] == [(1, 5), (2, 2)]


def test_a_raised_priority_goes_before_an_older_order():
    result = allocate(Decimal(5), [bl(1, 5, days=0), bl(2, 5, days=3, priority=1)])
    assert [(a.line.line_id, a.quantity) for a in result] == [(2, 5), (1, 0)]


def test_the_same_day_is_decided_by_order_number():
    result = allocate(Decimal(1), [bl(1, 1, number="SO-000009"), bl(2, 1, number="SO-000003")])
    assert [(a.line.order_number, a.quantity) for a in result] == [("SO-000003", 1), ("SO-000009", 0)]


def test_no_stock_allocates_nothing():
    assert all(a.quantity == 0 for a in allocate(Decimal(0), [bl(1, 3), bl(2, 4)]))


def test_quantity_short_counts_remainders_minus_stock_minus_missing_deliveries():
    assert quantity_short([bl(1, 10), bl(2, 5)], Decimal(4), [Supply(date(2026, 12, 1), Decimal(6))]) == 5
    assert quantity_short([bl(1, 3)], Decimal(4), []) == 0


def test_a_vendor_delivery_after_the_confirmed_date_does_not_count_for_that_line():
    late = [Supply(date(2026, 12, 20), Decimal(10))]
    assert quantity_short([bl(1, 10, confirmed=date(2026, 12, 1))], Decimal(0), late) == 10
    assert quantity_short([bl(1, 10, confirmed=date(2026, 12, 31))], Decimal(0), late) == 0
    assert quantity_short([bl(1, 10)], Decimal(0), late) == 0  # no date promised: it can wait


def test_priority_is_raised_one_step_up_to_the_highest():
    o = order()
    for _ in range(PRIORITY_MAX):
        raise_priority(o, 1)
    assert o.lines[0].priority == PRIORITY_MAX
    with pytest.raises(InvalidInput, match="highest priority"):
        raise_priority(o, 1)


def test_a_delivered_line_gets_no_priority_or_date():
    o = order(delivered="5", status=SalesOrderStatus.DELIVERED)
    with pytest.raises(TransitionNotAllowed, match="not waiting for delivery"):
        raise_priority(o, 1)
    with pytest.raises(TransitionNotAllowed):
        confirm_delivery_date(o, 1, TODAY, TODAY)


def test_a_confirmed_date_in_the_past_is_refused():
    o = order()
    with pytest.raises(InvalidInput, match="in the past"):
        confirm_delivery_date(o, 1, TODAY - timedelta(days=1), TODAY)
    assert o.lines[0].confirmed_delivery_date is None
    confirm_delivery_date(o, 1, TODAY, TODAY)
    assert o.lines[0].confirmed_delivery_date == TODAY


def test_a_purchase_order_misses_what_is_not_received():
    po = PurchaseOrder("PO-1", 1, 1, "A-100", Decimal(10), TODAY, Decimal(4))
    assert po.missing == 6
    with pytest.raises(InvalidInput, match="more than the ordered"):
        PurchaseOrder("PO-1", 1, 1, "A-100", Decimal(10), TODAY, Decimal(11))
    with pytest.raises(InvalidInput, match="needs a vendor"):
        Vendor(" ")


quantities = st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False)
lines_st = st.lists(st.tuples(quantities.filter(lambda q: q > 0), st.integers(0, 30), st.integers(0, 3)),
                    max_size=25)


def _lines(spec):
    return [bl(n, q, days=d, priority=p) for n, (q, d, p) in enumerate(spec, start=1)]


@given(quantities, lines_st)
def test_allocation_never_gives_more_than_on_hand_or_a_remainder(on_hand, spec):
    result = allocate(on_hand, _lines(spec))
    assert sum(a.quantity for a in result) <= on_hand
    assert all(0 <= a.quantity <= a.line.remainder for a in result)
    # all stock is used while any line still waits
    assert sum(a.quantity for a in result) == min(on_hand, sum(a.line.remainder for a in result))


@given(quantities, lines_st)
def test_a_higher_priority_never_gets_less_while_a_lower_one_gets_some(on_hand, spec):
    result = allocate(on_hand, _lines(spec))
    for high in result:
        for low in result:
            if high.line.priority > low.line.priority and low.quantity > 0:
                assert high.quantity == high.line.remainder


@given(quantities, lines_st, st.lists(st.tuples(st.integers(0, 40), quantities), max_size=5))
def test_quantity_short_is_at_least_the_plain_shortage_and_never_negative(on_hand, spec, supply_spec):
    lines = [bl(n, q, days=d, confirmed=(TODAY + timedelta(days=d)) if p else None)
             for n, (q, d, p) in enumerate(spec, start=1)]
    supplies = [Supply(TODAY + timedelta(days=d), q) for d, q in supply_spec]
    short = quantity_short(lines, on_hand, supplies)
    plain = sum((l.remainder for l in lines), Decimal(0)) - on_hand - sum((s.missing for s in supplies), Decimal(0))
    assert short >= max(plain, Decimal(0))
    # ordering the shortage covers every date: then nothing is short any more
    assert quantity_short(lines, on_hand + short, supplies) == 0
