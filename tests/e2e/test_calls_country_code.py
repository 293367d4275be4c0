"""SALESBOT_PHONE_COUNTRY_CODE: a number stored without a country code is shown with the company's."""
from __future__ import annotations

import pytest

from tests.e2e.test_calls import _start


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"phone_country_code": "32"})  # a Belgian company


async def test_a_number_without_country_code_gets_the_company_s_one(running, seeded, uow_factory):
    await _start(running, seeded, uow_factory)
    card = await running.chat(seeded["sales"].telegram_id).say("/calls")
    assert "Phone: +32612345678" in card
