"""PDFs of quotations and invoices, for the e-mail and for the chat alike.

Rendering takes about a tenth of a second of CPU, so callers on the event loop use the async
methods, which render in a worker thread.
"""
from __future__ import annotations

import asyncio

from bot.documents.build import free_text_invoice_view, invoice_view, pro_forma_view, quotation_view
from bot.documents.pdf import render_pdf
from bot.documents.view import CompanyHeader
from domain.customer import Customer
from domain.free_text_invoice import FreeTextInvoice
from domain.invoice import CustomerInvoice, InvoiceSources, ProForma
from domain.quotation import Quotation


class DocumentRenderer:
    def __init__(self, company: CompanyHeader, currency: str) -> None:
        self.company, self.currency = company, currency

    def quotation_pdf(self, q: Quotation, customer: Customer, locale: str) -> bytes:
        return render_pdf(quotation_view(q, customer, self.company, self.currency, locale))

    def invoice_pdf(self, invoice: CustomerInvoice, customer: Customer, sources: InvoiceSources,
                    locale: str) -> bytes:
        return render_pdf(invoice_view(invoice, customer, sources, self.company, self.currency, locale))

    def pro_forma_pdf(self, pro_forma: ProForma, customer: Customer, locale: str) -> bytes:
        return render_pdf(pro_forma_view(pro_forma, customer, self.company, self.currency, locale))

    def free_text_invoice_pdf(self, invoice: FreeTextInvoice, customer: Customer, locale: str) -> bytes:
        return render_pdf(free_text_invoice_view(invoice, customer, self.company, self.currency, locale))

    async def quotation_pdf_async(self, q: Quotation, customer: Customer, locale: str) -> bytes:
        return await asyncio.to_thread(self.quotation_pdf, q, customer, locale)

    async def invoice_pdf_async(self, invoice: CustomerInvoice, customer: Customer,
                                sources: InvoiceSources, locale: str) -> bytes:
        return await asyncio.to_thread(self.invoice_pdf, invoice, customer, sources, locale)

    async def pro_forma_pdf_async(self, pro_forma: ProForma, customer: Customer, locale: str) -> bytes:
        return await asyncio.to_thread(self.pro_forma_pdf, pro_forma, customer, locale)

    async def free_text_invoice_pdf_async(self, invoice: FreeTextInvoice, customer: Customer,
                                          locale: str) -> bytes:
        return await asyncio.to_thread(self.free_text_invoice_pdf, invoice, customer, locale)


def company_header(settings) -> CompanyHeader:
    return CompanyHeader(
        name=settings.company_name,
        address_lines=tuple(p.strip() for p in settings.company_address.split(",") if p.strip()),
        vat_number=settings.company_vat_number, email=settings.company_email)
