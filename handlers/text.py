"""Formatting helpers for chat replies: everything a user typed or a record holds is escaped."""
from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from bot.formatting import format_date, format_money, format_quantity
from bot.i18n import _, current_locale
from domain.errors import DomainError, Term
from handlers.labels import label


def esc(value: Any) -> str:
    return html.escape(str(value), quote=False)


def money(amount: Decimal, currency: str) -> str:
    return esc(format_money(amount, currency, current_locale()))


def qty(quantity: Decimal) -> str:
    return esc(format_quantity(quantity, current_locale()))


def day(value: date) -> str:
    return esc(format_date(value, current_locale()))


def _param(value: Any) -> str:
    if isinstance(value, StrEnum):
        return esc(label(value))
    if isinstance(value, Decimal):
        return qty(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, Term):
        return esc(_(value))
    return esc(value)


def error_text(error: DomainError) -> str:
    """The domain's message in the user's language, parameters formatted and escaped."""
    params = {k: _param(v) for k, v in error.params.items()}
    try:
        return _(error.message).format(**params)
    except (KeyError, IndexError):  # a translation with a broken placeholder must not crash a chat
        return esc(error.message).format(**params)
