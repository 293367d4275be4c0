"""Issue 4 §2: the rules of a quotation request, without a database."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from domain.errors import InvalidInput, TransitionNotAllowed
from domain.quotation_request import (MAX_LINES, MAX_MAIL_NOTE, MAX_NOTE, QuotationRequest, RequestedLine,
                                      RequestSource, RequestStatus, format_request_number)

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)


def _request(lines=None, source=RequestSource.EMAIL, **kw) -> QuotationRequest:
    lines = lines if lines is not None else [RequestedLine("A-100 Office chair", Decimal(5), 1),
                                             RequestedLine("blue widget", Decimal(3), None)]
    return QuotationRequest.create("RQ-000001", 7, source, NOW, lines, **kw)


def test_a_request_numbers_its_lines_and_flags_the_unmatched_ones():
    r = _request(note="  before Friday  ")
    assert [(l.line_number, l.matched) for l in r.lines] == [(1, True), (2, False)]
    assert [l.text for l in r.unmatched] == ["blue widget"] and r.note == "before Friday"
    assert r.status is RequestStatus.NEW and r.in_queue and format_request_number(12) == "RQ-000012"


@pytest.mark.parametrize("lines, message", [
    ([RequestedLine("A-100", Decimal(-3), 1)], "more than zero"),
    ([RequestedLine("A-100", Decimal(0), 1)], "more than zero"),
    ([RequestedLine("   ", Decimal(1), None)], "names no item"),
    ([RequestedLine("x", Decimal(1), None)] * (MAX_LINES + 1), "at most"),
])
def test_a_request_refuses_bad_lines(lines, message):
    with pytest.raises(InvalidInput, match=message):
        _request(lines)


def test_a_telegram_basket_needs_an_item_but_a_mail_of_prose_is_still_a_request():
    with pytest.raises(InvalidInput, match="Add at least one item"):
        _request([], RequestSource.TELEGRAM)
    mail = _request([], RequestSource.EMAIL, note="Could you quote twenty chairs?")
    assert mail.lines == [] and mail.note == "Could you quote twenty chairs?"


def test_a_note_has_a_limit_and_a_timestamp_needs_a_zone():
    with pytest.raises(InvalidInput):
        _request(source=RequestSource.TELEGRAM, note="x" * (MAX_NOTE + 1))
    # A mail's text is kept whole up to a longer limit: its sender did not type into a small box.
    assert len(_request(note="x" * MAX_MAIL_NOTE).note) == MAX_MAIL_NOTE
    with pytest.raises(InvalidInput):
        _request(note="x" * (MAX_MAIL_NOTE + 1))
    with pytest.raises(ValueError):
        QuotationRequest.create("RQ-1", 1, RequestSource.TELEGRAM, datetime(2026, 1, 1),
                                [RequestedLine("a", Decimal(1), 1)])


def test_a_request_is_drafted_or_closed_once():
    r = _request()
    r.take(3)
    assert r.salesperson_id == 3 and not r.in_queue
    with pytest.raises(TransitionNotAllowed, match="already assigned"):
        r.take(4)
    r.mark_drafted(99, 3, NOW)
    assert (r.status, r.quotation_id, r.closed_at) == (RequestStatus.DRAFTED, 99, NOW)
    with pytest.raises(TransitionNotAllowed):
        r.mark_drafted(100, 3, NOW)
    with pytest.raises(TransitionNotAllowed):
        r.close(NOW)
    with pytest.raises(TransitionNotAllowed, match="only a new request"):
        r.require_new()


@given(st.lists(st.tuples(st.text(min_size=1, max_size=300).filter(str.strip),
                          st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000), places=3),
                          st.one_of(st.none(), st.integers(1, 10**6))), min_size=1, max_size=MAX_LINES))
def test_every_line_keeps_its_quantity_and_match_and_the_unmatched_are_exactly_those_without_item(rows):
    r = _request([RequestedLine(t, q, i) for t, q, i in rows])
    assert [l.line_number for l in r.lines] == list(range(1, len(rows) + 1))
    assert [(l.quantity, l.item_id) for l in r.lines] == [(q, i) for _, q, i in rows]
    assert len(r.unmatched) == sum(1 for *_, i in rows if i is None)
    assert all(0 < len(l.text) <= 200 for l in r.lines)
