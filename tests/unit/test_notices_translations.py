"""tools/translations/notices.po (the Dutch of issue 5 §6, merged into the catalog by the lead)
covers every message the notices code adds, with the same placeholders."""
from __future__ import annotations

import string
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
NOTICES_PO = ROOT / "tools" / "translations" / "notices.po"
NL_PO = LOCALES_DIR / "nl" / "LC_MESSAGES" / "messages.po"
PYTHON = ["domain/delay_notice.py", "domain/services/delay_notices.py", "handlers/delay_notices.py",
          "bot/notices.py", "bot/notice_mail.py"]
TEMPLATES = ["bot/templates/delay_notice.txt.j2", "bot/templates/delay_notice.html.j2"]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="nl")


def _key(msgid):
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _fields(text: str) -> set[str]:
    return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f}


def _messages():
    for name in PYTHON:
        yield from extract_from_file("python", ROOT / name, keywords=KEYWORDS)
    for name in TEMPLATES:
        yield from extract_from_file("jinja2", ROOT / name, keywords=KEYWORDS,
                                     options={"extensions": "jinja2.ext.i18n"})


def test_every_notice_message_has_a_dutch_translation_with_the_same_placeholders():
    ours = {_key(m.id): m for m in _read(NOTICES_PO) if m.id}
    known = {_key(m.id) for m in _read(NL_PO) if m.id and m.string} | set(ours)
    found = [_key(msgid) for _line, msgid, _comments, _context in _messages()]
    assert found and [m for m in found if m not in known] == []
    for msgid, message in ours.items():
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(t and _fields(t) == _fields(msgid) for t in translations), msgid
