"""Free text invoices: not related to a sales order; ledger accounts, free text, an amount, sales tax.

The seed: each line names a main account (a ledger account number, kept as text), a description,
an amount and its sales tax; an item number is not allowed. The customer balance is posted to the
summary account of the invoice's posting profile (posting profiles are data; a ledger is out of
scope, so posting records the summary account on the invoice).

Numbering: a posted free text invoice draws its number from the CUSTOMER_INVOICE sequence, so all
invoices a customer receives share one gap-free series (INV-...), as tax law expects of invoices.
A draft has no number; a pro forma of it never draws one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import N_, InvalidInput, NotFound, TransitionNotAllowed
from domain.invoice import ProForma
from domain.money import check_amount, check_tax_percent, parse_decimal
from domain.tax import Totals, totals_of
from domain.workflow import Workflow

DEFAULT_POSTING_PROFILE = "GEN"
MAX_LINES = 200
_MAIN_ACCOUNT = re.compile(r"^[0-9][0-9.\-]{0,19}$")


class FreeTextInvoiceStatus(StrEnum):
    DRAFT = "draft"
    POSTED = "posted"


S = FreeTextInvoiceStatus
WORKFLOW = Workflow.of(N_("Free text invoice"), [(S.DRAFT, S.POSTED)])


@dataclass(eq=False)
class PostingProfile:
    """Decides the summary account the customer balance goes to."""
    code: str
    summary_account: str


@dataclass(eq=False)
class FreeTextLine:
    line_number: int
    main_account: str
    description: str
    amount: Decimal
    tax_percent: Decimal
    id: int | None = None

    @property
    def net_amount(self) -> Decimal:  # domain.tax.PricedLine
        return self.amount


@dataclass(frozen=True)
class TypedLine:
    """A line as a salesperson typed it: '<main account> <amount> <tax%> <description>'."""
    first_word: str
    amount: str
    tax_percent: str
    description: str

    @classmethod
    def parse(cls, text: str) -> TypedLine:
        parts = text.split(maxsplit=3) + ["", "", "", ""]
        return cls(*parts[:4])


@dataclass(eq=False)
class FreeTextInvoice:
    customer_id: int
    salesperson_id: int
    created_at: datetime
    posting_profile: str = DEFAULT_POSTING_PROFILE
    status: FreeTextInvoiceStatus = FreeTextInvoiceStatus.DRAFT
    lines: list[FreeTextLine] = field(default_factory=list)
    number: str | None = None          # drawn when posted
    invoiced_on: date | None = None    # set when posted
    summary_account: str | None = None  # where the customer balance went, set when posted
    id: int | None = None
    version: int = 1

    @property
    def totals(self) -> Totals:
        return totals_of(self.lines)

    @property
    def is_draft(self) -> bool:
        return self.status is FreeTextInvoiceStatus.DRAFT

    @property
    def label(self) -> str:
        return self.number or f"#{self.id}"

    def _require_draft(self) -> None:
        if not self.is_draft:
            raise TransitionNotAllowed(
                N_("Free text invoice {number} is posted and can no longer be changed."),
                number=self.label)

    def add_line(self, main_account: str, description: str, amount: Decimal, tax_percent: Decimal,
                 item_number: str = "") -> FreeTextLine:
        """`item_number` is there to be refused: the seed forbids items on a free text invoice."""
        self._require_draft()
        if item_number:
            raise InvalidInput(
                N_("{item} is an item number. A free text invoice has no items: type a main account "
                   "(ledger account number) instead."), item=item_number)
        main_account = main_account.strip()
        if not _MAIN_ACCOUNT.match(main_account):
            raise InvalidInput(N_("'{account}' is not a main account. Type a ledger account number, "
                                  "e.g. 8000."), account=main_account)
        description = " ".join(description.split())
        if not description:
            raise InvalidInput(N_("Type a description for the line."))
        if len(description) > 200:
            raise InvalidInput(N_("That description is too long."))
        if len(self.lines) >= MAX_LINES:
            raise InvalidInput(N_("A document can have at most {count} lines."), count=MAX_LINES)
        line = FreeTextLine(line_number=max((l.line_number for l in self.lines), default=0) + 1,
                            main_account=main_account, description=description,
                            amount=check_amount(amount), tax_percent=check_tax_percent(tax_percent))
        self.lines.append(line)
        return line

    def add_typed_line(self, typed: TypedLine, item_number: str = "") -> FreeTextLine:
        """The typed words, checked in the order a person reads them."""
        self._require_draft()
        if item_number:
            return self.add_line(typed.first_word, typed.description, Decimal(1), Decimal(0),
                                 item_number=item_number)
        if not (typed.amount and typed.tax_percent and typed.description):
            raise InvalidInput(N_("Type a line as: main account, amount, sales tax %, description. "
                                  "For example: <code>8000 250 21 Consulting November</code>"))
        return self.add_line(typed.first_word, typed.description, parse_decimal(typed.amount),
                             parse_decimal(typed.tax_percent.rstrip("%")))

    def remove_line(self, line_number: int) -> None:
        self._require_draft()
        for line in self.lines:
            if line.line_number == line_number:
                self.lines.remove(line)
                return
        raise NotFound(N_("Line {line} is not on this free text invoice."), line=line_number)

    def pro_forma(self, today: date) -> ProForma:
        """The invoice as it would be posted today; changes nothing."""
        self._require_draft()
        self._require_lines()
        return ProForma(customer_id=self.customer_id, issued_on=today, lines=tuple(self.lines))

    def post(self, profile: PostingProfile, number: str, today: date) -> None:
        WORKFLOW.check(self.label, self.status, S.POSTED)
        self._require_lines()
        if profile.code != self.posting_profile:
            raise InvalidInput(N_("Posting profile {code} does not exist."), code=self.posting_profile)
        self.status = S.POSTED
        self.number = number
        self.invoiced_on = today
        self.summary_account = profile.summary_account

    def _require_lines(self) -> None:
        if not self.lines:
            raise InvalidInput(N_("Add at least one line first."))
