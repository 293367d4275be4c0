"""The offline demo: the real dispatcher driven from console lines, answers read from the console."""
from __future__ import annotations

import email
import email.policy
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.demo import DemoError, run_console

_BUTTON = re.compile(r"\[(\d+)\] (.+?)(?=\s{2}\[\d+\]|$)")


def button(out: io.StringIO, label: str) -> str:
    """What to type (#n) to tap the newest printed button whose label contains `label`."""
    for line in reversed(out.getvalue().splitlines()):
        for number, text in _BUTTON.findall(line.strip()):
            if label in text:
                return f"#{number}"
    raise AssertionError(f"no button {label!r} printed yet")


async def play(data_dir: Path, script, **kwargs) -> str:
    """Run the demo with the lines `script(out)` yields; they are pulled one by one, after the
    previous line was handled, so a script can look at the output so far."""
    out = io.StringIO()
    await run_console(script(out), out, data_dir, env_file=None, **kwargs)
    return out.getvalue()


def after(text: str, marker: str) -> str:
    assert marker in text, f"{marker!r} not in output"
    return text.split(marker, 1)[1]


async def test_start_prints_the_expiry_warning_then_greets_the_demo_salesperson(tmp_path):
    def script(out) -> Iterator[str]:
        yield "/start"

    text = await play(tmp_path / "demo", script)
    startup, session = text.split("> /start", 1)
    assert "type #1 to tap button 1" in startup and str(tmp_path / "demo" / "outbox") in startup
    assert "Quotation Q-000001 expires after today" in startup
    assert "Hello Demo Sales!" in session and "/quote — New quotation" in session
    assert "<b>" not in text and "&lt;" not in text  # HTML is shown as plain text


async def test_a_quotation_is_made_with_numbered_buttons_and_mailed_as_eml_with_its_pdf(tmp_path):
    def script(out) -> Iterator[str]:
        yield "/quote"
        yield "acme"                      # a customer by part of the name
        yield "A-100 4"
        yield "desk 2"                    # two items match: the bot asks which
        yield button(out, "Standing desk")
        yield button(out, "Send")
        yield "/quit"
        yield "/start"                    # never read: /quit ended the demo

    data_dir = tmp_path / "demo"
    text = await play(data_dir, script)
    assert "Customer: Acme Office BV (C-001)" in text
    assert "Which item?" in text and "(you tap “A-200 · Standing desk”)" in text
    sent = after(text, "(you tap “Send”)")
    assert "Total: €1,933.34" in text
    assert "Quotation Q-000002 is sent to buyer@acme.example with the PDF attached." in sent
    assert "[mail] to buyer@acme.example" in sent and "Hello" not in text

    [eml] = (data_dir / "outbox").glob("*.eml")
    mail = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert mail["To"] == "buyer@acme.example" and "Q-000002" in mail["Subject"]
    [pdf] = [p for p in mail.iter_attachments() if p.get_filename() == "Q-000002.pdf"]
    assert pdf.get_content().startswith(b"%PDF")


async def test_quotes_and_confirm_by_number(tmp_path):
    def script(out) -> Iterator[str]:
        yield "/quotes"
        yield button(out, "Q-000001")     # the seeded quotation for Café Hoogvliet
        yield button(out, "Confirm")
        yield "7"                         # no conversation waits for text: a number alone taps
        yield "²"                         # a digit but not a number: plain text, no crash

    text = await play(tmp_path / "demo", script)
    assert "Café Hoogvliet" in after(text, "Open quotations:")
    shown = after(text, "(you tap “Q-000001")
    assert "Quotation Q-000001 · Sent" in shown and "[1] Confirm  [2] Lost  [3] Cancel" in shown
    confirmed = after(text, "(you tap “Confirm”)")
    assert "The quotation is confirmed: sales order SO-000001 is created." in confirmed
    assert "[1] Show sales order SO-000001" in confirmed
    assert "(there is no button 7; choose 1 to 1)" in confirmed
    assert "I did not understand that." in after(confirmed, "> ²")


async def test_a_number_alone_is_a_quantity_where_the_bot_waits_for_one_and_never_taps_deliver_all(tmp_path):
    def script(out) -> Iterator[str]:
        yield "/quotes"
        yield button(out, "Q-000001")
        yield button(out, "Confirm")
        yield "1"                         # taps "Show sales order": nothing waits for text here
        yield button(out, "Deliver")
        yield "1"                         # the delivery step reads quantities: text, not a tap
        yield "7"                         # no button 7 either: no hint about tapping it
        yield "1 0"                       # one quantity per line of this two-line order

    text = await play(tmp_path / "demo", script)
    assert "(you tap “Show sales order SO-000001”)" in text
    delivery = after(text, "(you tap “Deliver”)")
    assert "[1] Deliver all" in delivery
    assert "(sent as text; type #1 to tap button 1)" in delivery
    assert "(you tap “Deliver all”)" not in delivery and "#7" not in delivery
    posted = after(delivery, "Packing slip PS-000001 is posted.")
    assert "Packing slip" not in delivery.split("> 1 0")[0]  # the "1" alone posted nothing
    assert re.search(r"1\. C-100 .*ordered 10, delivered 1,", posted)
    assert re.search(r"2\. C-110 .*ordered 20, delivered 0,", posted)


async def test_the_pipeline_chart_is_saved_as_a_file_in_the_demo(tmp_path):
    text = await play(tmp_path / "demo", lambda out: iter(["/pipeline"]))
    assert "went wrong" not in text
    chart = tmp_path / "demo" / "outbox" / "pipeline.png"
    assert f"[file] {chart}" in text and chart.read_bytes().startswith(b"\x89PNG")


async def test_data_is_kept_between_runs_and_reset_starts_afresh(tmp_path):
    data_dir = tmp_path / "demo"

    def quote(out) -> Iterator[str]:
        yield "/quote"
        yield "Ромашка"                   # Cyrillic customer names are found too

    assert "Customer: ООО Ромашка (C-003)" in await play(data_dir, quote)
    again = await play(data_dir, lambda out: iter(["/quotes"]))
    assert "Q-000002 · ООО Ромашка" in again          # seeded once, kept
    fresh = await play(data_dir, lambda out: iter(["/quotes"]), reset=True)
    assert "Q-000002" not in fresh and "Q-000001 · Café Hoogvliet" in fresh


async def test_reset_refuses_a_directory_the_demo_did_not_make(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(DemoError):
        await play(tmp_path, lambda out: iter([]), reset=True)
    assert (tmp_path / "precious.txt").exists()


async def test_a_directory_with_other_files_is_used_but_never_marked_for_reset(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    await play(tmp_path, lambda out: iter([]))
    with pytest.raises(DemoError):
        await play(tmp_path, lambda out: iter([]), reset=True)
    assert (tmp_path / "notes.txt").exists() and (tmp_path / "demo.db").exists()


async def test_the_console_session_answers_other_bot_methods_with_typed_results(tmp_path):
    from aiogram import Bot
    from aiogram.types import BufferedInputFile, Message

    from bot.console_session import DEMO_TOKEN, ConsoleSession

    out = io.StringIO()
    bot = Bot(DEMO_TOKEN, session=ConsoleSession(out, files_dir=tmp_path / "outbox"))
    me = await bot.get_me()
    assert me.is_bot and me.id == bot.id
    sent = await bot.send_document(1, BufferedInputFile(b"%PDF-1.7 demo", filename="INV-1.pdf"),
                                   caption="Invoice <b>INV-1</b>")
    chart = await bot.send_photo(1, BufferedInputFile(b"\x89PNG demo", filename="pipeline.png"),
                                 caption="Your pipeline")
    assert isinstance(chart, Message) and chart.message_id > sent.message_id
    assert isinstance(sent, Message) and sent.caption == "Invoice INV-1"
    assert (tmp_path / "outbox" / "INV-1.pdf").read_bytes() == b"%PDF-1.7 demo"
    first = await bot.send_message(1, "a &lt;b&gt; c", parse_mode="HTML")
    edited = await bot.edit_message_text("now <i>edited</i>", chat_id=1, message_id=first.message_id)
    assert isinstance(edited, Message) and edited.message_id == first.message_id > sent.message_id
    assert await bot.set_my_commands([]) is True
    await bot.session.close()
    printed = out.getvalue()
    assert f"[file] {tmp_path / 'outbox' / 'INV-1.pdf'} — Invoice INV-1" in printed
    assert f"[file] {tmp_path / 'outbox' / 'pipeline.png'} — Your pipeline" in printed
    assert (tmp_path / "outbox" / "pipeline.png").read_bytes() == b"\x89PNG demo"
    assert "a <b> c" in printed and "(edited) now edited" in printed


async def test_a_line_ending_in_a_backslash_goes_on_in_the_same_message_so_a_lead_can_be_captured(tmp_path):
    def script(out) -> Iterator[str]:
        yield "/lead"
        yield "Jan Jansen\\"               # Telegram sends these three lines as one message
        yield "Jansen Bouw BV\\"
        yield "jan@jansenbouw.example"
        yield button(out, "Save as lead")
        yield "/leads"

    text = await play(tmp_path / "demo", script)
    assert "Type at least three lines" not in text
    assert "Jansen Bouw BV" in after(text, "> /leads")
    assert "... Jansen Bouw BV" in text  # the continued lines get their own prompt
