"""The document view model: one immutable snapshot that the PDF, the chat text
and the e-mail all render from.

Every amount here is final, computed and rounded by the domain. Renderers only
format; they never add, multiply or round (so the three outputs cannot drift).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.tax import TaxRow  # the tax summary rows exactly as the domain computed them


class DocumentKind(StrEnum):
    QUOTATION = "quotation"
    INVOICE = "invoice"
    PRO_FORMA = "pro_forma"
    PACKING_SLIP = "packing_slip"
    CREDIT_NOTE = "credit_note"  # §4: a returned order's credit note (negative amounts)


@dataclass(frozen=True)
class CompanyHeader:
    """The issuing company, printed at the top of every document."""

    name: str
    address_lines: tuple[str, ...]
    vat_number: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class DocumentLine:
    item_number: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    net_amount: Decimal
    tax_percent: Decimal  # e.g. Decimal("21") for 21 %
    # §2 pricing: the line discount from a trade agreement (percent, or amount per unit)
    discount_percent: Decimal = Decimal(0)
    discount_amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class DocumentView:
    kind: DocumentKind
    number: str  # empty for a pro forma: it is not a posted invoice
    issued_on: date
    customer_name: str
    customer_account: str
    lines: tuple[DocumentLine, ...]
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    currency: str  # ISO 4217, e.g. "EUR"
    locale: str  # our short code: "en" or "nl"
    company: CompanyHeader
    valid_until: date | None = None  # quotations
    order_number: str = ""  # the sales order an invoice/pro forma comes from
    reference: str = ""  # the customer's own reference (PO number etc.)
    tax_rows: tuple[TaxRow, ...] = ()
    # Dutch invoice rules require the customer's address; one entry per printed line.
    customer_address: tuple[str, ...] = ()
    # An invoice's sales orders and packing slips (number, delivered on): what it covers.
    order_numbers: tuple[str, ...] = ()
    packing_slips: tuple[tuple[str, date], ...] = ()
    # §4: a credit note names the invoice it credits and the return's RMA number.
    credited_invoice: str = ""
    rma_number: str = ""
