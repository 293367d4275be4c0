"""The rules of relationships: capture, forward-only stages, opportunities, the pipeline."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from domain.errors import InvalidInput, TransitionNotAllowed
from domain.relationship import (ORDER, SOURCE_WORDS, STAGES, LeadDetails, OpportunityStatus, Party, Source,
                                 Stage, normalize_phone, parse_source, pipeline_of)
from handlers.leads import parse_opportunity

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
SAM, MIA = 1, 3


def details(**overrides) -> LeadDetails:
    fields = dict(name="Jan Jansen", company="Jansen Bouw BV", email="jan@jansenbouw.example",
                  phone="", source=Source.TRADE_SHOW, note="")
    return LeadDetails(**{**fields, **overrides})


def party(stage: Stage = Stage.LEAD, **overrides) -> Party:
    return Party.capture(details(**overrides), stage, SAM, NOW)


def opportunity_party(value: str = "1000", probability: str = "50") -> Party:
    p = party()
    p.qualify(Decimal(value), Decimal(probability), TODAY, TODAY, SAM, NOW)
    return p


# --- capture --------------------------------------------------------------------------------------

def test_a_captured_party_records_who_captured_it_and_when():
    p = party(Stage.PROSPECT)
    assert p.stage is Stage.PROSPECT and p.owner_id == SAM
    [entry] = p.history
    assert (entry.from_stage, entry.to_stage, entry.changed_by, entry.changed_at) == (None, Stage.PROSPECT, SAM, NOW)


@pytest.mark.parametrize("stage", [Stage.OPPORTUNITY, Stage.CUSTOMER])
def test_a_new_party_is_only_a_prospect_or_a_lead(stage):
    with pytest.raises(InvalidInput, match="prospect or a lead"):
        party(stage)


def test_a_lead_needs_a_name_and_a_way_to_reach_it():
    with pytest.raises(InvalidInput, match="needs a name"):
        details(name="  ")
    with pytest.raises(InvalidInput, match="e-mail address or a phone number"):
        details(email="", phone="")
    with pytest.raises(InvalidInput, match="not an e-mail address"):
        details(email="jan@")
    with pytest.raises(InvalidInput, match="not a phone number"):
        details(phone="call me")
    assert details(email="", phone="+31 6 1234 5678").phone == "+31612345678"


def test_the_lead_message_is_read_line_by_line():
    d = LeadDetails.from_message("Jan Jansen\n-\njan@x.example, 06-1234 5678\nbeurs\nMet at the fair\nwants chairs")
    assert (d.name, d.company, d.email, d.phone, d.source) == ("Jan Jansen", "", "jan@x.example", "0612345678",
                                                               Source.TRADE_SHOW)
    assert d.note == "Met at the fair\nwants chairs"
    assert LeadDetails.from_message("Piet\nPiet BV\n+31 20 123 4567").source is Source.OTHER


@pytest.mark.parametrize("text, message", [
    ("", "at least three lines"), ("Jan\nJansen BV", "at least three lines"),
    ("Jan\n-\na@x.example b@x.example", "one e-mail address"),
    ("Jan\n-\na@x.example\nbillboard", "not a source"),
    ("J" * 201 + "\n-\na@x.example", "at most 200 characters"),
    ("Jan\n-\n12", "not a phone number"),
])
def test_a_bad_lead_message_is_refused_with_a_reason(text, message):
    with pytest.raises(InvalidInput, match=message):
        LeadDetails.from_message(text)


@pytest.mark.parametrize("text, source", [("Trade show", Source.TRADE_SHOW), ("doorverwijzing", Source.REFERRAL),
                                          ("MAILING", Source.MAILING), ("campagne", Source.CAMPAIGN)])
def test_sources_are_understood_in_english_and_dutch(text, source):
    assert parse_source(text) is source


def test_phone_numbers_are_compared_in_one_form():
    assert normalize_phone("0031 6 1234 5678") == normalize_phone("+31 (6) 1234-5678") == "+31612345678"


# --- stages ---------------------------------------------------------------------------------------

def test_a_prospect_becomes_a_lead_and_the_move_is_recorded():
    p = party(Stage.PROSPECT)
    later = NOW + timedelta(hours=1)
    p.make_lead(MIA, later)
    assert p.stage is Stage.LEAD
    assert (p.history[-1].from_stage, p.history[-1].to_stage, p.history[-1].changed_by,
            p.history[-1].changed_at) == (Stage.PROSPECT, Stage.LEAD, MIA, later)


def test_stages_never_go_backwards():
    p = party(Stage.LEAD)
    with pytest.raises(TransitionNotAllowed, match="cannot become"):
        p.make_lead(SAM, NOW)
    for earlier_index, later in enumerate(ORDER):
        for earlier in ORDER[:earlier_index + 1]:
            assert not STAGES.allows(later, earlier)


def test_qualifying_a_lead_makes_an_open_opportunity():
    p = party()
    o = p.qualify(Decimal("25000"), Decimal("60"), date(2026, 12, 31), TODAY, SAM, NOW)
    assert p.stage is Stage.OPPORTUNITY and p.open_opportunity is o
    assert o.status is OpportunityStatus.OPEN and o.weighted_value == Decimal("15000.00")
    with pytest.raises(TransitionNotAllowed, match="already has an open opportunity"):
        p.qualify(Decimal("1"), Decimal("1"), TODAY, TODAY, SAM, NOW)


@pytest.mark.parametrize("value, probability, close, message", [
    ("0", "50", TODAY, "more than zero"), ("-5", "50", TODAY, "more than zero"),
    ("1.005", "50", TODAY, "two decimals"), ("1e12", "50", TODAY, "more than this bot accepts"),
    ("100", "101", TODAY, "from 0 to 100"), ("100", "-1", TODAY, "from 0 to 100"),
    ("100", "50", TODAY - timedelta(days=1), "in the past"),
])
def test_a_bad_opportunity_is_refused_and_the_party_stays_as_it_was(value, probability, close, message):
    p = party()
    with pytest.raises(InvalidInput, match=message):
        p.qualify(Decimal(value), Decimal(probability), close, TODAY, SAM, NOW)
    assert p.stage is Stage.LEAD and p.opportunities == [] and len(p.history) == 1


def test_an_opportunity_is_lost_with_a_reason_and_the_party_can_be_qualified_again():
    p = opportunity_party()
    with pytest.raises(InvalidInput, match="Give a reason"):
        p.lose("  ", NOW)
    assert p.open_opportunity is not None
    lost = p.lose("Too expensive", NOW)
    assert lost.status is OpportunityStatus.LOST and lost.reason == "Too expensive" and lost.closed_at == NOW
    with pytest.raises(TransitionNotAllowed, match="no open opportunity"):
        p.lose("again", NOW)
    p.qualify(Decimal("500"), Decimal("20"), TODAY, TODAY, SAM, NOW)
    assert p.stage is Stage.OPPORTUNITY and len(p.opportunities) == 2
    assert [h.to_stage for h in p.history] == [Stage.LEAD, Stage.OPPORTUNITY]  # no second move


def test_a_party_becomes_a_customer_only_with_an_account():
    p = opportunity_party()
    with pytest.raises(TransitionNotAllowed, match="no customer account yet"):
        p.win("Signed", SAM, NOW)
    assert p.stage is Stage.OPPORTUNITY and p.open_opportunity is not None
    p.attach_customer(7)
    won = p.win("Signed", MIA, NOW)
    assert p.stage is Stage.CUSTOMER and won.status is OpportunityStatus.WON and won.reason == "Signed"
    assert (p.history[-1].from_stage, p.history[-1].to_stage, p.history[-1].changed_by) == (
        Stage.OPPORTUNITY, Stage.CUSTOMER, MIA)
    with pytest.raises(TransitionNotAllowed, match="already a customer"):
        p.qualify(Decimal("1"), Decimal("1"), TODAY, TODAY, SAM, NOW)


def test_a_lead_cannot_become_a_customer_without_being_an_opportunity():
    p = party()
    p.attach_customer(7)
    with pytest.raises(TransitionNotAllowed, match="cannot become"):
        p.become_customer("Q-1", SAM, NOW)


def test_a_party_keeps_its_one_customer_account():
    p = party()
    p.attach_customer(7)
    p.attach_customer(7)
    with pytest.raises(TransitionNotAllowed, match="already has a customer account"):
        p.attach_customer(8)


# --- the pipeline ---------------------------------------------------------------------------------

def test_the_pipeline_counts_and_values_each_stage():
    prospect, lead = party(Stage.PROSPECT), party()
    open_ = opportunity_party("1000", "50")
    lost = opportunity_party("300", "10")
    lost.lose("No budget", NOW)
    won = opportunity_party("2000", "80")
    won.attach_customer(1)
    won.win("Signed", SAM, NOW)
    rows = {r.key: r for r in pipeline_of([prospect, lead, open_, lost, won])}
    assert [(k, r.count, r.value) for k, r in rows.items()] == [
        (Stage.PROSPECT, 1, 0), (Stage.LEAD, 1, 0), (Stage.OPPORTUNITY, 1, Decimal("1000")),
        (Stage.CUSTOMER, 1, Decimal("2000")), (OpportunityStatus.LOST, 1, Decimal("300"))]
    assert rows[Stage.OPPORTUNITY].weighted == Decimal("500.00")


# --- typed opportunity ----------------------------------------------------------------------------

def test_an_opportunity_is_typed_as_value_probability_and_close_date():
    assert parse_opportunity("25000 60% 31-12-2026", TODAY) == (Decimal("25000"), Decimal("60"), date(2026, 12, 31))
    assert parse_opportunity("1500,50 75 30", TODAY) == (Decimal("1500.50"), Decimal("75"), TODAY + timedelta(days=30))
    with pytest.raises(InvalidInput, match="for example"):
        parse_opportunity("25000 60%", TODAY)


# --- properties -----------------------------------------------------------------------------------

MOVES = st.lists(st.sampled_from(["lead", "qualify", "lose", "attach", "win"]), max_size=12)


@given(start=st.sampled_from([Stage.PROSPECT, Stage.LEAD]), moves=MOVES)
def test_whatever_is_tried_stages_only_go_forward_and_history_tells_the_whole_story(start, moves):
    p = party(start)
    for move in moves:
        before = (p.stage, len(p.history), [o.status for o in p.opportunities])
        try:
            if move == "lead":
                p.make_lead(SAM, NOW)
            elif move == "qualify":
                p.qualify(Decimal("100"), Decimal("50"), TODAY, TODAY, SAM, NOW)
            elif move == "lose":
                p.lose("reason", NOW)
            elif move == "attach":
                p.attach_customer(1)
            else:
                p.win("reason", SAM, NOW)
        except (InvalidInput, TransitionNotAllowed):
            assert (p.stage, len(p.history), [o.status for o in p.opportunities]) == before
    stages = [h.to_stage for h in p.history]
    assert stages[-1] is p.stage
    assert [ORDER.index(s) for s in stages] == sorted({ORDER.index(s) for s in stages})  # strictly forward
    assert all(h.from_stage == prev.to_stage for prev, h in zip(p.history, p.history[1:]))
    assert sum(o.status is OpportunityStatus.OPEN for o in p.opportunities) <= 1
    assert (p.stage is Stage.CUSTOMER) == any(o.status is OpportunityStatus.WON for o in p.opportunities)


@given(values=st.lists(st.tuples(st.integers(1, 10**8), st.integers(0, 100),
                                 st.sampled_from(["open", "won", "lost"])), max_size=8))
def test_the_pipeline_values_add_up_to_every_opportunity(values):
    parties = []
    for cents, probability, outcome in values:
        p = opportunity_party(str(Decimal(cents) / 100), str(probability))
        if outcome == "lost":
            p.lose("no", NOW)
        elif outcome == "won":
            p.attach_customer(1)
            p.win("yes", SAM, NOW)
        parties.append(p)
    rows = pipeline_of(parties)
    assert sum(r.value for r in rows) == sum(Decimal(c) / 100 for c, _, _ in values)
    assert sum(r.count for r in rows) == len(values)
    assert all(r.weighted <= r.value for r in rows)


NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60).filter(
    lambda s: s.strip() and s.strip() != "-" and "\x85" not in s)


@given(name=NAMES, company=NAMES, user=st.from_regex(r"[a-z0-9.]{1,12}", fullmatch=True),
       digits=st.from_regex(r"[1-9][0-9]{8,11}", fullmatch=True),
       source=st.sampled_from(sorted(SOURCE_WORDS)))
def test_a_lead_typed_in_one_message_is_read_back_as_typed(name, company, user, digits, source):
    text = f"{name}\n{company}\n{user}@example.com +{digits}\n{source}\nfirst line\nsecond line"
    d = LeadDetails.from_message(text)
    assert d.name == " ".join(name.split()) and d.company == " ".join(company.split())
    assert (d.email, d.phone, d.source) == (f"{user}@example.com", f"+{digits}", SOURCE_WORDS[source])
    assert d.note == "first line\nsecond line"
