"""The start-up heap is frozen out of the collector's passes (bot/warmup.py, `salesbot run`)."""
from __future__ import annotations

import gc

from bot.warmup import freeze_startup_heap


def test_the_objects_alive_at_start_up_leave_the_collectors_passes():
    kept = [[n] for n in range(1000)]  # stands in for routers, mappers, templates
    gc.unfreeze()
    try:
        freeze_startup_heap()
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        scanned = {id(o) for o in gc.get_objects()}  # what a full collection walks
        assert not any(id(x) in scanned for x in kept)
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
    assert gc.get_freeze_count() == 0

