"""§4: every message in tools/translations/types.po has a Dutch text with the same placeholders."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def test_each_order_types_message_is_translated_with_the_same_placeholders():
    with open(ROOT / "tools" / "translations" / "types.po", "rb") as f:
        catalog = read_po(f)
    entries = [m for m in catalog if m.id]
    assert len(entries) > 40
    for m in entries:
        assert m.string, f"no Dutch text for {m.id!r}"
        assert sorted(PLACEHOLDER.findall(m.id)) == sorted(PLACEHOLDER.findall(m.string)), m.id
        assert m.id.count("<code>") == m.string.count("<code>"), m.id
