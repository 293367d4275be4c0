"""Packing slips lower the deliver remainder and the stock; customer invoices go by whole packing slips."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput, NotFound, TransitionNotAllowed
from domain.invoice import invoice_lines_for, post_customer_invoice
from domain.item import Item
from domain.packing_slip import PackingSlip, post_packing_slip
from domain.sales_order import SalesOrder, SalesOrderLine, SalesOrderStatus, SalesOrderType

D = Decimal
Status = SalesOrderStatus
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = NOW.date()


def make_items(**on_hand: str) -> dict[int, Item]:
    items = {}
    for n, (number, stock) in enumerate(on_hand.items(), start=1):
        item = Item(item_number=number, name=number.title(), unit="pcs", sales_price=D("2.50"),
                    sales_tax_percent=D("21"), on_hand=D(stock))
        item.id = n
        items[n] = item
    return items


def make_order(order_id: int, *lines: tuple[int, str, str, str], customer_id: int = 3) -> SalesOrder:
    """lines: (item id, quantity, unit price, tax percent)."""
    order = SalesOrder(number=f"SO-{order_id:06d}", order_type=SalesOrderType.SALES_ORDER,
                       customer_id=customer_id, salesperson_id=5, created_at=NOW)
    order.id = order_id
    for n, (item_id, quantity, price, tax) in enumerate(lines, start=1):
        order.lines.append(SalesOrderLine(
            line_number=n, item_id=item_id, item_number=f"IT-{item_id}", description=f"Item {item_id}",
            unit="pcs", quantity=D(quantity), unit_price=D(price), tax_percent=D(tax)))
    return order


def state(order: SalesOrder, items: dict[int, Item]) -> tuple:
    return (order.status, [(l.delivered, l.invoiced) for l in order.lines],
            {i: item.on_hand for i, item in items.items()})


@pytest.fixture
def items() -> dict[int, Item]:
    return make_items(screw="100", bolt="5")


@pytest.fixture
def order() -> SalesOrder:
    return make_order(7, (1, "10", "0.1250", "21"), (2, "4", "19.99", "9"))


def deliver(order, items, number, **per_line: str) -> PackingSlip:
    quantities = {int(k.removeprefix("line")): D(v) for k, v in per_line.items()}
    return post_packing_slip(order, items, quantities, number, TODAY)


# --- packing slips ----------------------------------------------------------------------------

def test_a_packing_slip_records_the_delivery_and_lowers_the_stock(order, items):
    slip = deliver(order, items, "PS-000001", line1="3", line2="4")
    assert (slip.number, slip.sales_order_id, slip.customer_id, slip.posted_on) == (
        "PS-000001", 7, 3, TODAY)
    assert [(l.line_number, l.item_number, l.quantity) for l in slip.lines] == [
        (1, "IT-1", D(3)), (2, "IT-2", D(4))]
    assert [l.delivered for l in order.lines] == [D(3), D(4)]
    assert (items[1].on_hand, items[2].on_hand) == (D(97), D(1))
    assert not slip.is_invoiced and order.status is Status.OPEN_ORDER


def test_lines_with_zero_are_skipped(order, items):
    slip = deliver(order, items, "PS-000001", line1="0", line2="2")
    assert [l.line_number for l in slip.lines] == [2]
    assert items[1].on_hand == D(100) and order.line(1).delivered == 0


def test_a_packing_slip_with_only_zeros_is_refused(order, items):
    before = state(order, items)
    with pytest.raises(InvalidInput, match="above zero for at least one line"):
        deliver(order, items, "PS-000001", line1="0", line2="0.000")
    assert state(order, items) == before


@pytest.mark.parametrize("bad", [
    {"line1": "5", "line2": "4.001"},   # line 2 over its remainder
    {"line1": "5", "line3": "1"},       # no such line
    {"line1": "5", "line2": "-1"},      # a negative quantity
    {"line1": "5", "line2": "0.0001"},  # more than three decimals
])
def test_a_bad_line_changes_neither_the_order_nor_the_stock(order, items, bad):
    before = state(order, items)
    with pytest.raises((InvalidInput, NotFound)):
        deliver(order, items, "PS-000001", **bad)
    assert state(order, items) == before


def test_an_item_short_of_stock_changes_neither_the_order_nor_any_stock(order):
    items = make_items(screw="100", bolt="3.999")
    before = state(order, items)
    with pytest.raises(InvalidInput, match="Only 3.999 pcs of bolt on hand"):
        deliver(order, items, "PS-000001", line1="10", line2="4")
    assert state(order, items) == before


def test_stock_is_checked_for_the_sum_of_the_lines_of_one_item():
    items = make_items(screw="5")
    order = make_order(7, (1, "4", "1", "21"), (1, "4", "1", "21"))
    before = state(order, items)
    with pytest.raises(InvalidInput, match="cannot deliver 6"):
        deliver(order, items, "PS-000001", line1="3", line2="3")
    assert state(order, items) == before
    deliver(order, items, "PS-000001", line1="3", line2="2")
    assert items[1].on_hand == 0


def test_delivering_everything_makes_the_order_delivered(order, items):
    deliver(order, items, "PS-000001", line1="6", line2="1")
    deliver(order, items, "PS-000002", line1="4", line2="3")
    assert order.status is Status.DELIVERED
    with pytest.raises(InvalidInput, match="only 0 pcs left to deliver"):
        deliver(order, items, "PS-000003", line1="1")


def test_a_journal_order_cannot_be_delivered(items):
    journal = make_order(7, (1, "1", "1", "21"))
    journal.order_type = SalesOrderType.JOURNAL
    with pytest.raises(TransitionNotAllowed):
        deliver(journal, items, "PS-000001", line1="1")
    assert items[1].on_hand == D(100) and journal.line(1).delivered == 0


# --- customer invoices ------------------------------------------------------------------------

def test_invoice_lines_add_up_each_order_line_across_slips_and_change_nothing(order, items):
    slips = [deliver(order, items, "PS-000001", line1="3"),
             deliver(order, items, "PS-000002", line1="2.5", line2="1")]
    before = state(order, items)
    lines = invoice_lines_for({7: order}, slips)
    assert [(l.sales_order_id, l.line_number, l.quantity, l.unit_price, l.tax_percent)
            for l in lines] == [(7, 1, D("5.5"), D("0.1250"), D(21)),
                                (7, 2, D(1), D("19.99"), D(9))]
    assert state(order, items) == before and not any(s.is_invoiced for s in slips)


def test_posting_an_invoice_marks_its_slips_and_lowers_the_invoice_remainder(order, items):
    s1 = deliver(order, items, "PS-000001", line1="3")
    s2 = deliver(order, items, "PS-000002", line1="2", line2="1")
    invoice = post_customer_invoice({7: order}, [s1], "INV-000001", TODAY)
    assert (s1.invoice_number, s2.invoice_number) == ("INV-000001", None)
    assert [l.invoiced for l in order.lines] == [D(3), 0]
    assert [l.invoice_remainder for l in order.lines] == [D(7), D(4)]
    assert (invoice.number, invoice.customer_id, invoice.salesperson_id, invoice.sales_order_id,
            invoice.invoiced_on) == ("INV-000001", 3, 5, 7, TODAY)
    assert (invoice.totals.net, invoice.totals.tax, invoice.totals.gross) == (
        D("0.38"), D("0.08"), D("0.46"))


def test_an_invoiced_packing_slip_cannot_be_invoiced_again(order, items):
    slip = deliver(order, items, "PS-000001", line1="3")
    post_customer_invoice({7: order}, [slip], "INV-000001", TODAY)
    with pytest.raises(InvalidInput, match="PS-000001 is already invoiced"):
        post_customer_invoice({7: order}, [slip], "INV-000002", TODAY)
    assert slip.invoice_number == "INV-000001" and order.line(1).invoiced == D(3)


def test_a_packing_slip_chosen_twice_is_not_invoiced_twice(order, items):
    s1 = deliver(order, items, "PS-000001", line1="3")
    deliver(order, items, "PS-000002", line1="3")
    with pytest.raises(InvalidInput, match="PS-000001 is chosen twice"):
        post_customer_invoice({7: order}, [s1, s1], "INV-000001", TODAY)
    assert order.line(1).invoiced == 0 and s1.invoice_number is None


def test_an_invoice_with_nothing_selected_is_refused(order):
    with pytest.raises(InvalidInput, match="Post a packing slip first"):
        post_customer_invoice({7: order}, [], "INV-000001", TODAY)


def test_one_invoice_does_not_cover_two_customers(items):
    first = make_order(7, (1, "5", "1", "21"), customer_id=3)
    second = make_order(8, (1, "5", "1", "21"), customer_id=4)
    slips = [deliver(first, items, "PS-000001", line1="1"), deliver(second, items, "PS-000002", line1="1")]
    with pytest.raises(InvalidInput, match="one customer"):
        post_customer_invoice({7: first, 8: second}, slips, "INV-000001", TODAY)
    assert first.line(1).invoiced == second.line(1).invoiced == 0
    assert not any(s.is_invoiced for s in slips)


def test_one_invoice_may_cover_two_orders_of_one_customer(items):
    first, second = make_order(7, (1, "5", "1", "21")), make_order(8, (2, "2", "3", "9"))
    slips = [deliver(first, items, "PS-000001", line1="5"), deliver(second, items, "PS-000002", line1="1")]
    invoice = post_customer_invoice({7: first, 8: second}, slips, "INV-000001", TODAY)
    assert invoice.sales_order_id is None
    assert [(l.sales_order_id, l.quantity) for l in invoice.lines] == [(7, D(5)), (8, D(1))]
    assert (first.status, second.status) == (Status.INVOICED, Status.OPEN_ORDER)


def test_the_order_is_invoiced_only_when_everything_is_delivered_and_invoiced(order, items):
    s1 = deliver(order, items, "PS-000001", line1="10", line2="3")
    post_customer_invoice({7: order}, [s1], "INV-000001", TODAY)
    assert order.status is Status.OPEN_ORDER  # one bolt still to deliver
    s2 = deliver(order, items, "PS-000002", line2="1")
    assert order.status is Status.DELIVERED
    post_customer_invoice({7: order}, [s2], "INV-000002", TODAY)
    assert order.status is Status.INVOICED
    assert all(l.deliver_remainder == 0 and l.invoice_remainder == 0 for l in order.lines)


def test_a_canceled_order_cannot_be_invoiced(items):
    order = make_order(7, (1, "1", "1", "21"))
    slip = PackingSlip(number="PS-000001", sales_order_id=7, customer_id=3, posted_on=date(2026, 3, 1))
    order.cancel(NOW)
    with pytest.raises(TransitionNotAllowed, match="canceled"):
        post_customer_invoice({7: order}, [slip], "INV-000001", TODAY)
    assert slip.invoice_number is None
