"""Splitting texts longer than a Telegram message: between lines, never inside a tag."""
from __future__ import annotations

import html

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from hypothesis import given, strategies as st

from bot.long_messages import SplitLongMessages, split_message, visible_length
from tests.fakes.telegram_html import parse_html, utf16_len

KEYBOARD = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Send", callback_data="s")]])


def _shown(part: str) -> str:
    return parse_html(part)[0]


def test_a_text_within_the_limit_is_left_alone():
    text = "<b>Quotation</b>\n" + "x" * 4000
    assert split_message(text, True) == [text]


def test_the_limit_counts_what_telegram_shows_not_the_markup():
    line = "<b>" + "&amp;" * 10 + "</b>"
    assert visible_length(line, True) == 10 and visible_length(line, False) == len(line)
    assert visible_length("😀", False) == 2  # UTF-16, as Telegram counts


def test_a_long_text_is_split_between_lines_into_valid_parts():
    lines = [f"{n}. <b>A-{n:03d}</b> Office chair &lt;grey&gt;: 2 pcs × €149.95" for n in range(1, 200)]
    parts = split_message("\n".join(lines), True, limit=1000)
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(_shown(part)) <= 1000
    assert "\n".join(parts).split("\n") == lines  # nothing lost, nothing cut inside a line


def test_a_tag_open_across_lines_is_never_split():
    block = "<i>" + "\n".join(["note line"] * 30) + "</i>"
    text = "\n".join(["head"] * 50 + [block] + ["tail"] * 50)
    for part in split_message(text, True, limit=400):
        assert part.count("<i>") == part.count("</i>")
        _shown(part)  # parses


def test_one_line_longer_than_a_message_is_cut_as_plain_text():
    parts = split_message("<b>" + "a&lt;" * 3000 + "</b>", True, limit=4096)
    assert [utf16_len(_shown(p)) for p in parts] == [4096, 1904]
    assert "".join(_shown(p) for p in parts) == "a<" * 3000


def test_a_surrogate_pair_is_never_cut_in_two():
    parts = split_message("x" + "😀" * 3000, False, limit=4096)
    assert all(utf16_len(p) <= 4096 for p in parts) and "".join(parts) == "x" + "😀" * 3000


_LINE = st.builds(
    lambda words, bold: f"<b>{html.escape(words, quote=False)}</b>" if bold else html.escape(words, quote=False),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300), st.booleans())


@given(st.lists(_LINE, min_size=1, max_size=80), st.integers(min_value=300, max_value=4096))
def test_every_part_fits_parses_and_together_they_show_the_whole_text(lines, limit):
    text = "\n".join(lines)
    parts = split_message(text, True, limit=limit)
    for part in parts:
        assert utf16_len(_shown(part)) <= limit
    if all(visible_length(line, True) <= limit for line in lines):
        assert "".join(_shown(p).replace("\n", "") for p in parts) == _shown(text).replace("\n", "")


class _Recorder:
    """The next step of aiogram's request chain: records what would go to Telegram."""

    def __init__(self) -> None:
        self.sent: list = []

    async def __call__(self, bot, method):
        self.sent.append(method)
        return len(self.sent)


async def _through_middleware(method) -> list:
    bot = Bot("42:TEST", default=DefaultBotProperties(parse_mode="HTML"))
    recorder = _Recorder()
    assert await SplitLongMessages()(recorder, bot, method) == len(recorder.sent)  # the last part's result
    await bot.session.close()
    return recorder.sent


async def test_a_long_message_goes_out_in_parts_with_the_keyboard_on_the_last():
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(100))
    sent = await _through_middleware(SendMessage(chat_id=7, text=text, reply_markup=KEYBOARD))
    assert len(sent) == 3 and all(isinstance(m, SendMessage) and m.chat_id == 7 for m in sent)
    assert [m.reply_markup for m in sent] == [None, None, KEYBOARD]
    assert "\n".join(m.text for m in sent) == text


async def test_a_long_edit_edits_the_first_part_and_sends_the_rest():
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(60))
    sent = await _through_middleware(EditMessageText(chat_id=7, message_id=3, text=text, reply_markup=KEYBOARD))
    assert isinstance(sent[0], EditMessageText) and sent[0].message_id == 3 and sent[0].reply_markup is None
    assert [type(m) for m in sent[1:]] == [SendMessage] and sent[1].reply_markup == KEYBOARD
    assert "\n".join(m.text for m in sent) == text


async def test_short_messages_and_other_methods_pass_unchanged():
    method = SendMessage(chat_id=7, text="<b>hi</b>", reply_markup=KEYBOARD)
    assert await _through_middleware(method) == [method]
