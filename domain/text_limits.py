"""How long the texts a record keeps may be: the lengths of their columns, checked in the domain so
that a long value gets a clear answer (and an import names its line) on every database, instead of
failing a whole file at PostgreSQL or being kept whole by SQLite."""
from __future__ import annotations

from domain.errors import N_, InvalidInput

CODE = 40   # account and item numbers, groups
NAME = 200  # names of customers, items and users
UNIT = 20

ITEM_NUMBER_TOO_LONG = N_("An item number can have at most {count} characters.")
ACCOUNT_NUMBER_TOO_LONG = N_("An account number can have at most {count} characters.")
NAME_TOO_LONG = N_("A name can have at most {count} characters.")
UNIT_TOO_LONG = N_("A unit can have at most {count} characters.")
GROUP_TOO_LONG = N_("A group can have at most {count} characters.")


def check_length(value: str, limit: int, message: str) -> str:
    if len(value) > limit:
        raise InvalidInput(message, count=limit)
    return value
