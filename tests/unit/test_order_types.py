"""§4 order types: the type rules (SalesOrder.change_type), subscriptions, returned orders, credit notes."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput, NotFound, TransitionNotAllowed
from domain.invoice import CustomerInvoice, post_customer_invoice
from domain.item import Item
from domain.packing_slip import post_packing_slip
from domain.returns import (already_returned, create_returned_order, credit_note_lines, post_credit_note,
                            post_receipt, returnable)
from domain.sales_order import (DELIVERABLE_TYPES, SalesOrder, SalesOrderLine, SalesOrderStatus,
                                SalesOrderType, add_months, check_type_at_entry)

D = Decimal
T = SalesOrderType
S = SalesOrderStatus
NOW = datetime(2026, 1, 31, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = NOW.date()


def make_order(order_type=T.SALES_ORDER, order_id=7, quantities=("4", "2")) -> SalesOrder:
    order = SalesOrder(number=f"SO-{order_id:06d}", order_type=order_type, customer_id=3,
                       salesperson_id=5, created_at=NOW, id=order_id)
    for n, q in enumerate(quantities, start=1):
        order.lines.append(SalesOrderLine(line_number=n, item_id=n, item_number=f"IT-{n}",
                                          description=f"Item {n}", unit="pcs", quantity=D(q),
                                          unit_price=D("10.00"), tax_percent=D("21")))
    return order


def make_items(stock="100") -> dict[int, Item]:
    items = {}
    for n in (1, 2):
        items[n] = Item(item_number=f"IT-{n}", name=f"Item {n}", unit="pcs", sales_price=D(10),
                        sales_tax_percent=D(21), on_hand=D(stock), id=n)
    return items


def change(order, new_type, **kw):
    kw.setdefault("warehouse_management", False)
    kw.setdefault("has_packing_slips", any(l.delivered for l in order.lines))
    order.change_type(new_type, TODAY, **kw)


# --- the seed's note: any type can be changed, except Item requirements once Delivered ------------

@pytest.mark.parametrize("old", list(T))
@pytest.mark.parametrize("new", list(T))
def test_any_type_can_be_changed_into_any_other_on_a_new_order(old, new):
    order = make_order(old)
    if old is new:
        with pytest.raises(InvalidInput, match="already of type"):
            change(order, new, project_reference="P-1", rma_number="RMA-000001")
        return
    change(order, new, project_reference="P-1", rma_number="RMA-000001")
    assert order.order_type is new


def test_item_requirements_cannot_change_type_once_delivered_or_invoiced():
    order = make_order(T.ITEM_REQUIREMENTS)
    items = make_items()
    post_packing_slip(order, items, {1: D(4), 2: D(2)}, "PS-000001", TODAY)
    assert order.status is S.DELIVERED
    for new in set(T) - {T.ITEM_REQUIREMENTS}:
        with pytest.raises(TransitionNotAllowed, match="can no longer be changed"):
            change(order, new, rma_number="RMA-1")
    assert order.order_type is T.ITEM_REQUIREMENTS
    # Invoiced is after Delivered: still fixed.
    order.status = S.INVOICED
    with pytest.raises(TransitionNotAllowed):
        change(order, T.SALES_ORDER)


def test_item_requirements_partly_delivered_can_still_change_type():
    order = make_order(T.ITEM_REQUIREMENTS)
    post_packing_slip(order, make_items(), {1: D(1)}, "PS-000001", TODAY)
    assert order.status is S.OPEN_ORDER
    change(order, T.SALES_ORDER)
    assert order.order_type is T.SALES_ORDER


def test_a_delivered_sales_order_can_change_type_as_the_seed_allows():
    order = make_order()
    post_packing_slip(order, make_items(), {1: D(4), 2: D(2)}, "PS-000001", TODAY)
    change(order, T.JOURNAL)
    assert order.order_type is T.JOURNAL
    with pytest.raises(TransitionNotAllowed):
        order.require_deliverable()  # a journal is not invoiced until its type changes again


def test_item_requirements_need_a_project_reference():
    order = make_order()
    for bad in (None, "", "   "):
        with pytest.raises(InvalidInput, match="need a project reference"):
            change(order, T.ITEM_REQUIREMENTS, project_reference=bad)
    with pytest.raises(InvalidInput, match="at most 100"):
        change(order, T.ITEM_REQUIREMENTS, project_reference="x" * 101)
    assert order.order_type is T.SALES_ORDER and order.project_reference is None
    change(order, T.ITEM_REQUIREMENTS, project_reference="  PRJ   Noord ")
    assert order.project_reference == "PRJ Noord"


def test_a_subscription_is_refused_with_warehouse_management():
    order = make_order()
    with pytest.raises(TransitionNotAllowed, match="warehouse management"):
        change(order, T.SUBSCRIPTION, warehouse_management=True)
    assert order.order_type is T.SALES_ORDER and order.period_start is None
    with pytest.raises(TransitionNotAllowed, match="warehouse management"):
        check_type_at_entry(T.SUBSCRIPTION, None, True)


def test_entry_types_exclude_a_returned_order_and_check_the_project():
    assert check_type_at_entry("journal", None, False) is T.JOURNAL
    with pytest.raises(InvalidInput, match="/return"):
        check_type_at_entry(T.RETURNED_ORDER, None, False)
    with pytest.raises(InvalidInput, match="project reference"):
        check_type_at_entry(T.ITEM_REQUIREMENTS, " ", False)


def test_a_canceled_order_keeps_its_type():
    order = make_order()
    order.cancel(NOW)
    with pytest.raises(TransitionNotAllowed, match="canceled"):
        change(order, T.JOURNAL)


def test_an_order_with_deliveries_does_not_turn_into_or_out_of_a_returned_order():
    order = make_order()
    post_packing_slip(order, make_items(), {1: D(1)}, "PS-000001", TODAY)
    with pytest.raises(TransitionNotAllowed, match="returned order"):
        change(order, T.RETURNED_ORDER, rma_number="RMA-000001")
    ret = make_order(T.RETURNED_ORDER)
    ret.rma_number = "RMA-000001"
    post_receipt(ret, make_items(), {1: D(1)}, "PS-000002", TODAY)
    with pytest.raises(TransitionNotAllowed, match="returned order"):
        change(ret, T.SALES_ORDER)


def test_an_invoiced_subscription_with_slips_of_an_earlier_period_does_not_become_a_returned_order():
    # Its line counters are 0 again in period 2; the slips of period 1 still say goods went out,
    # and turning it into a returned order would credit the same invoice a second time.
    order = make_order()
    change(order, T.SUBSCRIPTION)
    slip = post_packing_slip(order, make_items(), {1: D(4), 2: D(2)}, "PS-000001", TODAY)
    post_customer_invoice({7: order}, [slip], "INV-000001", TODAY)
    assert order.period_number == 2 and not any(l.delivered for l in order.lines)
    with pytest.raises(TransitionNotAllowed, match="has deliveries or receipts"):
        change(order, T.RETURNED_ORDER, rma_number="RMA-000001", has_packing_slips=True)
    assert order.order_type is T.SUBSCRIPTION and order.rma_number is None
    change(order, T.SALES_ORDER, has_packing_slips=True)  # the seed: other types stay open to it


def test_a_return_made_from_an_invoice_keeps_its_type():
    # Its lines hold the invoice's quantities back from other returns; as another type it would
    # still do so, with an RMA number and a reason for goods that never come back.
    order, invoice = invoiced()
    ret = create_returned_order(invoice, {7: order}, [], {1: D(2)}, "Damaged", "SO-000008",
                                "RMA-000001", NOW)
    for new in set(T) - {T.RETURNED_ORDER}:
        with pytest.raises(TransitionNotAllowed, match="returns goods from an invoice and keeps its type"):
            change(ret, new, project_reference="P-1")
    assert ret.order_type is T.RETURNED_ORDER and ret.rma_number == "RMA-000001"
    ret.cancel(NOW)  # the way to give the quantities back
    assert returnable(invoice, already_returned([ret])) == {1: D(4), 2: D(2)}


def test_becoming_a_returned_order_needs_and_keeps_an_rma_number():
    order = make_order()
    with pytest.raises(InvalidInput, match="RMA"):
        change(order, T.RETURNED_ORDER)
    change(order, T.RETURNED_ORDER, rma_number="RMA-000003")
    assert order.rma_number == "RMA-000003"
    change(order, T.SALES_ORDER)
    change(order, T.RETURNED_ORDER)  # its RMA number stays with it
    assert order.rma_number == "RMA-000003"


def test_deliverable_types():
    assert DELIVERABLE_TYPES == {T.SALES_ORDER, T.SUBSCRIPTION, T.ITEM_REQUIREMENTS}


# --- subscriptions -------------------------------------------------------------------------------

def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 24), 1) == date(2026, 12, 24)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 31), 12) == date(2027, 3, 31)


def test_an_invoiced_subscription_is_an_open_order_again_with_the_next_period_due():
    order = make_order()
    change(order, T.SUBSCRIPTION)
    assert (order.period_months, order.period_number, order.period_start) == (1, 1, TODAY)
    items = make_items()
    slip1 = post_packing_slip(order, items, {1: D(4)}, "PS-000001", TODAY)
    post_customer_invoice({7: order}, [slip1], "INV-000001", TODAY)
    assert order.status is S.OPEN_ORDER and order.period_number == 1  # line 2 still due
    slip2 = post_packing_slip(order, items, {2: D(2)}, "PS-000002", TODAY)
    assert order.status is S.DELIVERED
    post_customer_invoice({7: order}, [slip2], "INV-000002", TODAY)
    assert order.status is S.OPEN_ORDER
    assert order.period_number == 2 and order.current_period_start == date(2026, 2, 28)
    assert order.next_period_start == date(2026, 3, 31)  # counted from 31 Jan: no drift
    assert [(l.deliver_remainder, l.invoice_remainder) for l in order.lines] == [(4, 4), (2, 2)]
    assert items[1].on_hand == 96 and items[2].on_hand == 98


def test_a_delivered_subscription_stays_delivered_until_invoiced():
    order = make_order()
    change(order, T.SUBSCRIPTION)
    post_packing_slip(order, make_items(), {1: D(4), 2: D(2)}, "PS-000001", TODAY)
    assert order.status is S.DELIVERED and order.period_number == 1


# --- returned orders ------------------------------------------------------------------------------

def invoiced(quantities=("4", "2")) -> tuple[SalesOrder, CustomerInvoice]:
    order = make_order(quantities=quantities)
    slip = post_packing_slip(order, make_items(), {n: D(q) for n, q in enumerate(quantities, 1)},
                             "PS-000001", TODAY)
    invoice = post_customer_invoice({7: order}, [slip], "INV-000001", TODAY)
    invoice.id = 11
    return order, invoice


def test_a_return_takes_the_invoice_lines_prices_and_gets_its_rma_number():
    order, invoice = invoiced()
    ret = create_returned_order(invoice, {7: order}, [], {1: D(3)}, "  Damaged  in transit ",
                                "SO-000008", "RMA-000001", NOW)
    assert ret.order_type is T.RETURNED_ORDER and ret.rma_number == "RMA-000001"
    assert ret.return_reason == "Damaged in transit" and ret.returned_invoice_id == 11
    [line] = ret.lines
    assert (line.line_number, line.item_id, line.quantity, line.unit_price) == (1, 1, D(3), D("10.00"))
    assert ret.customer_id == invoice.customer_id and ret.salesperson_id == invoice.salesperson_id


@pytest.mark.parametrize("percent, amount", [(D("12.5"), D(0)), (D(0), D("1.50")), (D(10), D("0.75"))])
def test_a_credit_note_credits_what_was_invoiced_discount_included(percent, amount):
    order = make_order(quantities=("3", "2"))
    order.lines[0].discount_percent, order.lines[0].discount_amount = percent, amount
    slip = post_packing_slip(order, make_items(), {1: D(3), 2: D(2)}, "PS-000001", TODAY)
    invoice = post_customer_invoice({7: order}, [slip], "INV-000001", TODAY)
    invoice.id = 11
    ret = create_returned_order(invoice, {7: order}, [], {1: D(3), 2: D(2)}, "Damaged", "SO-000008",
                                "RMA-000001", NOW)
    ret.id = 8
    receipt = post_receipt(ret, make_items(), {1: D(3), 2: D(2)}, "PS-000002", TODAY)
    credit = post_credit_note(ret, [receipt], invoice.number, "CN-000001", TODAY)
    # A full return gives back exactly what was paid: not the list price the discount came off.
    assert credit.totals.net == -invoice.totals.net and credit.totals.gross == -invoice.totals.gross
    assert [l.net_amount for l in credit.lines] == [-l.net_amount for l in invoice.lines]


def test_a_return_of_more_than_was_invoiced_is_refused():
    order, invoice = invoiced()
    with pytest.raises(InvalidInput, match="only 4 pcs of IT-1 can still be returned from invoice INV-000001, not 5"):
        create_returned_order(invoice, {7: order}, [], {1: D(5)}, "x", "SO-8", "RMA-1", NOW)
    first = create_returned_order(invoice, {7: order}, [], {1: D(3)}, "x", "SO-8", "RMA-1", NOW)
    with pytest.raises(InvalidInput, match="only 1 pcs of IT-1"):
        create_returned_order(invoice, {7: order}, [first], {1: D(2)}, "x", "SO-9", "RMA-2", NOW)
    assert returnable(invoice, already_returned([first])) == {1: D(1), 2: D(2)}


def test_a_canceled_return_gives_its_quantities_back():
    order, invoice = invoiced()
    first = create_returned_order(invoice, {7: order}, [], {1: D(4)}, "x", "SO-8", "RMA-1", NOW)
    first.cancel(NOW)
    assert returnable(invoice, already_returned([first])) == {1: D(4), 2: D(2)}


@pytest.mark.parametrize("quantities, error", [
    ({}, "above zero"), ({1: D(0)}, "above zero"), ({1: D(-1)}, "cannot be negative"),
    ({3: D(1)}, "Line 3 is not on invoice"), ({1: D("0.0001")}, "three decimals"),
])
def test_bad_return_quantities_are_refused(quantities, error):
    order, invoice = invoiced()
    with pytest.raises((InvalidInput, NotFound), match=error):
        create_returned_order(invoice, {7: order}, [], quantities, "x", "SO-8", "RMA-1", NOW)


def test_a_return_needs_a_reason():
    order, invoice = invoiced()
    with pytest.raises(InvalidInput, match="reason"):
        create_returned_order(invoice, {7: order}, [], {1: D(1)}, "  ", "SO-8", "RMA-1", NOW)


def test_goods_are_not_returned_from_a_credit_note():
    order, invoice = invoiced()
    invoice.credit_note_of = "INV-000000"
    with pytest.raises(InvalidInput, match="credit note"):
        returnable(invoice, {})


def test_receiving_raises_stock_and_crediting_gives_a_negative_credit_note_naming_the_invoice():
    order, invoice = invoiced()
    ret = create_returned_order(invoice, {7: order}, [], {1: D(3), 2: D(1)}, "x", "SO-000008",
                                "RMA-000001", NOW)
    ret.id = 8
    items = make_items("10")
    with pytest.raises(InvalidInput, match="only 3 pcs left to receive, not 4"):
        post_receipt(ret, items, {1: D(4)}, "PS-000002", TODAY)
    assert items[1].on_hand == 10
    with pytest.raises(InvalidInput, match="Receive the goods first"):
        credit_note_lines(ret, [])
    slip = post_receipt(ret, items, {1: D(2)}, "PS-000002", TODAY)
    assert items[1].on_hand == 12 and ret.line(1).delivered == 2 and ret.status is S.OPEN_ORDER
    note = post_credit_note(ret, [slip], "INV-000001", "CN-000001", TODAY)
    assert note.is_credit_note and note.credit_note_of == "INV-000001" and note.sales_order_id == 8
    assert [(l.line_number, l.quantity) for l in note.lines] == [(1, D(-2))]
    assert note.totals.net == D("-20.00") and note.totals.gross == D("-24.20")
    assert slip.invoice_number == "CN-000001"
    slip2 = post_receipt(ret, items, {1: D(1), 2: D(1)}, "PS-000003", TODAY)
    assert ret.status is S.DELIVERED and items[2].on_hand == 11
    post_credit_note(ret, [slip, slip2], "INV-000001", "CN-000002", TODAY)
    assert ret.status is S.INVOICED


def test_a_returned_order_is_not_delivered_or_invoiced_and_a_sales_order_not_received():
    order, invoice = invoiced()
    ret = create_returned_order(invoice, {7: order}, [], {1: D(1)}, "x", "SO-8", "RMA-1", NOW)
    with pytest.raises(TransitionNotAllowed):
        post_packing_slip(ret, make_items(), {1: D(1)}, "PS-2", TODAY)
    with pytest.raises(TransitionNotAllowed, match="not a returned order"):
        post_receipt(make_order(), make_items(), {1: D(1)}, "PS-2", TODAY)
