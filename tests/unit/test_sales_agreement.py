"""The rules of a sales agreement (§3): statuses, lines, ordering from it, fulfilment."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from domain.errors import InvalidInput, NotFound, TransitionNotAllowed
from domain.item import Item
from domain.sales_agreement import (AgreementStatus, CommitmentType, SalesAgreement, fulfilment)
from domain.sales_order import SalesOrderStatus, SalesOrderType

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
CHAIR = Item("A-100", "Office chair", "pcs", Decimal("149.95"), Decimal("21"), Decimal("50"), id=1)
DESK = Item("A-200", "Standing desk", "pcs", Decimal("499.00"), Decimal("21"), Decimal("10"), id=2)
ITEMS = {1: CHAIR, 2: DESK}


def agreement(kind=CommitmentType.PRODUCT_QUANTITY, total=None, lines=True) -> SalesAgreement:
    a = SalesAgreement.create("AG-000001", 7, 3, kind, date(2026, 12, 1), date(2026, 12, 31), total, NOW, TODAY)
    a.id = 11
    if lines:
        committed = {CommitmentType.PRODUCT_QUANTITY: (Decimal(100), Decimal(20)),
                     CommitmentType.PRODUCT_VALUE: (Decimal(5000), Decimal(2000)),
                     CommitmentType.TOTAL_VALUE: (None, None)}[kind]
        a.add_line(CHAIR, Decimal("129.00"), None, committed[0])
        a.add_line(DESK, None, Decimal("10"), committed[1])
    return a


def effective(**kw) -> SalesAgreement:
    a = agreement(**kw)
    a.set_effective(NOW)
    return a


def order(a: SalesAgreement, chairs: str, desks: str = "0", ship=date(2026, 12, 5), number="SO-000001"):
    return a.take_order({1: Decimal(chairs), 2: Decimal(desks)}, ITEMS, ship, number, NOW, TODAY)


def test_a_new_agreement_is_on_hold():
    assert agreement().status is AgreementStatus.ON_HOLD


def test_an_agreement_without_lines_cannot_become_effective():
    with pytest.raises(InvalidInput, match="no lines yet"):
        agreement(lines=False).set_effective(NOW)


def test_effective_and_closed_are_reached_by_explicit_moves_and_closed_is_final():
    a = agreement()
    a.set_effective(NOW)
    assert a.status is AgreementStatus.EFFECTIVE and a.effective_at == NOW
    a.put_on_hold()
    a.set_effective(NOW)
    a.close(NOW)
    assert a.status is AgreementStatus.CLOSED and a.closed_at == NOW
    for move in (lambda: a.set_effective(NOW), a.put_on_hold, lambda: a.close(NOW)):
        with pytest.raises(TransitionNotAllowed, match="closing is final"):
            move()


def test_setting_an_effective_agreement_effective_again_is_refused():
    a = effective()
    with pytest.raises(TransitionNotAllowed, match="already"):
        a.set_effective(NOW)


@pytest.mark.parametrize("start, end, message", [
    (date(2026, 12, 31), date(2026, 12, 1), "before it starts"),
    (date(2026, 1, 1), date(2026, 11, 23), "in the past"),
])
def test_a_validity_period_must_make_sense(start, end, message):
    with pytest.raises(InvalidInput, match=message):
        SalesAgreement.create("AG-1", 1, 1, CommitmentType.PRODUCT_QUANTITY, start, end, None, NOW, TODAY)


def test_a_total_value_agreement_needs_its_committed_amount():
    with pytest.raises(InvalidInput, match="committed total"):
        agreement(CommitmentType.TOTAL_VALUE, None, lines=False)
    with pytest.raises(InvalidInput, match="more than zero"):
        agreement(CommitmentType.TOTAL_VALUE, Decimal(0), lines=False)
    assert agreement(CommitmentType.TOTAL_VALUE, Decimal("10000")).committed_total == Decimal("10000.00")


def test_a_line_has_a_price_or_a_discount_and_its_commitment():
    a = agreement(lines=False)
    with pytest.raises(InvalidInput, match="either an agreed price or a discount"):
        a.add_line(CHAIR, Decimal(1), Decimal(5), Decimal(1))
    with pytest.raises(InvalidInput, match="either an agreed price or a discount"):
        a.add_line(CHAIR, None, None, Decimal(1))
    with pytest.raises(InvalidInput, match="committed quantity"):
        a.add_line(CHAIR, Decimal(1), None, None)
    with pytest.raises(InvalidInput, match="less than 100%"):
        a.add_line(CHAIR, None, Decimal(100), Decimal(1))
    with pytest.raises(InvalidInput, match="more than zero"):
        a.add_line(CHAIR, Decimal(0), None, Decimal(1))
    assert a.lines == []
    with pytest.raises(InvalidInput, match="one committed amount"):
        agreement(CommitmentType.TOTAL_VALUE, Decimal(100), lines=False).add_line(CHAIR, Decimal(1), None, Decimal(1))


def test_an_item_is_on_an_agreement_once_and_lines_change_only_while_on_hold():
    a = agreement()
    with pytest.raises(InvalidInput, match="already on sales agreement"):
        a.add_line(CHAIR, Decimal(1), None, Decimal(1))
    a.set_effective(NOW)
    with pytest.raises(TransitionNotAllowed, match="only while it is on hold"):
        a.add_line(Item("B-300", "Book", "pcs", Decimal(1), Decimal(9), id=3), Decimal(1), None, Decimal(1))


def test_an_order_is_refused_while_the_agreement_is_on_hold():
    with pytest.raises(TransitionNotAllowed, match="only from an effective agreement"):
        order(agreement(), "1")


def test_an_order_is_refused_once_the_agreement_is_closed():
    a = effective()
    a.close(NOW)
    with pytest.raises(TransitionNotAllowed, match="only from an effective agreement"):
        order(a, "1")


@pytest.mark.parametrize("ship", [date(2026, 11, 30), date(2027, 1, 1)])
def test_the_requested_ship_date_must_fall_in_the_validity_period(ship):
    with pytest.raises(InvalidInput, match="outside the validity period"):
        order(effective(), "1", ship=ship)


def test_the_requested_ship_date_cannot_be_in_the_past():
    a = SalesAgreement.create("AG-2", 1, 1, CommitmentType.PRODUCT_QUANTITY, date(2026, 11, 1),
                              date(2026, 12, 31), None, NOW, TODAY)
    a.add_line(CHAIR, Decimal(1), None, Decimal(1))
    a.set_effective(NOW)
    with pytest.raises(InvalidInput, match="in the past"):
        a.take_order({1: Decimal(1)}, ITEMS, date(2026, 11, 20), "SO-1", NOW, TODAY)


def test_only_lines_on_the_agreement_can_be_ordered_and_at_least_one():
    a = effective()
    with pytest.raises(NotFound, match="Line 9 is not on sales agreement"):
        a.take_order({9: Decimal(1)}, ITEMS, date(2026, 12, 5), "SO-1", NOW, TODAY)
    with pytest.raises(InvalidInput, match="at least one line"):
        order(a, "0", "0")


def test_an_order_gets_the_agreed_price_and_the_net_price_after_the_discount():
    o = order(effective(), "10", "2")
    assert o.order_type is SalesOrderType.SALES_ORDER and o.customer_id == 7 and o.salesperson_id == 3
    assert o.agreement_id == 11 and o.requested_ship_date == date(2026, 12, 5)
    chair, desk = o.lines
    assert (chair.item_id, chair.quantity, chair.unit_price, chair.tax_percent) == (1, 10, Decimal("129.00"), 21)
    assert chair.description == "Office chair"
    assert (desk.unit_price, desk.discount_percent) == (Decimal("499.00"), Decimal(10))
    assert desk.net_amount == Decimal("898.20")          # 2 x 499.00 less 10%
    assert desk.description == "Standing desk"
    assert o.totals.net == Decimal("2188.20")


def test_a_discount_price_is_rounded_to_cents():
    a = agreement(lines=False)
    line = a.add_line(CHAIR, None, Decimal("12.5"), Decimal(1))
    assert line.unit_price(Decimal("149.95")) == Decimal("131.21")   # 131.20625


def test_fulfilment_per_line_for_a_quantity_agreement_skips_canceled_orders():
    a = effective()
    first, second = order(a, "10", "2"), order(a, "30", "0", number="SO-000002")
    second.status = SalesOrderStatus.CANCELED
    f = fulfilment(a, [first, second])
    chair, desk = f.lines
    assert (chair.ordered_quantity, chair.ordered_value, chair.remaining) == (10, Decimal("1290.00"), 90)
    assert (desk.ordered_quantity, desk.ordered_value, desk.remaining) == (2, Decimal("898.20"), 18)
    assert (f.committed, f.fulfilled, f.remaining, f.ordered_value) == (120, 12, 108, Decimal("2188.20"))


@pytest.mark.parametrize("order_type", [SalesOrderType.JOURNAL, SalesOrderType.RETURNED_ORDER])
def test_a_release_that_became_a_journal_or_a_returned_order_fulfils_nothing(order_type):
    a = effective()
    release = order(a, "10", "2")
    release.order_type = order_type
    f = fulfilment(a, [release])
    assert (f.fulfilled, f.remaining, f.ordered_value) == (0, 120, Decimal("0.00"))
    release.order_type = SalesOrderType.SALES_ORDER  # and back: it counts again
    assert fulfilment(a, [release]).fulfilled == 12


def test_fulfilment_of_a_value_agreement_counts_amounts():
    a = effective(kind=CommitmentType.PRODUCT_VALUE)
    f = fulfilment(a, [order(a, "10", "5")])
    chair, desk = f.lines
    assert chair.remaining == Decimal("3710.00")       # 5000 - 1290
    assert desk.remaining == Decimal("0")              # 2245.50 ordered of 2000: fulfilled
    assert (f.committed, f.fulfilled, f.remaining) == (7000, Decimal("3290.00"), Decimal("3710.00"))


def test_fulfilment_of_a_total_value_agreement_counts_the_whole():
    a = effective(kind=CommitmentType.TOTAL_VALUE, total=Decimal("10000"))
    f = fulfilment(a, [order(a, "10", "2")])
    assert [r.remaining for r in f.lines] == [None, None]
    assert (f.committed, f.fulfilled, f.remaining) == (Decimal("10000.00"), Decimal("2188.20"), Decimal("7811.80"))
    assert not f.is_fulfilled


def test_orders_of_another_agreement_do_not_count():
    a = effective()
    other = order(a, "10")
    other.agreement_id = 99
    assert fulfilment(a, [other]).fulfilled == 0


quantities = st.decimals(min_value=0, max_value=500, places=3)


@given(st.lists(st.tuples(quantities, quantities, st.booleans()), max_size=6),
       st.sampled_from(list(CommitmentType)))
def test_fulfilled_and_remaining_always_add_up_to_the_commitment(orders, kind):
    a = effective(kind=kind, total=Decimal("10000") if kind is CommitmentType.TOTAL_VALUE else None)
    taken = []
    for n, (chairs, desks, canceled) in enumerate(orders):
        if chairs == 0 and desks == 0:
            continue
        o = a.take_order({1: chairs, 2: desks}, ITEMS, date(2026, 12, 5), f"SO-{n}", NOW, TODAY)
        if canceled:
            o.status = SalesOrderStatus.CANCELED
        taken.append(o)
    f = fulfilment(a, taken)
    live = [o for o in taken if o.status is not SalesOrderStatus.CANCELED]
    assert f.fulfilled + f.remaining == f.committed
    assert 0 <= f.remaining <= f.committed
    assert f.ordered_value == sum((o.totals.net for o in live), Decimal(0))
    assert sum(r.ordered_quantity for r in f.lines) == sum(l.quantity for o in live for l in o.lines)
    for r in f.lines:
        if r.remaining is not None:
            assert 0 <= r.remaining <= r.line.committed
