"""Issue 4: link tokens (signed, expiring, fit for Telegram's start parameter) and the customer role."""
from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from domain.customer_link import (EXPIRED, FORGED, TOKEN_BYTES, LinkingNotSetUp, LinkRefused, deep_link,
                                  issue_token, read_token)
from domain.errors import InvalidInput, NotPermitted
from domain.user import Permission, Role, User

SECRET = b"unit-test-secret"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")


def token(customer_id=7, expires=NOW + timedelta(days=30), nonce=b"12345678", secret=SECRET) -> str:
    return issue_token(secret, customer_id, expires, nonce)


@given(customer_id=st.integers(1, 2 ** 32 - 1), seconds=st.integers(1, 10 ** 8),
       nonce=st.binary(min_size=8, max_size=8))
def test_a_token_fits_telegram_and_reads_back(customer_id, seconds, nonce):
    expires = NOW + timedelta(seconds=seconds)
    t = issue_token(SECRET, customer_id, expires, nonce)
    assert START_PARAMETER.fullmatch(t) and len(t) == 44
    claim = read_token(SECRET, t, NOW)
    assert claim.customer_id == customer_id and claim.nonce == nonce.hex()
    assert claim.expires_at == datetime.fromtimestamp(int(expires.timestamp()), UTC)


@given(position=st.integers(0, TOKEN_BYTES - 1), flip=st.integers(1, 255))
def test_any_changed_byte_is_refused_as_forged(position, flip):
    raw = bytearray(base64.urlsafe_b64decode(token() + "="))
    raw[position] ^= flip
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(LinkRefused) as refused:
        read_token(SECRET, forged, NOW)
    assert refused.value.message == FORGED


@pytest.mark.parametrize("bad", ["", "hello", "x" * 65, token() + "A", token()[:-1], token()[:-1] + "+",
                                 token() + "==", " " + token()[:10], "ABC$" * 11])
def test_malformed_tokens_are_refused_as_forged(bad):
    with pytest.raises(LinkRefused) as refused:
        read_token(SECRET, bad, NOW)
    assert refused.value.message == FORGED


def test_another_secret_does_not_verify():
    with pytest.raises(LinkRefused):
        read_token(b"another secret", token(), NOW)


def test_expiry_is_checked_after_the_signature():
    t = token(expires=NOW + timedelta(seconds=10))
    assert read_token(SECRET, t, NOW + timedelta(seconds=9)).customer_id == 7
    with pytest.raises(LinkRefused) as refused:
        read_token(SECRET, t, NOW + timedelta(seconds=10))
    assert refused.value.message == EXPIRED


def test_without_a_secret_no_token_is_made_or_read():
    with pytest.raises(LinkingNotSetUp, match="SALESBOT_SECRET_KEY"):
        issue_token(None, 7, NOW, b"12345678")
    with pytest.raises(LinkingNotSetUp):
        read_token(b"", token(), NOW)


def test_the_deep_link():
    assert deep_link("@my_bot", "abc") == "https://t.me/my_bot?start=abc"


def test_a_customer_account_sees_only_its_own_customer_and_holds_no_staff_permission():
    customer = User(telegram_id=5, name="Buyer", role=Role.CUSTOMER, customer_id=3, id=40)
    assert customer.is_customer and customer.require_customer() == 3
    assert customer.may_see_customer(3) and not customer.may_see_customer(4)
    assert not customer.may_see_customer(None)
    assert not any(customer.can(p) for p in Permission)
    assert not customer.may_see(40 + 1) and not customer.may_see(None)
    with pytest.raises(NotPermitted):
        customer.require(Permission.QUOTE)


@pytest.mark.parametrize("role", [Role.SALES, Role.MARKETING, Role.MANAGER, Role.ADMIN])
def test_staff_never_pass_the_customer_check(role):
    staff = User(telegram_id=5, name="Staff", role=role, id=1)
    assert not staff.may_see_customer(1) and not staff.is_customer
    with pytest.raises(NotPermitted):
        staff.require_customer()


def test_a_customer_account_needs_a_customer_and_staff_have_none():
    with pytest.raises(InvalidInput):
        User(telegram_id=5, name="Buyer", role=Role.CUSTOMER)
    with pytest.raises(InvalidInput):
        User(telegram_id=5, name="Sam", role=Role.SALES, customer_id=3)


def test_sales_and_managers_may_invite_marketing_may_not():
    assert User(telegram_id=1, name="S", role=Role.SALES).can(Permission.INVITE)
    assert User(telegram_id=1, name="M", role=Role.MANAGER).can(Permission.INVITE)
    assert not User(telegram_id=1, name="K", role=Role.MARKETING).can(Permission.INVITE)


def test_a_backorder_shows_the_confirmed_delivery_date_once_order_lines_carry_one():
    from datetime import date
    from decimal import Decimal

    from domain.sales_order import SalesOrderLine
    from domain.services.customer_view import expected_date

    line = SalesOrderLine(item_number="A-100", description="Chair", unit="pcs", quantity=Decimal(4),
                          unit_price=Decimal(1), tax_percent=Decimal(21), line_number=1, item_id=1)
    assert expected_date(line) is None
    line.confirmed_delivery_date = date(2026, 12, 1)
    assert expected_date(line) == date(2026, 12, 1)
