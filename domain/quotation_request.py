"""Quotation requests (issue 4 §2, §3): a customer asks for a quote, in Telegram or by e-mail.

A request is assigned to the account's salesperson, or left in the shared queue (salesperson None)
for a manager to take. The salesperson turns it into a quotation draft; lines that named no known
item (`matched` False) are listed to them instead of being added.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import N_, InvalidInput, TransitionNotAllowed
from domain.money import check_quantity
from domain.workflow import Workflow

NUMBER_SEQUENCE = "quotation_request"   # the name in number_sequences
NUMBER_PREFIX = "RQ"
MAX_LINES = 50
MAX_NOTE = 1000         # what a customer types in Telegram
MAX_MAIL_NOTE = 4000    # what a mail says besides its item lines (domain/mail_intake.py reads it)
MAX_LINE_TEXT = 200


def format_request_number(value: int) -> str:
    return f"{NUMBER_PREFIX}-{value:06d}"


class RequestSource(StrEnum):
    TELEGRAM = "telegram"
    EMAIL = "email"


class RequestStatus(StrEnum):
    NEW = "new"
    DRAFTED = "drafted"   # turned into a quotation draft (quotation_id)
    CLOSED = "closed"     # closed without a quotation


S = RequestStatus
WORKFLOW = Workflow.of(N_("Quotation request"), [(S.NEW, S.DRAFTED), (S.NEW, S.CLOSED)])


@dataclass(frozen=True)
class RequestedLine:
    """What the customer asked for, before it is stored: the text as typed, a quantity, and the
    item it matched (None: not matched, flagged for the salesperson)."""
    text: str
    quantity: Decimal
    item_id: int | None = None


@dataclass(eq=False)
class RequestLine:
    line_number: int
    text: str             # as typed (or the item's number and name when picked from the catalog)
    quantity: Decimal
    item_id: int | None = None
    id: int | None = None

    @property
    def matched(self) -> bool:
        return self.item_id is not None


def check_note(note: str, limit: int = MAX_NOTE) -> str:
    note = (note or "").strip()
    if len(note) > limit:
        raise InvalidInput(N_("A note can have at most {count} characters."), count=limit)
    return note


def check_lines(lines: Sequence[RequestedLine], source: RequestSource = RequestSource.TELEGRAM
                ) -> list[RequestLine]:
    # A mail in which no line reads as an item line is still a request: the salesperson reads its
    # text. A customer in Telegram picks items from the catalog, so an empty basket is a mistake.
    if not lines and source is RequestSource.TELEGRAM:
        raise InvalidInput(N_("Add at least one item before sending the request."))
    if len(lines) > MAX_LINES:
        raise InvalidInput(N_("A request can have at most {count} lines."), count=MAX_LINES)
    checked = []
    for number, line in enumerate(lines, start=1):
        text = " ".join((line.text or "").split())[:MAX_LINE_TEXT]
        if not text and line.item_id is None:
            raise InvalidInput(N_("Line {line} names no item."), line=number)
        checked.append(RequestLine(line_number=number, text=text, quantity=check_quantity(line.quantity),
                                   item_id=line.item_id))
    return checked


@dataclass(eq=False)
class QuotationRequest:
    number: str
    customer_id: int
    source: RequestSource
    created_at: datetime
    salesperson_id: int | None = None     # None: the shared queue (managers see it)
    requested_by: int | None = None       # the customer's user id (Telegram); None for e-mail
    note: str = ""
    status: RequestStatus = RequestStatus.NEW
    lines: list[RequestLine] = field(default_factory=list)
    quotation_id: int | None = None
    closed_at: datetime | None = None
    original_mail: bytes | None = None    # the raw mail a request by e-mail came from
    id: int | None = None
    version: int = 1

    @classmethod
    def create(cls, number: str, customer_id: int, source: RequestSource, now: datetime,
               lines: Sequence[RequestedLine], note: str = "", salesperson_id: int | None = None,
               requested_by: int | None = None, original_mail: bytes | None = None) -> QuotationRequest:
        if now.tzinfo is None:
            raise ValueError("request timestamps must carry a time zone")
        source = RequestSource(source)
        note_limit = MAX_MAIL_NOTE if source is RequestSource.EMAIL else MAX_NOTE
        return cls(number=number, customer_id=customer_id, source=source, created_at=now,
                   salesperson_id=salesperson_id, requested_by=requested_by,
                   note=check_note(note, note_limit), lines=check_lines(lines, source),
                   original_mail=original_mail)

    @property
    def in_queue(self) -> bool:
        return self.salesperson_id is None

    @property
    def unmatched(self) -> list[RequestLine]:
        return [line for line in self.lines if not line.matched]

    @property
    def matched_lines(self) -> list[RequestLine]:
        return [line for line in self.lines if line.matched]

    def take(self, salesperson_id: int) -> None:
        """Someone takes a request from the shared queue."""
        self.require_new()
        if not self.in_queue:
            raise TransitionNotAllowed(N_("Request {number} is already assigned."), number=self.number)
        self.salesperson_id = salesperson_id

    def mark_drafted(self, quotation_id: int, salesperson_id: int, now: datetime) -> None:
        WORKFLOW.check(self.number, self.status, RequestStatus.DRAFTED)
        self.status = RequestStatus.DRAFTED
        self.quotation_id = quotation_id
        self.salesperson_id = salesperson_id
        self.closed_at = now

    def close(self, now: datetime) -> None:
        WORKFLOW.check(self.number, self.status, RequestStatus.CLOSED)
        self.status = RequestStatus.CLOSED
        self.closed_at = now

    def require_new(self) -> None:
        if self.status is not RequestStatus.NEW:
            raise TransitionNotAllowed(N_("Request {number} is {status}; only a new request can be "
                                          "taken or drafted."), number=self.number, status=self.status)
