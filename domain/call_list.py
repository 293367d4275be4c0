"""A telemarketing campaign's call list (the seed's telemarketing campaign).

Starting the campaign gives every target one call, assigned to the salesperson of the target's
account; a target without a phone number is SKIPPED (counted, never shown), one without a
salesperson stays unassigned until a manager takes it. A call is OPEN until an outcome closes it:

- reached, interested, not interested: DONE;
- no answer: stays open and comes back after the untried calls; the MAX_NO_ANSWER-th closes it;
- call back on a date (today or later; a past date is refused): open, shown again from that date;
- the campaign is cancelled: every open call becomes CANCELLED at once (final, never shown again).

Only the assigned salesperson logs a call; every outcome is kept as an event with who and when.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.errors import N_, InvalidInput, NotPermitted, TransitionNotAllowed

MAX_NO_ANSWER = 3


class CallState(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"  # no phone number
    CANCELLED = "cancelled"  # still open when the campaign was cancelled


class CallOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    CALL_BACK = "call_back"
    INTERESTED = "interested"
    NOT_INTERESTED = "not_interested"


CLOSING = frozenset({CallOutcome.REACHED, CallOutcome.INTERESTED, CallOutcome.NOT_INTERESTED})


# The calling code for numbers stored without one ('06...'): the seed's company is Dutch.
DEFAULT_COUNTRY_CODE = "31"


def international(phone: str, country_code: str = DEFAULT_COUNTRY_CODE) -> str:
    """A stored number in international form: '+31612345678' stays; '0612345678' gets the company's
    country code; '0031...' becomes '+31...'. Telegram makes such a number in a message tappable."""
    phone = (phone or "").strip()
    if phone.startswith("+") or not phone:
        return phone
    if phone.startswith("00"):
        return "+" + phone[2:]
    if phone.startswith("0"):
        return f"+{country_code}{phone[1:]}"
    return "+" + phone


def campaign_cancelled(campaign_label: str) -> TransitionNotAllowed:
    """A call of a cancelled campaign never comes back: said as final, not as 'wait'."""
    return TransitionNotAllowed(N_("Campaign {number} was cancelled; this call is closed."),
                                number=campaign_label)


@dataclass(eq=False)
class CallEvent:
    outcome: CallOutcome
    by_user: int
    at: datetime
    call_back_on: date | None = None
    call_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Call:
    campaign_id: int
    contact_kind: str
    contact_id: int
    name: str
    company: str
    phone: str
    language: str
    assigned_to: int | None
    state: CallState = CallState.OPEN
    outcome: CallOutcome | None = None
    call_back_on: date | None = None
    attempts: int = 0
    last_logged_at: datetime | None = None
    events: list[CallEvent] = field(default_factory=list)
    id: int | None = None
    version: int = 1

    @property
    def label(self) -> str:
        return f"#{self.id}"

    def is_due(self, today: date) -> bool:
        return self.state is CallState.OPEN and (self.call_back_on is None or self.call_back_on <= today)

    def require_open(self) -> None:
        if self.state is CallState.CANCELLED:
            raise campaign_cancelled(f"#{self.campaign_id}")
        if self.state is not CallState.OPEN:
            raise TransitionNotAllowed(N_("Call {number} is already closed."), number=self.label)

    def take(self, user_id: int) -> None:
        """A manager takes an unassigned call."""
        if self.assigned_to is not None and self.assigned_to != user_id:
            raise NotPermitted(N_("This call is not on your list."))
        self.assigned_to = user_id

    def log(self, outcome: CallOutcome, by: int, now: datetime, today: date,
            call_back_on: date | None = None) -> CallEvent:
        if now.tzinfo is None:
            raise ValueError("an outcome needs an aware time")
        if self.assigned_to != by:
            raise NotPermitted(N_("This call is not on your list."))
        self.require_open()
        outcome = CallOutcome(outcome)
        if outcome is CallOutcome.CALL_BACK:
            if call_back_on is None:
                raise InvalidInput(N_("A call back needs a date."))
            if call_back_on < today:
                raise InvalidInput(N_("{date} has passed; give today or a later date."),
                                   date=call_back_on.isoformat())
        else:
            call_back_on = None
        self.attempts += 1
        self.outcome, self.call_back_on, self.last_logged_at = outcome, call_back_on, now
        if outcome in CLOSING or (outcome is CallOutcome.NO_ANSWER and self.attempts >= MAX_NO_ANSWER):
            self.state = CallState.DONE
        event = CallEvent(outcome, by, now, call_back_on)
        self.events.append(event)
        return event
