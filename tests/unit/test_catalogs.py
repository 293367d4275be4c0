"""The Dutch catalog is complete and sound for the source tree as it is now.

Messages are extracted with Babel's API, with the same file patterns (babel.cfg) and keywords as
tools/update_catalogs.sh, so a developer who adds `_("...")` or `N_("...")` without translating it
gets a failing test that names the message. Fix: run tools/update_catalogs.sh (or `make messages`)
and fill in the new msgstr entries in bot/locales/nl/LC_MESSAGES/messages.po.
"""
from __future__ import annotations

import re
import string
from collections import Counter
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.i18n import _, current_locale, pick_locale, translations, use_locale

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
LOCALES = ROOT / "bot" / "locales"
NL_PO = LOCALES / "nl" / "LC_MESSAGES" / "messages.po"
POT = LOCALES / "messages.pot"

# The same keywords as tools/update_catalogs.sh: `_`, `N_` (domain.errors), `gettext`
# (translations(locale).gettext in bot/mail_composer.py) and `ngettext` for plurals.
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}

SUPPLEMENT = "Run tools/update_catalogs.sh and translate the new entries in " + str(NL_PO.relative_to(ROOT))


def _key(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


@cache
def extracted() -> dict[str, list[str]]:
    """msgid -> the files it is used in, for the source tree as it is now."""
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(BABEL_CFG))
    found: dict[str, list[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        ids = message if isinstance(message, tuple) else (message,)
        if not all(ids):  # e.g. a `gettext(variable)` call: nothing to translate
            continue
        found.setdefault(_key(message), []).append(filename)
    return found


@cache
def catalog(path: Path = NL_PO, locale: str | None = "nl") -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def translated_messages() -> list[Message]:
    return [m for m in catalog() if m.id and not m.fuzzy]


def pairs() -> list[tuple[str, str]]:
    """(msgid, msgstr) for every translated form, plural forms included."""
    out = []
    for m in translated_messages():
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for i, text in enumerate(strings):
            if text:
                out.append((ids[min(i, len(ids) - 1)], text))
    return out


def _brace_fields(text: str) -> set[str]:
    return {field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field is not None}


_PERCENT_NAMED = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*?/?>")


def _tags(text: str) -> Counter:
    """Tag names, closing tags counted apart: "<b>x</b>" -> {"b": 1, "/b": 1}."""
    return Counter(("/" if m.group(0).startswith("</") else "") + m.group(1).lower()
                   for m in _TAG.finditer(text))


# -- (a) completeness ----------------------------------------------------------------------------

def test_extraction_finds_messages_from_python_and_templates():
    found = extracted()
    assert "New quotation" in found  # N_ in handlers/start.py
    assert "Quotation {number} from {company}" in found  # t.gettext in bot/mail_composer.py
    assert "Dear %(name)s," in found  # Jinja2 i18n in bot/templates
    assert not any(f.startswith(("tests", "bench", ".venv")) for files in found.values() for f in files)


def test_every_extracted_message_has_a_dutch_translation():
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog() if m.id}
    missing = sorted(msgid for msgid in extracted() if msgid not in messages)
    fuzzy = sorted(msgid for msgid in extracted() if msgid in messages and messages[msgid].fuzzy)
    empty = sorted(msgid for msgid in extracted() if msgid in messages and not messages[msgid].fuzzy
                   and not all(messages[msgid].string if isinstance(messages[msgid].string, tuple)
                               else (messages[msgid].string,)))
    problems = ([f"not in the catalog: {msgid!r} (used in {', '.join(sorted(set(extracted()[msgid])))})"
                 for msgid in missing]
                + [f"fuzzy (check it, then drop the flag): {msgid!r}" for msgid in fuzzy]
                + [f"not translated: {msgid!r}" for msgid in empty])
    assert not problems, SUPPLEMENT + ":\n  " + "\n  ".join(problems)


def test_the_template_is_current():
    with POT.open("rb") as f:
        pot = read_po(f)
    stale = sorted(msgid for msgid in extracted() if pot.get(msgid) is None)
    assert not stale, "messages.pot lacks " + ", ".join(map(repr, stale)) + ". " + SUPPLEMENT


def test_the_dutch_catalog_header():
    nl = catalog()
    assert str(nl.locale) == "nl"
    assert nl.plural_forms == "nplurals=2; plural=(n != 1);"
    assert nl.charset.lower() == "utf-8"
    header = NL_PO.read_text(encoding="utf-8")
    assert '"Language: nl\\n"' in header
    assert not any(m.fuzzy for m in nl if m.id), "fuzzy entries remain"


# -- (b) placeholders and (c) HTML ---------------------------------------------------------------

def _placeholder_problems(msgid: str, msgstr: str) -> list[str]:
    problems = []
    try:
        fields = _brace_fields(msgstr)
        msgstr.format(**{f: "x" for f in fields})  # a stray brace would make str.format raise in the chat
    except (ValueError, IndexError, KeyError) as exc:
        problems.append(f"str.format fails: {exc}")
    else:
        if fields != _brace_fields(msgid):
            problems.append(f"{{placeholders}} {sorted(fields)} instead of {sorted(_brace_fields(msgid))}")
    if set(_PERCENT_NAMED.findall(msgstr)) != set(_PERCENT_NAMED.findall(msgid)):
        problems.append(f"%(placeholders)s {sorted(set(_PERCENT_NAMED.findall(msgstr)))} instead of "
                        f"{sorted(set(_PERCENT_NAMED.findall(msgid)))}")
    return problems


def test_every_translation_keeps_the_placeholders():
    problems = [f"{msgid!r} -> {msgstr!r}: {p}" for msgid, msgstr in pairs()
                for p in _placeholder_problems(msgid, msgstr)]
    assert not problems, "\n  ".join(["placeholders differ in " + str(NL_PO.relative_to(ROOT)), *problems])


def test_every_translation_keeps_the_html_tags():
    problems = [f"{msgid!r} -> {msgstr!r}: {dict(_tags(msgstr))} instead of {dict(_tags(msgid))}"
                for msgid, msgstr in pairs() if _tags(msgstr) != _tags(msgid)]
    assert not problems, "\n  ".join(["HTML tags differ in " + str(NL_PO.relative_to(ROOT)), *problems])


def test_the_placeholder_and_tag_checks_catch_mistakes():
    assert _placeholder_problems("Quotation {number}", "Offerte {nummer}")
    assert _placeholder_problems("Quotation {number}", "Offerte {number")
    assert _placeholder_problems("Dear %(name)s,", "Geachte %(naam)s,")
    assert not _placeholder_problems("Quotation {number}", "Offerte {number}")
    assert _tags("<b>Offerte {number}") != _tags("<b>Quotation {number}</b>")
    assert _tags("<b>Offerte</b> <code>x</code>") == _tags("<code>y</code> <b>Quotation</b>")
    assert _PERCENT_NAMED.findall("Geachte %(naam)s,") != _PERCENT_NAMED.findall("Dear %(name)s,")
    assert _PERCENT_NAMED.findall("Sales tax {percent}: {amount}") == []


# -- (d) runtime lookup --------------------------------------------------------------------------

def test_translations_give_dutch_for_a_known_message():
    assert translations("nl").gettext("New quotation") == "Nieuwe offerte"
    assert translations("en").gettext("New quotation") == "New quotation"
    assert translations("nl").gettext("No such message, surely") == "No such message, surely"


def test_use_locale_switches_and_restores():
    with use_locale("en"):
        assert current_locale() == "en"
        assert _("Which item?") == "Which item?"
        with use_locale("nl"):
            assert current_locale() == "nl"
            assert _("Which item?") == "Welk artikel?"
        assert _("Which item?") == "Which item?"
        with use_locale("nl-BE"):
            assert _("Which item?") == "Welk artikel?"
        with use_locale("fr"):
            assert _("Which item?") == "Which item?"


# -- (e) choosing the language -------------------------------------------------------------------

def test_pick_locale_prefers_the_users_choice_then_telegram_then_the_default():
    assert pick_locale("en", "nl", "nl") == "en"  # the user's /language choice wins
    assert pick_locale("nl", "en", "en") == "nl"
    assert pick_locale(None, "nl-BE", "en") == "nl"  # Telegram's code, region dropped
    assert pick_locale(None, "NL", "en") == "nl"
    assert pick_locale(None, "de", "nl") == "nl"  # unsupported: the default
    assert pick_locale(None, None, "en") == "en"
    assert pick_locale("", "", "") == "en"  # nothing at all: bot.i18n's default


# -- (f) the glossary's words --------------------------------------------------------------------

def test_the_dutch_uses_the_glossary_terms():
    nl = translations("nl").gettext
    assert "Offerte" in nl("Quotation {number} is sent to {email} with the PDF attached.")
    assert nl("Open order") == "Openstaande order"
    assert nl("Delivered") == "Geleverd"
    assert nl("Invoiced") == "Gefactureerd"
    assert nl("Journal") == "Journaal"
    assert nl("Subscription") == "Abonnement"
    assert nl("Sales order") == "Verkooporder"
    assert nl("Returned order") == "Geretourneerde order"
    assert nl("Item requirements") == "Artikelbehoeften"
    assert "Pakbon" in nl("Packing slip {number} is posted.")
    assert "Btw" in nl("Sales tax {percent}: {amount}")
    assert "nog te leveren" in nl("{n}. {item}: {remainder} {unit} to deliver")


# Who reads a message, by where it is used: mails (the composer and its templates) and the customers'
# own Telegram channel speak to customers; every other file speaks to staff.
CUSTOMER_FILES = ("bot/mail_composer.py", "bot/templates/", "bot/customer_links.py",
                  "handlers/customer_link.py", "handlers/customer_view.py",
                  "domain/customer_link.py", "domain/services/customer_links.py",
                  "domain/services/customer_view.py",
                  # issue 4 §2-§4: the customer's requests, answers, answer page and mail intake
                  "handlers/request_entry.py", "handlers/quotation_answers.py",
                  "bot/quotation_page.py", "bot/telegram_delivery.py", "bot/mail_intake_mail.py",
                  "domain/quotation_answer.py", "domain/quotation_link.py", "domain/mail_intake.py",
                  # issue 5: campaign mails and unsubscribe pages, delay notices to customers
                  "bot/web_unsubscribe.py", "bot/campaign_mail.py", "bot/notice_mail.py",
                  "handlers/delay_notices.py", "domain/delay_notice.py",
                  # the answers to a campaign: its buttons and the interest page
                  "bot/web_interest.py", "handlers/campaign_responses.py",
                  "domain/services/campaign_responses.py")
# Read by staff and customers alike: the check of who is talking (and the stranger's answer), the
# language choice, the error handler; and, from a staff file, the refusal a customer meets when
# trying a staff command.
BOTH_FILES = ("bot/middlewares.py", "handlers/language.py", "handlers/errors.py")
BOTH_MESSAGES = {"Your role does not allow this."}
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
FORMAL = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)


def _audience(files: list[str], msgid: str = "") -> str:
    """"customer", "staff" or "both", from the files a message is used in."""
    if msgid in BOTH_MESSAGES or any(Path(f).as_posix().startswith(BOTH_FILES) for f in files):
        return "both"
    kinds = {"customer" if Path(f).as_posix().startswith(CUSTOMER_FILES) else "staff" for f in files}
    return kinds.pop() if len(kinds) == 1 else "both"


def _dutch_texts(msgid: str) -> list[str]:
    message = catalog().get(msgid)
    if message is None or message.fuzzy:
        return []
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [text for text in strings if text]


def _address_problems(audience: str, text: str) -> list[str]:
    """The house rule: customers are addressed with u/uw, staff with je/jouw; a text both read, neither."""
    problems = []
    if audience in ("customer", "both") and INFORMAL.search(text):
        problems.append(f"says {INFORMAL.search(text).group(0)!r}")
    if audience in ("staff", "both") and FORMAL.search(text):
        problems.append(f"says {FORMAL.search(text).group(0)!r}")
    return problems


def test_customers_are_addressed_with_u_and_staff_with_je():
    problems = [f"{msgid!r} -> {text!r} ({audience}: {', '.join(sorted(set(files)))}): {p}"
                for msgid, files in extracted().items()
                for audience in [_audience(files, msgid)]
                for text in _dutch_texts(msgid)
                for p in _address_problems(audience, text)]
    assert not problems, "\n  ".join([
        "Dutch to customers (mails, the customer channel) says u/uw, to staff je/jouw, and a message "
        "used by both says neither (rephrase it):", *problems])


def test_the_audience_rule_sees_customer_and_staff_files():
    found = extracted()
    assert _audience(found["Thank you for your order."]) == "customer"  # bot/mail_composer.py
    assert _audience(found["Dear %(name)s,"]) == "customer"  # bot/templates
    assert _audience(found["Your orders:"]) == "customer"  # handlers/customer_view.py
    assert _audience(found["New quotation"]) == "staff"  # handlers/start.py
    assert _audience(found["That quotation does not exist or is not yours."]) == "both"
    assert _audience(found["Which language would you like?"]) == "both"  # handlers/language.py
    assert _audience(found["Your role does not allow this."], "Your role does not allow this.") == "both"
    assert _address_problems("customer", "Je hebt nog geen orders.")
    assert _address_problems("staff", "U hebt nog geen orders.")
    assert _address_problems("both", "Uw orders:") and _address_problems("both", "Jouw orders:")
    assert not _address_problems("customer", "Uw orders:")
    assert not _address_problems("staff", "Jouw pijplijn")
    assert not _address_problems("both", "Die offerte bestaat niet.")
    assert not _address_problems("staff", "Uurtarief; btw: 21 %")  # words that start with u are fine


def test_customer_mail_says_u_and_staff_chat_says_je():
    nl = translations("nl").gettext
    mail = [nl("Thank you for your interest. Please find our quotation attached."),
            nl("Please find attached our invoice for what we delivered."),
            nl("Thank you for your order."),
            nl("Please find attached our invoice."),  # free text invoice mail
            nl("Please find attached our credit note for the goods you returned."),
            nl("Thank you for your business."),
            nl("Follow your orders with {company} in Telegram"),  # the invitation to the customer channel
            nl("Your orders:")]  # the customer channel itself
    assert all(FORMAL.search(text) for text in mail)
    assert not any(INFORMAL.search(text) for text in mail)
    assert INFORMAL.search(nl("Your pipeline")) and not FORMAL.search(nl("Your pipeline"))  # staff chat
