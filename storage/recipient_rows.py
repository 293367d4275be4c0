"""What the recipient queue hands out and takes in: a claimed row, a `sending` mark and an outcome
record, shared by the queue (storage/recipient_queue.py) and its SQLite one-call path."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.campaign import RecipientState


@dataclass(frozen=True)
class ClaimedRow:
    id: int
    campaign_id: int
    contact_kind: str
    contact_id: int
    email: str
    language: str
    name: str
    company: str
    salesperson: str
    attempts: int
    chat_id: int = 0


@dataclass(frozen=True)
class Begin:
    """Mark a claimed row `sending` (to be committed before its DATA)."""
    row_id: int
    worker: str
    message_id: str
    at: datetime


@dataclass(frozen=True)
class Record:
    """The outcome of one attempt; `opt_out` (email, contact kind, contact id) for a bounce."""
    row_id: int
    worker: str
    state: RecipientState
    at: datetime
    retry_at: datetime | None = None
    error: str | None = None
    opt_out: tuple[str, str, int] | None = None
