"""Killing the worker processes of the kill tests."""
from __future__ import annotations

import asyncio
import signal


async def sigkill(proc: asyncio.subprocess.Process) -> bool:
    """SIGKILL `proc` and reap it; False when it had already finished on its own (it may end in the
    very instant a test decides to kill it, and asyncio then has no process left to signal)."""
    try:
        proc.send_signal(signal.SIGKILL)
    except ProcessLookupError:
        pass
    return await proc.wait() == -signal.SIGKILL
