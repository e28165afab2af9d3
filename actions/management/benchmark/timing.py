"""Work timed beside the pages, and the timing of any of it."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """Work that is not a page, timed as at each date: run(plan=, sample=, as_at=)."""

    name: str
    run: Callable


TASKS: list[Task] = []


def timed(repeat, run, *args, **kwargs):
    """Milliseconds of each of `repeat` calls of run(*args, **kwargs)."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(*args, **kwargs)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values, share):
    """Nearest-rank percentile: the smallest value at least `share` of them are at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
