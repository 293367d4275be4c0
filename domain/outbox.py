"""Mail the business owes someone, recorded in the same transaction as the change it reports.

The row names what to send (kind + the document's id), not the rendered message: documents are
immutable once sent or posted, so rendering at send time gives the same mail, and a crash between
commit and send loses nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class MailKind(StrEnum):
    QUOTATION_SENT = "quotation_sent"
    INVOICE_POSTED = "invoice_posted"
    FREE_TEXT_INVOICE_POSTED = "free_text_invoice_posted"
    CUSTOMER_INVITE = "customer_invite"  # issue 4: ref_id is the customer; the link is made when sent
    MAIL_REQUEST_RECEIVED = "mail_request_received"  # issue 4 §3: ref_id is the inbound mail
    DELAY_NOTICE = "delay_notice"  # issue 5 §6: ref_id is the backorder delay notice


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


@dataclass(eq=False)
class OutboxMail:
    kind: str
    ref_id: int
    recipient: str
    language: str
    created_at: datetime
    next_attempt_at: datetime
    notify_user_id: int | None = None  # told in Telegram when the mail finally fails
    status: str = MailStatus.QUEUED
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    claimed_by: str | None = None  # the sender holding the row until lease_until (storage claims it)
    lease_until: datetime | None = None
    id: int | None = None

    @classmethod
    def queue(cls, kind: MailKind, ref_id: int, recipient: str, language: str, now: datetime,
              notify_user_id: int | None = None) -> OutboxMail:
        return cls(kind=kind, ref_id=ref_id, recipient=recipient, language=language,
                   created_at=now, next_attempt_at=now, notify_user_id=notify_user_id)

    def mark_sent(self, now: datetime) -> None:
        self.status = MailStatus.SENT
        self.attempts += 1
        self.sent_at = now
        self.last_error = None
        self.release()

    def retry_later(self, now: datetime, delay: timedelta, error: str) -> None:
        self.attempts += 1
        self.next_attempt_at = now + delay
        self.last_error = error[:2000]
        self.release()

    def mark_failed(self, error: str) -> None:
        self.status = MailStatus.FAILED
        self.attempts += 1
        self.last_error = error[:2000]
        self.release()

    def release(self) -> None:
        """The outcome is recorded: nobody holds the row any more."""
        self.claimed_by = None
        self.lease_until = None
