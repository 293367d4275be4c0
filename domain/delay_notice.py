"""Backorder delay notices (issue 5 §6): when a promised line slips, the customer is told once per
new date and may wait, take what is on hand now, or cancel the rest of the line.

The rule for the new expected date (pure; `new_expected_date`):

* Only lines with a confirmed delivery date C are watched: without a promise nothing can slip.
* The item's supply is laid out in time: the stock on hand today, then the vendor deliveries still
  missing, by expected date (an overdue one counts as arriving today). The item's backorder lines,
  in allocation order (priority, then order date), take from it in turn. A line's *covering date*
  is the day its whole remainder is covered: today when on-hand stock covers it, else the expected
  date of the vendor delivery that completes it, or none when all supply together falls short.
  A vendor delivery already overdue has no known day: it counts as arriving the uncovered-days
  setting from today (below), so an overdue delivery does not bring a new notice every day.
* A line gets a notice when C has passed (C < today), or when its covering delivery is expected
  later than C on a known date (an overdue delivery might still come any day: it moves no promise early). The new date is the covering date (today at the earliest) plus the handling days
  (settings, default 1 working day); with nothing covering it, today plus the uncovered-days
  setting (default 10 working days). Dates fall on working days (Monday to Friday). A date that is
  not new (equal to C) gives no notice.
* The new date becomes the line's confirmed delivery date, in the same transaction as the notice
  and its e-mail, so the next run compares with the new promise and does not repeat itself. The
  move is conditional (only from the date the run saw) and notices are numbered per line (unique),
  so even two runs at once create one. A date the customer was told before is news again once the
  line was moved away from it (the salesperson promised another day): it gets a new notice.

An answer is accepted from the notice's own customer, once, while the line still waits for
delivery and the notice is the line's newest (`check_answer`).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.backorder import BACKORDER_TYPES, BackorderLine, Supply, allocation_key
from domain.errors import N_, NotFound, TransitionNotAllowed
from domain.sales_order import SalesOrder, SalesOrderStatus, SalesOrderType
from domain.user import User

DEFAULT_HANDLING_DAYS = 1
DEFAULT_UNCOVERED_DAYS = 10
DIGEST_FIRST_LINES = 5
DIGEST_QUOTATION_DAYS = 2


class NoticeReason(StrEnum):
    LATE = "late"        # the confirmed date has passed
    SUPPLY = "supply"    # the covering vendor delivery is expected after the confirmed date


class NoticeAnswer(StrEnum):
    WAIT = "wait"
    SHIP = "ship"        # ship what is on hand now (a partial delivery)
    CANCEL = "cancel"    # cancel the rest of the line


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a sender; see NoticeMessage
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class NoticeRules:
    handling_days: int = DEFAULT_HANDLING_DAYS
    uncovered_days: int = DEFAULT_UNCOVERED_DAYS


def add_working_days(day: date, days: int) -> date:
    """`days` working days (Mon-Fri) after `day`; with 0, `day` itself or the next working day."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def covering_dates(lines: Iterable[BackorderLine], on_hand: Decimal, supplies: Iterable[Supply],
                   today: date, overdue_on: date | None = None) -> dict[int, date | None]:
    """Line id -> the day its whole remainder is covered (None: never, with what is known).

    `lines` are one item's backorder lines; they take the supply in allocation order. A vendor
    delivery already overdue is expected on `overdue_on` (default: today): its day is unknown.
    """
    overdue_on = overdue_on or today
    timeline = [(today, max(on_hand, Decimal(0)))]
    timeline += sorted(((s.expected_date if s.expected_date >= today else overdue_on, s.missing)
                        for s in supplies if s.missing > 0), key=lambda p: p[0])
    result: dict[int, date | None] = {}
    demand = Decimal(0)
    for line in sorted(lines, key=allocation_key):
        demand += max(line.remainder, Decimal(0))
        supply, cover = Decimal(0), None
        for day, quantity in timeline:
            supply += quantity
            if supply >= demand:
                cover = day
                break
        result[line.line_id] = cover
    return result


@dataclass(frozen=True)
class Slip:
    """What a run decided for one line: its new expected date and why."""
    line: BackorderLine
    previous_date: date
    expected_date: date
    reason: NoticeReason


def new_expected_date(line: BackorderLine, cover: date | None, today: date,
                      rules: NoticeRules = NoticeRules(), hopeful_cover: date | None = None) -> Slip | None:
    """The line's new expected date, or None when its promise still holds (see the module doc).

    `hopeful_cover` is the covering date with overdue vendor deliveries arriving today: a promise
    is moved early (before its day) only for a delivery whose expected date is known to be later.
    """
    promised = line.confirmed_date
    hopeful_cover = cover if hopeful_cover is None else hopeful_cover
    if promised is None or line.remainder <= 0:
        return None
    handling = max(rules.handling_days, 1)
    if cover is None:
        if promised >= today:
            return None  # nothing covers it yet, but the day has not come: stock may still be ordered
        new, reason = add_working_days(today, max(rules.uncovered_days, 1)), NoticeReason.LATE
    elif promised < today:
        new, reason = add_working_days(max(cover, today), handling), NoticeReason.LATE
    elif cover > promised and hopeful_cover > promised:
        new, reason = add_working_days(cover, handling), NoticeReason.SUPPLY
    else:
        return None
    if new == promised:
        return None
    return Slip(line, promised, new, reason)


def slipped_lines(lines: Sequence[BackorderLine], on_hand: dict[int, Decimal],
                  supplies: dict[int, list[Supply]], today: date,
                  rules: NoticeRules = NoticeRules()) -> list[Slip]:
    """Every line (of any items) whose promise slipped, with its new date."""
    by_item: dict[int, list[BackorderLine]] = {}
    for line in lines:
        by_item.setdefault(line.item_id, []).append(line)
    result = []
    for item_id, item_lines in by_item.items():
        stock, supply = on_hand.get(item_id, Decimal(0)), supplies.get(item_id, [])
        covers = covering_dates(item_lines, stock, supply, today,
                                overdue_on=add_working_days(today, max(rules.uncovered_days, 1)))
        hopeful = covering_dates(item_lines, stock, supply, today)
        for line in sorted(item_lines, key=allocation_key):
            slip = new_expected_date(line, covers[line.line_id], today, rules, hopeful[line.line_id])
            if slip is not None:
                result.append(slip)
    return result


@dataclass(eq=False)
class DelayNotice:
    """One notice: an order line and its new expected date; the line's `sequence`-th notice."""
    sales_order_line_id: int
    sales_order_id: int
    line_number: int
    customer_id: int
    salesperson_id: int
    expected_date: date
    previous_date: date | None
    reason: str
    created_at: datetime
    email_queued: bool = False          # the e-mail went into the outbox with the notice
    answer: str | None = None
    answered_at: datetime | None = None
    answered_by: int | None = None      # the customer's user id
    answer_detail: str = ""             # e.g. the packing slip number
    sequence: int = 1                   # 1 for the line's first notice, then 2, ... (unique per line)
    id: int | None = None

    @classmethod
    def for_slip(cls, slip: Slip, now: datetime, sequence: int) -> DelayNotice:
        line = slip.line
        return cls(sales_order_line_id=line.line_id, sales_order_id=line.order_id,
                   line_number=line.line_number, customer_id=line.customer_id,
                   salesperson_id=line.salesperson_id, expected_date=slip.expected_date,
                   previous_date=slip.previous_date, reason=slip.reason, created_at=now, sequence=sequence)


@dataclass(eq=False)
class NoticeMessage:
    """A notice's Telegram message to one linked contact, drained by a sender.

    The sender claims a row (QUEUED -> SENDING, committed, one attempt counted) before it calls
    Telegram and records SENT or FAILED after; a transient failure (Telegram down, 5xx) gives the
    claim back (QUEUED) for a later run, until MAX_ATTEMPTS were used. A crash between claim and send
    leaves the row in SENDING and it is never sent again: a notice is never told twice; the e-mail
    (the outbox, at least once) still carries it.
    """
    notice_id: int
    user_id: int
    telegram_id: int
    created_at: datetime
    status: str = MessageStatus.QUEUED
    sent_at: datetime | None = None
    error: str | None = None
    attempts: int = 0
    id: int | None = None


NOT_YOURS = N_("That notice does not exist or is not yours.")


def line_is_open(order: SalesOrder, line_number: int) -> bool:
    line = order.line(line_number)
    return (order.status is not SalesOrderStatus.CANCELED and order.order_type in BACKORDER_TYPES
            and line.deliver_remainder > 0)


def check_answer(notice: DelayNotice | None, user: User, order: SalesOrder | None,
                 newest_notice_id: int | None) -> DelayNotice:
    """Only the notice's own customer, only once, only the line's newest notice, only while open."""
    if notice is None or order is None or not user.may_see_customer(notice.customer_id):
        raise NotFound(NOT_YOURS)
    if notice.answer is not None:
        raise TransitionNotAllowed(N_("This notice was already answered."))
    if newest_notice_id != notice.id:
        raise TransitionNotAllowed(N_("A newer notice replaced this one: please answer the newest."))
    if not line_is_open(order, notice.line_number):
        raise TransitionNotAllowed(
            N_("Line {line} of sales order {number} is no longer waiting for delivery."),
            line=notice.line_number, number=order.number)
    return notice


def record_answer(notice: DelayNotice, answer: NoticeAnswer, user: User, now: datetime,
                  detail: str = "") -> None:
    notice.answer = NoticeAnswer(answer)
    notice.answered_at = now
    notice.answered_by = user.id
    notice.answer_detail = detail


def cancel_remainder(order: SalesOrder, line_number: int, now: datetime) -> Decimal:
    """Cancel what is left to deliver on one line: its ordered quantity becomes what was delivered.

    Refused when nothing remains, on a canceled order, and on a subscription (whose quantities
    come back every period). An order left with nothing ordered at all is canceled as a whole.
    Returns the quantity canceled.
    """
    line = order.line(line_number)
    if order.status is SalesOrderStatus.CANCELED:
        raise TransitionNotAllowed(N_("Sales order {number} is canceled."), number=order.number)
    if order.order_type is SalesOrderType.SUBSCRIPTION:
        raise TransitionNotAllowed(N_("Sales order {number} is a subscription: ask your salesperson "
                                      "to change it."), number=order.number)
    remainder = line.deliver_remainder
    if remainder <= 0:
        raise TransitionNotAllowed(
            N_("Line {line} of sales order {number} has nothing left to deliver: nothing to cancel."),
            line=line_number, number=order.number)
    line.quantity = line.delivered
    line.allocated = Decimal(0)
    if all(l.quantity == 0 for l in order.lines):
        order.cancel(now)
    else:
        order.refresh_status()
    return remainder


def ship_quantity(remainder: Decimal, on_hand: Decimal) -> Decimal:
    """What 'ship what is on hand' delivers: min(on hand, remainder), never below 0."""
    return max(min(on_hand, remainder), Decimal(0))


# --- the morning digest -------------------------------------------------------------------------

@dataclass(frozen=True)
class ExpiringQuotation:
    quotation_id: int
    number: str
    customer_name: str
    valid_until: date


@dataclass(frozen=True)
class EndingAgreement:
    agreement_id: int
    number: str
    customer_name: str
    valid_to: date
    remaining: Decimal
    commitment_type: str


@dataclass(frozen=True)
class Digest:
    user_id: int
    backorder_count: int
    first_lines: tuple[BackorderLine, ...] = ()
    late_count: int = 0
    quotations: tuple[ExpiringQuotation, ...] = ()
    agreements: tuple[EndingAgreement, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.backorder_count or self.quotations or self.agreements)


@dataclass(eq=False)
class DigestSent:
    """At most one digest per salesperson per day: (user, day) is the key, recorded before sending."""
    user_id: int
    day: date
    sent_at: datetime
    id: int | None = None
