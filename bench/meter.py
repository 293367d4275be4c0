"""Wall time and this process's CPU time (all threads) over a measured stretch of a benchmark."""
from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class Throughput:
    updates: int
    seconds: float
    cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds

    @property
    def cpu_us_per_update(self) -> float:
        return self.cpu_seconds / self.updates * 1e6


class Meter:
    """`with Meter() as m: ...` then `m.result(updates)`; CPU covers the driver's threads too."""

    def __enter__(self) -> "Meter":
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = time.process_time() - self._cpu

    def result(self, updates: int) -> Throughput:
        return Throughput(updates, self.seconds, self.cpu_seconds)
