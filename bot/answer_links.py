"""Issue 4 §4: the signed link to a quotation's answer page, for the quotation e-mail."""
from __future__ import annotations

from bot.settings import Settings
from domain.quotation import Quotation
from domain.quotation_link import expiry_of, issue_answer_token


def secret_of(settings: Settings) -> bytes | None:
    return settings.secret_key.get_secret_value().encode() if settings.secret_key else None


def answer_url(settings: Settings, quotation: Quotation) -> str | None:
    """None when SALESBOT_PUBLIC_URL or SALESBOT_SECRET_KEY is not set: the mail goes without."""
    secret = secret_of(settings)
    if not (settings.public_url and secret and quotation.id):
        return None
    token = issue_answer_token(secret, quotation.id, expiry_of(quotation.valid_until))
    return f"{settings.public_url.rstrip('/')}/q/{token}"
