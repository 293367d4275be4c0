"""Properties: whatever deliveries and invoicings a salesperson tries, the books stay consistent."""
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.invoice import CustomerInvoice, post_customer_invoice
from domain.item import Item
from domain.packing_slip import PackingSlip, post_packing_slip
from domain.sales_order import SalesOrder, SalesOrderLine, SalesOrderType
from domain.tax import totals_of

D = Decimal
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = date(2026, 3, 10)
TAX_PERCENTS = [D("0"), D("9"), D("21"), D("5.5")]
MODEST = settings(max_examples=150, deadline=None)

quantities = st.decimals(min_value=D("0.001"), max_value=D("50"), places=3)
prices = st.decimals(min_value=D("0"), max_value=D("999.9999"), places=4)


def order_lines(item_ids: list[int]):
    return st.lists(st.tuples(st.sampled_from(item_ids), quantities, prices,
                              st.sampled_from(TAX_PERCENTS)), min_size=1, max_size=5)


@st.composite
def books(draw):
    """One to three items and one or two orders (for one or two customers) that use them."""
    item_ids = list(range(1, draw(st.integers(1, 3)) + 1))
    orders = {}
    for order_id in range(7, 7 + draw(st.integers(1, 2))):
        order = SalesOrder(number=f"SO-{order_id:06d}", order_type=SalesOrderType.SALES_ORDER,
                           customer_id=draw(st.sampled_from([3, 4])), salesperson_id=5,
                           created_at=NOW, id=order_id)
        for n, (item_id, quantity, price, tax) in enumerate(draw(order_lines(item_ids)), start=1):
            order.lines.append(SalesOrderLine(
                line_number=n, item_id=item_id, item_number=f"IT-{item_id}", description="x",
                unit="pcs", quantity=quantity, unit_price=price, tax_percent=tax))
        orders[order_id] = order
    items = {}
    for item_id in item_ids:
        demand = sum((l.quantity for o in orders.values() for l in o.lines if l.item_id == item_id), D(0))
        ample = draw(st.booleans())
        stock = demand + 1 if ample else draw(st.decimals(min_value=0, max_value=demand, places=3))
        items[item_id] = Item(item_number=f"IT-{item_id}", name="x", unit="pcs", sales_price=D(1),
                              sales_tax_percent=D(21), on_hand=stock, id=item_id)
    return orders, items


def snapshot(orders, items, slips) -> tuple:
    return ([(o.status, [(l.delivered, l.invoiced) for l in o.lines]) for o in orders.values()],
            {i: item.on_hand for i, item in items.items()},
            [(s.number, s.invoice_number, [(l.line_number, l.quantity) for l in s.lines]) for s in slips])


SENSIBLE = ["skip", "zero", "part", "part", "all"]
CARELESS = SENSIBLE + ["over", "negative", "four_decimals"]


def draw_delivery(data, order: SalesOrder) -> dict[int, Decimal]:
    """Mostly what a careful salesperson types; one delivery in four may hold mistakes."""
    mode = data.draw(st.sampled_from(["sensible", "sensible", "everything left", "careless"]))
    if mode == "everything left":
        return {l.line_number: l.deliver_remainder for l in order.lines}
    kinds = st.sampled_from(CARELESS if mode == "careless" else SENSIBLE)
    wanted = {}
    for line in order.lines:
        rest = line.deliver_remainder
        kind = data.draw(kinds)
        if kind == "skip":
            continue
        wanted[line.line_number] = {
            "zero": lambda: D(0),
            "part": lambda: data.draw(st.decimals(min_value=0, max_value=rest, places=3)),
            "all": lambda: rest,
            "over": lambda: rest + D("0.001"),
            "negative": lambda: D("-1"),
            "four_decimals": lambda: D("0.0005"),
        }[kind]()
    if mode == "careless" and data.draw(st.booleans()):
        wanted[99] = D(1)  # a line the order does not have
    return wanted


def delivery_is_valid(order, items, wanted) -> bool:
    if any(q < 0 or q != q.quantize(D("0.001")) for q in wanted.values()):
        return False
    positive = {n: q for n, q in wanted.items() if q > 0}
    lines = {l.line_number: l for l in order.lines}
    if not positive or any(n not in lines or q > lines[n].deliver_remainder for n, q in positive.items()):
        return False
    per_item = Counter()
    for n, q in positive.items():
        per_item[lines[n].item_id] += q
    return all(q <= items[i].on_hand for i, q in per_item.items())


def invoicing_is_valid(chosen) -> bool:
    return (bool(chosen) and not any(s.is_invoiced for s in chosen)
            and len({s.customer_id for s in chosen}) == 1 and len(set(map(id, chosen))) == len(chosen))


def check_invariants(orders, items, initial_stock, slips, invoices, invoiced_by):
    for order in orders.values():
        assert order.status == order.derived_status()
        for line in order.lines:
            assert 0 <= line.invoiced <= line.delivered <= line.quantity
            assert line.deliver_remainder == line.quantity - line.delivered
            assert line.invoice_remainder == line.quantity - line.invoiced
            key = (order.id, line.line_number)
            assert sum((sl.quantity for s in slips if s.sales_order_id == order.id
                        for sl in s.lines if sl.line_number == line.line_number), D(0)) == line.delivered
            assert sum((il.quantity for inv in invoices for il in inv.lines
                        if (il.sales_order_id, il.line_number) == key), D(0)) == line.invoiced
    for item_id, item in items.items():
        delivered = sum((l.delivered for o in orders.values() for l in o.lines if l.item_id == item_id), D(0))
        assert item.on_hand >= 0
        assert item.on_hand == initial_stock[item_id] - delivered
    for inv in invoices:
        t = inv.totals
        assert t.gross == t.net + t.tax
        assert t.net == sum((l.net_amount for l in inv.lines), D(0)) == sum((r.base for r in t.tax_rows), D(0))
        assert t.tax == sum((r.tax for r in t.tax_rows), D(0))
    for slip in slips:
        assert len(invoiced_by[slip.number]) <= 1
        assert slip.invoice_number == (invoiced_by[slip.number][0] if invoiced_by[slip.number] else None)


@MODEST
@given(books(), st.data())
def test_any_sequence_of_deliveries_and_invoicings_keeps_the_books_consistent(start, data):
    orders, items = start
    initial_stock = {i: item.on_hand for i, item in items.items()}
    slips: list[PackingSlip] = []
    invoices: list[CustomerInvoice] = []
    invoiced_by: dict[str, list[str]] = {}
    for step in range(data.draw(st.integers(1, 16))):
        before = snapshot(orders, items, slips)
        if not slips or data.draw(st.integers(0, 2)) > 0:  # two deliveries to one invoicing
            order = orders[data.draw(st.sampled_from(sorted(orders)))]
            wanted = draw_delivery(data, order)
            expected_ok = delivery_is_valid(order, items, wanted)
            old = {l.line_number: l.delivered for l in order.lines}
            try:
                slip = post_packing_slip(order, items, wanted, f"PS-{step:06d}", TODAY)
            except DomainError:
                assert not expected_ok
                assert snapshot(orders, items, slips) == before
            else:
                assert expected_ok
                positive = sorted((n, q) for n, q in wanted.items() if q > 0)
                assert [(l.line_number, l.quantity) for l in slip.lines] == positive
                assert all(order.line(n).delivered == old[n] + q for n, q in positive)
                slips.append(slip)
                invoiced_by[slip.number] = []
        else:
            open_slips = [s for s in slips if not s.is_invoiced]
            pool = open_slips if open_slips and data.draw(st.integers(0, 3)) else slips
            at_least = 0 if data.draw(st.integers(0, 5)) == 0 else 1  # sometimes nothing chosen
            chosen = data.draw(st.lists(st.sampled_from(pool), min_size=at_least, max_size=len(pool),
                                        unique_by=id))
            if chosen and data.draw(st.integers(0, 4)) == 0:
                chosen.append(chosen[0])  # the same packing slip chosen twice
            expected_ok = invoicing_is_valid(chosen)
            number = f"INV-{step:06d}"
            try:
                invoice = post_customer_invoice(orders, chosen, number, TODAY)
            except DomainError:
                assert not expected_ok
                assert snapshot(orders, items, slips) == before
            else:
                assert expected_ok
                invoices.append(invoice)
                for slip in chosen:
                    invoiced_by[slip.number].append(number)
        check_invariants(orders, items, initial_stock, slips, invoices, invoiced_by)


@MODEST
@given(st.lists(st.tuples(quantities, prices, st.sampled_from(TAX_PERCENTS + [D("21.0"), D("9.00")])),
                max_size=12), st.data())
def test_totals_never_depend_on_the_order_of_the_lines(rows, data):
    lines = [SalesOrderLine(line_number=n, item_id=n, item_number="x", description="x", unit="pcs",
                            quantity=q, unit_price=p, tax_percent=t)
             for n, (q, p, t) in enumerate(rows, start=1)]
    shuffled = data.draw(st.permutations(lines))
    totals = totals_of(lines)
    assert totals_of(shuffled) == totals
    assert [r.percent for r in totals.tax_rows] == sorted({l.tax_percent for l in lines})
    assert totals.net == sum((l.net_amount for l in lines), D(0))
    assert totals.gross == totals.net + totals.tax
