"""Trade agreements: precedence, quantity breaks, validity dates, discounts, explanations."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.customer import Customer
from domain.errors import InvalidInput
from domain.invoice import invoice_lines_for
from domain.item import Item
from domain.packing_slip import post_packing_slip
from domain.pricing import (AccountCode as A, ItemCode as I, Relation as R, TradeAgreement,
                            price_line, read_note)
from domain.quotation import Quotation
from domain.sales_order import SalesOrder
from domain.tax import ItemLine

D = Decimal
DAY = date(2026, 6, 15)
CHAIR = Item(item_number="A-100", name="Chair", unit="pcs", sales_price=D("20.00"),
             sales_tax_percent=D(21), item_group="CHAIRS", on_hand=D(1000), id=1)
ACME = Customer(account_number="C-1", name="Acme", email="buy@acme.example", customer_group="WHOLESALE", id=3)


def price(item_code=I.ALL, item_value="", account_code=A.ALL, account_value="", amount="10", **kw):
    return TradeAgreement(relation=R.PRICE, item_code=item_code, item_value=item_value,
                          account_code=account_code, account_value=account_value, price=D(amount), **kw)


def discount(item_code=I.ALL, item_value="", account_code=A.ALL, account_value="", percent="0",
             amount="0", **kw):
    return TradeAgreement(relation=R.LINE_DISCOUNT, item_code=item_code, item_value=item_value,
                          account_code=account_code, account_value=account_value,
                          discount_percent=D(percent), discount_amount=D(amount), **kw)


def test_without_agreements_the_line_gets_the_items_sales_price_and_no_discount():
    result = price_line([], CHAIR, ACME, D(5), DAY)
    assert (result.unit_price, result.discount_percent, result.discount_amount) == (D("20.00"), 0, 0)
    assert result.note == ""


def test_the_most_specific_item_wins_over_a_better_price_for_the_group():
    agreements = [price(I.GROUP, "CHAIRS", A.CUSTOMER, "C-1", "12"),
                  price(I.ITEM, "A-100", A.ALL, "", "15")]
    assert price_line(agreements, CHAIR, ACME, D(1), DAY).unit_price == D(15)


def test_for_the_same_item_the_customer_beats_the_customer_group_and_the_group_beats_all():
    agreements = [price(I.ITEM, "A-100", A.ALL, "", "14"),
                  price(I.ITEM, "A-100", A.GROUP, "WHOLESALE", "16"),
                  price(I.ITEM, "A-100", A.CUSTOMER, "C-1", "18")]
    assert price_line(agreements, CHAIR, ACME, D(1), DAY).unit_price == D(18)
    assert price_line(agreements[:2], CHAIR, ACME, D(1), DAY).unit_price == D(16)
    other = Customer(account_number="C-2", name="Other", email="o@x.example", customer_group="RETAIL")
    assert price_line(agreements, CHAIR, other, D(1), DAY).unit_price == D(14)


def test_within_the_same_specificity_the_lowest_price_wins():
    agreements = [price(I.ITEM, "A-100", A.ALL, "", "14", valid_to=date(2026, 12, 31)),
                  price(I.ITEM, "A-100", A.ALL, "", "13")]
    assert price_line(agreements, CHAIR, ACME, D(1), DAY).unit_price == D(13)


def test_quantity_breaks_pick_the_highest_from_quantity_not_above_the_line_quantity():
    agreements = [price(I.ITEM, "A-100", A.ALL, "", "19"),
                  price(I.ITEM, "A-100", A.ALL, "", "17", from_quantity=D(10)),
                  price(I.ITEM, "A-100", A.ALL, "", "15", from_quantity=D(50))]
    assert [price_line(agreements, CHAIR, ACME, D(q), DAY).unit_price for q in (1, 9.999, 10, 49, 50, 500)] \
        == [D(19), D(19), D(17), D(17), D(15), D(15)]


def test_agreements_count_only_within_their_validity_dates_inclusive():
    a = price(I.ITEM, "A-100", A.ALL, "", "12", valid_from=date(2026, 6, 1), valid_to=date(2026, 6, 30))
    assert price_line([a], CHAIR, ACME, D(1), date(2026, 6, 1)).unit_price == D(12)
    assert price_line([a], CHAIR, ACME, D(1), date(2026, 6, 30)).unit_price == D(12)
    assert price_line([a], CHAIR, ACME, D(1), date(2026, 5, 31)).unit_price == D(20)
    assert price_line([a], CHAIR, ACME, D(1), date(2026, 7, 1)).unit_price == D(20)


def test_agreements_for_other_items_groups_or_customers_do_not_apply():
    agreements = [price(I.ITEM, "B-200", amount="1"), price(I.GROUP, "TABLES", amount="1"),
                  price(account_code=A.CUSTOMER, account_value="C-9", amount="1"),
                  price(account_code=A.GROUP, account_value="RETAIL", amount="1")]
    assert price_line(agreements, CHAIR, ACME, D(1), DAY).unit_price == D(20)


def test_the_discount_is_searched_separately_and_applies_to_the_agreed_price():
    agreements = [price(I.ITEM, "A-100", A.GROUP, "WHOLESALE", "12.50"),
                  discount(I.GROUP, "CHAIRS", A.GROUP, "WHOLESALE", percent="8", from_quantity=D(50))]
    result = price_line(agreements, CHAIR, ACME, D(60), DAY)
    assert (result.unit_price, result.discount_percent) == (D("12.50"), D(8))
    line = ItemLine(item_number="A-100", description="Chair", unit="pcs", quantity=D(60),
                    unit_price=result.unit_price, tax_percent=D(21),
                    discount_percent=result.discount_percent)
    assert line.net_amount == D("690.00")  # 60 x 12.50 x 0.92
    assert price_line(agreements, CHAIR, ACME, D(49), DAY).discount_percent == 0


def test_the_best_discount_for_the_customer_wins_comparing_percent_and_amount_per_unit():
    agreements = [discount(percent="10"), discount(amount="2.50")]  # 10% of 20 = 2.00 < 2.50
    result = price_line(agreements, CHAIR, ACME, D(1), DAY)
    assert (result.discount_percent, result.discount_amount) == (0, D("2.50"))


def test_a_discount_amount_never_exceeds_the_price():
    result = price_line([discount(amount="25")], CHAIR, ACME, D(2), DAY)
    assert result.discount_amount == D(20)
    line = ItemLine(item_number="A-100", description="Chair", unit="pcs", quantity=D(2),
                    unit_price=result.unit_price, tax_percent=D(21), discount_amount=result.discount_amount)
    assert line.net_amount == D("0.00")


def test_the_explanation_names_the_agreements_chosen():
    agreements = [price(I.ITEM, "A-100", A.GROUP, "WHOLESALE", "12.50", valid_to=date(2026, 12, 31)),
                  discount(I.GROUP, "CHAIRS", A.CUSTOMER, "C-1", percent="8", from_quantity=D(50))]
    note = read_note(price_line(agreements, CHAIR, ACME, D(60), DAY).note)
    assert (note.price.item_code, note.price.item_value, note.price.account_code,
            note.price.account_value, note.price.valid_to) == (I.ITEM, "A-100", A.GROUP, "WHOLESALE",
                                                               date(2026, 12, 31))
    assert (note.discount.item_code, note.discount.account_value, note.discount.from_quantity) \
        == (I.GROUP, "C-1", D(50))
    assert read_note("") == read_note("not json")
    assert read_note("").price is None


@pytest.mark.parametrize("kwargs, message", [
    (dict(relation=R.PRICE, item_code=I.ITEM, item_value="", account_code=A.ALL, account_value=""),
     "needs its number or group"),
    (dict(relation=R.PRICE, item_code=I.ALL, item_value="", account_code=A.GROUP, account_value=" "),
     "needs its account or group"),
    (dict(relation=R.PRICE, item_code=I.ALL, item_value="", account_code=A.ALL, account_value="",
          discount_percent=D(5)), "has a price, not a discount"),
    (dict(relation=R.LINE_DISCOUNT, item_code=I.ALL, item_value="", account_code=A.ALL, account_value=""),
     "either a discount percentage or a discount amount"),
    (dict(relation=R.LINE_DISCOUNT, item_code=I.ALL, item_value="", account_code=A.ALL, account_value="",
          discount_percent=D(101)), "between 0 and 100"),
    (dict(relation=R.PRICE, item_code=I.ALL, item_value="", account_code=A.ALL, account_value="",
          price=D(-1)), "cannot be negative"),
    (dict(relation=R.PRICE, item_code=I.ALL, item_value="", account_code=A.ALL, account_value="",
          valid_from=date(2026, 2, 1), valid_to=date(2026, 1, 1)), "before it starts"),
])
def test_a_bad_agreement_is_refused_with_a_reason(kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        TradeAgreement(**kwargs)


def test_the_discount_travels_from_quotation_to_order_to_invoice():
    now = datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))
    q = Quotation.create("Q-1", customer_id=3, salesperson_id=5, now=now)
    q.id = 1
    line = q.add_line(CHAIR, D(10))
    line.discount_percent, line.price_note = D(8), '{"d":{"ac":"all","ic":"all"}}'
    q.mark_confirmed(now, now.date())
    order = SalesOrder.from_quotation(q, "SO-1", now)
    order.id = 7
    assert (order.lines[0].discount_percent, order.lines[0].price_note) == (D(8), line.price_note)
    assert order.totals.net == q.totals.net == D("184.00")
    slip = post_packing_slip(order, {1: Item(item_number="A-100", name="Chair", unit="pcs",
                                             sales_price=D(20), sales_tax_percent=D(21), on_hand=D(99),
                                             id=1)}, {1: D(10)}, "PS-1", now.date())
    invoice_line = invoice_lines_for({7: order}, [slip])[0]
    assert (invoice_line.discount_percent, invoice_line.net_amount) == (D(8), D("184.00"))


# --- properties -------------------------------------------------------------------------------

days = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
quantities = st.decimals(min_value=D("0.001"), max_value=D("200"), places=3)
amounts = st.decimals(min_value=D("0"), max_value=D("100"), places=2)


@st.composite
def agreements(draw):
    relation = draw(st.sampled_from(list(R)))
    item_code = draw(st.sampled_from(list(I)))
    account_code = draw(st.sampled_from(list(A)))
    item_value = {I.ITEM: draw(st.sampled_from(["A-100", "B-200"])),
                  I.GROUP: draw(st.sampled_from(["CHAIRS", "TABLES"])), I.ALL: ""}[item_code]
    account_value = {A.CUSTOMER: draw(st.sampled_from(["C-1", "C-2"])),
                     A.GROUP: draw(st.sampled_from(["WHOLESALE", "RETAIL"])), A.ALL: ""}[account_code]
    start, end = sorted([draw(days), draw(days)])
    kw = dict(relation=relation, item_code=item_code, item_value=item_value, account_code=account_code,
              account_value=account_value, from_quantity=draw(st.sampled_from([D(0), D(10), D(50), D(100)])),
              valid_from=draw(st.none() | st.just(start)), valid_to=draw(st.none() | st.just(end)),
              id=draw(st.integers(1, 10_000)))
    if relation is R.PRICE:
        kw["price"] = draw(amounts)
    elif draw(st.booleans()):
        kw["discount_percent"] = draw(st.decimals(min_value=D("0.01"), max_value=D(100), places=2))
    else:
        kw["discount_amount"] = draw(st.decimals(min_value=D("0.01"), max_value=D(50), places=2))
    return TradeAgreement(**kw)


@settings(max_examples=300, deadline=None)
@given(st.lists(agreements(), max_size=12), quantities, days)
def test_the_chosen_agreement_is_valid_applies_to_the_line_and_is_named_in_the_explanation(found, quantity, day):
    result = price_line(found, CHAIR, ACME, quantity, day)
    note = read_note(result.note)
    for chosen, noted in ((result.price_agreement, note.price), (result.discount_agreement, note.discount)):
        if chosen is None:
            assert noted is None
            continue
        assert chosen.is_valid_on(day) and chosen.from_quantity <= quantity
        assert chosen.matches(CHAIR, ACME)
        assert (noted.item_code, noted.item_value, noted.account_code, noted.account_value,
                noted.from_quantity, noted.valid_to) == (chosen.item_code, chosen.item_value,
                                                         chosen.account_code, chosen.account_value,
                                                         chosen.from_quantity, chosen.valid_to)
        # nothing applicable is more specific than the chosen one
        same_relation = [a for a in found if a.relation is chosen.relation
                         and a.applies(CHAIR, ACME, quantity, day)]
        assert chosen.specificity() == min(a.specificity() for a in same_relation)
        # then the highest quantity break at that level, then the best for the customer
        level = [a for a in same_relation if a.specificity() == chosen.specificity()]
        assert chosen.from_quantity == max(a.from_quantity for a in level)
        rivals = [a for a in level if a.from_quantity == chosen.from_quantity]
        if chosen.relation is R.PRICE:
            assert chosen.price == min(a.price for a in rivals)
        else:
            base = result.unit_price
            assert chosen.discount_per_unit(base) == max(a.discount_per_unit(base) for a in rivals)
    if result.price_agreement is None:
        assert result.unit_price == CHAIR.sales_price
    else:
        assert result.unit_price == result.price_agreement.price
    assert 0 <= result.discount_amount <= result.unit_price
    line = ItemLine(item_number="A-100", description="Chair", unit="pcs", quantity=quantity,
                    unit_price=result.unit_price, tax_percent=D(21),
                    discount_percent=result.discount_percent, discount_amount=result.discount_amount)
    assert D(0) <= line.net_amount <= ItemLine(item_number="A-100", description="Chair", unit="pcs",
                                                quantity=quantity, unit_price=result.unit_price,
                                                tax_percent=D(21)).net_amount


def test_the_pdf_prints_the_line_discount_in_the_documents_language():
    from dataclasses import replace

    from tests.unit.test_pdf import line, make_view, text_of
    by_amount = replace(line(1), discount_amount=D("1.25"))
    by_percent = replace(line(2), discount_percent=D("7.5"))
    text = text_of(make_view(locale="nl", lines=(by_amount, by_percent, line(3)))).replace("\xa0", " ")
    assert "Korting € 1,25 per eenheid" in text  # the cell wraps at the no-break space
    assert "Korting 7,5%" in text
    assert text.count("Korting") == 2
    assert "Discount 7.5%" in text_of(make_view(lines=(by_percent,)))
