"""Sending a pro forma invoice as a PDF, for an order's packing slips or a free text draft alike."""
from __future__ import annotations

from aiogram.types import BufferedInputFile, CallbackQuery

from bot.i18n import _
from domain.invoice import ProForma
from handlers.deps import Deps
from handlers.text import money


async def answer_pro_forma(query: CallbackQuery, deps: Deps, pro_forma: ProForma, reference: str) -> None:
    """The PDF in the customer's language, marked PRO FORMA; the caption says nothing is posted."""
    customer = await deps.customer(pro_forma.customer_id)
    await query.answer()
    pdf = await deps.documents.pro_forma_pdf_async(pro_forma, customer, customer.language)
    await query.message.answer_document(
        BufferedInputFile(pdf, filename=f"PRO-FORMA-{reference}.pdf"),
        caption=_("Pro forma invoice: {total}. Nothing is posted.").format(
            total=money(pro_forma.totals.gross, deps.currency)))
