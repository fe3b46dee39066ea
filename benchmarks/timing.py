"""Shared by the benchmark scripts: run a command several times, report the median wall time."""
from __future__ import annotations

import os
import statistics
import subprocess
import time
from typing import Optional, Sequence


def load() -> str:
    """The 1-minute load average (other work on the machine skews every figure)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "n/a"


def median_wall(cmd: Sequence[str], repeat: int, env: Optional[dict] = None,
                before=None) -> tuple[float, list[float]]:
    """Median wall time of ``cmd`` (Python start-up included), and every run's time.
    ``before`` runs ahead of each timed run (e.g. to empty a cache)."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def row(label: str, seconds: float, base: Optional[float] = None, extra: str = "") -> str:
    ratio = f"{seconds / base:6.2f}x" if base else " " * 7
    return f"{label:<50} {seconds:8.3f} s  {ratio}  {extra}".rstrip()
