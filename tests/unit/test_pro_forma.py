"""A pro forma invoice shows what the posted invoice would say, and changes nothing (the seed)."""
from copy import deepcopy
from decimal import Decimal

import pytest

from domain.errors import InvalidInput, TransitionNotAllowed
from domain.invoice import post_customer_invoice, pro_forma_for
from domain.packing_slip import post_packing_slip
from tests.unit.test_packing_slip_and_invoice import TODAY, make_items, make_order

D = Decimal


def snapshot(order, slips) -> tuple:
    return (order.status, [(l.quantity, l.delivered, l.invoiced, l.deliver_remainder, l.invoice_remainder)
                           for l in order.lines],
            [(s.number, s.invoice_number, [(l.line_number, l.quantity) for l in s.lines]) for s in slips])


@pytest.fixture
def delivered():
    items = make_items(screw="100", bolt="50")
    order = make_order(7, (1, "10", "2.50", "21"), (2, "4", "10.00", "9"))
    first = post_packing_slip(order, items, {1: D("6")}, "PS-000001", TODAY)
    second = post_packing_slip(order, items, {1: D("1"), 2: D("4")}, "PS-000002", TODAY)
    first.id, second.id = 1, 2
    return order, [first, second]


def test_a_pro_forma_has_the_lines_and_totals_the_posted_invoice_would_have(delivered):
    order, slips = delivered
    pro_forma = pro_forma_for({order.id: order}, slips, TODAY)
    posted = post_customer_invoice(deepcopy({order.id: order}), deepcopy(slips), "INV-000001", TODAY)
    assert [(l.line_number, l.quantity, l.net_amount) for l in pro_forma.lines] == \
        [(l.line_number, l.quantity, l.net_amount) for l in posted.lines]
    assert pro_forma.totals == posted.totals
    assert pro_forma.totals.net == D("57.50")  # 7 x 2.50 + 4 x 10.00
    assert pro_forma.totals.tax == D("7.28")   # 3.68 + 3.60
    assert pro_forma.order_number == "SO-000007" and pro_forma.customer_id == order.customer_id


def test_a_pro_forma_changes_no_remainder_and_marks_no_packing_slip(delivered):
    order, slips = delivered
    before = snapshot(order, slips)
    pro_forma_for({order.id: order}, slips, TODAY)
    pro_forma_for({order.id: order}, slips[1:], TODAY)
    assert snapshot(order, slips) == before
    assert not any(s.is_invoiced for s in slips)


def test_a_pro_forma_of_chosen_packing_slips_covers_only_those(delivered):
    order, slips = delivered
    pro_forma = pro_forma_for({order.id: order}, slips[:1], TODAY)
    assert [(l.line_number, l.quantity) for l in pro_forma.lines] == [(1, D("6"))]


def test_a_pro_forma_needs_something_delivered_and_not_invoiced(delivered):
    order, slips = delivered
    with pytest.raises(InvalidInput):
        pro_forma_for({order.id: order}, [], TODAY)
    post_customer_invoice({order.id: order}, slips, "INV-000001", TODAY)
    with pytest.raises(InvalidInput):
        pro_forma_for({order.id: order}, slips, TODAY)  # already invoiced


def test_a_canceled_order_gets_no_pro_forma(delivered):
    order, slips = delivered
    order.status = type(order.status).CANCELED
    with pytest.raises(TransitionNotAllowed):
        pro_forma_for({order.id: order}, slips, TODAY)
