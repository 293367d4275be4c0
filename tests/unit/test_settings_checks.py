"""Settings refuse values the bot cannot use, naming the variable, before any command runs."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def refusal(**values) -> str:
    with pytest.raises(ValidationError) as caught:
        settings(**values)
    return caught.value.errors()[0]["ctx"]["error"].args[0]


@pytest.mark.parametrize("zone, message", [
    ("Mars/Olympus", "unknown time zone 'Mars/Olympus' (a name like Europe/Amsterdam)"),
    ("Amsterdam", "unknown time zone 'Amsterdam' (did you mean Europe/Amsterdam?)"),
    ("europe/amsterdam", "unknown time zone 'europe/amsterdam' (did you mean Europe/Amsterdam?)"),
    ("Europe", "unknown time zone 'Europe' (a name like Europe/Amsterdam)"),
    ("", "unknown time zone '' (a name like Europe/Amsterdam)"),
])
def test_an_unknown_time_zone_is_refused_with_a_hint(zone, message):
    assert refusal(timezone=zone) == message


@pytest.mark.parametrize("zone, kept", [("Europe/Amsterdam ", "Europe/Amsterdam"),
                                        (" America/New_York", "America/New_York"), ("UTC", "UTC")])
def test_a_known_time_zone_is_kept_without_surrounding_spaces(zone, kept):
    assert settings(timezone=zone).timezone == kept


SQLITE_EXAMPLE = "sqlite+aiosqlite:///salesbot.db"
POSTGRES_EXAMPLE = "postgresql+asyncpg://user:password@host/database"


@pytest.mark.parametrize("url, message", [
    ("postgresql://u:p@127.0.0.1:1/db", f"PostgreSQL is reached through asyncpg: write {POSTGRES_EXAMPLE}"),
    ("postgresql+psycopg://u:p@db/x", f"PostgreSQL is reached through asyncpg: write {POSTGRES_EXAMPLE}"),
    ("sqlite:///salesbot.db", f"SQLite is opened through aiosqlite: write {SQLITE_EXAMPLE}"),
    ("mysql://u:p@127.0.0.1:1/db", f"only SQLite ({SQLITE_EXAMPLE}) and PostgreSQL ({POSTGRES_EXAMPLE}) "
                                   "are supported, not mysql"),
    ("sqlite+aiosqlite:///", f"no database file named: write {SQLITE_EXAMPLE} (in the working directory) "
                             "or sqlite+aiosqlite:////full/path/salesbot.db"),
    ("sqlite+aiosqlite:///:memory:", f"no database file named: write {SQLITE_EXAMPLE} (in the working "
                                     "directory) or sqlite+aiosqlite:////full/path/salesbot.db"),
    ("salesbot.db", f"not a database URL: write {SQLITE_EXAMPLE} or {POSTGRES_EXAMPLE}"),
])
def test_a_database_url_the_bot_cannot_use_is_refused_with_the_form_to_write(url, message):
    assert refusal(database_url=url) == message


def test_a_refused_database_url_does_not_repeat_its_password():
    assert "s3cret" not in refusal(database_url="postgresql://u:s3cret@db/x")


@pytest.mark.parametrize("url", ["sqlite+aiosqlite:///salesbot.db", "sqlite+aiosqlite:////var/lib/x.db",
                                 "postgresql+asyncpg://u:p@db:5432/sales"])
def test_supported_database_urls_are_kept(url):
    assert settings(database_url=url).database_url == url
