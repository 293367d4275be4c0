"""Settings from SALESBOT_* environment variables and a .env file (pydantic-settings)."""
from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.call_list import DEFAULT_COUNTRY_CODE
from storage.database import unusable_url

TELEGRAM_API = "https://api.telegram.org"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SALESBOT_", env_file=".env", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_API
    database_url: str = "sqlite+aiosqlite:///salesbot.db"

    smtp_host: str | None = None  # unset: mails are written to outbox_dir as .eml files
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    mail_from: str = "Salesbot <sales@example.com>"
    outbox_dir: Path = Path("outbox")

    locale: Literal["en", "nl"] = "en"
    currency: str = "EUR"
    phone_country_code: str = DEFAULT_COUNTRY_CODE  # for numbers stored without one ('06...'), in call lists
    timezone: str = "Europe/Amsterdam"
    redis_url: str | None = None

    company_name: str = "Salesbot Demo BV"
    company_address: str = "Keizersgracht 1, 1015 AA Amsterdam"
    company_vat_number: str = ""
    company_email: str = "sales@example.com"

    expiry_check_minutes: int = Field(default=60, ge=1)
    outbox_poll_seconds: float = Field(default=30, gt=0)
    # §4 order types: with warehouse management on, the Subscription order type is refused (the seed).
    warehouse_management: bool = False

    # The customers' own channel (issue 4): signs the links that connect a customer's Telegram account.
    secret_key: SecretStr | None = None
    bot_username: str | None = None          # for https://t.me/<bot>?start=...; unset: asked with getMe
    customer_link_days: int = Field(default=30, ge=1)

    # Issue 4 §4: the bot's HTTP server (the quotation answer page; the Telegram webhook when set).
    public_url: str | None = None        # base URL of that server as customers reach it, for links in mails
    http_host: str = "127.0.0.1"
    http_port: int | None = Field(default=8080, ge=0, le=65535)  # 0: a free port (tests); None: no server
    telegram_poll_seconds: float = Field(default=5, gt=0)  # how often queued Telegram deliveries are tried
    webhook_url: str | None = None       # set: Telegram posts updates to this URL (served here); unset: polling

    # Quotation requests by e-mail (issue 4 §3): the mailbox polled over IMAP; unset host: no polling.
    imap_host: str | None = None
    imap_port: int = 993
    imap_username: str = ""
    imap_password: SecretStr | None = None
    imap_folder: str = "INBOX"
    imap_security: Literal["none", "starttls", "tls"] = "tls"
    imap_poll_seconds: float = Field(default=60, gt=0)
    imap_prospect_owner: int | None = None  # Telegram id owning prospects from unknown senders

    @field_validator("imap_host", mode="before")
    @classmethod
    def _empty_imap_host_is_unset(cls, value):
        return value or None

    # Campaigns (issue 5): the sending rate (messages per second, 0: no limit), parallel SMTP
    # connections, how often due campaigns are looked for, and how long a claimed row stays a
    # process's before another may take it. Unsubscribe links use public_url (above).
    campaign_rate: float = Field(default=20, ge=0)
    campaign_connections: int = Field(default=2, ge=1, le=50)
    campaign_batch: int = Field(default=50, ge=1, le=1000)
    campaign_poll_seconds: float = Field(default=15, gt=0)
    campaign_lease_seconds: float = Field(default=300, gt=0)
    # How long a claimed outbox mail or Telegram delivery of a quotation stays one process's before
    # another process may take it over (its holder died); longer than one delivery can take.
    send_lease_seconds: float = Field(default=300, gt=0)
    # Telegram campaigns (issue 5 §4): messages per second over all chats (Telegram allows about 30);
    # each chat gets at most one per `telegram_chat_interval` seconds.
    telegram_campaign_rate: float = Field(default=25, gt=0, le=30)
    telegram_chat_interval: float = Field(default=1.0, ge=0)

    # Issue 5 §6: when the daily backorder delay notices and the salespeople's morning digest run
    # (HH:MM in the company time zone), and how the new expected date of a delayed line is set.
    notice_time: str = "07:30"
    digest_time: str = "08:00"
    notice_handling_days: int = Field(default=1, ge=1)     # working days from covering delivery to ship date
    notice_uncovered_days: int = Field(default=10, ge=1)   # working days ahead when nothing covers a line
    digest_agreement_days: int = Field(default=14, ge=0)   # agreements ending within this many days

    @field_validator("notice_time", "digest_time")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        from bot.notices import parse_time
        try:
            h, m = parse_time(value)
        except ValueError:
            raise ValueError("a time of day is written HH:MM, e.g. 07:30") from None
        return f"{h:02d}:{m:02d}"

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        value = value.strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise ValueError("currency must be an ISO 4217 code such as EUR")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        # Checked here: a URL for another driver or backend crashed deep inside SQLAlchemy.
        problem = unusable_url(value.strip())
        if problem:
            raise ValueError(problem)
        return value.strip()

    @field_validator("timezone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        # Checked here, not where a clock is first made: a bad zone stopped some commands with a
        # traceback and let others run until they needed "today".
        value = value.strip()
        try:
            ZoneInfo(value)
        except (KeyError, ValueError, OSError):  # not found, not a key ('', '../x'), a folder ('Europe')
            raise ValueError(f"unknown time zone {value!r} ({_zone_hint(value)})") from None
        return value

    @field_validator("phone_country_code")
    @classmethod
    def _country_code(cls, value: str) -> str:
        value = value.strip().lstrip("+")
        if not (value.isdigit() and 1 <= len(value) <= 3):
            raise ValueError("phone_country_code is the country's calling code, 1 to 3 digits, e.g. 31")
        return value

    @field_validator("smtp_host", "redis_url", "smtp_username", "bot_username", mode="before")
    @classmethod
    def _empty_is_unset(cls, value):
        return value or None


def _zone_hint(unknown: str) -> str:
    """The zone meant by a wrongly cased or bare city name ('Amsterdam'), when there is just one."""
    wanted = unknown.lower()
    meant = [zone for zone in available_timezones()
             if wanted and (zone.lower() == wanted or zone.lower().endswith("/" + wanted))]
    return f"did you mean {meant[0]}?" if len(meant) == 1 else "a name like Europe/Amsterdam"
