"""Sales quotations: lines, validity, and the moves from Created to a closed status."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput, NotFound, TransitionNotAllowed
from domain.item import Item
from domain.quotation import DEFAULT_VALIDITY_DAYS, MAX_VALIDITY_DAYS, Quotation, QuotationStatus

D = Decimal
S = QuotationStatus
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = NOW.date()


def make_item(item_id: int, number: str = "", price: str = "10.00", tax: str = "21") -> Item:
    item = Item(item_number=number or f"IT-{item_id}", name=f"Item {item_id}", unit="pcs",
                sales_price=D(price), sales_tax_percent=D(tax), on_hand=D(100))
    item.id = item_id
    return item


def new_quotation(*lines: tuple[Item, str]) -> Quotation:
    q = Quotation.create("Q-000042", customer_id=3, salesperson_id=5, now=NOW)
    for item, quantity in lines:
        q.add_line(item, D(quantity))
    return q


def quotation_in(status: QuotationStatus) -> Quotation:
    q = new_quotation((make_item(1), "2"))
    q.status = status
    return q


# --- creating ---------------------------------------------------------------------------------

def test_a_new_quotation_is_created_and_valid_for_thirty_days():
    q = Quotation.create("Q-000001", customer_id=3, salesperson_id=5, now=NOW)
    assert q.status is S.CREATED
    assert q.created_at == NOW
    assert q.valid_until == date(2026, 4, 9) == TODAY + timedelta(days=DEFAULT_VALIDITY_DAYS)
    assert q.lines == [] and q.is_open


def test_a_quotation_refuses_a_time_without_a_time_zone():
    with pytest.raises(ValueError, match="time zone"):
        Quotation.create("Q-000001", customer_id=3, salesperson_id=5, now=datetime(2026, 3, 10, 9))


# --- lines ------------------------------------------------------------------------------------

def test_lines_are_numbered_in_the_order_they_are_added():
    q = new_quotation((make_item(1), "1"), (make_item(2), "2"), (make_item(3), "3"))
    assert [(l.line_number, l.item_id, l.quantity) for l in q.lines] == [
        (1, 1, 1), (2, 2, 2), (3, 3, 3)]


def test_the_same_item_added_twice_adds_up_to_one_line():
    screw = make_item(1)
    q = new_quotation((screw, "2.5"), (make_item(2), "1"))
    line = q.add_line(screw, D("1.5"))
    assert len(q.lines) == 2
    assert line is q.line(1) and line.quantity == D(4)


def test_adding_to_a_line_beyond_the_maximum_quantity_leaves_it_unchanged():
    screw = make_item(1)
    q = new_quotation((screw, "999999"))
    with pytest.raises(InvalidInput):
        q.add_line(screw, D(2))
    assert q.line(1).quantity == D(999999)


def test_a_line_copies_the_item_price_and_tax_of_the_moment_it_is_added():
    screw = make_item(1, number="SCR-4", price="0.1250", tax="9")
    q = new_quotation((screw, "100"))
    screw.sales_price, screw.sales_tax_percent, screw.name = D("0.2000"), D("21"), "Renamed"
    line = q.line(1)
    assert (line.item_number, line.description, line.unit) == ("SCR-4", "Item 1", "pcs")
    assert (line.unit_price, line.tax_percent) == (D("0.1250"), D(9))
    assert line.net_amount == D("12.50")


def test_removing_a_line_keeps_the_numbers_of_the_others():
    q = new_quotation((make_item(1), "1"), (make_item(2), "2"), (make_item(3), "3"))
    q.remove_line(2)
    assert [l.line_number for l in q.lines] == [1, 3]
    with pytest.raises(NotFound, match="Line 2 is not on quotation Q-000042"):
        q.line(2)
    assert q.add_line(make_item(4), D(1)).line_number == 4


def test_removing_a_line_that_is_not_there_is_refused():
    q = new_quotation((make_item(1), "1"))
    with pytest.raises(NotFound):
        q.remove_line(7)
    assert len(q.lines) == 1


def test_a_quantity_can_be_changed():
    q = new_quotation((make_item(1), "1"))
    q.change_quantity(1, D("2.125"))
    assert q.line(1).quantity == D("2.125")


@pytest.mark.parametrize("bad", ["0", "-1", "0.0001", "1000001"])
def test_a_bad_quantity_is_refused_and_leaves_the_line_unchanged(bad):
    q = new_quotation((make_item(1), "3"))
    with pytest.raises(InvalidInput):
        q.change_quantity(1, D(bad))
    assert q.line(1).quantity == D(3)


def test_the_validity_can_be_moved_to_today_or_later_but_not_into_the_past():
    q = new_quotation()
    q.set_valid_until(TODAY, today=TODAY)
    assert q.valid_until == TODAY
    with pytest.raises(InvalidInput, match="in the past"):
        q.set_valid_until(TODAY - timedelta(days=1), today=TODAY)
    assert q.valid_until == TODAY


def test_the_validity_reaches_at_most_a_year_ahead():
    q = new_quotation()
    last = TODAY + timedelta(days=MAX_VALIDITY_DAYS)
    q.set_valid_until(last, today=TODAY)
    assert q.valid_until == last and MAX_VALIDITY_DAYS == 365
    for too_far in (last + timedelta(days=1), TODAY + timedelta(days=9999), date(9999, 12, 31)):
        with pytest.raises(InvalidInput, match="at most 365 days"):
            q.set_valid_until(too_far, today=TODAY)
    assert q.valid_until == last


def test_totals_sum_the_rounded_lines_with_tax_per_rate():
    q = new_quotation((make_item(1, price="0.1250", tax="21"), "3"),   # 0.38, tax 0.08
                      (make_item(2, price="10.00", tax="9"), "1.05"),  # 10.50, tax 0.95
                      (make_item(3, price="2.00", tax="21"), "1"))     # 2.00, tax 0.42
    t = q.totals
    assert (t.net, t.tax, t.gross) == (D("12.88"), D("1.45"), D("14.33"))
    assert [(r.percent, r.base, r.tax) for r in t.tax_rows] == [
        (D(9), D("10.50"), D("0.95")), (D(21), D("2.38"), D("0.50"))]


def test_tax_is_rounded_on_each_line_not_on_the_sum_of_a_rate():
    q = new_quotation((make_item(1, price="0.10", tax="5.5"), "1"),   # tax 0.0055 -> 0.01
                      (make_item(2, price="0.10", tax="5.5"), "1"))   # tax 0.0055 -> 0.01
    assert q.totals.tax == D("0.02")  # rounding the rate's base (0.011) would give 0.01


def test_an_empty_quotation_totals_zero():
    t = new_quotation().totals
    assert (t.net, t.tax, t.gross, t.tax_rows) == (0, 0, 0, ())


# --- sending ----------------------------------------------------------------------------------

def test_sending_moves_the_quotation_to_sent_and_records_when():
    q = new_quotation((make_item(1), "1"))
    later = NOW + timedelta(hours=1)
    q.send(later)
    assert q.status is S.SENT and q.sent_at == later and q.is_open


def test_a_quotation_without_lines_cannot_be_sent():
    q = new_quotation()
    with pytest.raises(InvalidInput, match="at least one line"):
        q.send(NOW)
    assert q.status is S.CREATED and q.sent_at is None


def test_a_quotation_whose_validity_has_passed_cannot_be_sent():
    q = new_quotation((make_item(1), "1"))
    with pytest.raises(InvalidInput, match="in the past"):
        q.send(NOW + timedelta(days=DEFAULT_VALIDITY_DAYS + 1))
    assert q.status is S.CREATED


def test_a_sent_quotation_cannot_be_edited():
    q = new_quotation((make_item(1), "1"))
    q.send(NOW)
    edits = [lambda: q.add_line(make_item(2), D(1)), lambda: q.remove_line(1),
             lambda: q.change_quantity(1, D(5)), lambda: q.set_valid_until(TODAY, TODAY)]
    for edit in edits:
        with pytest.raises(TransitionNotAllowed, match="only a new quotation can be changed"):
            edit()
    assert [(l.line_number, l.quantity) for l in q.lines] == [(1, 1)]


def test_a_quotation_is_sent_only_once():
    q = new_quotation((make_item(1), "1"))
    q.send(NOW)
    with pytest.raises(TransitionNotAllowed, match="Q-000042"):
        q.send(NOW + timedelta(hours=1))
    assert q.sent_at == NOW


# --- closing ----------------------------------------------------------------------------------

@pytest.mark.parametrize("start", [S.CREATED, S.SENT])
@pytest.mark.parametrize(("verb", "end"), [
    ("confirm", S.CONFIRMED), ("lose", S.LOST), ("cancel", S.CANCELED)])
def test_an_open_quotation_can_be_confirmed_lost_or_canceled(start, verb, end):
    q = quotation_in(start)
    later = NOW + timedelta(days=1)
    {"confirm": lambda: q.mark_confirmed(later, later.date()), "lose": lambda: q.lose(later),
     "cancel": lambda: q.cancel(later)}[verb]()
    assert q.status is end and q.closed_at == later and not q.is_open


@pytest.mark.parametrize("closed", [S.CONFIRMED, S.LOST, S.CANCELED, S.EXPIRED])
@pytest.mark.parametrize("verb", ["send", "confirm", "lose", "cancel", "expire"])
def test_a_closed_quotation_refuses_every_move_and_names_its_number(closed, verb):
    q = quotation_in(closed)
    far = NOW + timedelta(days=365)
    move = {"send": lambda: q.send(NOW), "confirm": lambda: q.mark_confirmed(NOW, TODAY),
            "lose": lambda: q.lose(NOW), "cancel": lambda: q.cancel(NOW),
            "expire": lambda: q.expire(far, far.date())}[verb]
    with pytest.raises(TransitionNotAllowed) as caught:
        move()
    assert "Q-000042" in str(caught.value)
    assert q.status is closed and q.closed_at is None


def test_a_quotation_is_confirmed_only_once():
    q = new_quotation((make_item(1), "1"))
    q.mark_confirmed(NOW, TODAY)
    with pytest.raises(TransitionNotAllowed, match="Quotation Q-000042 is confirmed"):
        q.mark_confirmed(NOW + timedelta(hours=1), TODAY)
    assert q.closed_at == NOW


def test_a_quotation_past_its_validity_cannot_be_confirmed():
    q = new_quotation((make_item(1), "1"))
    q.send(NOW)
    day_after = q.valid_until + timedelta(days=1)
    with pytest.raises(TransitionNotAllowed, match="Q-000042 expired on"):
        q.mark_confirmed(NOW, day_after)
    assert q.status is S.SENT
    q.mark_confirmed(NOW, q.valid_until)  # the last valid day still counts
    assert q.status is S.CONFIRMED


def test_a_quotation_without_lines_cannot_be_confirmed():
    q = new_quotation()
    with pytest.raises(InvalidInput, match="no lines"):
        q.mark_confirmed(NOW, TODAY)
    assert q.status is S.CREATED


# --- expiry -----------------------------------------------------------------------------------

def test_an_open_quotation_is_past_its_validity_from_the_day_after():
    q = new_quotation((make_item(1), "1"))
    assert not q.is_past_validity(q.valid_until)
    assert q.is_past_validity(q.valid_until + timedelta(days=1))
    q.cancel(NOW)
    assert not q.is_past_validity(q.valid_until + timedelta(days=1))


@pytest.mark.parametrize("start", [S.CREATED, S.SENT])
def test_an_open_quotation_expires_only_after_its_last_valid_day(start):
    q = quotation_in(start)
    with pytest.raises(TransitionNotAllowed, match="Q-000042 is valid until"):
        q.expire(NOW, q.valid_until)
    assert q.status is start
    q.expire(NOW, q.valid_until + timedelta(days=1))
    assert q.status is S.EXPIRED and q.closed_at == NOW


def test_the_expiry_warning_is_due_only_on_the_last_valid_day():
    q = new_quotation((make_item(1), "1"))
    last = q.valid_until
    assert [q.needs_expiry_warning(last + timedelta(days=d)) for d in (-2, -1, 0, 1)] == [
        False, False, True, False]


def test_the_expiry_warning_is_given_only_once():
    q = new_quotation((make_item(1), "1"))
    q.expiry_warned_on = q.valid_until
    assert not q.needs_expiry_warning(q.valid_until)


def test_a_closed_quotation_needs_no_expiry_warning():
    q = new_quotation((make_item(1), "1"))
    q.lose(NOW)
    assert not q.needs_expiry_warning(q.valid_until)



def test_replace_item_keeps_the_line_its_place_and_quantity():
    chair, desk, lamp = make_item(1, "A-100"), make_item(2, "A-200", "499.00"), make_item(3, "C-400")
    q = new_quotation((chair, "3"), (lamp, "1"))
    line = q.replace_item(1, desk)
    assert [(l.line_number, l.item_number, l.quantity) for l in q.lines] == [
        (1, "A-200", Decimal(3)), (2, "C-400", Decimal(1))]
    assert line.unit_price == Decimal("499.00") and line.description == desk.name


def test_replace_item_with_an_item_already_on_the_quotation_joins_the_quantities():
    chair, desk = make_item(1, "A-100"), make_item(2, "A-200")
    q = new_quotation((chair, "3"), (desk, "1"))
    q.replace_item(1, desk)
    assert [(l.item_number, l.quantity) for l in q.lines] == [("A-200", Decimal(4))]


def test_replace_item_is_refused_once_the_quotation_is_sent():
    q = quotation_in(QuotationStatus.SENT)
    with pytest.raises(TransitionNotAllowed):
        q.replace_item(1, make_item(9, "Z-9"))


# --- whether the customer's view offers the answer buttons -------------------------------------

def test_only_a_sent_quotation_within_its_validity_offers_the_customer_an_answer():
    from domain.quotation_answer import is_answerable
    sent = new_quotation((make_item(1), "2"))
    sent.send(NOW)
    assert is_answerable(sent, TODAY) and is_answerable(sent, sent.valid_until)
    assert not is_answerable(sent, sent.valid_until + timedelta(days=1))
    assert not is_answerable(new_quotation((make_item(1), "2")), TODAY)  # a draft was never offered
    for status in (S.CONFIRMED, S.LOST, S.CANCELED, S.EXPIRED):
        closed = new_quotation((make_item(1), "2"))
        closed.send(NOW)
        closed.status = status
        assert not is_answerable(closed, TODAY)
