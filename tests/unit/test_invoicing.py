"""Invoicing several packing slips at once, the month, drafts and posting profiles: the rules."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, InvalidInput, NotFound, TransitionNotAllowed
from domain.free_text_invoice import FreeTextInvoice, FreeTextInvoiceStatus, PostingProfile
from domain.invoicing import (Month, check_deletable, choose_posting_profile, invoice_salesperson,
                              parse_posting_profile, post_invoice_for_slips, slips_by_customer)
from domain.packing_slip import PackingSlip, PackingSlipLine
from domain.sales_order import SalesOrder, SalesOrderLine, SalesOrderStatus, SalesOrderType

D = Decimal
NOW = datetime(2026, 10, 31, 17, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_a_month_is_typed_as_year_dash_month_and_knows_its_days():
    month = Month.parse(" 2026-10 ")
    assert (month.first_day, month.last_day) == (date(2026, 10, 1), date(2026, 10, 31))
    assert str(month) == "2026-10" and Month.from_key(month.key) == month
    assert Month.parse("2024/2").last_day == date(2024, 2, 29)
    assert Month(2026, 12).next() == Month(2027, 1) and Month(2027, 1).previous() == Month(2026, 12)
    assert Month.of(date(2026, 11, 24)).previous() == Month(2026, 10)


@pytest.mark.parametrize("typed", ["", "october", "2026-13", "2026-0", "26-10", "2026-10-01"])
def test_a_month_that_is_not_one_gets_a_clear_answer(typed):
    with pytest.raises(InvalidInput, match="year-month"):
        Month.parse(typed)


def _order(order_id: int, customer_id: int = 3, salesperson_id: int = 5, lines: int = 2) -> SalesOrder:
    order = SalesOrder(number=f"SO-{order_id:06d}", order_type=SalesOrderType.SALES_ORDER,
                       customer_id=customer_id, salesperson_id=salesperson_id, created_at=NOW, id=order_id)
    for n in range(1, lines + 1):
        order.lines.append(SalesOrderLine(line_number=n, item_id=n, item_number=f"IT-{n}", description="x",
                                          unit="pcs", quantity=D(10), unit_price=D("12.50"),
                                          tax_percent=D(21)))
    return order


def _slip(slip_id: int, order: SalesOrder, quantities: dict[int, Decimal], day: date) -> PackingSlip:
    slip = PackingSlip(number=f"PS-{slip_id:06d}", sales_order_id=order.id, customer_id=order.customer_id,
                       posted_on=day, id=slip_id)
    for n, q in quantities.items():
        order.record_delivery(n, q)
        slip.lines.append(PackingSlipLine(line_number=n, item_number=f"IT-{n}", description="x",
                                          unit="pcs", quantity=q))
    return slip


def test_one_invoice_covers_the_months_slips_of_several_orders_and_carries_the_oldest_orders_salesperson():
    old, new = _order(7, salesperson_id=5), _order(9, salesperson_id=6)
    slips = [_slip(1, new, {1: D(2)}, date(2026, 10, 3)), _slip(2, old, {1: D(1), 2: D(4)}, date(2026, 10, 9)),
             _slip(3, new, {1: D(3)}, date(2026, 10, 20))]
    invoice = post_invoice_for_slips({7: old, 9: new}, slips, "INV-000001", date(2026, 11, 1))
    assert [(l.sales_order_id, l.line_number, l.quantity) for l in invoice.lines] == [
        (7, 1, D(1)), (7, 2, D(4)), (9, 1, D(5))]
    assert invoice.salesperson_id == 5 and invoice.sales_order_id is None
    assert invoice.totals.net == D("125.00") and all(s.invoice_number == "INV-000001" for s in slips)
    assert [l.invoiced for l in old.lines] == [D(1), D(4)] and new.lines[0].invoiced == D(5)
    assert invoice_salesperson({7: old, 9: new}, {9, 7}) == 5


def test_slips_of_two_customers_never_share_an_invoice():
    a, b = _order(7, customer_id=3), _order(8, customer_id=4)
    slips = [_slip(1, a, {1: D(1)}, date(2026, 10, 3)), _slip(2, b, {1: D(1)}, date(2026, 10, 3))]
    with pytest.raises(InvalidInput, match="one customer"):
        post_invoice_for_slips({7: a, 8: b}, slips, "INV-000001", date(2026, 11, 1))
    assert a.lines[0].invoiced == 0 and not any(s.is_invoiced for s in slips)
    assert {c: [s.number for s in g] for c, g in slips_by_customer(slips).items()} == {
        3: ["PS-000001"], 4: ["PS-000002"]}


def test_an_invoiced_slip_is_refused_the_second_time():
    order = _order(7)
    slip = _slip(1, order, {1: D(2)}, date(2026, 10, 3))
    post_invoice_for_slips({7: order}, [slip], "INV-000001", date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="already invoiced"):
        post_invoice_for_slips({7: order}, [slip], "INV-000002", date(2026, 11, 1))
    assert order.lines[0].invoiced == D(2) and slip.invoice_number == "INV-000001"


def _draft(**kw) -> FreeTextInvoice:
    return FreeTextInvoice(customer_id=3, salesperson_id=5, created_at=NOW, id=12, **kw)


def test_a_draft_can_be_deleted_and_take_another_posting_profile_a_posted_one_cannot():
    draft = _draft()
    check_deletable(draft)
    choose_posting_profile(draft, PostingProfile("EXPORT", "1310"), "EXPORT")
    assert draft.posting_profile == "EXPORT"
    with pytest.raises(NotFound, match="NOPE"):
        choose_posting_profile(draft, None, "NOPE")
    posted = _draft(status=FreeTextInvoiceStatus.POSTED, number="INV-000004")
    with pytest.raises(TransitionNotAllowed, match="cannot be deleted"):
        check_deletable(posted)
    with pytest.raises(TransitionNotAllowed):
        choose_posting_profile(posted, PostingProfile("EXPORT", "1310"), "EXPORT")
    assert posted.posting_profile == "GEN"


def test_a_posting_profile_row_is_checked():
    profile = parse_posting_profile(" export ", " 1310 ")
    assert (profile.code, profile.summary_account) == ("EXPORT", "1310")
    with pytest.raises(InvalidInput, match="summary account"):
        parse_posting_profile("EXPORT", "debtors")
    with pytest.raises(InvalidInput, match="posting profile code"):
        parse_posting_profile("", "1300")


# --- property: any grouping of any deliveries ------------------------------------------------

@st.composite
def deliveries(draw):
    """Two customers, up to four orders, and up to eight packing slips within the remainders."""
    orders = {}
    for order_id in range(1, draw(st.integers(1, 4)) + 1):
        order = _order(order_id, customer_id=draw(st.sampled_from([3, 4])),
                       salesperson_id=draw(st.sampled_from([5, 6])), lines=draw(st.integers(1, 3)))
        for line in order.lines:
            line.unit_price = draw(st.decimals(min_value=0, max_value=D("999.9999"), places=4))
            line.tax_percent = draw(st.sampled_from([D(0), D(9), D(21)]))
        orders[order_id] = order
    slips = []
    for slip_id in range(1, draw(st.integers(1, 8)) + 1):
        order = orders[draw(st.sampled_from(sorted(orders)))]
        wanted = {}
        for line in order.lines:
            if line.deliver_remainder > 0 and draw(st.booleans()):
                wanted[line.line_number] = draw(st.decimals(min_value=D("0.001"), max_value=line.deliver_remainder,
                                                            places=3))
        if wanted:
            slips.append(_slip(slip_id, order, wanted, date(2026, 10, draw(st.integers(1, 31)))))
    groups = draw(st.lists(st.integers(0, 3), min_size=len(slips), max_size=len(slips)))
    return orders, slips, groups


@settings(max_examples=150, deadline=None)
@given(deliveries())
def test_any_grouping_invoices_each_slip_line_exactly_once_and_never_more_than_delivered(case):
    orders, slips, groups = case
    delivered = Counter()
    for slip in slips:
        for line in slip.lines:
            delivered[(slip.sales_order_id, line.line_number)] += line.quantity
    invoices = []
    # Group by customer and by the drawn group number; invoice each group, then try every slip again.
    for (customer, group), _ in sorted(Counter((s.customer_id, g) for s, g in zip(slips, groups)).items()):
        chosen = [s for s, g in zip(slips, groups) if (s.customer_id, g) == (customer, group)]
        invoices.append(post_invoice_for_slips(orders, chosen, f"INV-{len(invoices) + 1:06d}", date(2026, 11, 1)))
    for slip in slips:
        with pytest.raises(DomainError):
            post_invoice_for_slips(orders, [slip], "INV-999999", date(2026, 11, 1))
    invoiced = Counter()
    for invoice in invoices:
        assert invoice.totals.net == sum((l.net_amount for l in invoice.lines), D("0.00"))
        assert invoice.totals.gross == invoice.totals.net + sum((r.tax for r in invoice.totals.tax_rows), D(0))
        assert len({(l.sales_order_id, l.line_number) for l in invoice.lines}) == len(invoice.lines)
        assert len({orders[l.sales_order_id].customer_id for l in invoice.lines}) == 1
        for line in invoice.lines:
            invoiced[(line.sales_order_id, line.line_number)] += line.quantity
    assert invoiced == delivered  # every slip line once, nothing else
    numbers = {inv.number for inv in invoices}
    assert all(s.invoice_number in numbers for s in slips)  # each slip on one invoice, none left over
    for order in orders.values():
        for line in order.lines:
            assert line.invoiced == delivered[(order.id, line.line_number)] == line.delivered
            assert line.invoiced <= line.delivered <= line.quantity
        assert order.status in (SalesOrderStatus.OPEN_ORDER, SalesOrderStatus.DELIVERED, SalesOrderStatus.INVOICED)


def test_a_long_month_preview_names_the_first_slips_and_counts_the_rest():
    from domain.customer import Customer
    from domain.services.invoicing import CustomerMonth
    from domain.tax import totals_of
    from handlers.invoicing import _customer_block
    order = _order(7, lines=1)
    order.lines[0].quantity = D(100)
    slips = tuple(_slip(n, order, {1: D(1)}, date(2026, 10, n)) for n in range(1, 21))
    block = _customer_block(CustomerMonth(Customer("C-001", "Acme <Office>", "a@b.example", "en"), slips,
                                          ("SO-000007",), totals_of([]), others_orders=True), "EUR")
    assert "PS-000008 (2026-10-08), +12" in block and "PS-000009" not in block
    assert "Acme &lt;Office&gt;" in block and "a manager posts this invoice" in block
