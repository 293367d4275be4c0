"""Document numbers: one gap-free sequence per document kind, formatted with the kind's prefix."""
from enum import StrEnum


class Sequence(StrEnum):
    QUOTATION = "quotation"
    SALES_ORDER = "sales_order"
    PACKING_SLIP = "packing_slip"
    CUSTOMER_INVOICE = "customer_invoice"
    RMA = "rma"  # §4: returned orders' return-item numbers
    CREDIT_NOTE = "credit_note"  # §4: credit notes for returned orders


PREFIXES = {Sequence.QUOTATION: "Q", Sequence.SALES_ORDER: "SO",
            Sequence.PACKING_SLIP: "PS", Sequence.CUSTOMER_INVOICE: "INV",
            Sequence.RMA: "RMA", Sequence.CREDIT_NOTE: "CN"}


def format_number(sequence: Sequence, value: int) -> str:
    return f"{PREFIXES[sequence]}-{value:06d}"
