from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.date()

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)
