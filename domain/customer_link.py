"""Signed, expiring, single-use tokens that link a Telegram account to a customer (issue 4).

A token travels as Telegram's deep-link start parameter (`https://t.me/<bot>?start=<token>`),
which allows at most 64 characters of `[A-Za-z0-9_-]`: so it is base64url without padding over

    version (1 byte) | customer id (4) | expiry, Unix seconds (4) | nonce (8) | HMAC-SHA256, truncated (16)

= 33 bytes, 44 characters. The MAC covers everything before it, keyed with the company's secret, so
nobody can make or change a token without the secret. The nonce makes each token single-use: the
service records it when the token is used, under a unique key (a second use is refused, even in a race).
Pure functions: the secret and the time are handed in.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from hashlib import sha256

from domain.errors import N_, DomainError, InvalidInput

VERSION = 1
NONCE_BYTES = 8
MAC_BYTES = 16
_HEAD = struct.Struct(">BII")  # version, customer id, expiry
_PAYLOAD_BYTES = _HEAD.size + NONCE_BYTES
TOKEN_BYTES = _PAYLOAD_BYTES + MAC_BYTES
DEFAULT_VALIDITY = timedelta(days=30)
_PURPOSE = b"salesbot customer link\x00"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class LinkingNotSetUp(DomainError):
    """The company has not configured a secret key, so no link can be made or checked."""


class LinkRefused(InvalidInput):
    """A forged, damaged, expired or already used link."""


FORGED = N_("This link is not valid. Please open the link from our latest e-mail, or ask your "
            "salesperson for a new one.")
EXPIRED = N_("This link has expired. Please ask your salesperson for a new one.")
USED = N_("This link was already used. Please ask your salesperson for a new one.")


@dataclass(frozen=True)
class LinkClaim:
    """What a valid token says: link to this customer; `nonce` (hex) is its single-use key."""
    customer_id: int
    expires_at: datetime
    nonce: str


def require_secret(secret: bytes | None) -> bytes:
    if not secret:
        raise LinkingNotSetUp(N_("Linking Telegram accounts to customers is not set up: the "
                                 "administrator must set SALESBOT_SECRET_KEY."))
    return secret


def _mac(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, _PURPOSE + payload, sha256).digest()[:MAC_BYTES]


def issue_token(secret: bytes | None, customer_id: int, expires_at: datetime, nonce: bytes) -> str:
    """A token for `customer_id`, valid until `expires_at` (aware); `nonce` is 8 random bytes."""
    secret = require_secret(secret)
    if not 0 < customer_id < 2 ** 32:
        raise ValueError("customer id out of range for a link token")
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be aware")
    if len(nonce) != NONCE_BYTES:
        raise ValueError(f"nonce must be {NONCE_BYTES} bytes")
    payload = _HEAD.pack(VERSION, customer_id, int(expires_at.timestamp())) + nonce
    raw = payload + _mac(secret, payload)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def read_token(secret: bytes | None, token: str, now: datetime) -> LinkClaim:
    """Check signature and expiry; raise LinkRefused with a message for the person who opened it.

    The single-use check needs the database and is the service's (domain/services/customer_links.py).
    """
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
    payload, mac = raw[:_PAYLOAD_BYTES], raw[_PAYLOAD_BYTES:]
    if not hmac.compare_digest(mac, _mac(secret, payload)):
        raise LinkRefused(FORGED)
    version, customer_id, expiry = _HEAD.unpack(payload[:_HEAD.size])
    if version != VERSION or customer_id == 0:
        raise LinkRefused(FORGED)
    expires_at = datetime.fromtimestamp(expiry, UTC)
    if now >= expires_at:
        raise LinkRefused(EXPIRED)
    return LinkClaim(customer_id, expires_at, payload[_HEAD.size:].hex())


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={token}"


@dataclass(eq=False)
class LinkUse:
    """A token that was used: its nonce is the primary key, so it is used once."""
    nonce: str
    customer_id: int
    telegram_id: int
    used_at: datetime
