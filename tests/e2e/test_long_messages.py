"""A quotation or order too long for one Telegram message (4 096 characters) arrives in parts.

The fake Bot API refuses a longer text as Telegram does ("message is too long"), so before the
split a draft of some forty lines with long item names could no longer be shown at all."""
from __future__ import annotations

from decimal import Decimal

from domain.item import Item
from domain.services import quotations
from tests.fakes.telegram_html import parse_html, utf16_len

SAM = 1001
LINES = 45
NAME = "Ergonomische bureaustoel met hoofdsteun, armleuningen en lendensteun <model {n}> & co"


async def _many_items(uow_factory) -> None:
    async with uow_factory() as uow:
        for n in range(1, LINES + 1):
            await uow.items.add(Item(f"L-{n:03d}", NAME.format(n=n), "pcs", Decimal("12.50"), Decimal("21"),
                                     Decimal("100")))
        await uow.commit()


def _sent_texts(running, since: int) -> list[tuple[str, dict]]:
    calls = running.fake.calls_of("sendMessage", chat_id=SAM)[since:]
    return [(c.params["text"], c.params.get("reply_markup") or {}) for c in calls]


async def test_a_long_draft_arrives_in_parts_with_the_buttons_under_the_last(running, uow_factory, seeded):
    await _many_items(uow_factory)
    chat = running.chat(SAM)
    await chat.say("/quote")
    await chat.say("acme")
    for n in range(1, LINES):  # each time, wait for the draft's last part (the one with the buttons)
        running.fake.push_message(SAM, f"L-{n:03d} 2")
        await running.fake.wait_for("sendMessage", chat_id=SAM, timeout=10,
                                    predicate=lambda call: "Send" in str(call.params.get("reply_markup")))
    before = len(running.fake.calls_of("sendMessage", chat_id=SAM))
    running.fake.push_message(SAM, f"L-{LINES:03d} 3")
    await running.fake.wait_for_count("sendMessage", before + 2, timeout=10)
    parts = _sent_texts(running, before)
    assert len(parts) >= 2
    for text, _markup in parts:
        plain, _entities = parse_html(text)  # each part is valid HTML within Telegram's limit
        assert utf16_len(plain) <= 4096
    assert all(not markup for _text, markup in parts[:-1])  # the buttons are on the last part
    assert "Send" in str(parts[-1][1]) and "Total:" in parts[-1][0]
    shown = "\n".join(text for text, _markup in parts)
    for n in range(1, LINES + 1):
        assert f"L-{n:03d}" in shown
    assert "&lt;model 45&gt; &amp; co" in shown  # item names stay escaped
    [draft] = await quotations.open_quotations(uow_factory(), seeded["sales"])
    assert len(draft.lines) == LINES

    await chat.tap("Send")  # the button under the last part works like any other
    await running.fake.wait_for("sendMessage", chat_id=SAM, timeout=10,
                                predicate=lambda call: "is sent to buyer@acme.example" in call.params["text"])


async def test_a_line_of_a_draft_with_more_lines_than_a_keyboard_holds_can_be_picked(running, uow_factory, clock,
                                                                                      seeded):
    """Telegram takes at most 100 buttons (and ~10 kB) per keyboard: past that, the lines are
    offered as their numbers, 96 to a keyboard, in as many messages as needed."""
    many = 130
    async with uow_factory() as uow:
        for n in range(1, many + 1):
            await uow.items.add(Item(f"M-{n:03d}", NAME.format(n=n), "pcs", Decimal("1"), Decimal("21"),
                                     Decimal("10")))
        await uow.commit()
        items = [await uow.items.by_number(f"M-{n:03d}") for n in range(1, many + 1)]
    draft = await quotations.start_quotation(uow_factory(), clock, seeded["sales"], seeded["acme"].id)
    for item in items:
        await quotations.add_line(uow_factory(), seeded["sales"], draft.id, item.id, Decimal(1))
    chat = running.chat(SAM)
    await chat.say("/quotes")
    await chat.tap(draft.number)
    await running.fake.wait_for("sendMessage", chat_id=SAM, timeout=10,
                                predicate=lambda call: "Go on editing" in str(call.params.get("reply_markup")))
    await chat.tap("Go on editing")
    await running.fake.wait_for("sendMessage", chat_id=SAM, timeout=10,
                                predicate=lambda call: "Remove a line" in str(call.params.get("reply_markup")))
    before = len(running.fake.calls_of("sendMessage", chat_id=SAM))
    await chat.tap("Remove a line")
    await running.fake.wait_for_count("sendMessage", before + 2, timeout=10)
    pickers = running.fake.calls_of("sendMessage", chat_id=SAM)[before:]
    labels = [b["text"] for call in pickers for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == [str(n) for n in range(1, many + 1)]
    assert "Which line?" in pickers[0].params["text"]
    await chat.tap_data(*chat.button_data("130"))
    await running.fake.wait_for("sendMessage", chat_id=SAM, timeout=10,
                                predicate=lambda call: "Send" in str(call.params.get("reply_markup")))
    [left] = await quotations.open_quotations(uow_factory(), seeded["sales"])
    assert len(left.lines) == many - 1 and all(l.item_number != "M-130" for l in left.lines)
