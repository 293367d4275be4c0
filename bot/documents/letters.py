"""A mailing campaign's print file: one PDF, each letter starting on a new page (a long letter runs
on), for a print shop. DejaVu Sans is embedded, so accents, the euro sign and Cyrillic print."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timezone

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.documents.fonts import FONT, font_paths
from bot.documents.view import CompanyHeader
from bot.formatting import format_date
from domain.services.campaign_letters import Letter

MARGIN = 20
WIDTH = 210 - 2 * MARGIN


def render_letters(company: CompanyHeader, letters: Sequence[Letter]) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    regular, bold = font_paths()
    pdf.add_font(FONT, "", regular)
    pdf.add_font(FONT, "B", bold)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    if letters:
        pdf.set_creation_date(datetime.combine(letters[0].dated, time(), tzinfo=timezone.utc))
    pdf.set_author(company.name)
    pdf.set_creator("salesbot")
    for letter in letters:
        _letter(pdf, company, letter)
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str, size: float, style: str = "", height: float = 5) -> None:
    pdf.set_font(FONT, style, size)
    pdf.cell(WIDTH, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _letter(pdf: FPDF, company: CompanyHeader, letter: Letter) -> None:
    pdf.add_page()
    _line(pdf, company.name, 13, "B", 7)
    for text in (*company.address_lines, company.email, company.phone):
        if text:
            _line(pdf, text, 8.5, height=4)
    pdf.ln(14)
    _line(pdf, letter.contact_name, 10.5)
    if letter.company and letter.company != letter.contact_name:
        _line(pdf, letter.company, 10.5)
    for text in letter.address:
        _line(pdf, text, 10.5)
    pdf.ln(10)
    pdf.set_font(FONT, "", 10)
    pdf.cell(WIDTH, 5, format_date(letter.dated, letter.language), align="R",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    _line(pdf, letter.subject, 11, "B", 6)
    pdf.ln(4)
    pdf.set_font(FONT, "", 10.5)
    pdf.multi_cell(WIDTH, 5.5, letter.body, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
