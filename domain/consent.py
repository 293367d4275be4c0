"""Consent (issue 5 §3): one record per contact address and channel, with when and why it changed.

Opting out lands here from every side: the unsubscribe link (or its one-click POST), /stop in
Telegram, a permanent (5xx) bounce and a Telegram 403. Campaigns skip whoever opted out; transactional
mail (their own quotations and invoices) goes through the outbox and never asks.

The unsubscribe token names one contact (`c` customer or `p` party, and its id), signed with the
company's secret under its own purpose, so a link cannot be forged or turned to another contact.
It does not expire: an unsubscribe link in an old mail must keep working.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import struct
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from hashlib import sha256

from domain.errors import N_, InvalidInput


class Channel(StrEnum):
    EMAIL = "email"
    TELEGRAM = "telegram"


class ConsentSource(StrEnum):
    UNSUBSCRIBE = "unsubscribe"  # the link in a campaign mail (GET page + POST, or one-click POST)
    STOP = "stop"                # /stop in Telegram
    BOUNCE = "bounce"            # a permanent SMTP refusal (5xx)
    BLOCKED = "blocked"          # Telegram answered 403 (blocked, deactivated)
    STAFF = "staff"              # set by a member of staff (CLI)


@dataclass(eq=False)
class Consent:
    """`address` is the e-mail address (lower case) or the Telegram id: what is actually reached."""
    channel: Channel
    address: str
    opted_out: bool
    source: ConsentSource
    changed_at: datetime
    contact_kind: str = ""
    contact_id: int | None = None
    id: int | None = None

    def opt_out(self, source: ConsentSource, now: datetime) -> None:
        self.opted_out, self.source, self.changed_at = True, ConsentSource(source), now


def email_key(email: str) -> str:
    return (email or "").strip().lower()


# --- unsubscribe tokens -----------------------------------------------------------------------------

_PURPOSE = b"salesbot unsubscribe\x00"
_BODY = struct.Struct(">BcI")  # version, kind (b"c" customer / b"p" party), contact id
_MAC_BYTES = 12
KINDS = {"customer": b"c", "party": b"p"}
_KIND_NAMES = {v: k for k, v in KINDS.items()}


class TokenRefused(InvalidInput):
    pass


BAD_LINK = N_("This unsubscribe link is not valid. Please use the link from our latest e-mail.")


def unsubscribe_token(secret: bytes, contact_kind: str, contact_id: int) -> str:
    if not secret:
        raise ValueError("unsubscribe links need SALESBOT_SECRET_KEY")
    body = _BODY.pack(1, KINDS[contact_kind], contact_id)
    mac = hmac.new(secret, _PURPOSE + body, sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(body + mac).rstrip(b"=").decode("ascii")


def read_unsubscribe_token(secret: bytes, token: str) -> tuple[str, int]:
    """(contact kind, contact id), or TokenRefused."""
    token = (token or "").strip()
    if not secret or not token or len(token) > 64:
        raise TokenRefused(BAD_LINK)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise TokenRefused(BAD_LINK) from None
    if len(raw) != _BODY.size + _MAC_BYTES:
        raise TokenRefused(BAD_LINK)
    body, mac = raw[:_BODY.size], raw[_BODY.size:]
    if not hmac.compare_digest(mac, hmac.new(secret, _PURPOSE + body, sha256).digest()[:_MAC_BYTES]):
        raise TokenRefused(BAD_LINK)
    version, kind, contact_id = _BODY.unpack(body)
    if version != 1 or kind not in _KIND_NAMES or contact_id == 0:
        raise TokenRefused(BAD_LINK)
    return _KIND_NAMES[kind], contact_id


class UnsubscribeNotSetUp(InvalidInput):
    pass


def require_unsubscribe_secret(secret: bytes | None) -> bytes:
    """Campaign mail carries a signed unsubscribe link: no secret, no campaign mail."""
    if not secret:
        raise UnsubscribeNotSetUp(N_("Campaign e-mails need an unsubscribe link, and that is not set up: "
                                     "the administrator must set SALESBOT_SECRET_KEY."))
    return secret
