"""tools/translations/req.po (the Dutch of issue 4 §2, merged into the catalog by the lead) covers
every message the quotation request code adds, with the same placeholders."""
from __future__ import annotations

import string
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
REQ_PO = ROOT / "tools" / "translations" / "req.po"
NL_PO = LOCALES_DIR / "nl" / "LC_MESSAGES" / "messages.po"
FILES = ["domain/quotation_request.py", "domain/services/quotation_requests.py", "handlers/request_entry.py",
         "handlers/request_list.py", "handlers/request_render.py", "bot/request_notices.py"]
OWN_MENU = ["Request a quote", "Quotation requests from customers"]


def _read(path: Path) -> dict[str, str]:
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f, locale="nl") if m.id}


def _fields(text: str) -> set[str]:
    return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f is not None}


def test_every_request_message_has_a_dutch_translation_with_the_same_placeholders():
    known = _read(NL_PO) | _read(REQ_PO)
    msgids = OWN_MENU + [msgid for name in FILES
                         for _line, msgid, _c, _ctx in extract_from_file(
                             "python", ROOT / name, keywords={"_": None, "N_": None})]
    assert [m for m in msgids if not known.get(m)] == []
    assert [m for m in msgids if _fields(m) != _fields(known[m])] == []
