"""§4 properties: subscriptions over many periods, returns never exceed the invoice, type rules."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.invoice import post_customer_invoice
from domain.item import Item
from domain.packing_slip import post_packing_slip
from domain.returns import already_returned, create_returned_order, post_credit_note, post_receipt
from domain.sales_order import (SalesOrder, SalesOrderLine, SalesOrderStatus, SalesOrderType,
                                add_months)

D = Decimal
T = SalesOrderType
NOW = datetime(2026, 1, 31, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = NOW.date()
MODEST = settings(max_examples=120, deadline=None)
quantities = st.decimals(min_value=D("0.001"), max_value=D("20"), places=3)


def order_of(qs, order_type=T.SALES_ORDER, order_id=7) -> SalesOrder:
    order = SalesOrder(number=f"SO-{order_id:06d}", order_type=order_type, customer_id=3,
                       salesperson_id=5, created_at=NOW, id=order_id)
    for n, q in enumerate(qs, start=1):
        order.lines.append(SalesOrderLine(line_number=n, item_id=n, item_number=f"IT-{n}",
                                          description="x", unit="pcs", quantity=q,
                                          unit_price=D("12.3456"), tax_percent=D("21")))
    return order


def items_for(order, stock=D(100000)) -> dict[int, Item]:
    return {l.item_id: Item(item_number=l.item_number, name="x", unit="pcs", sales_price=D(1),
                            sales_tax_percent=D(21), on_hand=stock, id=l.item_id) for l in order.lines}


@MODEST
@given(st.lists(quantities, min_size=1, max_size=3), st.data())
def test_a_subscription_keeps_its_books_in_every_period(qs, data):
    order = order_of(qs)
    order.change_type(T.SUBSCRIPTION, TODAY, warehouse_management=False, has_packing_slips=False)
    items = items_for(order)
    shipped = {l.line_number: D(0) for l in order.lines}  # over all periods
    billed = {l.line_number: D(0) for l in order.lines}
    slips = []
    for step in range(data.draw(st.integers(1, 25))):
        if data.draw(st.booleans()):
            wanted = {l.line_number: data.draw(st.sampled_from([D(0), l.deliver_remainder,
                                                                 l.deliver_remainder + D(1)]))
                      for l in order.lines}
            try:
                slip = post_packing_slip(order, items, wanted, f"PS-{step}", TODAY)
            except DomainError:
                continue
            slips.append(slip)
            for sl in slip.lines:
                shipped[sl.line_number] += sl.quantity
        else:
            open_slips = [s for s in slips if not s.is_invoiced]
            if not open_slips:
                continue
            invoice = post_customer_invoice({order.id: order}, open_slips, f"INV-{step}", TODAY)
            for il in invoice.lines:
                billed[il.line_number] += il.quantity
        # The invariant holds per period, and the period counter explains the totals.
        done = order.period_number - 1
        assert order.status is not SalesOrderStatus.INVOICED
        assert order.status == order.derived_status()
        assert order.period_start == TODAY and order.current_period_start == add_months(TODAY, done)
        for line in order.lines:
            assert 0 <= line.invoiced <= line.delivered <= line.quantity
            assert shipped[line.line_number] == done * line.quantity + line.delivered
            assert billed[line.line_number] == done * line.quantity + line.invoiced
            assert items[line.item_id].on_hand == D(100000) - shipped[line.line_number]


@MODEST
@given(st.lists(quantities, min_size=1, max_size=3), st.data())
def test_returns_never_exceed_what_was_invoiced_and_credits_mirror_receipts(qs, data):
    order = order_of(qs)
    items = items_for(order)
    slip = post_packing_slip(order, items, {l.line_number: l.quantity for l in order.lines}, "PS-1", TODAY)
    invoice = post_customer_invoice({7: order}, [slip], "INV-1", TODAY)
    invoice.id = 1
    returns: list[SalesOrder] = []
    stock_before = {i: it.on_hand for i, it in items.items()}
    for step in range(data.draw(st.integers(1, 8))):
        wanted = {n: data.draw(st.decimals(min_value=0, max_value=q + 1, places=3))
                  for n, q in enumerate(qs, start=1) if data.draw(st.booleans())}
        left = {n: q - already_returned(returns).get(n, D(0)) for n, q in enumerate(qs, start=1)}
        ok = any(q > 0 for q in wanted.values()) and all(q <= left[n] for n, q in wanted.items())
        try:
            ret = create_returned_order(invoice, {7: order}, returns, wanted, "r", f"SO-{step + 10}",
                                        f"RMA-{step}", NOW)
        except DomainError:
            assert not ok
            continue
        assert ok
        ret.id = step + 10
        returns.append(ret)
        receipt = post_receipt(ret, items, {l.line_number: l.quantity for l in ret.lines}, f"PR-{step}", TODAY)
        note = post_credit_note(ret, [receipt], invoice.number, f"CN-{step}", TODAY)
        # The credit note is the returned goods' invoice with the sign turned (rounding half away
        # from zero is symmetric), and it names the invoice it credits.
        assert note.totals.gross == -ret.totals.gross and note.totals.net == -ret.totals.net
        assert all(l.quantity < 0 for l in note.lines) and note.credit_note_of == "INV-1"
        assert ret.status is SalesOrderStatus.INVOICED
    back = already_returned(returns)
    for n, q in enumerate(qs, start=1):
        assert back.get(n, D(0)) <= q
        assert items[n].on_hand == stock_before[n] + back.get(n, D(0))


ALL = list(SalesOrderType)


@MODEST
@given(st.sampled_from(ALL), st.lists(st.sampled_from(ALL), max_size=6), st.booleans(), st.booleans())
def test_type_changes_follow_the_seed(start, changes, deliver_all, warehouse):
    order = order_of([D(2)], start)
    order.rma_number = "RMA-1"
    if deliver_all and start in (T.SALES_ORDER, T.ITEM_REQUIREMENTS, T.SUBSCRIPTION):
        post_packing_slip(order, items_for(order), {1: D(2)}, "PS-1", TODAY)
    for new in changes:
        before = (order.order_type, order.project_reference, order.period_start)
        delivered = order.status is SalesOrderStatus.DELIVERED
        try:
            order.change_type(new, TODAY, warehouse_management=warehouse, project_reference="P",
                              has_packing_slips=order.lines[0].delivered > 0)
        except DomainError:
            assert (order.order_type, order.project_reference, order.period_start) == before
            assert (new is before[0] or (before[0] is T.ITEM_REQUIREMENTS and delivered)
                    or (new is T.SUBSCRIPTION and warehouse)
                    or (T.RETURNED_ORDER in (new, before[0]) and order.lines[0].delivered > 0))
        else:
            assert order.order_type is new
            assert not (before[0] is T.ITEM_REQUIREMENTS and delivered)
