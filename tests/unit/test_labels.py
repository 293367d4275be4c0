"""Every status and type shown in chat has its own label, also where two enums share a value."""
from __future__ import annotations

import pytest

import gettext

from bot import i18n
from bot.i18n import use_locale
from domain.call_list import CallOutcome, CallState
from domain.campaign import CampaignStatus, CampaignType, RecipientState
from domain.errors import TransitionNotAllowed
from domain.free_text_invoice import FreeTextInvoiceStatus
from domain.quotation import QuotationStatus
from domain.sales_order import SalesOrderStatus, SalesOrderType
from handlers.labels import LABELS, label
from handlers.text import error_text


@pytest.mark.parametrize("value", [*QuotationStatus, *SalesOrderStatus, *SalesOrderType,
                                   *FreeTextInvoiceStatus, *CampaignStatus, *CampaignType, *RecipientState,
                                   *CallState, *CallOutcome])
def test_a_status_or_type_has_a_label_of_its_own(value):
    # QuotationStatus.CANCELED == "canceled" == SalesOrderStatus.CANCELED: in one dict literal
    # the second key was merged into the first and a canceled order read 'canceled'.
    assert LABELS.get(value) is not None


def test_a_canceled_order_and_a_canceled_quotation_read_canceled():
    assert label(SalesOrderStatus.CANCELED) == "Canceled" == label(QuotationStatus.CANCELED)


def test_an_e_mail_campaign_reads_e_mail_and_a_call_outcome_reads_as_its_button():
    assert label(CampaignType.EMAIL) == "e-mail"
    assert label(CallOutcome.NO_ANSWER) == "No answer"


class _Dutch(gettext.NullTranslations):
    WORDS = {"cancelled": "geannuleerd",
             "Campaign {number} is {status}; its calls wait.": "Campagne {number} is {status}; de gesprekken wachten."}

    def gettext(self, message):
        return self.WORDS.get(message, message)


def test_a_campaign_status_in_a_refusal_is_given_in_the_users_language(monkeypatch):
    # The status reached the message as its raw value: 'Campagne #1 is cancelled; ...'.
    monkeypatch.setattr(i18n, "translations", lambda _locale: _Dutch())
    error = TransitionNotAllowed("Campaign {number} is {status}; its calls wait.", number="#1",
                                 status=CampaignStatus.CANCELLED)
    with use_locale("nl"):
        assert error_text(error) == "Campagne #1 is geannuleerd; de gesprekken wachten."
