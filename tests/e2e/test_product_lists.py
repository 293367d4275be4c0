"""Up-sell and cross-sell in chat: a manager sets up rules, a salesperson gets suggestions under a
line and takes them with one tap, and the rates show in /suggestions."""
from __future__ import annotations

import pytest

from domain.services import quotations

SAM, OLGA, MIA = 1001, 1002, 1003


async def _rules(running, *typed: str) -> None:
    mia = running.chat(MIA)
    assert "no product list rules yet" in await mia.say("/productlists")
    for text in typed:
        assert "Added: Rule" in await mia.say(text)
    await mia.say("/cancel")


async def _line_with_suggestions(chat, customer: str = "C-001", line: str = "A-100 2") -> str:
    await chat.say("/quote")
    await chat.say(customer)
    draft = await chat.say(line)
    assert "Office chair" in draft
    return await chat.reply()


async def test_a_manager_adds_lists_and_deletes_rules_in_chat(running):
    mia = running.chat(MIA)
    first = await mia.say("/productlists")
    assert "no product list rules yet" in first and "<code>up A-100 A-200" in first
    added = await mia.say("cross A-100 B-300 Wholesale 5 2026-12-01 2026-12-31; Ask about <the> handbook")
    assert ("Added: Rule 1, cross-sell: A-100 → B-300 · customer group Wholesale · from 5 pcs · "
            "valid 1 Dec 2026 to 31 Dec 2026") in added
    assert "Ask about &lt;the&gt; handbook" in added
    assert "Rule 2, up-sell: A-100 → A-200" in await mia.say("up A-100 A-200")
    listing = await mia.say("/productlists")
    assert "Rule 1, cross-sell" in listing and "Rule 2, up-sell" in listing
    assert mia.buttons() == ["Delete 1", "Delete 2"]
    answer = await mia.tap("Delete 1")
    assert mia.alert(answer) == "Rule 1 deleted."
    after = await mia.reply()
    assert "Rule 1," not in after and "Rule 2, up-sell" in after
    assert "Rule 2 deleted." in await mia.say("delete 2")
    assert "Rule 2 does not exist (any more)." in await mia.say("delete 2")
    assert "no product list rules yet" in await mia.say("/productlists")
    await mia.say("/cancel")
    assert "/productlists" in await mia.say("/help")


@pytest.mark.parametrize("typed, answer", [
    ("up A-100 Z-999", "There is no item with number Z-999."),
    ("up A-100 A-100", "cannot suggest the item itself"),
    ("up A-100", "Type a rule as"),
    ("sideways A-100 A-200", "is not a kind of rule"),
    ("up A-100 A-200 2026-13-01", "is not a date"),
    ("up A-100 A-200 2026-12-31 2026-12-01", "ends on 1 Dec 2026 before it starts on 31 Dec 2026"),
    ("up A-100 A-200 Retail Wholesale", "did not understand 'Wholesale'"),
    ("up A-100 A-200 -5", "cannot be negative"),
])
async def test_a_bad_rule_gets_a_clear_reply_and_adds_nothing(running, typed, answer):
    mia = running.chat(MIA)
    await mia.say("/productlists")
    assert answer in await mia.say(typed)
    assert "no product list rules yet" in await mia.say("/productlists")


async def test_a_salesperson_may_not_manage_rules(running):
    sam = running.chat(SAM)
    assert "Your role does not allow this." in await sam.say("/productlists")
    assert "I did not understand" in await sam.say("up A-100 A-200")
    assert "/productlists" not in await sam.say("/help")


async def test_suggestions_appear_under_a_line_and_one_tap_adds_or_replaces(running, uow_factory, seeded):
    await _rules(running, "cross A-100 B-300; The handbook sells itself", "up A-100 A-200")
    sam = running.chat(SAM)
    offer = await _line_with_suggestions(sam)
    assert "Suggestions for A-100 Office chair" in offer
    assert "Up-sell: A-200 Standing desk instead" in offer
    assert "Cross-sell: B-300 Sales handbook as well — <i>The handbook sells itself</i>" in offer
    assert sam.buttons() == ["Instead: A-200 · Standing desk", "Add: B-300 · Sales handbook"]

    assert sam.alert(await sam.tap("Add: B-300")) == "Done: the quotation is updated."
    draft = await sam.reply()
    assert "1. A-100 Office chair: 2 pcs" in draft and "2. B-300 Sales handbook: 1 pcs" in draft
    await sam.tap("Instead: A-200")
    draft = await sam.reply()
    assert "Office chair" not in draft and "A-200 Standing desk: 2 pcs × €499.00" in draft

    stats = await running.chat(MIA).say("/suggestions")
    assert "Rule 1, cross-sell: A-100 → B-300" in stats
    assert "shown 1, accepted 1, ignored 0, open 0; acceptance rate 100%" in stats
    q = (await quotations.open_quotations(uow_factory(), seeded["sales"]))[0]
    assert sorted(l.item_number for l in q.lines) == ["A-200", "B-300"]


async def test_an_item_picked_from_several_matches_gets_its_suggestions_too(running):
    await _rules(running, "cross A-100 B-300")
    sam = running.chat(SAM)
    await sam.say("/quote")
    await sam.say("C-001")
    assert "Which item?" in await sam.say("e 3")  # every item's name has an e
    await sam.tap("A-100 · Office chair")
    assert "Office chair: 3 pcs" in await sam.reply()
    assert "Cross-sell: B-300 Sales handbook as well" in await sam.reply()
    assert sam.buttons() == ["Add: B-300 · Sales handbook"]


async def test_a_suggestion_not_taken_is_counted_as_ignored_once_the_next_line_is_entered(running):
    await _rules(running, "cross A-100 B-300", "cross A-200 B-300 Horeca")
    sam = running.chat(SAM)
    await _line_with_suggestions(sam)
    draft = await sam.say("A-200 1")  # no rule applies to Acme for the desk: no suggestions
    assert "Standing desk" in draft
    await sam.say("/cancel")
    mine = await sam.say("/suggestions")
    assert "A-100 → B-300" in mine and "shown 1, accepted 0, ignored 1, open 0; acceptance rate 0%" in mine
    assert "shown 0, accepted 0, ignored 0, open 0; acceptance rate –" in mine


async def test_stale_and_foreign_suggestion_buttons_are_refused(running, uow_factory, seeded):
    await _rules(running, "cross A-100 B-300")
    sam = running.chat(SAM)
    await _line_with_suggestions(sam)
    message_id, data = sam.button_data("Add: B-300")
    olga = running.chat(OLGA)
    await olga.say("/start")
    forged = await olga.tap_data(olga.fake.last_bot_message(OLGA)["message_id"], data, check_button=False)
    assert "no longer applies" in olga.alert(forged)

    await sam.tap("Send")
    await sam.reply()
    stale = await sam.tap_data(message_id, data)
    assert "only a new quotation can be changed" in sam.alert(stale)
    q = (await quotations.open_quotations(uow_factory(), seeded["sales"]))[0]
    assert [l.item_number for l in q.lines] == ["A-100"]
    assert "shown 1, accepted 0, ignored 1" in await running.chat(MIA).say("/suggestions")


async def test_a_deleted_rule_can_no_longer_be_taken(running):
    await _rules(running, "cross A-100 B-300")
    sam = running.chat(SAM)
    await _line_with_suggestions(sam)
    mia = running.chat(MIA)
    await mia.say("/productlists")
    await mia.tap("Delete 1")
    await mia.reply()
    assert "no longer applies" in sam.alert(await sam.tap("Add: B-300"))


async def test_suggestions_in_dutch(running):
    await _rules(running, "meer A-100 A-200; Stevig bureau")
    sam = running.chat(SAM, language_code="nl")
    offer = await _line_with_suggestions(sam, line="A-100 2")
    assert "Suggesties voor A-100 Office chair" in offer
    assert "Meerverkoop: A-200 Standing desk in plaats daarvan — <i>Stevig bureau</i>" in offer
    assert sam.buttons() == ["In plaats daarvan: A-200 · Standing desk"]
    assert sam.alert(await sam.tap("In plaats daarvan")) == "Klaar: de offerte is bijgewerkt."
    await sam.reply()
    mia = running.chat(MIA, language_code="nl")
    rates = await mia.say("/suggestions")
    assert "Regel 1, meerverkoop: A-100 → A-200" in rates
    assert "getoond 1, geaccepteerd 1, genegeerd 0, open 0; acceptatiegraad 100%" in rates
    await mia.say("/productlists")
    assert "Er is geen artikel met nummer Z-1." in await mia.say("up A-100 Z-1")
