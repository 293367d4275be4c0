"""Sales orders: lines copied from the quotation, remainders, and the status the seed derives from them."""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from domain.errors import InvalidInput, NotFound, TransitionNotAllowed
from domain.item import Item
from domain.quotation import Quotation
from domain.sales_order import (
    DELIVERABLE_TYPES,
    SalesOrder,
    SalesOrderLine,
    SalesOrderStatus,
    SalesOrderType,
    order_date,
)

D = Decimal
Status = SalesOrderStatus
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


def make_item(item_id: int, price: str, tax: str) -> Item:
    item = Item(item_number=f"IT-{item_id}", name=f"Item {item_id}", unit="kg",
                sales_price=D(price), sales_tax_percent=D(tax))
    item.id = item_id
    return item


def confirmed_quotation() -> Quotation:
    q = Quotation.create("Q-000042", customer_id=3, salesperson_id=5, now=NOW)
    q.id = 42
    q.add_line(make_item(1, "0.1250", "21"), D("8"))
    q.add_line(make_item(2, "19.99", "9"), D("2.5"))
    q.mark_confirmed(NOW, NOW.date())
    return q


def order_with(*quantities: str, order_type: SalesOrderType = SalesOrderType.SALES_ORDER) -> SalesOrder:
    order = SalesOrder(number="SO-000007", order_type=order_type, customer_id=3, salesperson_id=5,
                       created_at=NOW)
    order.id = 7
    for n, quantity in enumerate(quantities, start=1):
        order.lines.append(SalesOrderLine(
            line_number=n, item_id=n, item_number=f"IT-{n}", description=f"Item {n}", unit="pcs",
            quantity=D(quantity), unit_price=D("10"), tax_percent=D("21")))
    return order


# --- from the quotation -----------------------------------------------------------------------

def test_an_order_from_a_quotation_copies_its_lines_customer_and_salesperson():
    q = confirmed_quotation()
    order = SalesOrder.from_quotation(q, "SO-000001", NOW + timedelta(minutes=1))
    assert (order.number, order.order_type, order.status) == (
        "SO-000001", SalesOrderType.SALES_ORDER, Status.OPEN_ORDER)
    assert (order.customer_id, order.salesperson_id, order.quotation_id) == (3, 5, 42)
    assert order.created_at == NOW + timedelta(minutes=1)
    assert order_date(order) == NOW.date()
    copied = [(l.line_number, l.item_id, l.item_number, l.description, l.unit, l.quantity,
               l.unit_price, l.tax_percent, l.delivered, l.invoiced) for l in order.lines]
    assert copied == [(1, 1, "IT-1", "Item 1", "kg", D(8), D("0.1250"), D(21), 0, 0),
                      (2, 2, "IT-2", "Item 2", "kg", D("2.5"), D("19.99"), D(9), 0, 0)]
    assert order.totals == q.totals


def test_the_order_lines_are_copies_that_do_not_follow_later_changes_to_the_quotation():
    q = confirmed_quotation()
    order = SalesOrder.from_quotation(q, "SO-000001", NOW)
    q.lines[0].quantity = D(99)
    assert order.line(1).quantity == D(8)


def test_a_line_that_is_not_on_the_order_is_not_found():
    with pytest.raises(NotFound, match="Line 3 is not on sales order SO-000007"):
        order_with("1", "2").line(3)


# --- remainders -------------------------------------------------------------------------------

def test_remainders_are_what_is_ordered_minus_what_is_delivered_or_invoiced():
    order = order_with("10")
    order.record_delivery(1, D("4.5"))
    order.record_invoicing(1, D("1.25"))
    line = order.line(1)
    assert (line.deliver_remainder, line.invoice_remainder, line.delivered_not_invoiced) == (
        D("5.5"), D("8.75"), D("3.25"))


def test_a_delivery_uses_up_the_allocation_of_its_line_first():
    order = order_with("10")
    line = order.line(1)
    line.allocated = D(6)
    order.record_delivery(1, D(4))
    assert line.allocated == D(2)  # two of the allocated six are still reserved for the line
    order.record_delivery(1, D(5))
    assert (line.deliver_remainder, line.allocated) == (D(1), D(0))


@given(st.lists(st.integers(min_value=1, max_value=4), max_size=6), st.integers(min_value=0, max_value=10))
def test_an_allocation_never_exceeds_the_deliver_remainder(deliveries, allocated):
    order = order_with("10")
    line = order.line(1)
    line.allocated = D(allocated)
    for quantity in deliveries:
        if D(quantity) <= line.deliver_remainder:
            order.record_delivery(1, D(quantity))
            assert D(0) <= line.allocated <= line.deliver_remainder


def test_more_than_the_deliver_remainder_cannot_be_delivered():
    order = order_with("10")
    order.record_delivery(1, D(6))
    with pytest.raises(InvalidInput, match="only 4 pcs left to deliver"):
        order.record_delivery(1, D("4.001"))
    assert order.line(1).delivered == D(6)


def test_only_what_was_delivered_and_not_invoiced_can_be_invoiced():
    order = order_with("10")
    order.record_delivery(1, D(3))
    order.record_invoicing(1, D(2))
    with pytest.raises(InvalidInput, match="only 1 pcs delivered and not yet invoiced"):
        order.record_invoicing(1, D(2))
    assert order.line(1).invoiced == D(2)


# --- status derived from the lines ------------------------------------------------------------

def test_an_order_stays_open_while_any_line_has_something_left_to_deliver():
    order = order_with("5", "3")
    order.record_delivery(1, D(5))
    order.record_invoicing(1, D(5))
    order.record_delivery(2, D("2.999"))
    assert order.derived_status() is Status.OPEN_ORDER


def test_an_order_is_delivered_once_every_line_is_delivered_in_full():
    order = order_with("5", "3")
    order.record_delivery(1, D(5))
    order.record_delivery(2, D(3))
    assert order.derived_status() is Status.DELIVERED
    order.record_invoicing(1, D(5))
    order.record_invoicing(2, D(2))
    assert order.derived_status() is Status.DELIVERED


def test_an_order_is_invoiced_once_both_remainders_are_zero_on_every_line():
    order = order_with("5", "3")
    for n, q in ((1, D(5)), (2, D(3))):
        order.record_delivery(n, q)
        order.record_invoicing(n, q)
    assert order.derived_status() is Status.INVOICED


def test_recording_alone_does_not_change_the_stored_status_until_it_is_refreshed():
    order = order_with("5")
    order.record_delivery(1, D(5))
    assert order.status is Status.OPEN_ORDER
    order.refresh_status()
    assert order.status is Status.DELIVERED


def test_a_canceled_order_stays_canceled_whatever_its_lines_say():
    order = order_with("5")
    order.cancel(NOW)
    order.refresh_status()
    assert order.status is Status.CANCELED and order.derived_status() is Status.CANCELED


# --- canceling --------------------------------------------------------------------------------

def test_an_order_without_deliveries_can_be_canceled():
    order = order_with("5", "1")
    order.cancel(NOW)
    assert order.status is Status.CANCELED and order.canceled_at == NOW
    assert not order.is_open


def test_an_order_with_a_delivery_cannot_be_canceled():
    order = order_with("5", "1")
    order.record_delivery(2, D("0.001"))
    with pytest.raises(TransitionNotAllowed, match="SO-000007 has deliveries"):
        order.cancel(NOW)
    assert order.status is Status.OPEN_ORDER and order.canceled_at is None


def test_an_order_is_canceled_only_once():
    order = order_with("5")
    order.cancel(NOW)
    with pytest.raises(TransitionNotAllowed, match="SO-000007 is already canceled"):
        order.cancel(NOW + timedelta(hours=1))
    assert order.canceled_at == NOW


def test_a_canceled_order_has_nothing_left_to_deliver_or_invoice():
    order = order_with("5", "1")
    line = order.line(1)
    assert (order.deliver_remainder_of(line), order.invoice_remainder_of(line)) == (D(5), D(5))
    order.cancel(NOW)
    assert [(order.deliver_remainder_of(l), order.invoice_remainder_of(l)) for l in order.lines] \
        == [(D(0), D(0)), (D(0), D(0))]
    assert line.quantity == D(5)  # what was ordered stays on record


# --- order types ------------------------------------------------------------------------------

def test_a_sales_order_of_type_sales_order_can_be_delivered():
    order_with("1").require_deliverable()


@pytest.mark.parametrize("order_type", sorted(set(SalesOrderType) - DELIVERABLE_TYPES))
def test_an_order_of_another_type_cannot_be_delivered_or_invoiced(order_type):
    order = order_with("1", order_type=order_type)
    with pytest.raises(TransitionNotAllowed) as caught:
        order.require_deliverable()
    assert "SO-000007" in str(caught.value) and order_type.value in str(caught.value)


def test_a_journal_is_a_draft_that_cannot_be_delivered():
    assert SalesOrderType.JOURNAL not in DELIVERABLE_TYPES
    with pytest.raises(TransitionNotAllowed):
        order_with("1", order_type=SalesOrderType.JOURNAL).require_deliverable()


def test_a_canceled_order_cannot_be_delivered():
    order = order_with("1")
    order.cancel(NOW)
    with pytest.raises(TransitionNotAllowed, match="SO-000007 is canceled"):
        order.require_deliverable()
