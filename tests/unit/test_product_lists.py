"""Product-list rules: which suggestions a line gets, and how they are counted."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from domain.errors import InvalidInput, TransitionNotAllowed
from domain.product_list import (Outcome, ProductListRule, RuleKind, RuleRates, SuggestionOffer,
                                 parse_kind, parse_rule_date, rates_from_counts, suggestions_for)
from domain.item import Item
from domain.services.product_lists import RuleView
from handlers.product_lists import parse_rule, rates_text, rules_message

UP, CROSS = RuleKind.UP_SELL, RuleKind.CROSS_SELL
DAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)
CHAIR, DESK, BOOK, MAT = 1, 2, 3, 4


def rule(kind, item, suggested, rid, **kw) -> ProductListRule:
    return ProductListRule(kind=kind, item_id=item, suggested_item_id=suggested, id=rid, **kw)


def suggested(rules, item=CHAIR, quantity=Decimal(1), group="", on=()):
    return [(r.kind, r.suggested_item_id)
            for r in suggestions_for(rules, item, quantity, group, DAY, set(on) | {item})]


def test_up_sell_comes_before_cross_sell():
    rules = [rule(CROSS, CHAIR, BOOK, 1), rule(UP, CHAIR, DESK, 2)]
    assert suggested(rules) == [(UP, DESK), (CROSS, BOOK)]


def test_a_rule_for_another_item_is_not_suggested():
    assert suggested([rule(CROSS, DESK, BOOK, 1)]) == []


def test_a_cross_sell_of_an_item_already_on_the_quotation_is_left_out():
    rules = [rule(CROSS, CHAIR, BOOK, 1), rule(CROSS, CHAIR, MAT, 2)]
    assert suggested(rules, on=[BOOK]) == [(CROSS, MAT)]


def test_the_minimum_quantity_is_a_threshold():
    rules = [rule(UP, CHAIR, DESK, 1, min_quantity=Decimal(5))]
    assert suggested(rules, quantity=Decimal("4.999")) == []
    assert suggested(rules, quantity=Decimal(5)) == [(UP, DESK)]


def test_a_customer_group_rule_applies_only_to_that_group_in_any_case():
    rules = [rule(CROSS, CHAIR, BOOK, 1, customer_group="Wholesale")]
    assert suggested(rules, group="") == []
    assert suggested(rules, group="Retail") == []
    assert suggested(rules, group="wholesale") == [(CROSS, BOOK)]


def test_validity_dates_include_both_ends():
    rules = [rule(CROSS, CHAIR, BOOK, 1, valid_from=DAY, valid_to=DAY)]
    assert suggested(rules) == [(CROSS, BOOK)]
    assert suggested([rule(CROSS, CHAIR, BOOK, 1, valid_to=date(2026, 11, 23))]) == []
    assert suggested([rule(CROSS, CHAIR, BOOK, 1, valid_from=date(2026, 11, 25))]) == []


def test_one_suggestion_per_item_the_most_specific_rule_wins():
    general = rule(CROSS, CHAIR, BOOK, 1, note="for everyone")
    grouped = rule(CROSS, CHAIR, BOOK, 2, customer_group="Wholesale", note="for wholesale")
    [chosen] = suggestions_for([general, grouped], CHAIR, Decimal(1), "Wholesale", DAY, {CHAIR})
    assert chosen.note == "for wholesale"
    both = [rule(CROSS, CHAIR, DESK, 1), rule(UP, CHAIR, DESK, 2)]
    assert suggested(both) == [(UP, DESK)]


@pytest.mark.parametrize("kwargs, message", [
    (dict(kind=UP, item_id=1, suggested_item_id=1), "the item itself"),
    (dict(kind=UP, item_id=1, suggested_item_id=2, valid_from=date(2026, 12, 2),
          valid_to=date(2026, 12, 1)), "before it starts"),
    (dict(kind=UP, item_id=1, suggested_item_id=2, min_quantity=Decimal(-1)), "cannot be negative"),
    (dict(kind=UP, item_id=1, suggested_item_id=2, note="x" * 201), "at most 200"),
])
def test_a_bad_rule_is_refused(kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        ProductListRule(**kwargs)


def test_kinds_are_read_in_english_and_dutch():
    assert parse_kind("Up") is UP and parse_kind("meerverkoop") is UP
    assert parse_kind("cross-sell") is CROSS and parse_kind("kruisverkoop") is CROSS
    with pytest.raises(InvalidInput, match="not a kind of rule"):
        parse_kind("sideways")


def test_rule_dates_are_iso_or_day_month_year():
    assert parse_rule_date("2026-12-31") == parse_rule_date("31-12-2026") == date(2026, 12, 31)
    with pytest.raises(InvalidInput, match="is not a date"):
        parse_rule_date("2026-02-30")


def test_a_typed_rule_tells_its_optional_words_apart_by_their_form():
    spec = parse_rule("cross A-100 B-300 Wholesale 5 2026-12-01 31-12-2026; Ask about the handbook")
    assert (spec.kind, spec.item_number, spec.suggested_item_number) == (CROSS, "A-100", "B-300")
    assert spec.customer_group == "Wholesale" and spec.min_quantity == 5
    assert (spec.valid_from, spec.valid_to) == (date(2026, 12, 1), date(2026, 12, 31))
    assert spec.note == "Ask about the handbook"
    only_to = parse_rule("up A-100 A-200 - 2026-12-31")
    assert only_to.valid_from is None and only_to.valid_to == date(2026, 12, 31)


@pytest.mark.parametrize("typed, message", [
    ("up A-100", "Type a rule as"),
    ("sideways A-100 A-200", "not a kind of rule"),
    ("up A-100 A-200 Retail Wholesale", "did not understand 'Wholesale'"),
    ("up A-100 A-200 5 6", "one minimum quantity"),
    ("up A-100 A-200 2026-01-01 2026-02-01 2026-03-01", "at most two dates"),
    ("up A-100 A-200 2026-13-01", "is not a date"),
    ("up A-100 A-200 5x", "is not a number"),
])
def test_a_badly_typed_rule_gets_a_clear_reason(typed, message):
    with pytest.raises(InvalidInput, match=message):
        parse_rule(typed)


def test_an_offer_is_accepted_once_and_an_accepted_offer_is_never_ignored():
    offer = SuggestionOffer(rule_id=1, quotation_id=1, salesperson_id=1, shown_at=NOW)
    offer.accept(NOW)
    offer.ignore(NOW)
    assert offer.outcome is Outcome.ACCEPTED
    with pytest.raises(TransitionNotAllowed, match="already taken"):
        offer.accept(NOW)
    ignored = SuggestionOffer(rule_id=1, quotation_id=1, salesperson_id=1, shown_at=NOW)
    ignored.ignore(NOW)
    with pytest.raises(TransitionNotAllowed, match="no longer open"):
        ignored.accept(NOW)


def test_rates_per_rule():
    rates = rates_from_counts([(1, "accepted", 1), (1, "ignored", 2), (1, "pending", 1), (2, "ignored", 3)])
    assert rates[1] == RuleRates(1, shown=4, accepted=1, ignored=2)
    assert rates[1].pending == 1 and rates[1].acceptance_rate == Decimal("0.25")
    assert rates[2].acceptance_rate == 0
    assert RuleRates(3, 0, 0, 0).acceptance_rate is None


# --- properties -------------------------------------------------------------------------------

ITEMS = st.integers(1, 6)
rules_strategy = st.lists(st.builds(
    lambda kind, item, other, group, minimum, start, length: ProductListRule(
        kind=kind, item_id=item, suggested_item_id=other if other != item else item + 10,
        customer_group=group, min_quantity=Decimal(minimum),
        valid_from=date.fromordinal(DAY.toordinal() + start) if start is not None else None,
        valid_to=date.fromordinal(DAY.toordinal() + (start or 0) + length) if length is not None else None),
    st.sampled_from(RuleKind), ITEMS, ITEMS, st.sampled_from(["", "A", "B"]), st.integers(0, 5),
    st.none() | st.integers(-3, 3), st.none() | st.integers(0, 3)), max_size=12)


@given(rules_strategy, ITEMS, st.integers(1, 6), st.sampled_from(["", "A", "B"]),
       st.sets(ITEMS | st.integers(11, 16)))
def test_suggestions_are_deduplicated_matching_up_sell_first_and_complete(rules, item, quantity,
                                                                          group, on):
    for i, r in enumerate(rules):
        r.id = i + 1
    on = on | {item}
    chosen = suggestions_for(rules, item, Decimal(quantity), group, DAY, on, limit=100)
    ids = [r.suggested_item_id for r in chosen]
    assert len(ids) == len(set(ids))                                   # deduplicated
    assert all(r.applies(item, Decimal(quantity), group, DAY) for r in chosen)
    kinds = [r.kind for r in chosen]
    assert kinds == sorted(kinds, key=lambda k: k is not UP)           # up-sell first
    assert not any(r.kind is CROSS and r.suggested_item_id in on for r in chosen)
    assert item not in ids                                             # never the item itself
    wanted = {r.suggested_item_id for r in rules if r.applies(item, Decimal(quantity), group, DAY)
              and not (r.kind is CROSS and r.suggested_item_id in on)}
    assert set(ids) == wanted                                          # nothing left out


@given(st.lists(st.tuples(st.integers(1, 4), st.sampled_from(list(Outcome)), st.integers(0, 50))))
def test_shown_is_accepted_plus_ignored_plus_open_and_the_rate_is_a_fraction(counts):
    for r in rates_from_counts(counts).values():
        assert r.shown == r.accepted + r.ignored + r.pending and r.pending >= 0
        assert r.acceptance_rate is None or 0 <= r.acceptance_rate <= 1


def test_a_long_list_of_rules_fits_one_chat_message():
    chair = Item("A-100", "Office chair", "pcs", Decimal(1), Decimal(21))
    desk = Item("A-200", "Standing desk", "pcs", Decimal(1), Decimal(21))
    views = [RuleView(rule(UP, CHAIR, DESK, i, customer_group="G" * 40, note="<n> " * 50,
                           valid_from=DAY, valid_to=DAY, min_quantity=Decimal(5)), chair, desk)
             for i in range(1, 101)]
    text, keyboard = rules_message(views)
    assert len(text) < 4096 and "more (type <code>delete 12</code>" in text
    buttons = [b for row in keyboard.inline_keyboard for b in row]
    assert 0 < len(buttons) <= 24 and f"Rule {len(buttons)}," in text
    assert "&lt;n&gt;" in text and "<n>" not in text
    rates = rates_text([(v, RuleRates(v.rule.id, v.rule.id, 1, 0)) for v in views])
    assert len(rates) < 4096 and "Rule 100," in rates.split("\n")[1] and "more." in rates
