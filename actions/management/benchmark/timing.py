"""Timing: how long each call takes, and percentiles of the times."""

import math
import time


def timed(repeat, run, *args, before=None, **kwargs):
    """Milliseconds of each of `repeat` calls of run(*args, **kwargs), each after an
    untimed call of `before` when given."""
    timings = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        run(*args, **kwargs)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values, share):
    """Nearest-rank percentile: the smallest value at least `share` of them are at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
