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
