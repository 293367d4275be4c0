"""Translations: gettext catalogs (.po) for English and Dutch, the current locale in a context var.

The .po files are read with Babel and compiled in memory at start-up, so there is no build step
and no compiled .mo file in the repository.
"""
from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
SUPPORTED = ("en", "nl")
DEFAULT_LOCALE = "en"

_current: ContextVar[str] = ContextVar("salesbot_locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    po = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return _gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def pick_locale(*candidates: str | None) -> str:
    """The first supported language among the user's choice, Telegram's code and the default."""
    for code in candidates:
        if code and code[:2].lower() in SUPPORTED:
            return code[:2].lower()
    return DEFAULT_LOCALE


def accept_language(header: str | None) -> str | None:
    """The supported language a browser's Accept-Language header prefers most (q order), or None.
    Only a last resort on pages for a contact whose language is not known (a refused link)."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        try:
            weight = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            continue
        if tag[:2].lower() in SUPPORTED and weight > 0:
            ranked.append((-weight, position, tag[:2].lower()))
    return min(ranked)[2] if ranked else None


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> None:
    _current.set(pick_locale(locale))


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _current.set(pick_locale(locale))
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext
