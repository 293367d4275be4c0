"""The company's clock: aware datetimes, and 'today' in the company's time zone."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


class SystemClock:
    def __init__(self, timezone: str = "Europe/Amsterdam") -> None:
        self.tz = ZoneInfo(timezone)

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def today(self) -> date:
        return self.now().date()
