"""Build RFC 5322 messages from plain data.

Everything that may carry user text into a header goes through `clean_header_value`: CR/LF would
otherwise let a customer name or subject add headers (cpython gh-121650 showed an encoded-newline
variant), and `email.policy.default` raises on raw CR/LF instead of sending the mail.
Non-ASCII is left to the email package: it encodes headers as RFC 2047 words and file names as
RFC 2231 parameters when the message is serialised with `email.policy.SMTP`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

__all__ = [
    "Attachment",
    "OutgoingMail",
    "build_message",
    "clean_header_value",
    "format_address",
    "make_message_id",
]

# C0 and C1 control characters (CR, LF, TAB, NUL, ESC, NEL, ...) plus the Unicode line and
# paragraph separators, which some clients render as line breaks.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Characters allowed in the local part of a Message-ID we make ourselves (dot-atom, minus the
# characters that need care in file names and URLs).
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Header field names: printable ASCII without colon or space (RFC 5322 section 2.2).
_FIELD_NAME = re.compile(r"[!-9;-~]+")
# CRLF line ends, and bodies in quoted-printable or base64 rather than raw 8-bit, so a relay without
# 8BITMIME gets a valid message too. Also the policy of `message.as_bytes()` (used for .eml files).
MESSAGE_POLICY = SMTP.clone(cte_type="7bit")
# Headers build_message sets itself; an extra header must not duplicate or override them.
_RESERVED = frozenset(
    {"from", "to", "cc", "bcc", "subject", "date", "message-id", "reply-to", "sender",
     "mime-version", "content-type", "content-transfer-encoding", "content-disposition"}
)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class OutgoingMail:
    message_id: str  # "<unique@domain>", fixed by the caller so a resend keeps it
    mail_from: str  # "addr" or "Name <addr>" (see format_address)
    to: str
    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    reply_to: str | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()


def clean_header_value(value: str) -> str:
    """Replace each run of control characters with one space, so the value stays one line."""
    return _UNSAFE.sub(" ", value).strip()


def format_address(name: str | None, email: str) -> str:
    """`"Name <addr>"` with the name cleaned and quoted as needed; raises ValueError on a bad addr."""
    address = Address(display_name=clean_header_value(name or ""), addr_spec=email.strip())
    return str(address)


def make_message_id(unique: str, domain: str) -> str:
    """`<unique@domain>`, deterministic: the same key always gives the same Message-ID."""
    local = _ID_UNSAFE.sub("-", unique).strip(".-")
    host = _ID_UNSAFE.sub("-", domain).strip(".-")
    if not local or not host:
        raise ValueError(f"cannot make a Message-ID from {unique!r} and {domain!r}")
    return f"<{local}@{host}>"


def _set_address(msg: EmailMessage, name: str, value: str) -> None:
    """Set an address header, refusing what the email package only records as a defect."""
    try:
        msg[name] = clean_header_value(value)
    except (ValueError, IndexError, HeaderParseError) as exc:  # IndexError: "a@" in 3.11's parser
        raise ValueError(f"bad address in {name}: {value!r}") from exc
    header = msg[name]
    if header.defects or not header.addresses or any(
        not a.username or not a.domain for a in header.addresses
    ):
        raise ValueError(f"bad address in {name}: {value!r}")


def build_message(mail: OutgoingMail, *, now: datetime | None = None) -> EmailMessage:
    """The message to send: text (+ html alternative) (+ attachments), with safe headers.

    Raises ValueError for data that can never be sent (bad address, bad extra header name).
    """
    msg = EmailMessage(policy=MESSAGE_POLICY)
    _set_address(msg, "From", mail.mail_from)
    _set_address(msg, "To", mail.to)
    if mail.reply_to:
        _set_address(msg, "Reply-To", mail.reply_to)
    msg["Subject"] = clean_header_value(mail.subject)
    msg["Date"] = format_datetime(now or datetime.now(timezone.utc))
    msg["Message-ID"] = clean_header_value(mail.message_id)
    for name, value in mail.extra_headers:
        if not _FIELD_NAME.fullmatch(name) or name.lower() in _RESERVED:
            raise ValueError(f"header name not allowed: {name!r}")
        msg[name] = clean_header_value(value)

    msg.set_content(mail.text)
    if mail.html is not None:
        msg.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.mime_type.strip().partition("/")
        if not maintype or not subtype:
            maintype, subtype = "application", "octet-stream"
        msg.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            # No path separators: some clients would otherwise suggest saving outside the folder.
            filename=clean_header_value(attachment.filename).replace("/", "_").replace("\\", "_"),
        )
    return msg
