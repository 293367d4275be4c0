"""Column types that keep the domain's promises on every database.

Decimals are stored as scaled integers: exact on SQLite (whose NUMERIC is a float) and on
PostgreSQL alike, and still summable and sortable in SQL. Datetimes are stored in UTC and come
back aware, in the company's time zone when the engine was given one (storage.database.create_engine):
the day of a moment (a quotation's pricing day, an order's date) is then the company's day, not
UTC's, whether the object was just made or read back.
"""
from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator


class ScaledDecimal(TypeDecorator[Decimal]):
    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self._factor = Decimal(10) ** places

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * self._factor
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimals")
        return int(scaled)

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        if value is None:
            return None
        # Exact and already at `places` decimals (5000 -> 5.000): one step instead of divide + quantize.
        return Decimal(value).scaleb(-self.places)


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: every timestamp must carry a time zone")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        zone: tzinfo | None = getattr(dialect, "company_zone", None)
        return value.astimezone(zone) if zone is not None else value


Money = ScaledDecimal(2)
Price = ScaledDecimal(4)
Quantity = ScaledDecimal(3)
Percent = ScaledDecimal(4)
