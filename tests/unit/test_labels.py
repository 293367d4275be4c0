"""Every status and type shown in chat has its own label, also where two enums share a value."""
from __future__ import annotations

import pytest

from domain.free_text_invoice import FreeTextInvoiceStatus
from domain.quotation import QuotationStatus
from domain.sales_order import SalesOrderStatus, SalesOrderType
from handlers.labels import LABELS, label


@pytest.mark.parametrize("value", [*QuotationStatus, *SalesOrderStatus, *SalesOrderType,
                                   *FreeTextInvoiceStatus])
def test_a_status_or_type_has_a_label_of_its_own(value):
    # QuotationStatus.CANCELED == "canceled" == SalesOrderStatus.CANCELED: in one dict literal
    # the second key was merged into the first and a canceled order read 'canceled'.
    assert LABELS.get(value) is not None


def test_a_canceled_order_and_a_canceled_quotation_read_canceled():
    assert label(SalesOrderStatus.CANCELED) == "Canceled" == label(QuotationStatus.CANCELED)
