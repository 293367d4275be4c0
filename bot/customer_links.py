"""Making deep links for customers (issue 4): the secret, the bot's username and the validity."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.settings import Settings
from domain.customer_link import NONCE_BYTES, deep_link, issue_token, require_secret

log = logging.getLogger(__name__)


@dataclass
class CustomerLinks:
    secret: bytes | None
    bot_username: str | None
    validity: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> CustomerLinks:
        secret = settings.secret_key.get_secret_value().encode() if settings.secret_key else None
        return cls(secret or None, settings.bot_username, timedelta(days=settings.customer_link_days))

    @property
    def ready(self) -> bool:
        return bool(self.secret and self.bot_username)

    def link(self, customer_id: int, now: datetime, nonce: bytes | None = None) -> str:
        """A fresh link; raises LinkingNotSetUp without a secret key. The bot's username must be
        known (the setting, or getMe at start-up: see `learn_username`)."""
        require_secret(self.secret)
        if not self.bot_username:
            raise RuntimeError("the bot's username is not known yet")
        token = issue_token(self.secret, customer_id, now + self.validity,
                            nonce or secrets.token_bytes(NONCE_BYTES))
        return deep_link(self.bot_username, token)

    def link_for_mail(self, customer_id: int, mail_id: int, created_at: datetime) -> str | None:
        """The link a mail carries, or None when linking is not set up (the mail goes without).

        Its nonce comes from the outbox row, so a mail sent again after a crash carries the same link.
        """
        if not self.ready:
            log.info("mail %s goes without a Telegram link: SALESBOT_SECRET_KEY or the bot's "
                     "username is not set", mail_id)
            return None
        nonce = hmac.new(self.secret, f"outbox-mail-{mail_id}-{created_at.timestamp()}".encode(),
                         hashlib.sha256).digest()
        return self.link(customer_id, created_at, nonce[:NONCE_BYTES])

    async def learn_username(self, bot) -> None:
        """Ask Telegram for the bot's username once, when the setting does not give it."""
        if not self.bot_username:
            self.bot_username = (await bot.me()).username
