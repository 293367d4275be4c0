"""Reading a request mail: request lines, quantities, Dutch, signatures and quoted replies (issue 4 §3)."""
from __future__ import annotations

import re

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from domain.item import Item
from domain.mail_intake import (MAX_LINES, ParsedLine, RequestLine, lines_from_json, lines_to_json,
                                match_line, parse_body, parse_line, read_mail, request_text)


@pytest.mark.parametrize("line, quantity, query", [
    ("A-100 x 5", "5", "A-100"),
    ("A-100 X 5", "5", "A-100"),
    ("A-100x5", "5", "A-100"),
    ("A-100 × 2,5", "2.5", "A-100"),
    ("5 x office chair", "5", "office chair"),
    ("5x office chair", "5", "office chair"),
    ("A-100 5", "5", "A-100"),
    ("5 pcs A-100", "5", "A-100"),
    ("5 pcs. A-100", "5", "A-100"),
    ("office chair 5 pcs", "5", "office chair"),
    ("5 stuks bureaustoel", "5", "bureaustoel"),
    ("5 st. bureaustoel", "5", "bureaustoel"),
    ("2,5 stuks van bureaustoel", "2.5", "bureaustoel"),
    ("- A-100 x 3", "3", "A-100"),
    ("1. 3 x standing desk", "3", "standing desk"),
    ("5 xylophones", "5", "xylophones"),
])
def test_request_lines_in_every_form(line, quantity, query):
    parsed = parse_line(line)
    assert parsed == ParsedLine(" ".join(line.split()), Decimal(quantity), query)


@pytest.mark.parametrize("line", [
    "Hello, we would like a quote for the following:", "Kind regards,", "", "   ",
    "12 34", "Tel: +31 20 1234567", "x" * 200,
])
def test_prose_is_not_a_request_line(line):
    assert parse_line(line) is None


@pytest.mark.parametrize("line, problem", [
    ("A-100 x 0", "The quantity must be more than zero."),
    ("A-100 x -2", "The quantity must be more than zero."),
    ("0 stuks bureaustoel", "The quantity must be more than zero."),
    ("A-100 x 1.2345", "Quantities can have at most three decimals."),
    ("A-100 x 2000000", "A quantity of {quantity} is more than this bot accepts."),
])
def test_a_bad_quantity_is_flagged_not_guessed(line, problem):
    parsed = parse_line(line)
    assert parsed.quantity is None and parsed.problem == problem and parsed.query


def test_signature_quoted_reply_and_the_quoted_mail_are_not_read():
    body = ("Hi,\n\nPlease quote:\nA-100 x 5\n> A-200 x 9\n>> 3 x desk\n2 x sales handbook\n"
            "-- \nJan Jansen\n10 x signature line\n")
    assert [p.query for p in parse_body(body)] == ["A-100", "sales handbook"]
    assert request_text(body)[-1] == "2 x sales handbook"
    reply = "A-100 x 1\n\nOn Mon, 23 Nov 2026 Sam wrote:\nA-200 x 4\n"
    assert [p.query for p in parse_body(reply)] == ["A-100"]
    dutch = "5 stuks bureaustoel\nOp ma 23 nov 2026 schreef Sam <sam@example.com>:\n2 stuks bureau\n"
    assert [p.query for p in parse_body(dutch)] == ["bureaustoel"]


@pytest.mark.parametrize("quoted", [
    "From: Salesbot <sales@example.com>\nSent: Monday, 23 November 2026 10:00\nTo: Jan\nSubject: Re: Quote",
    "Van: Salesbot <sales@example.com>\nVerzonden: maandag 23 november 2026 10:00\nAan: Jan\nOnderwerp: Aanvraag",
    "From: Salesbot <sales@example.com>\nTo: Jan <jan@example.com>\nDate: Mon, 23 Nov 2026 10:00\nSubject: x",
    "Van: Salesbot\r\nDatum: 23-11-2026\r\nAan: Jan",
    "________________________________",
    "________________________________\nFrom: Salesbot <sales@example.com>\nSent: Monday",
])
def test_an_outlook_reply_is_read_only_above_the_quoted_original(quoted):
    body = f"2 x standing desk\n\n{quoted}\n\nWe received your request:\n- 5 x A-100 Office chair\n"
    assert [p.query for p in parse_body(body)] == ["standing desk"]
    assert request_text(body) == ["2 x standing desk"]


def test_a_from_line_of_the_customers_own_text_is_read():
    body = "From: our Rotterdam office\n5 x A-100\nTo: the warehouse\n\n\n\n\nDate: soon\n"
    assert [p.query for p in parse_body(body)] == ["A-100"]
    assert request_text(body)[-1] == "Date: soon"


def test_at_most_so_many_lines_are_read():
    body = "\n".join(f"A-{n} x 1" for n in range(MAX_LINES + 10))
    assert len(parse_body(body)) == MAX_LINES


def _item(item_id: int, number: str, name: str) -> Item:
    item = Item(number, name, "pcs", Decimal("10"), Decimal("21"))
    item.id = item_id
    return item


def test_a_line_is_matched_only_when_exactly_one_item_fits():
    parsed = parse_line("5 x chair")
    one = match_line(parsed, [_item(1, "A-100", "Office chair")])
    assert one.matched and (one.item_id, one.item_number, one.quantity) == (1, "A-100", Decimal(5))
    none = match_line(parsed, [])
    assert not none.matched and none.item_id is None and none.problem == "No item matches '{text}'."
    assert none.problem_args == {"text": "chair"} and none.text == "5 x chair"
    two = match_line(parsed, [_item(1, "A-100", "Office chair"), _item(2, "A-101", "Chair mat")])
    assert not two.matched and two.item_id is None and "more than one item" in two.problem
    bad = match_line(parse_line("A-100 x 0"), [_item(1, "A-100", "Office chair")])
    assert not bad.matched and bad.item_id == 1 and bad.quantity is None


def test_lines_survive_their_json_form():
    lines = [RequestLine("A-100 x 5", Decimal("5"), 1, "A-100", "Office chair"),
             RequestLine("5 x cat", Decimal("5"), problem="No item matches '{text}'.",
                         problem_args={"text": "cat"}),
             RequestLine("A-100 x 0", None, problem="The quantity must be more than zero.")]
    assert lines_from_json(lines_to_json(lines)) == lines


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000000"), places=3),
       st.sampled_from(["A-100 x {q}", "{q} x office chair", "A-100 {q}", "{q} pcs A-100",
                        "{q} stuks bureaustoel"]))
def test_any_valid_quantity_is_read_back_exactly_or_flagged_when_it_reads_two_ways(quantity, form):
    parsed = parse_line(form.format(q=quantity))
    assert parsed is not None
    if re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", str(quantity)):  # '1.500': one and a half, or 1500?
        assert parsed.quantity is None and "{grouped}" in parsed.problem
    else:
        assert parsed.quantity == quantity and not parsed.problem


@given(st.text(max_size=300))
def test_any_text_parses_without_crashing(text):
    for parsed in parse_body(text):
        assert parsed.query and (parsed.quantity is None) == bool(parsed.problem)


def _raw(body: str = "A-100 x 5\n", **headers: str) -> bytes:
    head = {"From": "Jan Jansen <Jan@Example.NL>", "To": "sales@salesbot.test", "Subject": "Offerte",
            "Message-ID": "<abc@example.nl>", **{k.replace("_", "-"): v for k, v in headers.items()}}
    lines = [f"{k}: {v}" for k, v in head.items() if v is not None]
    return ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def test_read_mail_headers_and_language():
    mail = read_mail(_raw("5 stuks bureaustoel\n"))
    assert (mail.sender, mail.sender_name, mail.subject, mail.message_id) == (
        "Jan@Example.NL", "Jan Jansen", "Offerte", "<abc@example.nl>")
    assert mail.language == "nl" and not mail.automatic
    assert read_mail(_raw()).language is None
    assert read_mail(_raw(Content_Language="en-GB")).language == "en"


def test_a_mail_without_message_id_gets_one_from_its_content():
    first, again = read_mail(_raw(Message_ID=None)), read_mail(_raw(Message_ID=None))
    assert first.message_id == again.message_id and first.message_id.startswith("<sha256-")
    assert read_mail(_raw("A-200 x 1\n", Message_ID=None)).message_id != first.message_id


@pytest.mark.parametrize("headers", [{"Auto_Submitted": "auto-replied"}, {"Precedence": "bulk"},
                                     {"List-Id": "<news.example.nl>"},
                                     {"From": "MAILER-DAEMON@example.nl"}])
def test_automatic_mail_is_recognised(headers):
    assert read_mail(_raw(**headers)).automatic


def test_an_html_only_mail_is_read_as_text():
    raw = (b"From: a@example.nl\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8"
           b"\r\n\r\n<p>Hello</p><p>A-100 x 5<br>3 x desk</p>")
    assert [p.query for p in parse_body(read_mail(raw).body)] == ["A-100", "desk"]
