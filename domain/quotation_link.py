"""Signed links to answer one quotation on the bot's web page (issue 4 §4).

    version (1 byte) | quotation id (4) | expiry, Unix seconds (4) | HMAC-SHA256, truncated (16)

= 25 bytes, 34 characters of base64url. The MAC is keyed with the company's secret under its own
purpose, so a Telegram link token (domain/customer_link.py) can never pass as an answer token nor
the reverse. The token expires with the quotation (the day after its validity date, UTC); the
service still checks the quotation itself (open, valid) on every request.
Pure functions: the secret and the time are handed in.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import re
import struct
from datetime import UTC, date, datetime, time, timedelta
from hashlib import sha256

from domain.customer_link import LinkRefused, require_secret
from domain.errors import N_

VERSION = 1
MAC_BYTES = 16
_HEAD = struct.Struct(">BII")  # version, quotation id, expiry
TOKEN_BYTES = _HEAD.size + MAC_BYTES
_PURPOSE = b"salesbot quotation answer\x00"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")

FORGED = N_("This link is not valid. Please use the link from our latest e-mail.")
EXPIRED = N_("This link has expired, like the quotation it was for. Please ask your salesperson "
             "for a new quotation.")


# The token's 4-byte expiry holds no later moment (7 Feb 2106).
LAST_EXPIRY = datetime.fromtimestamp(2 ** 32 - 1, UTC)


def expiry_of(valid_until: date) -> datetime:
    """A link lives as long as its quotation: to the end of the validity date (with a day's margin
    for time zones; the quotation's own validity is checked again when the customer answers).
    Clamped to what a token can hold, so a far validity date still gets its mail and link."""
    if valid_until >= LAST_EXPIRY.date():
        return LAST_EXPIRY
    return min(datetime.combine(valid_until + timedelta(days=2), time(), UTC), LAST_EXPIRY)


def _mac(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, _PURPOSE + payload, sha256).digest()[:MAC_BYTES]


def issue_answer_token(secret: bytes | None, quotation_id: int, expires_at: datetime) -> str:
    secret = require_secret(secret)
    if not 0 < quotation_id < 2 ** 32:
        raise ValueError("quotation id out of range for an answer token")
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be aware")
    payload = _HEAD.pack(VERSION, quotation_id, int(expires_at.timestamp()))
    return base64.urlsafe_b64encode(payload + _mac(secret, payload)).rstrip(b"=").decode("ascii")


def read_answer_token(secret: bytes | None, token: str, now: datetime) -> int:
    """The quotation id the token names; LinkRefused (forged or expired) otherwise."""
    quotation_id, expiry = _genuine(secret, token)
    if now >= datetime.fromtimestamp(expiry, UTC):
        raise LinkRefused(EXPIRED)
    return quotation_id


def quotation_of_expired(secret: bytes | None, token: str) -> int | None:
    """The quotation a genuine token names, expired or not (None for a forged one): whose customer
    the expired-link page speaks to. Never a licence to act: that is read_answer_token."""
    try:
        return _genuine(secret, token)[0]
    except LinkRefused:
        return None


def _genuine(secret: bytes | None, token: str) -> tuple[int, int]:
    """(quotation id, expiry in Unix seconds) of a token we signed; LinkRefused (forged) otherwise."""
    secret = require_secret(secret)
    token = (token or "").strip()
    if not _TOKEN.fullmatch(token):
        raise LinkRefused(FORGED)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise LinkRefused(FORGED) from None
    if len(raw) != TOKEN_BYTES:
        raise LinkRefused(FORGED)
    payload, mac = raw[:_HEAD.size], raw[_HEAD.size:]
    if not hmac.compare_digest(mac, _mac(secret, payload)):
        raise LinkRefused(FORGED)
    version, quotation_id, expiry = _HEAD.unpack(payload)
    if version != VERSION or quotation_id == 0:
        raise LinkRefused(FORGED)
    return quotation_id, expiry
