#!/usr/bin/env bash
# Re-extract the translatable messages and merge them into the Dutch catalog.
#
#   tools/update_catalogs.sh            (from anywhere; `make messages` runs it)
#
# Then translate every new or fuzzy entry in bot/locales/nl/LC_MESSAGES/messages.po
# (remove the "#, fuzzy" flag once checked) and run tests/unit/test_catalogs.py.
# English is the source language: there is no en catalog. No .mo files: bot/i18n.py
# compiles the .po in memory at start-up.
set -euo pipefail

cd "$(dirname "$0")/.."

PYBABEL=${PYBABEL:-.venv/bin/pybabel}
if [[ ! -x $PYBABEL ]]; then
    PYBABEL=pybabel
fi
PYTHON=${PYTHON:-.venv/bin/python}
if [[ ! -x $PYTHON ]]; then
    PYTHON=python3
fi

POT=bot/locales/messages.pot
LOCALES_DIR=bot/locales
LANGUAGES=(nl)

new_pot=$(mktemp "${TMPDIR:-/tmp}/messages.XXXXXX.pot")
trap 'rm -f "$new_pot"' EXIT

# Keywords: `_` (bot.i18n), `N_` (domain.errors, translated later), `gettext`
# (translations(locale).gettext in bot/mail_composer.py), `ngettext` for plurals.
# The file patterns and the Jinja2 i18n extension are in babel.cfg.
"$PYBABEL" -q extract -F babel.cfg \
    -k N_ -k gettext -k ngettext:1,2 \
    --no-location --sort-output --no-wrap \
    --project=salesbot --version=0.1.0 --copyright-holder="salesbot" \
    -o "$new_pot" .

# Keep the old template when only its creation date changed: no noise in the diff.
strip_date() { grep -v '^"POT-Creation-Date: ' "$1"; }
if [[ -f $POT ]] && diff -q <(strip_date "$POT") <(strip_date "$new_pot") >/dev/null; then
    echo "$POT is up to date"
else
    cp "$new_pot" "$POT"
    echo "wrote $POT"
fi

for lang in "${LANGUAGES[@]}"; do
    po="$LOCALES_DIR/$lang/LC_MESSAGES/messages.po"
    if [[ -f $po ]]; then
        "$PYBABEL" -q update -i "$POT" -d "$LOCALES_DIR" -l "$lang" -D messages \
            --no-wrap --ignore-obsolete
    else
        "$PYBABEL" -q init -i "$POT" -d "$LOCALES_DIR" -l "$lang" -D messages --no-wrap
    fi
    echo "updated $po"
done

# Report what still needs a translator (untranslated or fuzzy entries).
"$PYTHON" - "${LANGUAGES[@]}" <<'PY' || true
import sys
from babel.messages.pofile import read_po

for lang in sys.argv[1:]:
    path = f"bot/locales/{lang}/LC_MESSAGES/messages.po"
    with open(path, "rb") as f:
        catalog = read_po(f, locale=lang)
    todo = [m.id for m in catalog if m.id and (m.fuzzy or not m.string or
                                               (isinstance(m.string, tuple) and not all(m.string)))]
    if todo:
        print(f"{path}: {len(todo)} message(s) to translate or check:")
        for msgid in todo:
            print("  ", msgid if isinstance(msgid, str) else msgid[0])
    else:
        print(f"{path}: complete")
PY
