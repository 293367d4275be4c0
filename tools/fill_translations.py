"""Fill the Dutch catalog from translation files written beside a change.

    python tools/fill_translations.py tools/translations/*.po

Each file holds plain msgid/msgstr pairs. Run tools/update_catalogs.sh first, so the new msgids
are in bot/locales/nl/LC_MESSAGES/messages.po; this fills those that are empty or fuzzy and
names the msgids it could not find (usually a typo, or a string that is no longer in the code).
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parents[1] / "bot/locales/nl/LC_MESSAGES/messages.po"


def main(paths: list[str]) -> int:
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="nl")
    unknown = []
    for path in paths:
        with open(path, "rb") as f:
            extra = read_po(f, locale="nl")
        for message in extra:
            if not message.id or not message.string:
                continue
            target = catalog.get(message.id)
            if target is None:
                unknown.append(message.id)
                continue
            if not target.string or target.fuzzy or (isinstance(target.string, tuple)
                                                     and not all(target.string)):
                target.string = message.string
                target.flags.discard("fuzzy")
    with CATALOG.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False, sort_output=True, include_previous=False)
    for msgid in unknown:
        print(f"not in the catalog: {msgid!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
