"""Opportunities whose estimate is pending (a campaign response made them) and the estimate given
or revised later."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from domain.errors import InvalidInput, TransitionNotAllowed
from domain.relationship import (LeadDetails, OpportunityStatus, Party, Source, Stage, check_opportunity,
                                 pipeline_of)

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
SAM = 1


def party(stage: Stage = Stage.LEAD) -> Party:
    return Party.capture(LeadDetails("Jan Jansen", "Jansen Bouw BV", "jan@jansenbouw.example",
                                     source=Source.CAMPAIGN), stage, SAM, NOW)


def pending_party() -> Party:
    p = party()
    p.open_opportunity_from_response(SAM, NOW)
    return p


def test_a_lead_that_responded_becomes_an_opportunity_with_its_estimate_pending():
    p = party()
    o = p.open_opportunity_from_response(SAM, NOW)
    assert p.stage is Stage.OPPORTUNITY and p.open_opportunity is o
    assert o.estimate_pending and o.status is OpportunityStatus.OPEN
    assert (o.estimated_value, o.probability, o.expected_close, o.weighted_value) == (None, None, None, None)
    change = p.history[-1]
    assert (change.from_stage, change.to_stage, change.changed_by, change.changed_at) == (
        Stage.LEAD, Stage.OPPORTUNITY, SAM, NOW)


def test_a_response_opens_no_second_opportunity_and_none_for_a_prospect_or_customer():
    p = pending_party()
    with pytest.raises(TransitionNotAllowed, match="already has an open opportunity"):
        p.open_opportunity_from_response(SAM, NOW)
    with pytest.raises(TransitionNotAllowed, match="make it a lead first"):
        party(Stage.PROSPECT).open_opportunity_from_response(SAM, NOW)
    p.attach_customer(1)
    p.win("Order 7", SAM, NOW)
    with pytest.raises(TransitionNotAllowed, match="already a customer"):
        p.open_opportunity_from_response(SAM, NOW)


def test_after_a_lost_opportunity_a_response_opens_a_new_one_and_the_stage_stays():
    p = party()
    p.qualify(Decimal("1000"), Decimal("50"), TODAY, TODAY, SAM, NOW)
    p.lose("No budget", NOW)
    moves = len(p.history)
    o = p.open_opportunity_from_response(SAM, NOW)
    assert o.estimate_pending and len(p.opportunities) == 2 and len(p.history) == moves


def test_the_estimate_is_given_and_revised_while_the_opportunity_is_open():
    p = pending_party()
    p.estimate(Decimal("25000"), Decimal("60"), date(2026, 12, 31), TODAY)
    o = p.open_opportunity
    assert (o.estimated_value, o.probability, o.expected_close) == (Decimal("25000"), Decimal("60"),
                                                                    date(2026, 12, 31))
    assert o.weighted_value == Decimal("15000.00") and not o.estimate_pending
    p.estimate(Decimal("20000"), Decimal("75"), TODAY, TODAY)
    assert o.weighted_value == Decimal("15000.00") and o.expected_close == TODAY


@pytest.mark.parametrize("value, probability, close, message", [
    ("0", "50", TODAY, "more than zero"),
    ("100", "101", TODAY, "percentage"),
    ("100.001", "50", TODAY, "two decimals"),
    ("100", "50", TODAY - timedelta(days=1), "in the past"),
])
def test_a_bad_estimate_is_refused_and_the_estimate_stays_pending(value, probability, close, message):
    p = pending_party()
    with pytest.raises(InvalidInput, match=message):
        p.estimate(Decimal(value), Decimal(probability), close, TODAY)
    assert p.open_opportunity.estimate_pending


def test_a_won_or_lost_opportunity_keeps_its_estimate():
    won, lost = pending_party(), pending_party()
    won.attach_customer(1)
    o = won.win("Order 7", SAM, NOW)  # allowed with the estimate pending: the order is the truth
    assert o.status is OpportunityStatus.WON and o.estimate_pending and won.stage is Stage.CUSTOMER
    with pytest.raises(TransitionNotAllowed, match="won"):
        o.estimate(Decimal("100"), Decimal("50"), TODAY, TODAY)
    lost_one = lost.lose("No budget", NOW)
    with pytest.raises(TransitionNotAllowed, match="lost"):
        lost_one.estimate(Decimal("100"), Decimal("50"), TODAY, TODAY)
    with pytest.raises(TransitionNotAllowed, match="no open opportunity"):
        lost.estimate(Decimal("100"), Decimal("50"), TODAY, TODAY)


def test_the_pipeline_counts_a_pending_opportunity_but_adds_no_value():
    pending, estimated = pending_party(), party()
    estimated.qualify(Decimal("1000"), Decimal("50"), TODAY, TODAY, SAM, NOW)
    won = pending_party()
    won.attach_customer(1)
    won.win("Order 7", SAM, NOW)
    rows = {r.key: r for r in pipeline_of([pending, estimated, won])}
    o = rows[Stage.OPPORTUNITY]
    assert (o.count, o.pending, o.value, o.weighted) == (2, 1, Decimal("1000"), Decimal("500.00"))
    c = rows[Stage.CUSTOMER]
    assert (c.count, c.pending, c.value) == (1, 1, Decimal("0"))


estimates = st.tuples(st.decimals(-10, 10**9, places=3, allow_nan=False, allow_infinity=False),
                      st.decimals(-5, 105, places=3, allow_nan=False, allow_infinity=False),
                      st.integers(-30, 365))


@given(st.lists(st.one_of(estimates, st.just("lose"), st.just("win")), max_size=12))
def test_an_open_opportunitys_estimate_is_pending_or_one_that_passes_the_checks(steps):
    """Whatever is typed, in whatever order: the estimate is all three fields or none, and a given
    one passes check_opportunity; a closed opportunity's estimate never changes again."""
    p = pending_party()
    o = p.open_opportunity
    closed_with = None
    for step in steps:
        if step == "lose" and o.status is OpportunityStatus.OPEN:
            p.lose("no", NOW)
            closed_with = (o.estimated_value, o.probability, o.expected_close)
        elif step == "win" and o.status is OpportunityStatus.OPEN:
            p.attach_customer(1)
            p.win("yes", SAM, NOW)
            closed_with = (o.estimated_value, o.probability, o.expected_close)
        elif isinstance(step, tuple):
            value, probability, days = step
            try:
                o.estimate(value, probability, TODAY + timedelta(days=days), TODAY)
            except (InvalidInput, TransitionNotAllowed):
                pass
        fields = (o.estimated_value, o.probability, o.expected_close)
        assert fields == (None, None, None) or None not in fields
        if not o.estimate_pending:
            check_opportunity(*fields, TODAY)
        if closed_with is not None:
            assert fields == closed_with
