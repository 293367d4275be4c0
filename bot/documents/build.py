"""Build the one view model (DocumentView) that the PDF, the chat and the e-mail render from."""
from __future__ import annotations

from decimal import Decimal

from bot.documents.view import CompanyHeader, DocumentKind, DocumentLine, DocumentView
from domain.customer import Customer
from domain.free_text_invoice import FreeTextInvoice, FreeTextLine
from domain.invoice import CustomerInvoice, InvoiceSources, ProForma
from domain.quotation import Quotation
from domain.tax import Totals


def _line(l) -> DocumentLine:
    if isinstance(l, FreeTextLine):
        # No item on a free text invoice, and its main account is our bookkeeping, not the
        # customer's business: the item column stays blank.
        return DocumentLine(item_number="", description=l.description, quantity=Decimal(1),
                            unit="", unit_price=l.amount, net_amount=l.net_amount,
                            tax_percent=l.tax_percent)
    return DocumentLine(item_number=l.item_number, description=l.description, quantity=l.quantity,
                        unit=l.unit, unit_price=l.unit_price, net_amount=l.net_amount,
                        tax_percent=l.tax_percent,
                        discount_percent=l.discount_percent, discount_amount=l.discount_amount)


def _lines(lines) -> tuple[DocumentLine, ...]:
    return tuple(_line(l) for l in lines)


def _customer(customer: Customer) -> dict:
    """Who the document is for: name, account number and postal address (kept one line per line)."""
    return dict(customer_name=customer.name, customer_account=customer.account_number,
                customer_address=customer.address_lines)


def _totals(totals: Totals) -> dict:
    return dict(net_total=totals.net, tax_total=totals.tax, gross_total=totals.gross,
                tax_rows=totals.tax_rows)


def quotation_view(q: Quotation, customer: Customer, company: CompanyHeader, currency: str,
                   locale: str) -> DocumentView:
    return DocumentView(kind=DocumentKind.QUOTATION, number=q.number,
                        issued_on=(q.sent_at or q.created_at).date(), **_customer(customer),
                        lines=_lines(q.lines),
                        currency=currency, locale=locale, company=company,
                        valid_until=q.valid_until, **_totals(q.totals))


def invoice_view(invoice: CustomerInvoice, customer: Customer, sources: InvoiceSources,
                 company: CompanyHeader, currency: str, locale: str) -> DocumentView:
    # §4: a credit note is titled CREDIT NOTE and names the invoice it credits and the RMA number.
    credit = getattr(invoice, "credit_note_of", None)
    return DocumentView(kind=DocumentKind.CREDIT_NOTE if credit is not None else DocumentKind.INVOICE,
                        number=invoice.number,
                        issued_on=invoice.invoiced_on, **_customer(customer),
                        lines=_lines(invoice.lines),
                        currency=currency, locale=locale, company=company,
                        order_numbers=sources.order_numbers, packing_slips=sources.packing_slips,
                        credited_invoice=credit or "", rma_number=sources.rma_number,
                        **_totals(invoice.totals))


def pro_forma_view(pro_forma: ProForma, customer: Customer, company: CompanyHeader, currency: str,
                   locale: str) -> DocumentView:
    """No number (the PDF prints a dash) and marked PRO FORMA: nothing was posted."""
    return DocumentView(kind=DocumentKind.PRO_FORMA, number="", issued_on=pro_forma.issued_on,
                        **_customer(customer),
                        lines=_lines(pro_forma.lines), currency=currency, locale=locale,
                        company=company, order_number=pro_forma.order_number,
                        **_totals(pro_forma.totals))


def free_text_invoice_view(invoice: FreeTextInvoice, customer: Customer, company: CompanyHeader,
                           currency: str, locale: str) -> DocumentView:
    return DocumentView(kind=DocumentKind.INVOICE, number=invoice.number or "",
                        issued_on=invoice.invoiced_on or invoice.created_at.date(),
                        **_customer(customer),
                        lines=_lines(invoice.lines), currency=currency, locale=locale,
                        company=company, **_totals(invoice.totals))
