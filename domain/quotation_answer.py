"""A customer's answer to a sent quotation (issue 4 §4): accept, decline with a reason, or ask
for changes; and the Telegram delivery that brings the quotation to the customer's chat.

Rules in one place: only a Sent quotation within its validity can be answered; anything else says
why, in words the customer understands.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from domain.errors import N_, DomainError, InvalidInput, NotFound, TransitionNotAllowed
from domain.quotation import Quotation, QuotationStatus

MAX_TEXT = 2000


class AnswerKind(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CHANGES = "changes"     # asked for changes; the quotation stays open


class Channel(StrEnum):
    TELEGRAM = "telegram"
    WEB = "web"


@dataclass(eq=False)
class QuotationAnswer:
    quotation_id: int
    kind: AnswerKind
    text: str
    channel: Channel
    answered_at: datetime
    user_id: int | None = None  # the customer's Telegram account; None on the web page
    id: int | None = None


def check_answerable(quotation: Quotation, today: date) -> None:
    """Raise, with the reason, unless the customer may still answer this quotation."""
    s, number = quotation.status, quotation.number
    if s is QuotationStatus.CREATED or quotation.sent_at is None:
        raise NotFound(N_("That quotation does not exist or is not yours."))
    if s is QuotationStatus.CONFIRMED:
        raise TransitionNotAllowed(N_("Quotation {number} is already accepted; your order is being "
                                      "handled."), number=number)
    if s is QuotationStatus.EXPIRED or (s is QuotationStatus.SENT and quotation.valid_until < today):
        raise TransitionNotAllowed(N_("Quotation {number} expired on {date} and can no longer be "
                                      "answered. Please ask your salesperson for a new one."),
                                   number=number, date=quotation.valid_until)
    if s is not QuotationStatus.SENT:
        raise TransitionNotAllowed(N_("Quotation {number} is closed ({status}) and can no longer be "
                                      "answered."), number=number, status=s)


def is_answerable(quotation: Quotation, today: date) -> bool:
    """Whether the customer's view offers Accept, Decline and Ask for changes."""
    try:
        check_answerable(quotation, today)
    except DomainError:
        return False
    return True


def check_text(text: str, kind: AnswerKind) -> str:
    text = (text or "").strip()
    if not text:
        if kind is AnswerKind.DECLINED:
            raise InvalidInput(N_("Please tell us why you decline the quotation."))
        raise InvalidInput(N_("Please describe the changes you would like."))
    if len(text) > MAX_TEXT:
        raise InvalidInput(N_("Please keep it under {count} characters."), count=MAX_TEXT)
    return text


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


@dataclass(eq=False)
class TelegramDelivery:
    """A sent quotation owed to one linked Telegram account: written in the send's transaction.

    `step` counts what already reached the chat (0 nothing, 1 the PDF, 2 the summary with buttons),
    committed after each step, so a restart resumes where it stopped instead of sending twice.
    """
    quotation_id: int
    user_id: int
    chat_id: int
    created_at: datetime
    next_attempt_at: datetime
    status: DeliveryStatus = DeliveryStatus.QUEUED
    step: int = 0
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    claimed_by: str | None = None  # the process delivering it until lease_until (storage claims it)
    lease_until: datetime | None = None
    id: int | None = None

    STEPS = 2

    def advance(self, now: datetime) -> None:
        self.step += 1
        if self.step >= self.STEPS:
            self.status = DeliveryStatus.SENT
            self.sent_at = now
            self.release()

    def retry_later(self, now: datetime, delay: timedelta, error: str) -> None:
        self.attempts += 1
        self.next_attempt_at = now + delay
        self.last_error = error[:2000]
        self.release()

    def fail(self, error: str) -> None:
        self.status = DeliveryStatus.FAILED
        self.last_error = error[:2000]
        self.release()

    def release(self) -> None:
        self.claimed_by = None
        self.lease_until = None
