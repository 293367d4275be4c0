"""The Dutch texts of up-sell/cross-sell live in tools/translations/lists.po until the lead merges
them into bot/locales: every message of this part is there, translated, with the same placeholders.

`merged_dutch_catalog` lets the end-to-end tests speak Dutch before that merge (after it, it
changes nothing)."""
from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from bot.i18n import translations

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "tools" / "translations" / "lists.po"
SOURCES = ("domain/product_list.py", "domain/services/product_lists.py",
           "handlers/product_lists.py", "handlers/suggestions.py")
COMMANDS = ("Up-sell and cross-sell rules", "How often suggestions are taken")


def _ours() -> set[str]:
    found = set(COMMANDS)
    for path in SOURCES:
        for _line, message, _comments, _context in extract_from_file(
                "python", ROOT / path, keywords={"_": None, "N_": None}):
            found.add(message)
    return found


def _po() -> dict[str, str]:
    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f, locale="nl") if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_of_the_part_is_translated_with_the_same_placeholders():
    po, nl = _po(), translations("nl")
    for msgid in _ours():
        dutch = po.get(msgid) or (nl.gettext(msgid) if nl.gettext(msgid) != msgid else "")
        assert dutch, f"no Dutch for {msgid!r} in {PO.name}"
        assert _fields(dutch) == _fields(msgid), msgid


@pytest.fixture
def merged_dutch_catalog():
    catalog = translations("nl")._catalog
    added = {k: v for k, v in _po().items() if k not in catalog}
    catalog.update(added)
    yield
    for key in added:
        catalog.pop(key, None)
