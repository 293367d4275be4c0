"""Locale-aware formatting of money, quantities, dates and percentages (Babel).

Our locale codes are short ("en", "nl"); they map to a Babel territory locale:

* "en" -> en_GB: we sell in Europe, and en_GB gives day-month-year dates
  ("7 Mar 2025") and "€1,234.50"; bare "en" is en_US-like (month first,
  "Mar 7, 2025"), which reads wrong next to Dutch documents. en_IE would do
  the same job; en_GB is the more common reference locale.
* "nl" -> nl_NL: "€ 1.234,50", "7 mrt 2025".

Anything else is handed to Babel as a locale identifier (e.g. "de_DE").

Nothing here rounds: amounts come final from the domain, so we switch off
Babel's decimal quantization (which would otherwise round a unit price of
0.1234 to 0.12 and a quantity to 3 decimals). Money still shows at least the
currency's minor digits (1.2 -> "1.20").

Babel's output is kept as is, including the no-break space (U+00A0) that
CLDR puts between the euro sign and the amount in Dutch: it keeps "€" and the
number on one line in PDFs, chat and e-mail. Compare with `format_money(...)`,
not with a hand-typed space.
"""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as _babel_format_percent

_LOCALE_ALIASES = {"en": "en_GB", "nl": "nl_NL"}


@lru_cache(maxsize=32)
def babel_locale(locale: str) -> Locale:
    """The (cached) Babel Locale for one of our locale codes."""
    return Locale.parse(_LOCALE_ALIASES.get(locale, locale))


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """en: "€1,234.50"; nl: "€ 1.234,50" (with a no-break space)."""
    return format_currency(
        amount, currency, locale=babel_locale(locale), decimal_quantization=False
    )


def format_quantity(quantity: Decimal, locale: str) -> str:
    """No trailing zeros: 5.000 -> "5", 2.50 -> "2.5" / "2,5"."""
    if quantity == 0:
        quantity = abs(quantity)  # never print "-0"
    return format_decimal(quantity, locale=babel_locale(locale), decimal_quantization=False)


def format_date(d: date, locale: str) -> str:
    """Medium format: en "7 Mar 2025", nl "7 mrt 2025"."""
    return _babel_format_date(d, format="medium", locale=babel_locale(locale))


def format_percent(percent: Decimal, locale: str) -> str:
    """A tax percent given in percent units: Decimal("21") -> "21%", 9.5 -> "9,5%" (nl)."""
    # Babel expects a fraction; scaling by 100 is exact in Decimal (no rounding).
    return _babel_format_percent(
        percent.scaleb(-2), locale=babel_locale(locale), decimal_quantization=False
    )


_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def plain_text(telegram_html: str) -> str:
    """Telegram HTML as it is shown: tags dropped, entities (&lt; &amp; ...) decoded."""
    return html.unescape(_HTML_TAG.sub("", telegram_html))
