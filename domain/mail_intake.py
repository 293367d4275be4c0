"""Quotation requests by e-mail (issue 4 §3): read a mail, find the request lines in its body.

Pure: the poller (bot/imap_poller.py) fetches the raw bytes, the use case
(domain/services/mail_intake.py) looks the items up and records the mail. A line is a request line
when it carries a quantity and an item: `A-100 x 5`, `5 x office chair`, `A-100 5`, `5 pcs A-100`,
`5 stuks bureaustoel`. Other lines are prose (the note). Quoted replies (`>`), what follows a
signature separator (`-- `) and the quoted mail under "On ... wrote:", "-----Original Message-----"
or Outlook's header block or line of underscores are not read.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import getaddresses
from enum import StrEnum
from typing import Any

from domain.customer import check_email
from domain.errors import N_, DomainError, InvalidInput
from domain.item import Item
from domain.money import parse_decimal, check_quantity
from domain.quotation_request import MAX_LINES, MAX_MAIL_NOTE as MAX_NOTE

# MAX_LINES: request lines read from one mail (a request's limit); the rest stays in the original.
MAX_LINE_LENGTH = 120    # longer lines are prose
MAX_REF_LENGTH = 100     # what the catalog search accepts
MAX_SUBJECT = 500
MAX_MESSAGE_ID = 500

_NUM = r"[-+]?\d+(?:[.,]\d+)?"
_UNIT = r"(?:pcs|pc|pieces|piece|units|unit|ea|each|stuks|stuk|st)"
_DUTCH_UNITS = {"stuks", "stuk", "st"}
_PATTERNS = (
    # 5 x office chair, 5x A-100, 5 * A-100
    re.compile(rf"^(?P<qty>{_NUM})\s*(?:[xX×*])\s+(?P<ref>.+)$"),
    # A-100 x 5, A-100 × 5 pcs
    re.compile(rf"^(?P<ref>.+?)\s*(?:\s[xX]|(?<=\d)[xX]|×|\*)\s*(?P<qty>{_NUM})(?:\s*(?P<unit>{_UNIT})\.?)?$",
               re.IGNORECASE),
    # 5 pcs A-100, 5 stuks bureaustoel, 5 office chairs
    re.compile(rf"^(?P<qty>{_NUM})\s*(?:(?P<unit>{_UNIT})\.?\s+|\s+)(?:of\s+|van\s+)?(?P<ref>.+)$",
               re.IGNORECASE),
    # A-100 5, office chair 5 pcs
    re.compile(rf"^(?P<ref>[^:]+?)\s+(?P<qty>{_NUM})(?:\s*(?P<unit>{_UNIT})\.?)?$", re.IGNORECASE),
)
_BULLET = re.compile(r"^(?:[-*•·]|\d{1,2}[.)])\s+")
# The subject of the List-Unsubscribe mailto in a campaign mail (bot/campaign_mail.py)
_UNSUBSCRIBE_SUBJECT = re.compile(r"^unsubscribe\s+(?P<token>[A-Za-z0-9_-]{1,64})$", re.IGNORECASE)
_REPLY_HEADER = re.compile(r"^(?:On .+ wrote:|Op .+ schreef .+:|-{2,}\s*Original Message\s*-{2,}"
                           r"|-{2,}\s*Oorspronkelijk bericht\s*-{2,})$", re.IGNORECASE)

# Outlook quotes the original below its headers (English or Dutch) or a line of underscores
_OUTLOOK_SEPARATOR = re.compile(r"^_{10,}$")
_QUOTED_FROM = re.compile(r"^(?:From|Van):\s*\S", re.IGNORECASE)
_QUOTED_DATE = re.compile(r"^(?:Sent|Verzonden|Date|Datum):\s*\S", re.IGNORECASE)
_HEADER_BLOCK = 4  # lines after 'From:' where 'Sent:'/'Date:' is looked for (To:, Cc: may come first)


class MailState(StrEnum):
    NEW = "new"                # read, not recorded yet
    PROCESSED = "processed"    # a request was made and the sender acknowledged
    FAILED = "failed"          # cannot be answered (no usable sender): kept for a person to look at
    IGNORED = "ignored"        # an auto-reply, a bounce or our own mail: never answered (no loops)
    UNSUBSCRIBED = "unsubscribed"  # a campaign's mailto unsubscribe: the contact opted out, nothing answered


@dataclass(frozen=True)
class ParsedLine:
    """A line that asks for something: what was typed, the quantity (None when it is not a
    valid quantity) and the text to find the item by."""
    text: str
    quantity: Decimal | None
    query: str
    problem: str = ""                                # a msgid, when the quantity is wrong
    problem_args: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestLine:
    """One line of a request: matched to exactly one item, or flagged for the salesperson."""
    text: str
    quantity: Decimal | None
    item_id: int | None = None
    item_number: str = ""
    item_name: str = ""
    problem: str = ""                                # msgid (N_), filled with problem_args
    problem_args: dict[str, str] = field(default_factory=dict)

    @property
    def matched(self) -> bool:
        return self.item_id is not None and self.quantity is not None and not self.problem

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "quantity": None if self.quantity is None else str(self.quantity),
                "item_id": self.item_id, "item_number": self.item_number, "item_name": self.item_name,
                "problem": self.problem, "problem_args": self.problem_args}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RequestLine:
        quantity = data.get("quantity")
        return cls(data["text"], None if quantity is None else Decimal(quantity), data.get("item_id"),
                   data.get("item_number", ""), data.get("item_name", ""), data.get("problem", ""),
                   dict(data.get("problem_args") or {}))


def lines_to_json(lines: Sequence[RequestLine]) -> str:
    return json.dumps([line.to_json() for line in lines], ensure_ascii=False)


def lines_from_json(text: str) -> list[RequestLine]:
    return [RequestLine.from_json(d) for d in json.loads(text or "[]")]


def request_text(body: str) -> list[str]:
    """The lines the sender wrote: no quoted reply, nothing after the signature separator."""
    kept = []
    lines = [raw.rstrip("\r") for raw in (body or "").splitlines()]
    for n, line in enumerate(lines):
        if line in ("-- ", "--") or _REPLY_HEADER.match(line.strip()) or _outlook_original(lines, n):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.strip())
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return kept


def unsubscribe_request(subject: str) -> str | None:
    """The token of a campaign mail's mailto unsubscribe ('unsubscribe TOKEN'), or None. Only the
    token says who (domain/consent.py checks its signature): the mail may come from any address."""
    found = _UNSUBSCRIBE_SUBJECT.match((subject or "").strip())
    return found["token"] if found else None


def _outlook_original(lines: Sequence[str], n: int) -> bool:
    """Whether the original mail starts at line n the way Outlook quotes it (no '>'): its separator
    of underscores, or a header block, 'From:' with 'Sent:' or 'Date:' among the next lines (a
    'From:' alone may be the sender's own words)."""
    line = lines[n].strip()
    if _OUTLOOK_SEPARATOR.match(line):
        return True
    return bool(_QUOTED_FROM.match(line)) and any(
        _QUOTED_DATE.match(following.strip()) for following in lines[n + 1:n + 1 + _HEADER_BLOCK])


def parse_line(line: str) -> ParsedLine | None:
    """A request line, or None for prose."""
    text = " ".join(line.split())
    if not text or len(text) > MAX_LINE_LENGTH:
        return None
    body = _BULLET.sub("", text)
    for pattern in _PATTERNS:
        found = pattern.match(body)
        if found is None:
            continue
        query = found["ref"].strip(" .,;:-")
        if not query or not re.search(r"[^\W\d_]", query):
            return None  # "12 34": numbers only, not a request
        if len(query) > MAX_REF_LENGTH:
            return ParsedLine(text, None, query[:MAX_REF_LENGTH],
                              N_("That search text is too long."))
        try:
            quantity = check_quantity(parse_decimal(found["qty"]))
        except DomainError as error:
            return ParsedLine(text, None, query, error.message,
                              {k: str(v) for k, v in error.params.items()})
        return ParsedLine(text, quantity, query)
    return None


def parse_body(body: str) -> list[ParsedLine]:
    """The request lines of a mail body, at most MAX_LINES."""
    found = []
    for line in request_text(body):
        parsed = parse_line(line)
        if parsed is not None:
            found.append(parsed)
            if len(found) == MAX_LINES:
                break
    return found


def match_line(parsed: ParsedLine, candidates: Sequence[Item]) -> RequestLine:
    """Matched only when exactly one item fits; otherwise flagged with the text."""
    if len(candidates) == 1:
        item = candidates[0]
        return RequestLine(parsed.text, parsed.quantity, item.id, item.item_number, item.name,
                           parsed.problem, parsed.problem_args)
    if parsed.problem:
        return RequestLine(parsed.text, None, problem=parsed.problem, problem_args=parsed.problem_args)
    if not candidates:
        return RequestLine(parsed.text, parsed.quantity, problem=N_("No item matches '{text}'."),
                           problem_args={"text": parsed.query})
    return RequestLine(parsed.text, parsed.quantity,
                       problem=N_("'{text}' fits more than one item; give the item number."),
                       problem_args={"text": parsed.query})


def uses_dutch(body: str) -> bool:
    """Whether the request lines count in Dutch units ('5 stuks ...')."""
    for line in request_text(body):
        if parse_line(line) is not None and set(re.findall(r"[a-z]+", line.lower())) & _DUTCH_UNITS:
            return True
    return False


@dataclass(frozen=True)
class ReadMail:
    """What the use case needs from a raw RFC 5322 message."""
    message_id: str
    sender: str          # the From address as written (may be invalid: checked by the use case)
    sender_name: str
    subject: str
    body: str            # the text part (or the HTML part as text)
    language: str | None  # from Content-Language or Dutch units, None when unknown
    automatic: bool      # an auto-reply, a bounce or a mailing list: never answered


def read_mail(raw: bytes) -> ReadMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    message_id = _header(message, "Message-ID").strip()
    if not message_id or len(message_id) > MAX_MESSAGE_ID:
        # No usable Message-ID: the content itself is the key, so a copy is still recognised.
        message_id = f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound.salesbot>"
    addresses = getaddresses([_header(message, "From")])
    sender_name, sender = addresses[0] if addresses else ("", "")
    body = _body_text(message)
    auto = _header(message, "Auto-Submitted").strip().lower()
    precedence = _header(message, "Precedence").strip().lower()
    local = sender.partition("@")[0].lower()
    automatic = ((auto not in ("", "no")) or precedence in ("bulk", "junk", "list")
                 or bool(_header(message, "List-Id")) or local in ("mailer-daemon", "postmaster")
                 or (message.get_content_type() == "multipart/report"))
    content_language = _header(message, "Content-Language").strip().lower()[:2]
    language = content_language if content_language in ("en", "nl") else ("nl" if uses_dutch(body) else None)
    return ReadMail(_clean(message_id), _clean(sender.strip()), _clean(" ".join(sender_name.split()))[:200],
                    _clean(" ".join(_header(message, "Subject").split()))[:MAX_SUBJECT], _clean(body),
                    language, automatic)


def _clean(text: str) -> str:
    """No NUL characters (PostgreSQL text refuses them)."""
    return text.replace("\x00", "")


def sender_address(mail: ReadMail) -> str:
    """The sender's e-mail address, lower-cased; InvalidInput when there is none usable."""
    if not mail.sender:
        raise InvalidInput(N_("The mail has no sender address."))
    return check_email(mail.sender).lower()


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a malformed header must not stop the mailbox
        return ""
    return str(value) if value is not None else ""


def _body_text(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
    except Exception:  # undecodable parts: the salesperson still has the original mail
        return ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = re.sub(r"(?is)<(script|style).*?</\1>", "", content)
        content = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", content)
        content = re.sub(r"<[^>]+>", "", content)
        content = html.unescape(content)
    return content


@dataclass(eq=False)
class InboundMail:
    """A mail read from the mailbox, recorded once: by (folder, UIDVALIDITY, UID) and by Message-ID,
    in the same transaction as the request it creates."""
    folder: str
    uidvalidity: int
    uid: int
    message_id: str
    sender: str
    sender_name: str
    subject: str
    received_at: datetime
    raw: bytes
    language: str = "en"
    state: MailState = MailState.NEW
    lines_json: str = "[]"
    note: str = ""
    customer_id: int | None = None
    party_id: int | None = None
    request_id: int | None = None
    error: str | None = None
    id: int | None = None

    @property
    def lines(self) -> list[RequestLine]:
        return lines_from_json(self.lines_json)

    def processed(self, lines: Sequence[RequestLine], note: str, customer_id: int,
                  party_id: int | None, request_id: int | None) -> None:
        self.state = MailState.PROCESSED
        self.lines_json = lines_to_json(lines)
        self.note = note[:MAX_NOTE]
        self.customer_id, self.party_id, self.request_id = customer_id, party_id, request_id

    def failed(self, error: str) -> None:
        self.state = MailState.FAILED
        self.error = error[:2000]

    def unsubscribed(self, contact_kind: str, contact_id: int) -> None:
        self.state = MailState.UNSUBSCRIBED
        if contact_kind == "customer":
            self.customer_id = contact_id
        else:
            self.party_id = contact_id

    def ignored(self, reason: str) -> None:
        self.state = MailState.IGNORED
        self.error = reason[:2000]
