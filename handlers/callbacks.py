"""Typed callback data: ids only (64-byte limit); ownership is checked again on arrival."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class CustomerPick(CallbackData, prefix="cu"):
    customer_id: int


class ItemPick(CallbackData, prefix="it"):
    item_id: int


class DraftAction(CallbackData, prefix="dr"):
    """remove / qty / valid / send / done on a draft quotation."""
    action: str
    quotation_id: int


class LinePick(CallbackData, prefix="ln"):
    action: str  # remove / qty
    quotation_id: int
    line_number: int


class QuotationOpen(CallbackData, prefix="qo"):
    quotation_id: int


class QuotationAction(CallbackData, prefix="qa"):
    action: str  # confirm / lose / cancel / edit / pdf
    quotation_id: int


class OrderOpen(CallbackData, prefix="oo"):
    order_id: int


class OrderAction(CallbackData, prefix="oa"):
    action: str  # deliver / deliver_all / invoice / invoice_order / invoice_slips / pro_forma / cancel
    order_id: int


class InvoicePdf(CallbackData, prefix="ip"):
    invoice_id: int


class SlipToggle(CallbackData, prefix="st"):
    order_id: int
    slip_id: int


class FreeTextAction(CallbackData, prefix="ft"):
    action: str  # pro_forma / post / remove / pdf
    invoice_id: int


class FreeTextLinePick(CallbackData, prefix="fl"):
    invoice_id: int
    line_number: int


class LanguagePick(CallbackData, prefix="lg"):
    code: str
