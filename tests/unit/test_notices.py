"""Issue 5 §6 rules: the new expected date, covering dates, the answer checks, cancelling a line."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from domain.backorder import BackorderLine, Supply
from domain.delay_notice import (DelayNotice, NoticeReason, NoticeRules, add_working_days, cancel_remainder,
                                 check_answer, covering_dates, new_expected_date, ship_quantity, slipped_lines)
from domain.errors import NotFound, TransitionNotAllowed
from domain.sales_order import SalesOrder, SalesOrderLine, SalesOrderStatus, SalesOrderType
from domain.user import Role, User

TODAY = date(2026, 11, 24)  # a Tuesday
NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def bl(line_id=1, remainder="5", confirmed=None, priority=0, item_id=1, ordered_at=None) -> BackorderLine:
    return BackorderLine(line_id=line_id, order_id=10, order_number=f"SO-{line_id:03d}", line_number=1,
                         customer_id=7, salesperson_id=3, item_id=item_id,
                         ordered_at=ordered_at or datetime(2026, 11, 1, tzinfo=UTC),
                         remainder=Decimal(remainder), priority=priority, confirmed_date=confirmed)


def order(quantities=(("5", "0"),), order_type=SalesOrderType.SALES_ORDER) -> SalesOrder:
    o = SalesOrder(number="SO-001", order_type=order_type, customer_id=7, salesperson_id=3, created_at=NOW,
                   id=10, lines=[SalesOrderLine(line_number=n, item_id=1, item_number="A-100", description="Chair",
                                                unit="pcs", quantity=Decimal(q), unit_price=Decimal(10),
                                                tax_percent=Decimal(21), delivered=Decimal(d), id=n)
                                 for n, (q, d) in enumerate(quantities, start=1)])
    o.refresh_status()
    return o


def test_working_days_skip_the_weekend():
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday -> Monday
    assert add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 30)  # Saturday -> Monday
    assert add_working_days(TODAY, 3) == date(2026, 11, 27)


def test_lines_take_the_supply_in_priority_order():
    first, second = bl(1, "4", priority=1), bl(2, "5")
    supplies = [Supply(date(2026, 12, 10), Decimal(3)), Supply(date(2026, 12, 1), Decimal(2))]
    covers = covering_dates([second, first], Decimal(3), supplies, TODAY)
    assert covers == {1: date(2026, 12, 1), 2: None}  # 3 + 2 covers the first; 9 > 3 + 2 + 3 for the second
    assert covering_dates([first], Decimal(4), [], TODAY) == {1: TODAY}


def test_an_overdue_vendor_delivery_counts_as_arriving_after_the_uncovered_days():
    supplies = {1: [Supply(date(2026, 11, 20), Decimal(10))]}  # expected last week, still missing
    [slip] = slipped_lines([bl(confirmed=date(2026, 11, 21))], {1: Decimal(0)}, supplies, TODAY,
                           NoticeRules(handling_days=1, uncovered_days=10))
    assert slip.expected_date == date(2026, 12, 9)  # 10 working days (8 Dec) + 1
    for later in range(25, 31):  # no new notice each day while the delivery stays overdue
        assert slipped_lines([bl(confirmed=slip.expected_date)], {1: Decimal(0)}, supplies,
                             date(2026, 11, later), NoticeRules(handling_days=1, uncovered_days=10)) == []


def test_a_passed_date_moves_to_the_covering_delivery_plus_handling():
    line = bl(confirmed=date(2026, 11, 20))
    slip = new_expected_date(line, date(2026, 12, 3), TODAY)
    assert (slip.expected_date, slip.previous_date, slip.reason) == (date(2026, 12, 4), date(2026, 11, 20),
                                                                      NoticeReason.LATE)


def test_a_delivery_expected_after_the_promise_moves_it_even_before_the_day():
    slip = new_expected_date(bl(confirmed=date(2026, 12, 1)), date(2026, 12, 8), TODAY)
    assert (slip.expected_date, slip.reason) == (date(2026, 12, 9), NoticeReason.SUPPLY)


def test_a_promise_that_still_holds_gives_no_notice():
    assert new_expected_date(bl(confirmed=date(2026, 12, 1)), date(2026, 11, 30), TODAY) is None
    assert new_expected_date(bl(confirmed=date(2026, 12, 1)), date(2026, 12, 1), TODAY) is None
    assert new_expected_date(bl(confirmed=None), None, TODAY) is None
    # Nothing covers it, but its day has not come: no notice yet.
    assert new_expected_date(bl(confirmed=date(2026, 12, 1)), None, TODAY) is None


def test_nothing_covering_a_late_line_gives_today_plus_the_uncovered_days():
    slip = new_expected_date(bl(confirmed=date(2026, 11, 20)), None, TODAY, NoticeRules(uncovered_days=10))
    assert slip.expected_date == date(2026, 12, 8)


def test_the_new_date_is_stable_once_it_is_the_lines_date():
    """The next run compares with the new date: no second notice for the same slip."""
    supplies = {1: [Supply(date(2026, 12, 3), Decimal(10))]}
    lines = [bl(confirmed=date(2026, 11, 20))]
    [slip] = slipped_lines(lines, {1: Decimal(0)}, supplies, TODAY)
    moved = [bl(confirmed=slip.expected_date)]
    assert slipped_lines(moved, {1: Decimal(0)}, supplies, TODAY) == []
    assert slipped_lines(moved, {1: Decimal(0)}, supplies, date(2026, 11, 26)) == []


def test_cancel_lowers_the_ordered_quantity_to_what_was_delivered():
    o = order((("5", "2"), ("3", "0")))
    assert cancel_remainder(o, 1, NOW) == 3
    assert (o.lines[0].quantity, o.lines[0].deliver_remainder, o.status) == (2, 0, SalesOrderStatus.OPEN_ORDER)
    with pytest.raises(TransitionNotAllowed):
        cancel_remainder(o, 1, NOW)  # nothing remains


def test_cancelling_the_only_line_of_an_undelivered_order_cancels_the_order():
    o = order()
    cancel_remainder(o, 1, NOW)
    assert o.status is SalesOrderStatus.CANCELED


def test_cancel_is_refused_on_a_subscription():
    with pytest.raises(TransitionNotAllowed):
        cancel_remainder(order(order_type=SalesOrderType.SUBSCRIPTION), 1, NOW)


def test_ship_quantity_is_what_is_on_hand_at_most_the_remainder():
    assert ship_quantity(Decimal(5), Decimal(3)) == 3
    assert ship_quantity(Decimal(5), Decimal(9)) == 5
    assert ship_quantity(Decimal(5), Decimal(-1)) == 0


def _notice(nid=1, customer_id=7) -> DelayNotice:
    return DelayNotice(sales_order_line_id=1, sales_order_id=10, line_number=1, customer_id=customer_id,
                       salesperson_id=3, expected_date=date(2026, 12, 4), previous_date=date(2026, 11, 20),
                       reason="late", created_at=NOW, id=nid)


def test_an_answer_is_checked_for_customer_once_newest_and_open():
    buyer = User(telegram_id=9, name="Buyer", role=Role.CUSTOMER, customer_id=7, id=50)
    other = User(telegram_id=8, name="Other", role=Role.CUSTOMER, customer_id=8, id=51)
    staff = User(telegram_id=3, name="Sam", role=Role.SALES, id=3)
    o = order()
    assert check_answer(_notice(), buyer, o, 1).id == 1
    for user in (other, staff):
        with pytest.raises(NotFound):
            check_answer(_notice(), user, o, 1)
    answered = _notice()
    answered.answer = "wait"
    with pytest.raises(TransitionNotAllowed):
        check_answer(answered, buyer, o, 1)
    with pytest.raises(TransitionNotAllowed):
        check_answer(_notice(), buyer, o, 2)  # a newer notice replaced it
    with pytest.raises(TransitionNotAllowed):
        check_answer(_notice(), buyer, order((("5", "5"),)), 1)  # delivered meanwhile


# --- properties ------------------------------------------------------------------------------------

quantities = st.integers(min_value=0, max_value=50).map(Decimal)
days = st.integers(min_value=-20, max_value=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), days, st.integers(0, 3)), min_size=1, max_size=8),
       quantities, st.lists(st.tuples(days, quantities), max_size=4), st.integers(0, 30))
def test_a_line_never_gets_two_notices_for_one_date(lines, on_hand, supplies, later):
    """Run the rule on consecutive days, moving each line's date as the job does: the (line, date)
    pairs are all different."""
    from datetime import timedelta
    current = {i: TODAY + timedelta(days=d) for i, (_r, d, _p) in enumerate(lines, start=1)}
    sup = {1: [Supply(TODAY + timedelta(days=d), q) for d, q in supplies]}
    seen = set()
    for offset in range(0, later + 1, 3):
        today = TODAY + timedelta(days=offset)
        bls = [bl(i, str(r), current[i], p) for i, (r, _d, p) in enumerate(lines, start=1)]
        for slip in slipped_lines(bls, {1: on_hand}, sup, today):
            key = (slip.line.line_id, slip.expected_date)
            assert key not in seen
            assert slip.expected_date > today and slip.expected_date != slip.previous_date
            seen.add(key)
            current[slip.line.line_id] = slip.expected_date


@given(st.lists(st.tuples(st.integers(1, 50), st.integers(0, 50)), min_size=1, max_size=5), st.data())
def test_cancelling_never_goes_below_delivered(pairs, data):
    o = order(tuple((str(max(q, d)), str(min(q, d))) for q, d in pairs))
    n = data.draw(st.integers(1, len(pairs)))
    before = {l.line_number: (l.quantity, l.delivered) for l in o.lines}
    try:
        canceled = cancel_remainder(o, n, NOW)
    except TransitionNotAllowed:
        assert before[n][0] == before[n][1] or o.status is SalesOrderStatus.CANCELED
        return
    line = o.line(n)
    assert line.quantity == line.delivered == before[n][1]
    assert canceled == before[n][0] - before[n][1] > 0
    assert all(l.quantity >= l.delivered for l in o.lines)
