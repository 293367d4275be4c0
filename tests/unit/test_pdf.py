"""Printable documents: the PDF rendered from a DocumentView, read back with pypdf."""

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.documents.build import invoice_view, pro_forma_view
from bot.documents.pdf import render_pdf
from bot.documents.view import CompanyHeader, DocumentKind, DocumentLine, DocumentView, TaxRow
from bot.formatting import format_money
from domain.customer import Customer
from domain.invoice import CustomerInvoice, InvoiceSources, ProForma

D = Decimal
COMPANY = CompanyHeader(
    name="Café Hoogvliet BV — ë, é, ï",
    address_lines=("Dorpsstraat 1", "3191 AA Hoogvliet"),
    vat_number="NL123456789B01",
    email="verkoop@hoogvliet.example",
)


def line(i: int, description: str = "Koffiebonen, 1 kg") -> DocumentLine:
    return DocumentLine(
        item_number=f"ART-{i:04d}", description=description, quantity=D("2.5"), unit="kg",
        unit_price=D("12.40"), net_amount=D("31.00"), tax_percent=D("21"),
    )


def make_view(**changes) -> DocumentView:
    view = DocumentView(
        kind=DocumentKind.INVOICE, number="F2025-0042", issued_on=date(2025, 3, 7),
        customer_name="ООО Ромашка", customer_account="C-1001",
        lines=(line(1), line(2, "Melkopschuimer ë")),
        net_total=D("1234.50"), tax_total=D("259.25"), gross_total=D("1493.75"),
        currency="EUR", locale="en", company=COMPANY, order_number="SO-77",
        tax_rows=(TaxRow(D("21"), D("1234.50"), D("259.25")),),
    )
    return replace(view, **changes)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def text_of(view: DocumentView) -> str:
    return "\n".join(pages_text(render_pdf(view)))


def test_the_output_is_a_pdf():
    assert render_pdf(make_view()).startswith(b"%PDF-")


def test_the_euro_sign_dutch_accents_and_cyrillic_survive_into_the_pdf_text():
    text = text_of(make_view())
    assert "€" in text
    assert "Café Hoogvliet BV — ë, é, ï" in text
    assert "ООО Ромашка" in text


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_totals_are_printed_formatted_for_the_locale(locale):
    view = make_view(locale=locale)
    text = text_of(view)
    for amount in (view.net_total, view.tax_total, view.gross_total):
        assert format_money(amount, "EUR", locale) in text
    assert ("€1,493.75" if locale == "en" else "€\u00a01.493,75") in text


def test_a_dutch_invoice_has_a_dutch_title_and_labels():
    text = text_of(make_view(locale="nl"))
    assert "FACTUUR" in text
    for label in ("Klant", "Artikel", "Omschrijving", "Verkooporder", "Totaal incl. btw"):
        assert label in text
    assert "7 mrt 2025" in text


def test_an_english_quotation_shows_its_title_and_valid_until_date():
    text = text_of(make_view(kind=DocumentKind.QUOTATION, valid_until=date(2025, 4, 6)))
    assert "QUOTATION" in text
    assert "Valid until" in text and "6 Apr 2025" in text


@pytest.mark.parametrize(("locale", "title"), [("en", "PRO FORMA INVOICE"), ("nl", "PRO-FORMAFACTUUR")])
def test_a_pro_forma_is_marked_as_such_and_has_no_invoice_number(locale, title):
    text = text_of(make_view(kind=DocumentKind.PRO_FORMA, number="", locale=locale))
    assert title in text
    assert "PRO FORMA\n" in text  # the stamp, apart from the title
    assert ("not a posted invoice" if locale == "en" else "geen geboekte factuur") in text
    assert re.search(r"(Number|Nummer) —", text)
    assert "F2025-0042" not in text


def test_a_packing_slip_lists_quantities_but_no_prices_or_totals():
    view = make_view(kind=DocumentKind.PACKING_SLIP)
    text = text_of(view)
    assert "PACKING SLIP" in text and "ART-0001" in text and "2.5 kg" in text
    assert "€" not in text


def test_a_long_description_wraps_and_is_printed_in_full():
    words = [f"woord{i}" for i in range(60)] + ["x" * 120]  # and one overlong word
    text = text_of(make_view(lines=(line(1, " ".join(words)),)))
    flat = re.sub(r"\s+", "", text)
    assert "".join(words) in flat


def test_a_200_line_document_spans_several_pages_and_prints_every_item_number():
    view = make_view(lines=tuple(line(i, f"Artikel {i} " + "lang " * (i % 12)) for i in range(200)))
    pages = pages_text(render_pdf(view))
    assert len(pages) > 1
    found = re.findall(r"ART-\d{4}", "\n".join(pages))
    assert sorted(found) == [f"ART-{i:04d}" for i in range(200)]  # each exactly once
    for page in pages:
        assert f"of {len(pages)}" in page  # "Page n of N" in every footer
        if "ART-" in page:  # the table header is repeated on every page of the table
            assert "Item" in page and "Description" in page
    assert format_money(view.gross_total, "EUR", "en") in pages[-1]


def test_the_same_view_renders_the_same_bytes():
    assert render_pdf(make_view()) == render_pdf(make_view())


def test_the_fonts_are_found_without_importing_matplotlib():
    code = (
        "import sys\n"
        "from tests.unit.test_pdf import make_view\n"
        "from bot.documents.pdf import render_pdf\n"
        "render_pdf(make_view())\n"
        "assert 'matplotlib' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_customer_address_is_printed_under_the_name_and_a_long_line_wraps():
    long_line = "Industrieterrein De Lange Weg, hal " + "zeventien " * 12 + "einde"
    text = text_of(make_view(customer_address=("Markt 7", "3011 AA Rotterdam", long_line)))
    name_at = text.index("ООО Ромашка")
    assert name_at < text.index("Markt 7") < text.index("3011 AA Rotterdam") < text.index("C-1001")
    assert "einde" in text and "zeventien" in text


def _address_customer():
    return Customer("C-002", "Café Hoogvliet", "cafe@example.com", "nl",
                    postal_address="Markt 7, 3011 AA Rotterdam")


def _invoice(**changes):
    return replace(CustomerInvoice(number="INV-000001", customer_id=1, invoiced_on=date(2026, 11, 25),
                                   salesperson_id=1), **changes)


@pytest.mark.parametrize("build", [
    lambda c, co: invoice_view(_invoice(), c, InvoiceSources(("SO-000001",)), co, "EUR", "nl"),
    lambda c, co: invoice_view(_invoice(credit_note_of="INV-000001"), c, InvoiceSources(("SO-000002",)), co, "EUR", "nl"),
    lambda c, co: pro_forma_view(ProForma(1, date(2026, 11, 25), ()), c, co, "EUR", "nl"),
], ids=["invoice", "credit note", "pro forma"])
def test_every_customer_document_shows_the_customers_postal_address(build):
    text = text_of(build(_address_customer(), COMPANY))
    assert "Café Hoogvliet\nMarkt 7\n3011 AA Rotterdam" in text


def test_a_dutch_invoice_names_its_sales_orders_and_packing_slips_with_their_delivery_dates():
    sources = InvoiceSources(("SO-000001", "SO-000002"),
                             (("PS-000001", date(2026, 11, 25)), ("PS-000002", date(2026, 11, 26))))
    text = text_of(invoice_view(_invoice(), _address_customer(), sources, COMPANY, "EUR", "nl"))
    assert "Verkooporders: SO-000001, SO-000002" in text
    assert "Pakbonnen: PS-000001 (25 nov 2026), PS-000002 (26 nov 2026)" in text


def test_a_dutch_credit_note_names_the_credited_invoice_and_the_rma_number():
    note = _invoice(number="CN-000001", credit_note_of="INV-000001")
    sources = InvoiceSources(("SO-000002",), rma_number="RMA-000001")
    text = text_of(invoice_view(note, _address_customer(), sources, COMPANY, "EUR", "nl"))
    assert "CREDITNOTA" in text
    assert "Gecrediteerde factuur INV-000001" in text and "RMA-nummer RMA-000001" in text
