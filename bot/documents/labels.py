"""The printed words of the documents, per locale (English and Dutch, the seed's languages)."""
from __future__ import annotations

from bot.documents.view import DocumentKind

# Labels per locale. Titles are stored in sentence case and upper-cased for the
# heading. Unknown locales fall back to English.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        DocumentKind.QUOTATION: "Quotation",
        DocumentKind.INVOICE: "Invoice",
        DocumentKind.PRO_FORMA: "Pro forma invoice",
        DocumentKind.PACKING_SLIP: "Packing slip",
        DocumentKind.CREDIT_NOTE: "Credit note",
        "number": "Number",
        "date": "Date",
        "valid_until": "Valid until",
        "order_number": "Sales order",
        "order_numbers": "Sales orders",
        "packing_slip": "Packing slip",
        "packing_slips": "Packing slips",
        "reference": "Reference",
        "credited_invoice": "Credited invoice",
        "rma_number": "RMA number",
        "customer": "Customer",
        "account": "Account",
        "vat_number": "VAT no.",
        "email": "E-mail",
        "phone": "Phone",
        "item": "Item",
        "description": "Description",
        "quantity": "Quantity",
        "price": "Price",
        "amount": "Amount",
        "tax": "VAT",
        "tax_row": "VAT {percent} on {base}",
        "net_total": "Total excl. VAT",
        "tax_total": "VAT",
        "gross_total": "Total incl. VAT",
        "page": "Page {page} of {pages}",
        "pro_forma_mark": "PRO FORMA",
        "discount": "Discount {discount}",  # §2 pricing
        "discount_per_unit": "Discount {discount} per unit",  # §2 pricing
        "pro_forma_note": (
            "Pro forma: this is not a posted invoice. It has no invoice number "
            "and cannot be used to reclaim VAT."
        ),
    },
    "nl": {
        DocumentKind.QUOTATION: "Offerte",
        DocumentKind.INVOICE: "Factuur",
        DocumentKind.PRO_FORMA: "Pro-formafactuur",
        DocumentKind.PACKING_SLIP: "Pakbon",
        DocumentKind.CREDIT_NOTE: "Creditnota",
        "number": "Nummer",
        "date": "Datum",
        "valid_until": "Geldig tot",
        "order_number": "Verkooporder",
        "order_numbers": "Verkooporders",
        "packing_slip": "Pakbon",
        "packing_slips": "Pakbonnen",
        "reference": "Referentie",
        "credited_invoice": "Gecrediteerde factuur",
        "rma_number": "RMA-nummer",
        "customer": "Klant",
        "account": "Klantnummer",
        "vat_number": "Btw-nummer",
        "email": "E-mail",
        "phone": "Telefoon",
        "item": "Artikel",
        "description": "Omschrijving",
        "quantity": "Aantal",
        "price": "Prijs",
        "amount": "Bedrag",
        "tax": "Btw",
        "tax_row": "Btw {percent} over {base}",
        "net_total": "Totaal excl. btw",
        "tax_total": "Btw",
        "gross_total": "Totaal incl. btw",
        "page": "Pagina {page} van {pages}",
        "pro_forma_mark": "PRO FORMA",
        "discount": "Korting {discount}",  # §2 pricing
        "discount_per_unit": "Korting {discount} per eenheid",  # §2 pricing
        "pro_forma_note": (
            "Pro forma: dit is geen geboekte factuur. Er is geen factuurnummer "
            "en de btw kan er niet mee worden teruggevorderd."
        ),
    },
}


def labels_for(locale: str) -> dict[str, str]:
    return LABELS.get(locale, LABELS["en"])
