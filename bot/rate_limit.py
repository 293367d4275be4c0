"""Message rates for the campaign senders: a pace kept by one process, or one pace shared by every
process through Redis (the scale-out set-up), because Telegram's and a mail provider's limits count
a bot's or an account's messages, not a process's."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

log = logging.getLogger(__name__)

# Reserve the next free slot: on Redis's own clock (the processes' machines need not agree), one
# `interval` (microseconds) after the last slot handed out, or now when the pace has fallen behind.
# Returns how many microseconds the caller waits for its slot. The key lapses once it is idle.
RESERVE_SLOT = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], slot + interval, 'PX', math.floor((slot + interval - now) / 1000) + 60000)
return slot - now
"""


class Pace(Protocol):
    async def wait(self) -> None: ...


class RateLimit:
    """At most `rate` messages per second over all connections of this process (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1 / rate if rate > 0 else 0.0
        self._next = time.monotonic()

    async def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        slot = max(self._next, now)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class SharedRateLimit:
    """At most `rate` messages per second over every process that uses `key` on this Redis.

    Redis that cannot be reached stops nothing: this process keeps its own pace meanwhile (as
    without Redis) and tries Redis again after `retry_seconds`."""

    def __init__(self, redis, key: str, rate: float, retry_seconds: float = 30) -> None:
        self.key, self.retry_seconds = key, retry_seconds
        self.interval_us = round(1_000_000 / rate) if rate > 0 else 0
        self.local = RateLimit(rate)
        self._reserve = redis.register_script(RESERVE_SLOT)
        self._redis_back_at = 0.0

    async def wait(self) -> None:
        delay = await self.reserve()
        if delay is None:
            await self.local.wait()
        elif delay > 0:
            await asyncio.sleep(delay)

    async def reserve(self) -> float | None:
        """Seconds until this message's slot; None when Redis is not to be asked (down, or no limit)."""
        if not self.interval_us or time.monotonic() < self._redis_back_at:
            return None
        try:
            waited_us = await self._reserve(keys=[self.key], args=[self.interval_us])
        except Exception as error:  # redis.RedisError, OSError, a timeout: all mean "not now"
            log.warning("shared rate %s: Redis unreachable (%s); this process keeps its own pace for "
                        "%.0f s", self.key, error, self.retry_seconds)
            self._redis_back_at = time.monotonic() + self.retry_seconds
            return None
        return int(waited_us) / 1_000_000


def connect_redis(url: str):
    """A client for the shared paces: short timeouts, so a Redis that hangs delays a message by
    seconds at most before this process falls back to its own pace."""
    from redis.asyncio import Redis
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
