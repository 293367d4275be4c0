"""Issue 4 §4: the signed answer link of a quotation (sign, verify, forge, expire)."""
from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from domain.customer_link import LinkRefused, LinkingNotSetUp, issue_token, read_token
from bot.i18n import accept_language
from domain.quotation_link import (EXPIRED, FORGED, expiry_of, issue_answer_token, quotation_of_expired,
                                     read_answer_token)

SECRET = b"unit-secret"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=10)


def test_a_token_names_its_quotation_until_it_expires():
    token = issue_answer_token(SECRET, 42, LATER)
    assert len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()
    assert read_answer_token(SECRET, token, NOW) == 42
    with pytest.raises(LinkRefused) as refused:
        read_answer_token(SECRET, token, LATER)
    assert refused.value.message == EXPIRED


def test_an_expired_token_still_says_whose_page_it_was_but_a_forged_one_does_not():
    token = issue_answer_token(SECRET, 42, LATER)
    assert quotation_of_expired(SECRET, token) == 42
    assert quotation_of_expired(b"another key", token) is None
    assert quotation_of_expired(SECRET, "nonsense") is None


@pytest.mark.parametrize("header, language", [
    ("nl-NL,nl;q=0.9,en;q=0.8", "nl"), ("fr, en;q=0.3, nl;q=0.7", "nl"), ("de, fr", None), ("", None),
    (None, None), ("nl;q=0, en", "en"), ("nl;q=bad, en;q=0.1", "en"), ("EN-gb", "en"),
])
def test_the_browsers_language_is_its_most_preferred_one_we_speak(header, language):
    assert accept_language(header) == language


def test_the_link_expires_with_the_quotation():
    valid_until = date(2026, 12, 24)
    token = issue_answer_token(SECRET, 7, expiry_of(valid_until))
    assert read_answer_token(SECRET, token, datetime(2026, 12, 24, 23, 0, tzinfo=UTC)) == 7
    with pytest.raises(LinkRefused):
        read_answer_token(SECRET, token, datetime(2026, 12, 27, tzinfo=UTC))


@pytest.mark.parametrize("valid_until", [date(2106, 2, 6), date(2500, 1, 1), date(9999, 12, 31), date.max])
def test_a_link_for_a_far_validity_date_is_still_made_and_lives_as_long_as_a_token_can(valid_until):
    # Quotations stored before the one-year limit (or a clock far ahead) must still be mailed:
    # the expiry is clamped to the last second the token's 4-byte field can hold.
    expiry = expiry_of(valid_until)
    assert expiry == datetime.fromtimestamp(2 ** 32 - 1, UTC)
    token = issue_answer_token(SECRET, 7, expiry)
    assert read_answer_token(SECRET, token, datetime(2106, 2, 7, tzinfo=UTC)) == 7


@pytest.mark.parametrize("token", ["", "x", "not a token!", "A" * 34, "A" * 80])
def test_garbage_is_refused_as_forged(token):
    with pytest.raises(LinkRefused) as refused:
        read_answer_token(SECRET, token, NOW)
    assert refused.value.message == FORGED


def test_another_secret_or_a_changed_quotation_id_is_refused():
    token = issue_answer_token(SECRET, 42, LATER)
    with pytest.raises(LinkRefused):
        read_answer_token(b"other", token, NOW)
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[4] ^= 1  # quotation id 42 -> 43, MAC unchanged
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(LinkRefused):
        read_answer_token(SECRET, forged, NOW)


def test_a_telegram_link_token_and_an_answer_token_never_pass_for_each_other():
    link = issue_token(SECRET, 42, LATER, b"\x00" * 8)
    with pytest.raises(LinkRefused):
        read_answer_token(SECRET, link, NOW)
    with pytest.raises(LinkRefused):
        read_token(SECRET, issue_answer_token(SECRET, 42, LATER), NOW)


def test_without_a_secret_no_token_is_made_or_read():
    with pytest.raises(LinkingNotSetUp):
        issue_answer_token(None, 1, LATER)
    with pytest.raises(LinkingNotSetUp):
        read_answer_token(b"", "abc", NOW)


@given(quotation_id=st.integers(1, 2 ** 32 - 1), flip=st.integers(0, 25 * 8 - 1))
def test_any_flipped_bit_is_refused(quotation_id, flip):
    token = issue_answer_token(SECRET, quotation_id, LATER)
    assert read_answer_token(SECRET, token, NOW) == quotation_id
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[flip // 8] ^= 1 << (flip % 8)
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(LinkRefused):
        read_answer_token(SECRET, forged, NOW)


def test_the_mail_link_needs_both_the_public_url_and_the_secret():
    from pydantic import SecretStr

    from bot.answer_links import answer_url
    from bot.settings import Settings
    from domain.quotation import Quotation

    q = Quotation.create("Q-00042", 1, 1, NOW)
    q.id = 42
    assert answer_url(Settings(_env_file=None), q) is None
    assert answer_url(Settings(_env_file=None, public_url="https://s.example"), q) is None
    assert answer_url(Settings(_env_file=None, secret_key=SecretStr("k")), q) is None
    url = answer_url(Settings(_env_file=None, public_url="https://s.example/", secret_key=SecretStr("k")), q)
    assert url.startswith("https://s.example/q/")
    assert read_answer_token(b"k", url.rsplit("/", 1)[1], NOW) == 42
