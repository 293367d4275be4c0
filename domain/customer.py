"""Customers: the parties that buy, identified by their account number."""
from __future__ import annotations

import re
from dataclasses import dataclass

from domain import text_limits as limits
from domain.errors import InvalidInput, N_

LANGUAGES = ("en", "nl")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


MAX_EMAIL = 254  # the longest address SMTP can carry (RFC 5321's path limit); the columns hold 320


def check_email(email: str) -> str:
    email = email.strip()
    if len(email) > MAX_EMAIL:
        raise InvalidInput(N_("An e-mail address can have at most {count} characters."), count=MAX_EMAIL)
    if not _EMAIL.match(email):
        raise InvalidInput(N_("'{email}' is not an e-mail address."), email=email)
    return email


MAX_ADDRESS_LINES = 5
MAX_ADDRESS_LINE = 80


def address_lines(text: str) -> list[str]:
    """A postal address's lines, whether typed on separate lines or separated by commas."""
    parts = (part.strip() for line in (text or "").splitlines() for part in line.split(","))
    return [part for part in parts if part]


def check_postal_address(text: str) -> str:
    """A postal address as its lines (street and number, postal code and city, country), typed on
    separate lines or separated by commas as on an envelope; kept one line per line. Empty: none."""
    lines = address_lines(text)
    if len(lines) > MAX_ADDRESS_LINES:
        raise InvalidInput(N_("A postal address has at most {count} lines."), count=MAX_ADDRESS_LINES)
    if any(len(line) > MAX_ADDRESS_LINE for line in lines):
        raise InvalidInput(N_("A line of a postal address can have at most {count} characters."),
                           count=MAX_ADDRESS_LINE)
    return "\n".join(lines)


# A spreadsheet's language column may hold the language's name rather than its code.
_LANGUAGE_NAMES = {"english": "en", "engels": "en", "dutch": "nl", "nederlands": "nl"}


def check_language(language: str) -> str:
    """en or nl, as a code ('NL'), a tag with a region ('en-GB') or a name ('Nederlands'); a word
    that only starts like a code ('enzo') is not one."""
    text = (language or "en").strip()
    code = _LANGUAGE_NAMES.get(text.lower()) or text.lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise InvalidInput(N_("Language '{language}' is not supported; use en or nl."),
                           language=text)
    return code


@dataclass(eq=False)
class Customer:
    account_number: str
    name: str
    email: str
    language: str = "en"
    # Customer group: trade agreements, sales agreements and product-list rules can target it.
    customer_group: str = ""
    id: int | None = None
    salesperson_id: int | None = None  # issue 4 §2: the account's salesperson (quotation requests)
    postal_address: str = ""  # lines separated by newlines; a mailing campaign's letters print it

    def __post_init__(self) -> None:
        if not self.account_number.strip():
            raise InvalidInput(N_("A customer needs an account number."))
        if not self.name.strip():
            raise InvalidInput(N_("A customer needs a name."))
        limits.check_length(self.account_number, limits.CODE, limits.ACCOUNT_NUMBER_TOO_LONG)
        limits.check_length(self.name, limits.NAME, limits.NAME_TOO_LONG)
        self.email = check_email(self.email)
        self.language = check_language(self.language)
        self.customer_group = limits.check_length((self.customer_group or "").strip(), limits.CODE,
                                           limits.GROUP_TOO_LONG)
        self.postal_address = check_postal_address(self.postal_address)

    # -- contact data a salesperson keeps up to date in the chat (/customer) ----------------------
    def set_email(self, email: str) -> None:
        """Quotations, invoices and notices go here from now on; a mail already queued keeps its address."""
        self.email = check_email(email)

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The postal address as printed under the name on letters and documents."""
        return tuple(address_lines(self.postal_address))

    def set_postal_address(self, text: str) -> None:
        """Empty text removes the address."""
        self.postal_address = check_postal_address(text)

    def set_language(self, language: str) -> None:
        self.language = check_language(language)
