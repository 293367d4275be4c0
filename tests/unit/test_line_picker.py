"""'Which line?' keyboards stay within Telegram's limits for any number of lines."""
from __future__ import annotations

from hypothesis import given, strategies as st

from handlers.line_picker import line_keyboards
from tests.fakes.telegram_objects import check_reply_markup


def _choices(count: int, name: str) -> list[tuple[int, str, str]]:
    return [(n, f"{n}. A-{n:03d} · {name}", f"lp:remove:12:{n}") for n in range(1, count + 1)]


def test_a_few_lines_get_a_labelled_button_each():
    [keyboard] = line_keyboards(_choices(3, "Office chair"))
    assert [row[0].text for row in keyboard.inline_keyboard] == [
        "1. A-001 · Office chair", "2. A-002 · Office chair", "3. A-003 · Office chair"]


def test_long_names_or_many_lines_become_numbers_eight_to_a_row():
    [keyboard] = line_keyboards(_choices(60, "x" * 200))  # labels too long for ~10 kB
    assert [len(row) for row in keyboard.inline_keyboard] == [8] * 7 + [4]
    assert keyboard.inline_keyboard[0][0].text == "1" and keyboard.inline_keyboard[0][0].callback_data == "lp:remove:12:1"
    first, second = line_keyboards(_choices(130, "Desk"))
    assert sum(map(len, first.inline_keyboard)) == 96 and second.inline_keyboard[-1][-1].text == "130"


@given(st.integers(min_value=1, max_value=250), st.text(min_size=0, max_size=220))
def test_every_line_is_offered_once_and_every_keyboard_is_one_telegram_takes(count, name):
    keyboards = line_keyboards(_choices(count, name))
    for keyboard in keyboards:
        check_reply_markup(keyboard.model_dump(exclude_none=True))  # raises what Telegram would answer
    data = [button.callback_data for k in keyboards for row in k.inline_keyboard for button in row]
    assert data == [f"lp:remove:12:{n}" for n in range(1, count + 1)]
