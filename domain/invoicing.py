"""Invoicing several packing slips at once, and the periodic invoice (the seed's example: "one
invoice per customer per month to cover all the deliveries that you ship during that month").

Rules kept here:
- A month's invoice for a customer covers every packing slip of that customer posted in that month
  and not yet invoiced, across all their sales orders.
- An invoice that spans several orders carries the salesperson of the oldest of those orders (the
  lowest order id): that salesperson sees it in chat.
- Who may post it: someone with the invoice permission who may see every order it covers. So a
  salesperson posts a customer's month only when all its packing slips are on their own orders; a
  customer whose month also holds another salesperson's orders is posted by a manager (one invoice
  per customer per month is never split by salesperson).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import N_, InvalidInput, NotFound, TransitionNotAllowed
from domain.free_text_invoice import FreeTextInvoice, PostingProfile
from domain.invoice import CustomerInvoice, post_customer_invoice
from domain.packing_slip import PackingSlip
from domain.sales_order import SalesOrder

_MONTH = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})\s*$")
_PROFILE_CODE = re.compile(r"^[A-Za-z0-9_\-]{1,20}$")
_ACCOUNT = re.compile(r"^[0-9][0-9.\-]{0,19}$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 2000 <= self.year <= 2999):
            raise InvalidInput(N_("Type a month as year-month, e.g. <code>2026-10</code>."))

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH.match(text or "")
        if not match:
            raise InvalidInput(N_("Type a month as year-month, e.g. <code>2026-10</code>."))
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def from_key(cls, key: int) -> Month:
        """From the compact form carried in callback data (202610)."""
        return cls(key // 100, key % 100)

    @property
    def key(self) -> int:
        return self.year * 100 + self.month

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def contains(self, day: date) -> bool:
        return (day.year, day.month) == (self.year, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def slips_by_customer(slips: Sequence[PackingSlip]) -> dict[int, list[PackingSlip]]:
    """Packing slips grouped per customer, each group in posting order."""
    groups: dict[int, list[PackingSlip]] = {}
    for slip in sorted(slips, key=lambda s: (s.posted_on, s.number)):
        groups.setdefault(slip.customer_id, []).append(slip)
    return groups


def invoice_salesperson(orders: Mapping[int, SalesOrder], order_ids: Sequence[int] | set[int]) -> int:
    """The salesperson an invoice over these orders carries: the oldest order's."""
    return orders[min(order_ids)].salesperson_id


NOT_THIS_CUSTOMERS_SLIP = N_("That packing slip is not one of this customer's.")


def check_slips_of(customer_id: int, slips: Sequence[PackingSlip]) -> None:
    """Slips chosen for a customer are that customer's: a choice names both by id, and callback
    data can be forged (an invoice for one customer must never be reported as another's)."""
    if any(s.customer_id != customer_id for s in slips):
        raise NotFound(NOT_THIS_CUSTOMERS_SLIP)


def check_one_customer(slips: Sequence[PackingSlip]) -> None:
    if len({s.customer_id for s in slips}) > 1:
        raise InvalidInput(N_("One invoice covers the packing slips of one customer."))


def post_invoice_for_slips(orders: Mapping[int, SalesOrder], slips: Sequence[PackingSlip],
                           number: str, today: date) -> CustomerInvoice:
    """Post one customer invoice over packing slips of one customer, from one or several orders."""
    check_one_customer(slips)
    invoice = post_customer_invoice(orders, slips, number, today)
    invoice.salesperson_id = invoice_salesperson(orders, {l.sales_order_id for l in invoice.lines})
    return invoice


# --- free text invoice drafts and posting profiles -------------------------------------------

def check_deletable(invoice: FreeTextInvoice) -> None:
    """Only a draft can be deleted: a posted invoice has a number and was sent."""
    if not invoice.is_draft:
        raise TransitionNotAllowed(
            N_("Free text invoice {number} is posted and cannot be deleted."), number=invoice.label)


def choose_posting_profile(invoice: FreeTextInvoice, profile: PostingProfile | None, code: str) -> None:
    if not invoice.is_draft:
        raise TransitionNotAllowed(
            N_("Free text invoice {number} is posted and can no longer be changed."), number=invoice.label)
    if profile is None:
        raise NotFound(N_("Posting profile {code} does not exist."), code=code)
    invoice.posting_profile = profile.code


def parse_posting_profile(code: str, summary_account: str) -> PostingProfile:
    """A row of `salesbot import posting_profiles`: a code and the summary account it posts to."""
    code, summary_account = code.strip().upper(), summary_account.strip()
    if not _PROFILE_CODE.match(code):
        raise InvalidInput(N_("'{code}' is not a posting profile code: use up to 20 letters, digits, "
                              "- or _."), code=code)
    if not _ACCOUNT.match(summary_account):
        raise InvalidInput(N_("'{account}' is not a summary account. Use a ledger account number, "
                              "e.g. 1300."), account=summary_account)
    return PostingProfile(code=code, summary_account=summary_account)
