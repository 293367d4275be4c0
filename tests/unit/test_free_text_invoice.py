"""Free text invoices: main account, description, amount, sales tax; no items; posted is final."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput, NotFound, TransitionNotAllowed
from domain.free_text_invoice import (FreeTextInvoice, FreeTextInvoiceStatus, PostingProfile,
                                      TypedLine)
from domain.tax import PricedLine

D = Decimal
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = NOW.date()
GEN = PostingProfile(code="GEN", summary_account="1300")


@pytest.fixture
def draft() -> FreeTextInvoice:
    invoice = FreeTextInvoice(customer_id=1, salesperson_id=2, created_at=NOW)
    invoice.id = 9
    return invoice


def test_lines_carry_a_main_account_and_add_up_with_sales_tax_per_rate(draft):
    draft.add_line("8000", "Consulting November", D("250"), D("21"))
    draft.add_line("8100", "Travel", D("99.99"), D("21"))
    draft.add_typed_line(TypedLine.parse("8200 10,50 9% Books and   more"))
    line: PricedLine = draft.lines[0]
    assert line.net_amount == D("250.00") and line.tax_percent == D("21")
    assert draft.lines[2].description == "Books and more" and draft.lines[2].amount == D("10.50")
    totals = draft.totals
    assert totals.net == D("360.49")
    assert [(r.percent, r.base, r.tax) for r in totals.tax_rows] == [
        (D("9"), D("10.50"), D("0.95")), (D("21"), D("349.99"), D("73.50"))]  # 52.50 + 21.00
    assert totals.gross == D("434.94")
    assert [l.line_number for l in draft.lines] == [1, 2, 3]


def test_a_line_that_names_an_item_is_refused(draft):
    with pytest.raises(InvalidInput) as refused:
        draft.add_line("8000", "Office chair", D("149.95"), D("21"), item_number="A-100")
    assert "item number" in refused.value.message and refused.value.params == {"item": "A-100"}
    with pytest.raises(InvalidInput) as typed:
        draft.add_typed_line(TypedLine.parse("A-100 5"), item_number="A-100")
    assert typed.value.params == {"item": "A-100"}
    assert draft.lines == []


@pytest.mark.parametrize("text, key", [
    ("8000 -250 21 Refund", "An amount cannot be negative."),
    ("8000 0 21 Nothing", "The amount must be more than zero."),
    ("8000 2.5051 21 Too exact", "Amounts can have at most two decimals."),
    ("8000 abc 21 Words", "'{text}' is not a number."),
    ("8000 250 121 Too much tax", "A sales tax percentage must be between 0 and 100."),
    ("8000 250 21", "Type a line as: main account, amount, sales tax %, description. "
                    "For example: <code>8000 250 21 Consulting November</code>"),
    ("Consulting 250 21 November", "'{account}' is not a main account. Type a ledger account number, e.g. 8000."),
])
def test_bad_lines_are_refused_with_a_reason(draft, text, key):
    with pytest.raises(InvalidInput) as refused:
        draft.add_typed_line(TypedLine.parse(text))
    assert refused.value.message == key
    assert draft.lines == []


def test_posting_draws_the_number_and_sends_the_balance_to_the_summary_account(draft):
    draft.add_line("8000", "Consulting", D("250"), D("21"))
    assert draft.number is None and draft.status is FreeTextInvoiceStatus.DRAFT
    draft.post(GEN, "INV-000004", TODAY)
    assert (draft.status, draft.number, draft.invoiced_on, draft.summary_account) == (
        FreeTextInvoiceStatus.POSTED, "INV-000004", TODAY, "1300")


def test_a_posted_free_text_invoice_is_immutable(draft):
    draft.add_line("8000", "Consulting", D("250"), D("21"))
    draft.post(GEN, "INV-000004", TODAY)
    for change in (lambda: draft.add_line("8000", "More", D("1"), D("21")),
                   lambda: draft.remove_line(1),
                   lambda: draft.post(GEN, "INV-000005", TODAY),
                   lambda: draft.pro_forma(TODAY)):
        with pytest.raises(TransitionNotAllowed):
            change()
    assert draft.number == "INV-000004" and len(draft.lines) == 1


def test_an_empty_draft_cannot_be_posted_or_shown_pro_forma(draft):
    with pytest.raises(InvalidInput):
        draft.post(GEN, "INV-000004", TODAY)
    with pytest.raises(InvalidInput):
        draft.pro_forma(TODAY)
    assert draft.number is None


def test_the_pro_forma_of_a_draft_has_its_totals_and_changes_nothing(draft):
    draft.add_line("8000", "Consulting", D("250"), D("21"))
    pro_forma = draft.pro_forma(TODAY)
    assert pro_forma.totals == draft.totals and pro_forma.order_number == ""
    assert draft.status is FreeTextInvoiceStatus.DRAFT and draft.number is None


def test_removing_a_line_that_is_not_there_says_so(draft):
    with pytest.raises(NotFound):
        draft.remove_line(3)
