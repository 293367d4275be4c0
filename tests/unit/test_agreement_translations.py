"""tools/translations/agree.po (the Dutch of §3, merged into the catalog by the lead) covers every
message the sales agreement code adds, with the same placeholders."""
from __future__ import annotations

import gettext
import string
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, translations

ROOT = Path(__file__).resolve().parents[2]
AGREE_PO = ROOT / "tools" / "translations" / "agree.po"
NL_PO = LOCALES_DIR / "nl" / "LC_MESSAGES" / "messages.po"
FILES = ["domain/sales_agreement.py", "domain/services/sales_agreements.py", "handlers/agreement_render.py",
         "handlers/agreement_entry.py", "handlers/agreements.py", "handlers/start.py"]
KEYWORDS = {"_": None, "N_": None}


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="nl")


@cache
def merged_translations(locale: str) -> gettext.NullTranslations:
    if locale != "nl":
        return translations(locale)
    catalog = _read(NL_PO)
    for message in _read(AGREE_PO):
        if message.id:
            catalog[message.id] = message
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _fields(text: str) -> set[str]:
    return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f is not None}


def test_every_agreement_message_has_a_dutch_translation():
    known = {m.id: m.string for m in _read(NL_PO) if m.id} | {m.id: m.string for m in _read(AGREE_PO) if m.id}
    missing = []
    for name in FILES:
        for _line, msgid, _comments, _context in extract_from_file("python", ROOT / name, keywords=KEYWORDS):
            if not known.get(msgid):
                missing.append(msgid)
    assert missing == []


def test_the_dutch_keeps_every_placeholder_and_adds_only_new_messages():
    existing = {m.id for m in _read(NL_PO) if m.id}
    for message in _read(AGREE_PO):
        if message.id:
            assert message.id not in existing, message.id
            assert _fields(message.id) == _fields(message.string), message.id
