"""The call list's rules (domain/call_list.py): who may log, which outcomes close a call, call-back dates."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from bot.settings import Settings

from domain.call_list import MAX_NO_ANSWER, Call, CallOutcome as O, CallState, international
from domain.errors import InvalidInput, NotPermitted, TransitionNotAllowed

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)
TODAY = NOW.date()


def call(assigned_to: int | None = 7) -> Call:
    return Call(1, "party", 3, "Jan", "De Vries BV", "+31612345678", "nl", assigned_to, id=5)


@pytest.mark.parametrize("outcome", [O.REACHED, O.INTERESTED, O.NOT_INTERESTED])
def test_reached_interested_and_not_interested_close_the_call(outcome):
    c = call()
    event = c.log(outcome, 7, NOW, TODAY)
    assert c.state is CallState.DONE and c.outcome is outcome and c.attempts == 1
    assert (event.outcome, event.by_user, event.at) == (outcome, 7, NOW) and c.events == [event]
    with pytest.raises(TransitionNotAllowed, match="already closed"):
        c.log(O.REACHED, 7, NOW, TODAY)


def test_no_answer_keeps_the_call_open_until_the_third_time():
    c = call()
    for _ in range(MAX_NO_ANSWER - 1):
        c.log(O.NO_ANSWER, 7, NOW, TODAY)
        assert c.state is CallState.OPEN and c.is_due(TODAY)
    c.log(O.NO_ANSWER, 7, NOW, TODAY)
    assert c.state is CallState.DONE


def test_a_call_back_needs_a_date_that_has_not_passed_and_is_due_from_that_date():
    c = call()
    with pytest.raises(InvalidInput, match="needs a date"):
        c.log(O.CALL_BACK, 7, NOW, TODAY)
    with pytest.raises(InvalidInput, match="has passed"):
        c.log(O.CALL_BACK, 7, NOW, TODAY, date(2026, 11, 23))
    assert c.attempts == 0 and c.events == []
    c.log(O.CALL_BACK, 7, NOW, TODAY, date(2026, 11, 26))
    assert c.state is CallState.OPEN and not c.is_due(TODAY) and c.is_due(date(2026, 11, 26))
    c.log(O.REACHED, 7, NOW, date(2026, 11, 26))
    assert c.call_back_on is None


def test_only_the_assigned_salesperson_logs_and_an_unassigned_call_is_taken_first():
    with pytest.raises(NotPermitted):
        call().log(O.REACHED, 8, NOW, TODAY)
    c = call(None)
    with pytest.raises(NotPermitted):
        c.log(O.REACHED, 8, NOW, TODAY)
    c.take(8)
    c.log(O.REACHED, 8, NOW, TODAY)
    with pytest.raises(NotPermitted):
        c.take(9)


@pytest.mark.parametrize("stored, shown", [("+31612345678", "+31612345678"), ("0612345678", "+31612345678"),
                                           ("0031201234567", "+31201234567"), ("", "")])
def test_a_phone_number_is_shown_in_international_form(stored, shown):
    assert international(stored) == shown


@pytest.mark.parametrize("given, kept", [("32", "32"), ("+1", "1"), (" 358 ", "358")])
def test_the_company_calling_code_is_digits_only(given, kept):
    assert Settings(_env_file=None, phone_country_code=given).phone_country_code == kept


@pytest.mark.parametrize("given", ["", "NL", "3a", "1234", "+"])
def test_a_calling_code_that_is_not_one_is_refused_at_start(given):
    with pytest.raises(ValidationError, match="calling code"):
        Settings(_env_file=None, phone_country_code=given)
