"""Printable documents: render a DocumentView to PDF bytes with fpdf2.

Fonts: DejaVu Sans, embedded (bot/documents/fonts.py); the words per locale are
bot/documents/labels.py.

The table is a hand-rolled cell loop rather than fpdf2's table(): it is
faster, and it lets us repeat the header row on each new page ourselves.

Amounts are printed exactly as the view gives them (see bot.formatting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timezone
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from bot.documents.fonts import FONT, font_paths
from bot.documents.labels import labels_for
from bot.documents.view import DocumentKind, DocumentLine, DocumentView
from bot.formatting import format_date, format_money, format_percent, format_quantity

NO_NUMBER = "\u2014"  # em dash, printed when a document has no number (pro forma)

# Layout, in mm (A4 portrait, 15 mm margins -> 180 mm usable width).
MARGIN = 15.0
LINE_H = 4.6  # one text line in the table (8 pt)
TABLE_FONT_SIZE = 8.0


@dataclass(frozen=True)
class _Column:
    key: str  # label key
    width: float
    align: Align


# Packing slips carry no prices: the parcel's contents only.
_PRICED_COLUMNS = (
    _Column("item", 22, Align.L),
    _Column("description", 62, Align.L),
    _Column("quantity", 22, Align.R),
    _Column("price", 26, Align.R),
    _Column("amount", 30, Align.R),
    _Column("tax", 18, Align.R),
)
_PACKING_COLUMNS = (
    _Column("item", 30, Align.L),
    _Column("description", 120, Align.L),
    _Column("quantity", 30, Align.R),
)


def render_pdf(view: DocumentView) -> bytes:
    """Render the document as PDF bytes (same view -> same bytes)."""
    pdf = _DocumentPDF(view)
    pdf.add_page()
    pdf.draw_heading()
    pdf.draw_lines_table()
    pdf.draw_totals()
    return bytes(pdf.output())


class _DocumentPDF(FPDF):
    def __init__(self, view: DocumentView) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.view = view
        self.labels = labels_for(view.locale)
        self.priced = view.kind is not DocumentKind.PACKING_SLIP
        self.columns = _PRICED_COLUMNS if self.priced else _PACKING_COLUMNS

        regular, bold = font_paths()
        self.add_font(FONT, "", regular)
        self.add_font(FONT, "B", bold)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 5)  # room for the footer
        self.c_margin = 1.2

        # Deterministic output: the creation date (and so the file /ID) follow
        # the document's date rather than the wall clock.
        self.set_creation_date(datetime.combine(view.issued_on, time(), tzinfo=timezone.utc))
        self.set_title(f"{self.title_text()} {view.number}".strip())
        self.set_author(view.company.name)
        self.set_creator("salesbot")
        self.set_lang(view.locale)

    # -- helpers -------------------------------------------------------------

    def title_text(self) -> str:
        return self.labels[self.view.kind].upper()

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.view.currency, self.view.locale)

    def text_lines(self, width: float, text: str) -> list[str]:
        """Greedy word wrap of `text` into a cell of `width` (current font).

        Our own wrapper, not multi_cell(dry_run=True): that one costs ~3 ms a
        call, more than half the render time of a 200-line document. Without
        text shaping, string widths in fpdf2 are additive, so we sum words.
        """
        avail = width - 2 * self.c_margin
        measure = self.get_string_width
        if "\n" not in text and measure(text) <= avail:
            return [text]  # fast path: most cells fit on one line
        space = measure(" ")
        out: list[str] = []
        for paragraph in text.split("\n"):
            line, line_w = "", 0.0
            for word in paragraph.split():
                word_w = measure(word)
                if line and line_w + space + word_w <= avail:
                    line, line_w = f"{line} {word}", line_w + space + word_w
                    continue
                if line:
                    out.append(line)
                while word_w > avail and len(word) > 1:  # hard-break an overlong word
                    cut = len(word) - 1
                    while cut > 1 and measure(word[:cut]) > avail:
                        cut -= 1
                    out.append(word[:cut])
                    word = word[cut:]
                    word_w = measure(word)
                line, line_w = word, word_w
            out.append(line)
        return out

    # -- page furniture (called by fpdf2 on every page) ----------------------

    def header(self) -> None:
        if self.view.kind is DocumentKind.PRO_FORMA:
            # A red stamp in the top margin of every page.
            self.set_xy(MARGIN, 5)
            self.set_font(FONT, "B", 10)
            self.set_text_color(190, 0, 0)
            self.set_draw_color(190, 0, 0)
            self.cell(30, 7, self.labels["pro_forma_mark"], border=1, align=Align.C)
            self.set_text_color(0)
            self.set_draw_color(0)
            self.set_xy(MARGIN, MARGIN)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(100)
        # str_alias_nb_pages ("{nb}") is replaced by the page count at output().
        page = self.labels["page"].format(page=self.page_no(), pages=self.str_alias_nb_pages)
        left = f"{self.title_text()} {self.view.number or NO_NUMBER}"
        self.cell(90, 5, left, align=Align.L)
        self.cell(0, 5, page, align=Align.R)
        self.set_text_color(0)

    # -- first-page heading --------------------------------------------------

    def draw_heading(self) -> None:
        view, labels, company = self.view, self.labels, self.view.company
        top = self.get_y()

        # Left: the issuing company.
        self.set_font(FONT, "B", 13)
        self.cell(95, 7, company.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 8.5)
        contact = list(company.address_lines)
        if company.vat_number:
            contact.append(f"{labels['vat_number']} {company.vat_number}")
        if company.email:
            contact.append(f"{labels['email']}: {company.email}")
        if company.phone:
            contact.append(f"{labels['phone']}: {company.phone}")
        for line in contact:
            self.cell(95, 4.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        left_bottom = self.get_y()

        # Right: title and the document's key facts.
        right_x = MARGIN + 100
        self.set_xy(right_x, top)
        self.set_font(FONT, "B", 17)
        self.cell(80, 9, self.title_text(), align=Align.R, new_x=XPos.LEFT, new_y=YPos.NEXT)
        facts = [
            (labels["number"], view.number or NO_NUMBER),
            (labels["date"], format_date(view.issued_on, view.locale)),
        ]
        if view.valid_until is not None:
            facts.append((labels["valid_until"], format_date(view.valid_until, view.locale)))
        if view.credited_invoice:
            facts.append((labels["credited_invoice"], view.credited_invoice))
        if view.rma_number:
            facts.append((labels["rma_number"], view.rma_number))
        if view.order_number:
            facts.append((labels["order_number"], view.order_number))
        if view.reference:
            facts.append((labels["reference"], view.reference))
        for label, value in facts:
            self.set_x(right_x)
            self.set_font(FONT, "", 8.5)
            self.cell(35, 4.6, label, align=Align.L)
            self.set_font(FONT, "B", 8.5)
            self.cell(45, 4.6, value, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

        # The customer, below whichever column is taller.
        self.set_y(max(left_bottom, self.get_y()) + 6)
        self.set_font(FONT, "B", 8.5)
        self.cell(0, 4.6, labels["customer"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        for text in (view.customer_name, *view.customer_address):
            self.multi_cell(110, 5, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if view.customer_account:
            self.set_font(FONT, "", 8.5)
            self.cell(0, 4.6, f"{labels['account']}: {view.customer_account}",
                      new_x=XPos.LMARGIN, new_y=YPos.NEXT)

        self.draw_sources()

        if view.kind is DocumentKind.PRO_FORMA:
            self.ln(3)
            self.set_font(FONT, "B", 8.5)
            self.set_text_color(190, 0, 0)
            self.multi_cell(0, 4.6, labels["pro_forma_note"], border=1, align=Align.L,
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0)
        self.ln(6)

    def draw_sources(self) -> None:
        """The sales orders and packing slips an invoice covers, each slip with its delivery date."""
        view, labels = self.view, self.labels
        rows = []
        if view.order_numbers:
            key = "order_number" if len(view.order_numbers) == 1 else "order_numbers"
            rows.append(f"{labels[key]}: {', '.join(view.order_numbers)}")
        if view.packing_slips:
            key = "packing_slip" if len(view.packing_slips) == 1 else "packing_slips"
            slips = ", ".join(f"{number} ({format_date(on, view.locale)})" for number, on in view.packing_slips)
            rows.append(f"{labels[key]}: {slips}")
        if rows:
            self.ln(2)
            self.set_font(FONT, "", 8.5)
        for text in rows:
            self.multi_cell(0, 4.6, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # -- the lines table -----------------------------------------------------

    def draw_table_header(self) -> None:
        self.set_font(FONT, "B", TABLE_FONT_SIZE)
        self.set_fill_color(230)
        for col in self.columns:
            self.cell(col.width, LINE_H + 1.4, self.labels[col.key], align=col.align, fill=True)
        self.ln(LINE_H + 1.4)
        self.set_font(FONT, "", TABLE_FONT_SIZE)

    def row_cells(self, line: DocumentLine) -> tuple[str, ...]:
        locale = self.view.locale
        quantity = f"{format_quantity(line.quantity, locale)} {line.unit}".strip()
        description = line.description
        if self.priced and (line.discount_percent or line.discount_amount):  # §2 pricing
            description += "\n" + (
                self.labels["discount"].format(discount=format_percent(line.discount_percent, locale))
                if line.discount_percent
                else self.labels["discount_per_unit"].format(discount=self.money(line.discount_amount)))
        cells = (line.item_number, description, quantity)
        if self.priced:
            cells += (
                self.money(line.unit_price),
                self.money(line.net_amount),
                format_percent(line.tax_percent, locale),
            )
        return cells

    def draw_lines_table(self) -> None:
        self.draw_table_header()
        self.set_draw_color(210)
        for line in self.view.lines:
            wrapped = [
                self.text_lines(col.width, text)
                for col, text in zip(self.columns, self.row_cells(line))
            ]
            row_h = max(len(lines) for lines in wrapped) * LINE_H + 0.8
            # Break before a row that would not fit, and repeat the header.
            if self.get_y() + row_h > self.page_break_trigger:
                self.add_page()
                self.draw_table_header()
            top, x = self.get_y(), self.l_margin
            for col, lines in zip(self.columns, wrapped):
                for i, text in enumerate(lines):
                    self.set_xy(x, top + 0.4 + i * LINE_H)
                    self.cell(col.width, LINE_H, text, align=col.align)
                x += col.width
            self.line(self.l_margin, top + row_h, self.l_margin + self.epw, top + row_h)
            self.set_xy(self.l_margin, top + row_h)
        self.set_draw_color(0)

    # -- tax summary and totals ------------------------------------------------

    def draw_totals(self) -> None:
        if not self.priced:
            return
        view, labels = self.view, self.labels
        rows: list[tuple[str, str, bool]] = [
            (labels["tax_row"].format(percent=format_percent(r.percent, view.locale),
                                      base=self.money(r.base)),
             self.money(r.tax), False)
            for r in view.tax_rows
        ]
        rows += [
            (labels["net_total"], self.money(view.net_total), False),
            (labels["tax_total"], self.money(view.tax_total), False),
            (labels["gross_total"], self.money(view.gross_total), True),
        ]
        row_h = 5.5
        needed = 4 + row_h * len(rows) + 2
        if self.get_y() + needed > self.page_break_trigger:
            self.add_page()
        self.ln(4)
        label_x, label_w, value_w = MARGIN + 80, 65, 35
        for i, (label, value, bold) in enumerate(rows):
            if bold:  # a rule above the grand total
                y = self.get_y() + 0.5
                self.line(label_x, y, label_x + label_w + value_w, y)
                self.ln(1.5)
            self.set_x(label_x)
            self.set_font(FONT, "B" if bold else "", 10 if bold else 8.5)
            self.cell(label_w, row_h, label, align=Align.L)
            self.cell(value_w, row_h, value, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if i == len(view.tax_rows) - 1:
                self.ln(1.5)  # a little air between the tax summary and the totals
