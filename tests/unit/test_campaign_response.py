"""Issue 5 §5 rules: what Interested does at each stage, the interest link's token, and the funnel."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from domain.campaign_response import (ContactFacts, Effect, InterestLinkRefused, ResponseKind, effect_of,
                                      funnel, interest_token, read_interest_token)
from domain.relationship import Stage

SECRET = b"unit-secret"


@pytest.mark.parametrize("kind, contact, stage, effect", [
    (ResponseKind.INTERESTED, "party", Stage.PROSPECT, Effect.LEAD),
    (ResponseKind.INTERESTED, "party", Stage.LEAD, Effect.OPPORTUNITY),
    (ResponseKind.INTERESTED, "party", Stage.OPPORTUNITY, Effect.NOTED),
    (ResponseKind.INTERESTED, "customer", None, Effect.QUOTE),
    (ResponseKind.INTERESTED, "customer", Stage.CUSTOMER, Effect.QUOTE),
    (ResponseKind.NOT_NOW, "party", Stage.PROSPECT, Effect.NONE),
])
def test_interested_starts_the_sales_process_where_the_contact_stands(kind, contact, stage, effect):
    assert effect_of(kind, contact, stage, has_open_opportunity=stage is Stage.OPPORTUNITY) is effect


def test_interested_opens_a_new_opportunity_only_when_none_is_open():
    assert effect_of(ResponseKind.INTERESTED, "party", Stage.OPPORTUNITY, False) is Effect.OPPORTUNITY
    assert effect_of(ResponseKind.INTERESTED, "party", Stage.OPPORTUNITY, True) is Effect.NOTED


def test_an_interest_token_names_one_row_and_cannot_be_forged_or_moved():
    token = interest_token(SECRET, 3, 41)
    assert read_interest_token(SECRET, token) == (3, 41)
    assert len(token) <= 64
    for bad in (interest_token(b"other", 3, 41), token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
                "", "x" * 80, "!!"):
        with pytest.raises(InterestLinkRefused):
            read_interest_token(SECRET, bad)
    with pytest.raises(InterestLinkRefused):
        read_interest_token(None, token)


def test_the_funnel_counts_contacts_and_attributed_orders():
    facts = [ContactFacts(frozenset({"sent"}), responded=True, interested=True, lead=True, quotations=2,
                          orders_won=1, won_value=Decimal("100.50")),
             ContactFacts(frozenset({"sent", "bounced"}), unsubscribed=True),
             ContactFacts(frozenset({"bounced"})),
             ContactFacts(frozenset({"unknown"})),
             ContactFacts(frozenset({"sent"}), responded=True)]
    f = funnel(facts)
    assert (f.targeted, f.sent, f.failed, f.bounced, f.unsubscribed) == (5, 3, 1, 1, 1)
    assert (f.responded, f.interested, f.leads, f.quotations, f.orders_won) == (2, 1, 1, 2, 1)
    assert f.won_value == Decimal("100.50")


facts_strategy = st.builds(
    ContactFacts, st.frozensets(st.sampled_from(["queued", "sent", "failed", "bounced", "skipped", "unknown"])),
    st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.integers(0, 3), st.integers(0, 3),
    st.decimals(0, 10_000, places=2))


@given(st.lists(facts_strategy, max_size=30))
def test_funnel_counts_never_grow_down_the_funnel(facts):
    counts = [n for _label, n in funnel(facts).steps()]
    assert counts == sorted(counts, reverse=True)
    f = funnel(facts)
    assert f.sent + f.failed + f.bounced <= f.targeted and f.leads <= f.interested
